use oss_cse_client::types::MetadataDirective;
use oss_cse_client::{Body, GetOptions, ServerSideEncryption};

use crate::support::*;

fn kms(key_id: Option<&str>, sm4_data: bool) -> ServerSideEncryption {
    ServerSideEncryption::from_parts("KMS", key_id, sm4_data.then_some("SM4")).unwrap()
}

#[tokio::test]
async fn invalid_combinations_are_refused_before_any_request() {
    assert!(ServerSideEncryption::from_parts("AES256", Some("key"), None).is_err());
    assert!(ServerSideEncryption::from_parts("SM4", None, Some("SM4")).is_err());
    assert!(ServerSideEncryption::from_parts("AES256", None, Some("SM4")).is_err());
    assert!(ServerSideEncryption::from_parts("ROT13", None, None).is_err());
    assert_eq!(ServerSideEncryption::from_parts("kms", Some("k"), Some("sm4")).unwrap(), kms(Some("k"), true));
}

#[tokio::test]
async fn per_object_sse_is_applied_echoed_and_encrypted_at_rest() {
    let h = start().await;
    let plaintext = b"a recognisable plaintext that must not sit on disk as is".repeat(100);
    let settings =
        [ServerSideEncryption::Aes256, ServerSideEncryption::Sm4, kms(None, false), kms(Some("cmk-1"), true)];
    for (index, sse) in settings.into_iter().enumerate() {
        let key = format!("sse-{index}");
        h.client.put_object(BUCKET, &key, Body::from(plaintext.clone()), sse.headers()).await.unwrap();
        let meta = h.client.head_object(BUCKET, &key).await.unwrap();
        let expected = match &sse {
            ServerSideEncryption::Kms { key_id: None, sm4_data } => {
                ServerSideEncryption::Kms { key_id: Some("alias/acs/oss".into()), sm4_data: *sm4_data }
            }
            other => other.clone(),
        };
        assert_eq!(meta.server_side_encryption, Some(expected), "{sse}");
        let got = h.client.get_object(BUCKET, &key, &GetOptions::default()).await.unwrap();
        assert_eq!(got.body.collect().await.unwrap(), plaintext, "{sse}");
    }
    // Nothing stored under the data directory contains the plaintext.
    let needle = &plaintext[..40];
    let mut files = vec![h._dir.path().to_owned()];
    let mut scanned = 0;
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else if path.extension().is_some_and(|e| e == "data") {
            let stored = std::fs::read(&path).unwrap();
            assert!(!stored.windows(needle.len()).any(|w| w == needle), "{} holds plaintext", path.display());
            scanned += 1;
        }
    }
    assert_eq!(scanned, 4);
}

#[tokio::test]
async fn bucket_default_encryption_and_encrypting_existing_objects() {
    let h = start().await;
    assert_eq!(h.client.get_bucket_encryption(BUCKET).await.unwrap(), None);
    h.client
        .put_object(BUCKET, "before", Body::from(vec![1u8; 100]), vec![("x-oss-meta-keep".into(), "yes".into())])
        .await
        .unwrap();
    assert_eq!(h.client.head_object(BUCKET, "before").await.unwrap().server_side_encryption, None);

    let rule = kms(Some("cmk-bucket"), true);
    h.client.put_bucket_encryption(BUCKET, &rule).await.unwrap();
    assert_eq!(h.client.get_bucket_encryption(BUCKET).await.unwrap(), Some(rule.clone()));
    h.client.put_object(BUCKET, "after", Body::from(vec![2u8; 100]), vec![]).await.unwrap();
    assert_eq!(h.client.head_object(BUCKET, "after").await.unwrap().server_side_encryption, Some(rule));

    let done = h.client.encrypt_existing_objects(BUCKET, "before", &ServerSideEncryption::Sm4).await.unwrap();
    assert_eq!(done, vec!["before".to_owned()]);
    let meta = h.client.head_object(BUCKET, "before").await.unwrap();
    assert_eq!(meta.server_side_encryption, Some(ServerSideEncryption::Sm4));
    assert_eq!(meta.header("x-oss-meta-keep"), Some("yes"), "metadata survives the in-place copy");
    let got = h.client.get_object(BUCKET, "before", &GetOptions::default()).await.unwrap();
    assert_eq!(got.body.collect().await.unwrap(), vec![1u8; 100]);

    h.client
        .copy_object(BUCKET, "before", BUCKET, "copy", MetadataDirective::Copy, ServerSideEncryption::Aes256.headers())
        .await
        .unwrap();
    assert_eq!(
        h.client.head_object(BUCKET, "copy").await.unwrap().server_side_encryption,
        Some(ServerSideEncryption::Aes256)
    );
    h.client.delete_bucket_encryption(BUCKET).await.unwrap();
    assert_eq!(h.client.get_bucket_encryption(BUCKET).await.unwrap(), None);
}

#[tokio::test]
async fn sse_on_multipart_initiate() {
    let h = start().await;
    let id = h.client.initiate_multipart_upload(BUCKET, "mp-sse", ServerSideEncryption::Sm4.headers()).await.unwrap();
    let part = h.client.upload_part(BUCKET, "mp-sse", &id, 1, Body::from(vec![3u8; 1000]), vec![]).await.unwrap();
    let parts = [oss_cse_client::types::CompletedPart::uploaded(1, &part, 1000)];
    h.client.complete_multipart_upload(BUCKET, "mp-sse", &id, &parts, vec![]).await.unwrap();
    assert_eq!(
        h.client.head_object(BUCKET, "mp-sse").await.unwrap().server_side_encryption,
        Some(ServerSideEncryption::Sm4)
    );
}

/// OSS's SSE rules (oss-server-rules.md sections 4 and 5), each with its EC.
#[tokio::test]
async fn sse_rules_answer_with_their_codes() {
    let h = start().await;
    let rule = |algorithm: &str, extra: &str| {
        format!(
            "<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>{algorithm}</SSEAlgorithm>{extra}</ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>"
        )
    };
    let ec = |headers: &reqwest::header::HeaderMap| {
        headers.get("x-oss-ec").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
    };
    // GetBucketEncryption without a rule.
    let (status, headers, body) = signed_raw(&h, "GET", None, Some("encryption"), &[], "").await;
    assert_eq!((status, ec(&headers).as_str()), (404, "0005-00000004"), "{body}");
    // Bucket rules.
    for (body, code, expected) in [
        (rule("DES", ""), "InvalidEncryptionAlgorithmError", "0005-00000003"),
        (rule("KMS", "<KMSDataEncryption>abc</KMSDataEncryption>"), "InvalidArgument", "0005-00000203"),
        (rule("AES256", "<KMSMasterKeyID>key-1</KMSMasterKeyID>"), "InvalidArgument", "0005-00000204"),
    ] {
        let (status, headers, reply) = signed_raw(&h, "PUT", None, Some("encryption"), &[], &body).await;
        assert_eq!((status, ec(&headers).as_str()), (400, expected), "{reply}");
        assert!(reply.contains(&format!("<Code>{code}</Code>")), "{reply}");
    }
    // Object requests.
    let sse = "x-oss-server-side-encryption";
    h.emulator.kms().remove_key("gone");
    for (method, headers, expected) in [
        ("DELETE", vec![(sse, "AES256")], "0005-00000002"),
        ("PUT", vec![(sse, "KMS"), ("x-oss-server-side-encryption-key-id", "")], "0005-00000205"),
        ("PUT", vec![(sse, "KMS"), ("x-oss-server-side-encryption-key-id", "gone")], "0005-00000208"),
        ("PUT", vec![(sse, "KMS"), ("x-oss-server-side-encryption-context", "{\"a\":\"b\"}")], "0005-00000228"),
        (
            "PUT",
            vec![
                (sse, "KMS"),
                ("x-oss-server-side-encryption-key-id", "k"),
                ("x-oss-server-side-encryption-context", "plain"),
            ],
            "0005-00000230",
        ),
    ] {
        let (status, reply_headers, reply) = signed_raw(&h, method, Some("obj"), None, &headers, "data").await;
        assert_eq!((status, ec(&reply_headers).as_str()), (400, expected), "{method} {headers:?}: {reply}");
    }
    assert!(h.client.head_object(BUCKET, "obj").await.is_err(), "nothing was stored");
}
