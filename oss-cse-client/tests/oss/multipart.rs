use oss_cse_client::types::CompletedPart;
use oss_cse_client::{Body, Crc64, GetOptions};

use crate::support::*;

const PART: usize = 5 << 20;

#[tokio::test]
async fn parallel_multipart_upload_of_several_hundred_mib() {
    let h = start().await;
    let parts = 60; // 300 MiB in 5 MiB parts, 4 in flight.
    let upload_id = h.client.initiate_multipart_upload(BUCKET, "mp", vec![]).await.unwrap();
    let semaphore = std::sync::Arc::new(tokio::sync::Semaphore::new(4));
    let mut tasks = Vec::new();
    for number in 1..=parts {
        let client = h.client.clone();
        let upload_id = upload_id.clone();
        let permit = semaphore.clone().acquire_owned().await.unwrap();
        tasks.push(tokio::spawn(async move {
            let bytes = data(PART, number as u8);
            let out = client.upload_part(BUCKET, "mp", &upload_id, number, Body::from(bytes), vec![]).await.unwrap();
            drop(permit);
            (number, out)
        }));
    }
    let mut completed = Vec::new();
    let mut crc = 0u64;
    for task in tasks {
        let (number, out) = task.await.unwrap();
        crc = Crc64::combine(crc, out.crc64.unwrap(), PART as u64);
        completed.push(CompletedPart::uploaded(number, &out, PART as u64));
    }
    let listed = h.client.list_parts(BUCKET, "mp", &upload_id).await.unwrap();
    assert_eq!(listed.parts.len(), parts as usize);
    assert_eq!(h.client.list_multipart_uploads(BUCKET, "").await.unwrap().len(), 1);
    let done = h.client.complete_multipart_upload(BUCKET, "mp", &upload_id, &completed, vec![]).await.unwrap();
    assert_eq!(done.crc64, Some(crc));
    assert!(done.etag.ends_with("-60"), "{}", done.etag);
    let got = h.client.get_object(BUCKET, "mp", &GetOptions::default()).await.unwrap();
    assert_eq!(got.meta.content_length, (parts as u64) * PART as u64);
    let mut body = got.body;
    use futures_util::StreamExt;
    let mut offset = 0usize;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.unwrap();
        let part = offset / PART;
        let expected = data(PART, (part + 1) as u8);
        let within = offset % PART;
        let take = chunk.len().min(PART - within);
        assert_eq!(&chunk[..take], &expected[within..within + take]);
        offset += chunk.len();
    }
    assert_eq!(offset, parts as usize * PART);
    assert!(h.client.list_multipart_uploads(BUCKET, "").await.unwrap().is_empty());
}

#[tokio::test]
async fn complete_checks_the_combined_crc() {
    let h = start().await;
    let id = h.client.initiate_multipart_upload(BUCKET, "crc", vec![]).await.unwrap();
    let one = h.client.upload_part(BUCKET, "crc", &id, 1, Body::from(vec![1u8; 200_000]), vec![]).await.unwrap();
    let two = h.client.upload_part(BUCKET, "crc", &id, 2, Body::from(vec![2u8; 10]), vec![]).await.unwrap();
    // Claim a wrong size for part 2: the combination no longer matches OSS's CRC.
    let parts = [CompletedPart::uploaded(1, &one, 200_000), CompletedPart::uploaded(2, &two, 11)];
    let err = h.client.complete_multipart_upload(BUCKET, "crc", &id, &parts, vec![]).await.unwrap_err();
    assert_eq!(err.kind(), oss_cse_client::ErrorKind::Integrity, "{err}");
}

#[tokio::test]
async fn multipart_rules_are_enforced() {
    let h = start().await;
    let id = h.client.initiate_multipart_upload(BUCKET, "rules", vec![]).await.unwrap();
    let small = h.client.upload_part(BUCKET, "rules", &id, 1, Body::from(vec![1u8; 1000]), vec![]).await.unwrap();
    let last = h.client.upload_part(BUCKET, "rules", &id, 2, Body::from(vec![2u8; 10]), vec![]).await.unwrap();
    let parts = [CompletedPart::new(1, small.etag.clone()), CompletedPart::new(2, last.etag.clone())];
    let err = h.client.complete_multipart_upload(BUCKET, "rules", &id, &parts, vec![]).await.unwrap_err();
    assert_eq!(err.service_error().unwrap().code, "EntityTooSmall");
    let reversed = [parts[1].clone(), parts[0].clone()];
    let err = h.client.complete_multipart_upload(BUCKET, "rules", &id, &reversed, vec![]).await.unwrap_err();
    assert_eq!(err.service_error().unwrap().code, "InvalidPartOrder");
    let wrong = [CompletedPart::new(1, "FFFF")];
    let err = h.client.complete_multipart_upload(BUCKET, "rules", &id, &wrong, vec![]).await.unwrap_err();
    assert_eq!(err.service_error().unwrap().code, "InvalidPart");
    let err = h.client.upload_part(BUCKET, "rules", &id, 10_001, Body::from(vec![1]), vec![]).await.unwrap_err();
    assert_eq!(err.service_error().unwrap().code, "InvalidArgument");
    h.client.abort_multipart_upload(BUCKET, "rules", &id).await.unwrap();
    let err = h.client.list_parts(BUCKET, "rules", &id).await.unwrap_err();
    assert_eq!(err.service_error().unwrap().code, "NoSuchUpload");
}

#[tokio::test]
async fn client_side_encryption_headers_are_checked_like_oss() {
    let h = start().await;
    let cse = |extra: &[(&str, &str)]| -> Vec<(String, String)> {
        let mut headers = vec![
            ("x-oss-meta-client-side-encryption-key".to_owned(), "a2V5".to_owned()),
            ("x-oss-meta-client-side-encryption-start".to_owned(), "c3RhcnQ=".to_owned()),
            ("x-oss-meta-client-side-encryption-cek-alg".to_owned(), "AES/CTR/NoPadding".to_owned()),
            ("x-oss-meta-client-side-encryption-wrap-alg".to_owned(), "RSA/NONE/PKCS1Padding".to_owned()),
        ];
        headers.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        headers
    };
    let err = h.client.initiate_multipart_upload(BUCKET, "cse", cse(&[])).await.unwrap_err();
    assert_eq!(err.service_error().unwrap().code, "InvalidArgument");
    let sized = cse(&[
        ("x-oss-meta-client-side-encryption-part-size", "102400"),
        ("x-oss-meta-client-side-encryption-data-size", "5"),
    ]);
    let id = h.client.initiate_multipart_upload(BUCKET, "cse", sized.clone()).await.unwrap();
    let mut other_start = sized.clone();
    other_start[1].1 = "b3RoZXI=".into();
    let err = h.client.upload_part(BUCKET, "cse", &id, 1, Body::from(vec![0u8; 5]), other_start).await.unwrap_err();
    assert_eq!(err.service_error().unwrap().code, "InvalidArgument");
    h.client.upload_part(BUCKET, "cse", &id, 1, Body::from(vec![0u8; 5]), sized).await.unwrap();
    let listed = h.client.list_parts(BUCKET, "cse", &id).await.unwrap();
    let fields: Vec<&str> = listed.client_encryption.iter().map(|(k, _)| k.as_str()).collect();
    assert!(fields.contains(&"ClientEncryptionStart") && fields.contains(&"ClientEncryptionPartSize"), "{fields:?}");
}

/// ListMultipartUploads pages with NextKeyMarker/NextUploadIdMarker (oss2's
/// cleanup of every test walks it), and encodes names with encoding-type=url.
#[tokio::test]
async fn listing_uploads_pages_through_markers() {
    let h = start().await;
    let mut started = Vec::new();
    for key in ["up/a", "up/a", "up/b c", "up/b c", "up/d"] {
        started.push((key.to_owned(), h.client.initiate_multipart_upload(BUCKET, key, vec![]).await.unwrap()));
    }
    started.sort();
    let field = |xml: &str, name: &str| {
        xml.split(&format!("<{name}>"))
            .nth(1)
            .and_then(|rest| rest.split(&format!("</{name}>")).next())
            .map(str::to_owned)
    };
    let mut seen = Vec::new();
    let mut query = "uploads&max-uploads=2&prefix=up%2F&encoding-type=url".to_owned();
    for _ in 0..10 {
        let (status, _, xml) = signed_raw(&h, "GET", None, Some(&query), &[], "").await;
        assert_eq!(status, 200, "{xml}");
        for upload in xml.split("<Upload>").skip(1) {
            let key = field(upload, "Key").unwrap().replace("%2F", "/").replace("%20", " ");
            seen.push((key, field(upload, "UploadId").unwrap()));
        }
        if field(&xml, "IsTruncated").as_deref() != Some("true") {
            break;
        }
        let (key, id) = (field(&xml, "NextKeyMarker").unwrap(), field(&xml, "NextUploadIdMarker").unwrap());
        query = format!("uploads&max-uploads=2&prefix=up%2F&encoding-type=url&key-marker={key}&upload-id-marker={id}");
    }
    assert_eq!(seen, started, "every upload once, in key and id order");
    assert_eq!(h.client.list_multipart_uploads(BUCKET, "up/").await.unwrap().len(), 5);
}

/// UploadPartCopy builds parts from ranges of another object; a
/// client-side-encrypted source is refused with 0042-00000309.
#[tokio::test]
async fn upload_part_copy_and_its_cse_refusal() {
    let h = start().await;
    let source = data(300_000, 9);
    h.client.put_object(BUCKET, "src", Body::from(source.clone()), vec![]).await.unwrap();
    let id = h.client.initiate_multipart_upload(BUCKET, "dst", vec![]).await.unwrap();
    let mut parts = Vec::new();
    for (number, range) in [(1u32, "bytes=0-102399"), (2, "bytes=102400-299999")] {
        let query = format!("partNumber={number}&uploadId={id}");
        let headers = [("x-oss-copy-source", "/test-bucket/src"), ("x-oss-copy-source-range", range)];
        let (status, _, xml) = signed_raw(&h, "PUT", Some("dst"), Some(&query), &headers, "").await;
        assert_eq!(status, 200, "{xml}");
        let etag = xml.split("<ETag>").nth(1).unwrap().split("</ETag>").next().unwrap().trim_matches('"').to_owned();
        parts.push(oss_cse_client::types::CompletedPart { part_number: number, etag, crc64_and_size: None });
    }
    h.client.complete_multipart_upload(BUCKET, "dst", &id, &parts, vec![]).await.unwrap();
    let got = h.client.get_object(BUCKET, "dst", &GetOptions::default()).await.unwrap();
    assert_eq!(got.body.collect().await.unwrap(), source);

    let cse: Vec<(String, String)> = ["key", "start", "cek-alg", "wrap-alg"]
        .iter()
        .map(|k| (format!("x-oss-meta-client-side-encryption-{k}"), "dmFsdWU=".to_owned()))
        .collect();
    h.client.put_object(BUCKET, "cse-src", Body::from(vec![1; 1000]), cse).await.unwrap();
    let id = h.client.initiate_multipart_upload(BUCKET, "cse-dst", vec![]).await.unwrap();
    let query = format!("partNumber=1&uploadId={id}");
    let (status, headers, xml) =
        signed_raw(&h, "PUT", Some("cse-dst"), Some(&query), &[("x-oss-copy-source", "/test-bucket/cse-src")], "")
            .await;
    assert_eq!(status, 400, "{xml}");
    assert_eq!(headers.get("x-oss-ec").unwrap(), "0042-00000309");
}

/// `x-oss-complete-all: yes` completes with every uploaded part, in order.
#[tokio::test]
async fn complete_all_uses_every_part() {
    let h = start().await;
    let id = h.client.initiate_multipart_upload(BUCKET, "all", vec![]).await.unwrap();
    let (one, two) = (data(102_400, 1), data(500, 2));
    // Uploaded out of order: Complete puts them in part-number order.
    h.client.upload_part(BUCKET, "all", &id, 2, Body::from(two.clone()), vec![]).await.unwrap();
    h.client.upload_part(BUCKET, "all", &id, 1, Body::from(one.clone()), vec![]).await.unwrap();
    let query = format!("uploadId={id}");
    let (status, _, xml) =
        signed_raw(&h, "POST", Some("all"), Some(&query), &[("x-oss-complete-all", "yes")], "").await;
    assert_eq!(status, 200, "{xml}");
    let got = h.client.get_object(BUCKET, "all", &GetOptions::default()).await.unwrap().body.collect().await.unwrap();
    assert_eq!(got, [one, two].concat());
}
