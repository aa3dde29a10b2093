//! ACLs, storage classes, GetBucketInfo and HTTP compression, as OSS
//! answers them (and as oss2's own suite checks them).

use oss_cse_client::{Body, GetOptions};

use crate::support::*;

#[tokio::test]
async fn bucket_and_object_acls_are_kept_and_checked() {
    let h = start().await;
    let (_, _, xml) = signed_raw(&h, "GET", None, Some("acl"), &[], "").await;
    assert!(xml.contains("<Grant>private</Grant>"), "{xml}");
    let (status, _, _) = signed_raw(&h, "PUT", None, Some("acl"), &[("x-oss-acl", "public-read")], "").await;
    assert_eq!(status, 200);
    let (_, _, xml) = signed_raw(&h, "GET", None, Some("acl"), &[], "").await;
    assert!(xml.contains("<Grant>public-read</Grant>"), "{xml}");
    let (status, _, reply) = signed_raw(&h, "PUT", None, Some("acl"), &[("x-oss-acl", "everyone")], "").await;
    assert!(status == 400 && reply.contains("InvalidArgument"), "{reply}");

    h.client.put_object(BUCKET, "o", Body::from(vec![1]), vec![]).await.unwrap();
    let (_, _, xml) = signed_raw(&h, "GET", Some("o"), Some("acl"), &[], "").await;
    assert!(xml.contains("<Grant>default</Grant>"), "{xml}");
    let private = [("x-oss-object-acl", "private")];
    let (status, _, _) = signed_raw(&h, "PUT", Some("o"), Some("acl"), &private, "").await;
    assert_eq!(status, 200);
    let (_, _, xml) = signed_raw(&h, "GET", Some("o"), Some("acl"), &[], "").await;
    assert!(xml.contains("<Grant>private</Grant>"), "{xml}");
    let (status, _, _) = signed_raw(&h, "PUT", Some("o"), Some("acl"), &[("x-oss-object-acl", "open")], "").await;
    assert_eq!(status, 400);
    // Setting the ACL leaves the object as it was.
    let kept = h.client.get_object(BUCKET, "o", &GetOptions::default()).await.unwrap();
    assert_eq!(kept.body.collect().await.unwrap(), vec![1]);
}

#[tokio::test]
async fn storage_classes_are_kept_and_archived_data_is_not_served() {
    let h = start().await;
    let archive = vec![("x-oss-storage-class".to_owned(), "ColdArchive".to_owned())];
    h.client.put_object(BUCKET, "cold", Body::from(vec![1, 2]), archive).await.unwrap();
    let (status, headers, _) = signed_raw(&h, "HEAD", Some("cold"), None, &[], "").await;
    assert_eq!((status, headers.get("x-oss-storage-class").unwrap().to_str().unwrap()), (200, "ColdArchive"));
    let (status, _, reply) = signed_raw(&h, "GET", Some("cold"), None, &[], "").await;
    assert!(status == 403 && reply.contains("InvalidObjectState"), "{reply}");
    let (_, _, listing) = signed_raw(&h, "GET", None, Some("prefix=cold"), &[], "").await;
    assert!(listing.contains("<StorageClass>ColdArchive</StorageClass>"), "{listing}");
    let (status, _, _) = signed_raw(&h, "PUT", Some("x"), None, &[("x-oss-storage-class", "Glacier")], "").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn bucket_info_names_the_endpoint_used_and_the_encryption_rule() {
    let h = start().await;
    let (status, _, xml) = signed_raw(&h, "GET", None, Some("bucketInfo"), &[], "").await;
    assert_eq!(status, 200, "{xml}");
    let host = h.emulator.addr().to_string();
    assert!(xml.contains(&format!("<ExtranetEndpoint>{host}</ExtranetEndpoint>")), "{xml}");
    assert!(xml.contains("<SSEAlgorithm>None</SSEAlgorithm>"), "{xml}");
}

/// OSS gzips a whole-object GET of text (1 KiB or more) for a client that
/// accepts it; never a range, never a client that does not ask (ours).
#[tokio::test]
async fn text_objects_are_compressed_only_for_clients_that_ask() {
    let h = start().await;
    let text = vec![b'a'; 4096];
    let plain = vec![("content-type".to_owned(), "text/plain".to_owned())];
    h.client.put_object(BUCKET, "t.txt", Body::from(text.clone()), plain).await.unwrap();
    let gzip = [("accept-encoding", "gzip")];
    let (status, headers, _) = signed_raw(&h, "GET", Some("t.txt"), None, &gzip, "").await;
    assert_eq!(status, 200);
    assert_eq!(headers.get("content-encoding").map(|v| v.to_str().unwrap()), Some("gzip"));
    assert!(headers.get("content-length").is_none());
    let ranged = [("accept-encoding", "gzip"), ("range", "bytes=0-99")];
    let (status, headers, _) = signed_raw(&h, "GET", Some("t.txt"), None, &ranged, "").await;
    assert_eq!((status, headers.get("content-encoding")), (206, None));
    let got = h.client.get_object(BUCKET, "t.txt", &GetOptions::default()).await.unwrap();
    assert_eq!(got.body.collect().await.unwrap(), text);
}

/// ListMultipartUploads with a delimiter: uploads under a sub-prefix are
/// one common prefix, and paging goes past it.
#[tokio::test]
async fn upload_listings_group_by_delimiter() {
    let h = start().await;
    for key in ["p/a", "p/d1/x", "p/d1/y", "p/d2/z", "p/b"] {
        let (status, _, reply) = signed_raw(&h, "POST", Some(key), Some("uploads"), &[], "").await;
        assert_eq!(status, 200, "{reply}");
    }
    let (_, _, xml) = signed_raw(&h, "GET", None, Some("uploads&prefix=p/&delimiter=/"), &[], "").await;
    assert_eq!(xml.matches("<Upload>").count(), 2, "{xml}");
    assert!(xml.contains("<Prefix>p/d1/</Prefix>") && xml.contains("<Prefix>p/d2/</Prefix>"), "{xml}");
    let (_, _, page) = signed_raw(&h, "GET", None, Some("uploads&prefix=p/&delimiter=/&max-uploads=3"), &[], "").await;
    assert!(page.contains("<IsTruncated>true</IsTruncated>") && page.contains("<NextKeyMarker>p/d1/</NextKeyMarker>"));
    let (_, _, rest) =
        signed_raw(&h, "GET", None, Some("uploads&prefix=p/&delimiter=/&key-marker=p/d1/"), &[], "").await;
    assert!(!rest.contains("<Prefix>p/d1/</Prefix>") && !rest.contains("<Key>p/d1/"), "{rest}");
    assert!(rest.contains("<Prefix>p/d2/</Prefix>") && rest.contains("<IsTruncated>false</IsTruncated>"), "{rest}");
}

/// A copy refused for its ACL, storage class or tags leaves nothing behind:
/// they are checked before any byte is copied.
#[tokio::test]
async fn a_refused_copy_leaves_no_data_behind() {
    let h = start().await;
    h.client.put_object(BUCKET, "src", Body::from(vec![5; 4096]), vec![]).await.unwrap();
    let data_dir = h._dir.path().join("buckets").join(BUCKET).join("data");
    let files = || std::fs::read_dir(&data_dir).map(Iterator::count).unwrap_or(0);
    let before = files();
    for bad in [("x-oss-object-acl", "everyone"), ("x-oss-storage-class", "Glacier")] {
        let headers = vec![(bad.0.to_owned(), bad.1.to_owned())];
        let copied =
            h.client.copy_object(BUCKET, "src", BUCKET, "dst", oss_cse_client::MetadataDirective::Copy, headers).await;
        assert_eq!(copied.unwrap_err().service_error().map(|e| e.status), Some(400), "{bad:?}");
        assert_eq!(files(), before, "{bad:?} left a data file");
    }
}
