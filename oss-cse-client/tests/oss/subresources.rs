//! Every OSS sub-resource on every method, against an object and a bucket:
//! what the emulator does not implement is `501 NotImplemented`, and no
//! such request changes an object or a bucket (a sub-resource served as the
//! plain operation destroyed data: `PUT ?acl` emptied the object, `DELETE
//! ?cors` deleted the bucket).

use oss_cse_client::GetOptions;

use crate::support::*;

/// What the emulator implements: (method, on an object, sub-resource).
const IMPLEMENTED: &[(&str, bool, &str)] = &[
    ("PUT", false, "acl"),
    ("GET", false, "acl"),
    ("GET", false, "bucketInfo"),
    ("PUT", true, "acl"),
    ("GET", true, "acl"),
    ("PUT", false, "encryption"),
    ("GET", false, "encryption"),
    ("DELETE", false, "encryption"),
    ("GET", false, "uploads"),
    ("POST", false, "delete"),
    ("GET", false, "live"),
    ("PUT", true, "tagging"),
    ("GET", true, "tagging"),
    ("DELETE", true, "tagging"),
    ("GET", true, "uploadId"),
    ("DELETE", true, "uploadId"),
    ("POST", true, "uploads"),
    ("POST", true, "uploadId"),
    ("HEAD", true, "objectMeta"),
    ("GET", true, "response-cache-control"),
    ("GET", true, "response-content-disposition"),
    ("GET", true, "response-content-encoding"),
    ("GET", true, "response-content-language"),
    ("GET", true, "response-content-type"),
    ("GET", true, "response-expires"),
];

#[tokio::test]
async fn no_sub_resource_falls_through_to_the_plain_operation() {
    let h = start().await;
    let content = data(1000, 7);
    h.client.put_object(BUCKET, "kept", oss_cse_client::Body::from(content.clone()), vec![]).await.unwrap();
    let mut refused = 0;
    for sub in routing_subresources() {
        for method in ["GET", "HEAD", "PUT", "POST", "DELETE"] {
            for object in [true, false] {
                let key = object.then_some("kept");
                let (status, _, _) = signed_raw(&h, method, key, Some(sub), &[], "x").await;
                if !IMPLEMENTED.contains(&(method, object, sub)) {
                    assert_eq!(status, 501, "{method} {} ?{sub}", if object { "object" } else { "bucket" });
                    refused += 1;
                }
                let stored = h.client.get_object(BUCKET, "kept", &GetOptions::default()).await;
                let stored = stored.unwrap_or_else(|e| panic!("{method} ?{sub} lost the object: {e}"));
                assert_eq!(stored.body.collect().await.unwrap(), content, "{method} ?{sub} changed the object");
            }
        }
    }
    let listed = h.client.list_all_objects(BUCKET, "").await.unwrap();
    assert_eq!(listed.len(), 1, "no object was added");
    assert!(refused > 500, "{refused}");
}

/// A failed HEAD carries its error document in `x-oss-err` (base64), as OSS
/// sends it, since the reply has no body.
#[tokio::test]
async fn a_failed_head_carries_its_error_in_x_oss_err() {
    let h = start().await;
    let (status, headers, _) = signed_raw(&h, "HEAD", Some("absent"), None, &[], "").await;
    assert_eq!(status, 404);
    let encoded = headers.get("x-oss-err").expect("x-oss-err").to_str().unwrap().to_owned();
    let document = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, encoded).unwrap();
    let document = String::from_utf8(document).unwrap();
    assert!(document.contains("<Code>NoSuchKey</Code>") && document.contains("<RequestId>"), "{document}");
    assert_eq!(headers.get("x-oss-ec").map(|v| v.to_str().unwrap()), Some("0026-00000001"));
}
