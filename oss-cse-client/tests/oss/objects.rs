use oss_cse_client::types::MetadataDirective;
use oss_cse_client::{Body, ByteRange, Crc64, Credentials, ErrorKind, GetOptions};

use crate::support::*;

#[tokio::test]
async fn put_get_head_delete_round_trip() {
    let h = start().await;
    for len in [0usize, 1, 15, 16, 17, 1000, 300_000] {
        let key = format!("dir/obj-{len}");
        let bytes = data(len, 3);
        let headers = vec![
            ("x-oss-meta-color".to_owned(), "blue".to_owned()),
            ("content-type".to_owned(), "text/plain".to_owned()),
        ];
        let out = h.client.put_object(BUCKET, &key, Body::from(bytes.clone()), headers).await.unwrap();
        assert_eq!(out.crc64, Some(Crc64::of(&bytes)));
        let got = h.client.get_object(BUCKET, &key, &GetOptions::default()).await.unwrap();
        assert_eq!(got.meta.content_length, len as u64);
        assert_eq!(got.meta.header("x-oss-meta-color"), Some("blue"));
        assert_eq!(got.meta.content_type.as_deref(), Some("text/plain"));
        assert_eq!(got.body.collect().await.unwrap(), bytes);
        let meta = h.client.head_object(BUCKET, &key).await.unwrap();
        assert_eq!(meta.etag, out.etag.into());
    }
    h.client.delete_object(BUCKET, "dir/obj-1").await.unwrap();
    let err = h.client.head_object(BUCKET, "dir/obj-1").await.unwrap_err();
    assert_eq!(err.service_error().unwrap().status, 404);
    let err = h.client.get_object(BUCKET, "dir/obj-1", &GetOptions::default()).await.unwrap_err();
    let service = err.service_error().unwrap();
    assert_eq!((service.status, service.code.as_str()), (404, "NoSuchKey"));
    assert_eq!(service.ec.as_deref(), Some("0026-00000001"));
    assert!(!service.request_id.is_empty());
    assert_eq!(err.kind(), ErrorKind::Service);
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn keys_with_odd_characters() {
    let h = start().await;
    for key in ["a b/c+d", "ünïcødé/文件.txt", "x?y=z&w", "trailing/", "%2F/literal"] {
        h.client.put_object(BUCKET, key, Body::from(key.as_bytes().to_vec()), vec![]).await.unwrap();
        let got = h.client.get_object(BUCKET, key, &GetOptions::default()).await.unwrap();
        assert_eq!(got.body.collect().await.unwrap(), key.as_bytes(), "{key}");
    }
    let listed = h.client.list_all_objects(BUCKET, "").await.unwrap();
    assert_eq!(listed.len(), 5);
}

#[tokio::test]
async fn ranges_at_the_edges() {
    let h = start().await;
    let bytes = data(1000, 9);
    h.client.put_object(BUCKET, "r", Body::from(bytes.clone()), vec![]).await.unwrap();
    let cases = [
        (ByteRange::Inclusive { start: 0, end: 0 }, 0..1),
        (ByteRange::Inclusive { start: 999, end: 999 }, 999..1000),
        (ByteRange::Inclusive { start: 17, end: 40 }, 17..41),
        (ByteRange::Inclusive { start: 990, end: 5000 }, 990..1000),
        (ByteRange::From { start: 500 }, 500..1000),
        (ByteRange::Suffix { len: 10 }, 990..1000),
    ];
    for (range, expected) in cases {
        let got =
            h.client.get_object(BUCKET, "r", &GetOptions { range: Some(range), ..Default::default() }).await.unwrap();
        let content_range = got.content_range.expect("206");
        assert_eq!(
            (content_range.start, content_range.end + 1, content_range.total),
            (expected.start as u64, expected.end as u64, 1000)
        );
        assert_eq!(got.body.collect().await.unwrap(), &bytes[expected], "{range:?}");
    }
    let past = h
        .client
        .get_object(BUCKET, "r", &GetOptions { range: Some(ByteRange::From { start: 1000 }), ..Default::default() })
        .await;
    assert_eq!(past.unwrap_err().service_error().unwrap().status, 416);
    let backwards = h
        .client
        .get_object(
            BUCKET,
            "r",
            &GetOptions { range: Some(ByteRange::Inclusive { start: 5, end: 4 }), ..Default::default() },
        )
        .await;
    assert_eq!(backwards.unwrap_err().kind(), ErrorKind::InvalidArgument);
}

#[tokio::test]
async fn copy_keeps_or_replaces_metadata_and_if_match() {
    let h = start().await;
    let headers = vec![("x-oss-meta-a".to_owned(), "1".to_owned())];
    let put = h.client.put_object(BUCKET, "src", Body::from(data(5000, 1)), headers).await.unwrap();
    h.client.copy_object(BUCKET, "src", BUCKET, "kept", MetadataDirective::Copy, vec![]).await.unwrap();
    assert_eq!(h.client.head_object(BUCKET, "kept").await.unwrap().header("x-oss-meta-a"), Some("1"));
    let replaced = vec![("x-oss-meta-b".to_owned(), "2".to_owned())];
    h.client.copy_object(BUCKET, "src", BUCKET, "replaced", MetadataDirective::Replace, replaced).await.unwrap();
    let meta = h.client.head_object(BUCKET, "replaced").await.unwrap();
    assert_eq!((meta.header("x-oss-meta-a"), meta.header("x-oss-meta-b")), (None, Some("2")));
    let ok = h
        .client
        .get_object(BUCKET, "kept", &GetOptions { if_match: Some(put.etag.clone()), ..Default::default() })
        .await;
    assert!(ok.is_ok());
    let stale =
        h.client.get_object(BUCKET, "kept", &GetOptions { if_match: Some("0000".into()), ..Default::default() }).await;
    assert_eq!(stale.unwrap_err().service_error().unwrap().status, 412);
}

#[tokio::test]
async fn listing_pages_and_prefixes() {
    let h = start().await;
    for i in 0..25 {
        h.client.put_object(BUCKET, &format!("p/{i:02}"), Body::from(vec![i as u8]), vec![]).await.unwrap();
    }
    h.client.put_object(BUCKET, "p/sub/x", Body::from(vec![1]), vec![]).await.unwrap();
    h.client.put_object(BUCKET, "q", Body::from(vec![1]), vec![]).await.unwrap();
    let page = h.client.list_objects_v2(BUCKET, "p/", Some("/"), None, Some(10)).await.unwrap();
    assert_eq!(page.objects.len(), 10);
    assert!(page.next_continuation_token.is_some());
    let all = h.client.list_all_objects(BUCKET, "p/").await.unwrap();
    assert_eq!(all.len(), 26);
    let with_delimiter = h.client.list_objects_v2(BUCKET, "p/", Some("/"), None, Some(1000)).await.unwrap();
    assert_eq!((with_delimiter.objects.len(), with_delimiter.common_prefixes.clone()), (25, vec!["p/sub/".to_owned()]));
    let buckets = h.client.list_buckets().await.unwrap();
    assert_eq!(buckets.iter().map(|b| b.name.as_str()).collect::<Vec<_>>(), vec![BUCKET]);
    assert_eq!(h.client.delete_bucket(BUCKET).await.unwrap_err().service_error().unwrap().code, "BucketNotEmpty");
}

#[tokio::test]
async fn streamed_file_upload_and_download_in_bounded_buffers() {
    let h = start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.bin");
    // 64 MiB written and read in 1 MiB steps: neither side holds it whole.
    {
        use std::io::Write;
        let mut file = std::fs::File::create(&path).unwrap();
        for i in 0..64u8 {
            file.write_all(&data(1 << 20, i)).unwrap();
        }
    }
    let body = Body::from_file(&path).await.unwrap();
    assert_eq!(body.len(), 64 << 20);
    let out = h.client.put_object(BUCKET, "big", body, vec![]).await.unwrap();
    let mut got = h.client.get_object(BUCKET, "big", &GetOptions::default()).await.unwrap();
    let mut crc = Crc64::new();
    let mut total = 0u64;
    let mut largest = 0usize;
    use futures_util::StreamExt;
    while let Some(chunk) = got.body.next().await {
        let chunk = chunk.unwrap();
        largest = largest.max(chunk.len());
        crc.update(&chunk);
        total += chunk.len() as u64;
    }
    assert_eq!(total, 64 << 20);
    assert_eq!(Some(crc.value()), out.crc64);
    assert!(largest <= 4 << 20, "chunks stay small: {largest}");
}

/// Listings as OSS makes them: each object's stored LastModified (not the
/// time of the listing), `encoding-type=url` for keys XML cannot carry, and
/// a continuation token that is not one of ours refused.
#[tokio::test]
async fn listings_report_stored_times_encode_names_and_check_tokens() {
    let h = start().await;
    h.client.put_object(BUCKET, "list/old", Body::from(vec![1]), vec![]).await.unwrap();
    let stored = h.client.head_object(BUCKET, "list/old").await.unwrap().last_modified.unwrap();
    let stored: jiff::Timestamp = jiff::fmt::rfc2822::parse(&stored).unwrap().timestamp();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let listed = h.client.list_objects_v2(BUCKET, "list/", None, None, None).await.unwrap();
    let listed: jiff::Timestamp = listed.objects[0].last_modified.parse().unwrap();
    assert_eq!(listed, stored, "the object's own time");

    h.client.put_object(BUCKET, "list/ctl\u{1}key", Body::from(vec![2]), vec![]).await.unwrap();
    let (status, _, xml) =
        signed_raw(&h, "GET", None, Some("&list-type=2&prefix=list%2F&encoding-type=url"), &[], "").await;
    assert_eq!(status, 200, "{xml}");
    assert!(xml.contains("<EncodingType>url</EncodingType>") && xml.contains("<Key>list%2Fctl%01key</Key>"), "{xml}");

    let err = h.client.list_objects_v2(BUCKET, "", None, Some("not base64!"), None).await.unwrap_err();
    assert_eq!(err.service_error().map(|s| s.code.as_str()), Some("InvalidArgument"), "{err}");
}

/// `x-oss-forbid-overwrite: true` keeps an existing object on PutObject,
/// CopyObject and CompleteMultipartUpload (409 FileAlreadyExists); a bucket
/// is re-created by its owner without error, as on OSS.
#[tokio::test]
async fn forbid_overwrite_and_recreating_your_own_bucket() {
    let h = start().await;
    let forbid = || vec![("x-oss-forbid-overwrite".to_owned(), "true".to_owned())];
    h.client.put_object(BUCKET, "first", Body::from(vec![1]), forbid()).await.unwrap();
    let err = h.client.put_object(BUCKET, "first", Body::from(vec![2]), forbid()).await.unwrap_err();
    assert_eq!(err.service_error().map(|s| (s.status, s.code.as_str())), Some((409, "FileAlreadyExists")));
    h.client.put_object(BUCKET, "other", Body::from(vec![3]), vec![]).await.unwrap();
    let err = h
        .client
        .copy_object(BUCKET, "other", BUCKET, "first", oss_cse_client::MetadataDirective::Copy, forbid())
        .await
        .unwrap_err();
    assert_eq!(err.service_error().map(|s| s.code.as_str()), Some("FileAlreadyExists"));
    let id = h.client.initiate_multipart_upload(BUCKET, "first", vec![]).await.unwrap();
    let out = h.client.upload_part(BUCKET, "first", &id, 1, Body::from(vec![4; 10]), vec![]).await.unwrap();
    let parts = [oss_cse_client::types::CompletedPart::uploaded(1, &out, 10)];
    let err = h.client.complete_multipart_upload(BUCKET, "first", &id, &parts, forbid()).await.unwrap_err();
    assert_eq!(err.service_error().map(|s| s.code.as_str()), Some("FileAlreadyExists"));
    let kept = h.client.get_object(BUCKET, "first", &GetOptions::default()).await.unwrap();
    assert_eq!(kept.body.collect().await.unwrap(), vec![1], "every write was refused");
    h.client.put_object(BUCKET, "new", Body::from(vec![5]), forbid()).await.unwrap();

    // The bucket's owner may create it again (another AccessKey may not:
    // the emulator records who created each bucket).
    h.client.put_bucket(BUCKET).await.unwrap();
}

/// Conditional GET and HEAD as HTTP (and OSS) define them.
#[tokio::test]
async fn conditional_gets() {
    let h = start().await;
    h.client.put_object(BUCKET, "cond", Body::from(vec![1, 2, 3]), vec![]).await.unwrap();
    let meta = h.client.head_object(BUCKET, "cond").await.unwrap();
    let etag = format!("\"{}\"", meta.etag.unwrap());
    let modified = meta.last_modified.unwrap();
    let later = "Fri, 01 Jan 2100 00:00:00 GMT";
    let earlier = "Thu, 01 Jan 2015 00:00:00 GMT";
    for (method, header, value, expected) in [
        ("GET", "if-none-match", etag.as_str(), 304),
        ("HEAD", "if-none-match", "\"other\"", 200),
        ("GET", "if-modified-since", later, 304),
        ("GET", "if-modified-since", modified.as_str(), 304),
        ("GET", "if-modified-since", earlier, 200),
        ("GET", "if-unmodified-since", earlier, 412),
        ("HEAD", "if-unmodified-since", later, 200),
        ("GET", "if-match", "\"other\"", 412),
        ("GET", "if-match", etag.as_str(), 200),
    ] {
        let (status, _, body) = signed_raw(&h, method, Some("cond"), None, &[(header, value)], "").await;
        assert_eq!(status, expected, "{method} {header}: {value}: {body}");
    }
}

/// DeleteMultipleObjects, verbose and quiet, with URL-encoded keys.
#[tokio::test]
async fn delete_multiple_objects() {
    use md5::Digest as _;
    let h = start().await;
    for key in ["batch/a", "batch/b c", "batch/d&e", "batch/keep"] {
        h.client.put_object(BUCKET, key, Body::from(vec![1]), vec![]).await.unwrap();
    }
    let h = &h;
    let send = |query: &'static str, body: String| {
        let md5 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, md5::Md5::digest(body.as_bytes()));
        async move { signed_raw(h, "POST", None, Some(query), &[("content-md5", md5.as_str())], &body).await }
    };
    let (status, _, reply) = send(
        "delete",
        "<Delete><Quiet>false</Quiet><Object><Key>batch/a</Key></Object><Object><Key>batch/d&amp;e</Key></Object><Object><Key>batch/never</Key></Object></Delete>".into(),
    )
    .await;
    assert_eq!(status, 200, "{reply}");
    assert!(reply.contains("<Deleted><Key>batch/d&amp;e</Key></Deleted>") && reply.contains("batch/never"), "{reply}");
    let (status, _, reply) = send(
        "delete&encoding-type=url",
        "<Delete><Quiet>true</Quiet><Object><Key>batch%2Fb%20c</Key></Object></Delete>".into(),
    )
    .await;
    assert_eq!(status, 200, "{reply}");
    assert!(!reply.contains("<Deleted>"), "quiet: {reply}");
    let left: Vec<String> =
        h.client.list_all_objects(BUCKET, "batch/").await.unwrap().into_iter().map(|o| o.key).collect();
    assert_eq!(left, ["batch/keep"]);
    // The Content-MD5 must match the document.
    let body = "<Delete><Object><Key>batch/keep</Key></Object></Delete>";
    let (status, _, reply) =
        signed_raw(h, "POST", None, Some("delete"), &[("content-md5", "1B2M2Y8AsgTpgAmY7PhCfg==")], body).await;
    assert_eq!(status, 400, "{reply}");
    assert!(reply.contains("InvalidDigest"), "{reply}");
}

/// GetObject's response-* overrides, and object names OSS refuses.
#[tokio::test]
async fn response_overrides_and_refused_names() {
    let h = start().await;
    h.client.put_object(BUCKET, "doc", Body::from(vec![1]), vec![]).await.unwrap();
    let (status, headers, _) =
        signed_raw(&h, "GET", Some("doc"), Some("response-content-type=text%2Fplain"), &[], "").await;
    assert_eq!(status, 200);
    assert_eq!(headers.get("content-type").unwrap(), "text/plain");
    let (status, headers, _) =
        signed_raw(&h, "GET", Some("doc"), Some("response-content-disposition=attachment"), &[], "").await;
    assert_eq!((status, headers.get("content-disposition").unwrap().to_str().unwrap()), (200, "attachment"));
    let err = h.client.put_object(BUCKET, "\\leading", Body::from(vec![1]), vec![]).await.unwrap_err();
    assert_eq!(err.service_error().map(|s| s.code.as_str()), Some("InvalidObjectName"), "{err}");
}

/// ListBuckets with a prefix, in pages.
#[tokio::test]
async fn list_buckets_takes_a_prefix_and_pages() {
    let h = start().await;
    for name in ["pre-one", "pre-two", "other-one"] {
        h.client.put_bucket(name).await.unwrap();
    }
    let date = jiff::Timestamp::now().strftime("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let headers = vec![("date".to_owned(), date.clone())];
    let request =
        oss_cse_client::sign::SignableRequest { method: "GET", bucket: None, key: None, query: &[], headers: &headers };
    let credentials = Credentials::new(h.emulator.access_key_id(), h.emulator.access_key_secret());
    let xml = reqwest::Client::new()
        .get(format!("{}/?prefix=pre-&max-keys=1", h.emulator.endpoint()))
        .header("date", date)
        .header("authorization", oss_cse_client::sign::authorization_v1(&request, &credentials))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(xml.contains("<Name>pre-one</Name>") && !xml.contains("pre-two") && !xml.contains("other-one"), "{xml}");
    assert!(
        xml.contains("<IsTruncated>true</IsTruncated>") && xml.contains("<NextMarker>pre-one</NextMarker>"),
        "{xml}"
    );
}

/// User metadata in UTF-8 is signed, stored and returned byte for byte.
#[tokio::test]
async fn non_ascii_metadata_is_kept() {
    let h = start().await;
    let value = "résumé 履歴書";
    let (status, _, reply) = signed_raw(&h, "PUT", Some("utf8"), None, &[("x-oss-meta-title", value)], "body").await;
    assert_eq!(status, 200, "{reply}");
    let (status, headers, _) = signed_raw(&h, "HEAD", Some("utf8"), None, &[], "").await;
    assert_eq!(status, 200);
    assert_eq!(headers.get("x-oss-meta-title").unwrap().as_bytes(), value.as_bytes());
}

/// Object tagging: from PutObject's x-oss-tagging, PutObjectTagging,
/// GetObjectTagging, DeleteObjectTagging; a copy keeps the tags; DELETE
/// ?tagging removes tags, never the object; more than 10 tags, or characters
/// outside letters, digits, spaces and `+ - = . _ : /`, are refused.
#[tokio::test]
async fn object_tagging() {
    let h = start().await;
    let tagged = vec![("x-oss-tagging".to_owned(), "project=apollo&stage%20name=beta".to_owned())];
    h.client.put_object(BUCKET, "tagged", Body::from(vec![1]), tagged).await.unwrap();
    let (status, headers, _) = signed_raw(&h, "HEAD", Some("tagged"), None, &[], "").await;
    assert_eq!((status, headers.get("x-oss-tagging-count").unwrap().to_str().unwrap()), (200, "2"));
    let (_, _, xml) = signed_raw(&h, "GET", Some("tagged"), Some("tagging"), &[], "").await;
    assert!(xml.contains("<Key>stage name</Key><Value>beta</Value>"), "{xml}");
    let document = "<Tagging><TagSet><Tag><Key>a</Key><Value>1 + 2 = 3</Value></Tag></TagSet></Tagging>";
    let (status, _, reply) = signed_raw(&h, "PUT", Some("tagged"), Some("tagging"), &[], document).await;
    assert_eq!(status, 200, "{reply}");
    h.client
        .copy_object(BUCKET, "tagged", BUCKET, "copied", oss_cse_client::MetadataDirective::Copy, vec![])
        .await
        .unwrap();
    let (_, _, xml) = signed_raw(&h, "GET", Some("copied"), Some("tagging"), &[], "").await;
    assert!(xml.contains("<Key>a</Key><Value>1 + 2 = 3</Value>") && !xml.contains("project"), "{xml}");
    for refused in
        ["<Key>a&amp;b</Key><Value>1</Value>", "<Key>%@abc</Key><Value>1</Value>", "<Key>k</Key><Value>#</Value>"]
    {
        let document = format!("<Tagging><TagSet><Tag>{refused}</Tag></TagSet></Tagging>");
        let (status, _, reply) = signed_raw(&h, "PUT", Some("copied"), Some("tagging"), &[], &document).await;
        assert!(status == 400 && reply.contains("InvalidTag"), "{refused}: {reply}");
    }
    let eleven: String = (0..11).map(|i| format!("<Tag><Key>k{i}</Key><Value>v</Value></Tag>")).collect();
    let (status, _, reply) = signed_raw(
        &h,
        "PUT",
        Some("tagged"),
        Some("tagging"),
        &[],
        &format!("<Tagging><TagSet>{eleven}</TagSet></Tagging>"),
    )
    .await;
    assert_eq!(status, 400, "{reply}");
    let (status, _, _) = signed_raw(&h, "DELETE", Some("tagged"), Some("tagging"), &[], "").await;
    assert_eq!(status, 204);
    let (_, _, xml) = signed_raw(&h, "GET", Some("tagged"), Some("tagging"), &[], "").await;
    assert!(xml.contains("<TagSet></TagSet>"), "{xml}");
    let kept = h.client.get_object(BUCKET, "tagged", &GetOptions::default()).await.unwrap();
    assert_eq!(kept.body.collect().await.unwrap(), vec![1], "the object is still there");
}

/// AppendObject: appends at the current end only, reports the next
/// position, keeps SSE at rest; refuses a Normal object, a wrong position,
/// a CMK id and client-side encryption.
#[tokio::test]
async fn append_object() {
    let h = start().await;
    let pieces = [data(1000, 1), data(70_000, 2), data(5, 3)];
    let mut position = 0usize;
    for (n, piece) in pieces.iter().enumerate() {
        let query = format!("append&position={position}");
        let sse: &[(&str, &str)] = if n == 0 { &[("x-oss-server-side-encryption", "AES256")] } else { &[] };
        let body = String::from_utf8_lossy(piece).into_owned();
        let (status, headers, reply) = signed_raw(&h, "POST", Some("log"), Some(&query), sse, &body).await;
        assert_eq!(status, 200, "{reply}");
        position += body.len();
        assert_eq!(headers.get("x-oss-next-append-position").unwrap().to_str().unwrap(), position.to_string());
    }
    let got = h.client.get_object(BUCKET, "log", &GetOptions::default()).await.unwrap();
    assert_eq!(got.meta.header("x-oss-object-type"), Some("Appendable"));
    assert_eq!(got.meta.server_side_encryption.map(|s| s.to_string()).as_deref(), Some("AES256"));
    let expected: Vec<u8> =
        pieces.iter().map(|p| String::from_utf8_lossy(p).into_owned()).collect::<String>().into_bytes();
    assert_eq!(got.body.collect().await.unwrap(), expected, "the CRC-64 checked on the way matched too");

    let (status, headers, reply) = signed_raw(&h, "POST", Some("log"), Some("append&position=1"), &[], "x").await;
    assert!(status == 409 && reply.contains("PositionNotEqualToLength"), "{reply}");
    assert_eq!(headers.get("x-oss-next-append-position").unwrap().to_str().unwrap(), position.to_string());
    h.client.put_object(BUCKET, "normal", Body::from(vec![1]), vec![]).await.unwrap();
    let (status, _, reply) = signed_raw(&h, "POST", Some("normal"), Some("append&position=1"), &[], "x").await;
    assert!(status == 409 && reply.contains("ObjectNotAppendable"), "{reply}");
    let cmk = [("x-oss-server-side-encryption", "KMS"), ("x-oss-server-side-encryption-key-id", "k")];
    let (status, _, _) = signed_raw(&h, "POST", Some("new"), Some("append&position=0"), &cmk, "x").await;
    assert_eq!(status, 400);
    let cse = [("x-oss-meta-client-side-encryption-key", "a2V5")];
    let (status, _, _) = signed_raw(&h, "POST", Some("new"), Some("append&position=0"), &cse, "x").await;
    assert_eq!(status, 400);
    assert!(h.client.head_object(BUCKET, "new").await.is_err(), "nothing was created");
}

/// OSS stores keys with `.` and `..` segments; the URL layer would resolve
/// them away (and address another object, or fail the signature), so they
/// are sent with their slashes as %2F, as oss2 sends every key, under V1 and
/// V4. A key that is only `.` or `..` cannot be addressed and is refused up
/// front with a clear error.
#[tokio::test]
async fn keys_with_dot_segments_address_themselves() {
    let h = start().await;
    let v4 = {
        let config = oss_cse_client::ClientConfig::new(
            &h.emulator.endpoint(),
            Credentials::new(h.emulator.access_key_id(), h.emulator.access_key_secret()),
        )
        .unwrap()
        .region("cn-hangzhou");
        oss_cse_client::OssClient::new(config).unwrap()
    };
    h.client.put_object(BUCKET, "b", Body::from(b"bystander".to_vec()), vec![]).await.unwrap();
    for (client, name) in [(&h.client, "V1"), (&v4, "V4")] {
        for key in ["a/../b", "./b", "b/.", "a/./b", "../../b", "a/.."] {
            let bytes = format!("{name} {key}").into_bytes();
            client
                .put_object(BUCKET, key, Body::from(bytes.clone()), vec![])
                .await
                .unwrap_or_else(|e| panic!("{name} {key}: {e}"));
            let got = client.get_object(BUCKET, key, &GetOptions::default()).await.unwrap();
            assert_eq!(got.body.collect().await.unwrap(), bytes, "{name} {key}");
            assert!(client.head_object(BUCKET, key).await.is_ok());
        }
    }
    let keys: Vec<String> = h.client.list_all_objects(BUCKET, "").await.unwrap().into_iter().map(|o| o.key).collect();
    for key in ["a/../b", "./b", "b/.", "a/./b", "../../b", "a/..", "b"] {
        assert!(keys.iter().any(|k| k == key), "{key} in {keys:?}");
    }
    let bystander = h.client.get_object(BUCKET, "b", &GetOptions::default()).await.unwrap();
    assert_eq!(bystander.body.collect().await.unwrap(), b"bystander", "another object was addressed");
    for key in ["a/../b", "./b"] {
        h.client.delete_object(BUCKET, key).await.unwrap();
    }
    assert!(h.client.head_object(BUCKET, "b").await.is_ok(), "deleting a/../b must not delete b");
    for key in [".", ".."] {
        let error = h.client.put_object(BUCKET, key, Body::from(b"x".to_vec()), vec![]).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{key}: {error}");
        assert!(error.to_string().contains("cannot be addressed"), "{error}");
    }
}
