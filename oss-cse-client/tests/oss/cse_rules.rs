//! The client-side-encryption rules OSS enforces on uploads
//! (`oss-server-rules.md` §1): each refusal is 400 InvalidArgument with its
//! EC code, and nothing is stored.

use oss_cse_client::types::CompletedPart;
use oss_cse_client::{Body, Error};

use crate::support::*;

const P: &str = "x-oss-meta-client-side-encryption-";

/// A complete RSA V2 envelope for a multipart upload of `data` bytes in
/// parts of `part` bytes.
fn envelope(data: &str, part: &str) -> Vec<(String, String)> {
    [("key", "a2V5"), ("start", "c3RhcnQ="), ("cek-alg", "AES/CTR/NoPadding"), ("wrap-alg", "RSA/NONE/PKCS1Padding")]
        .into_iter()
        .map(|(k, v)| (format!("{P}{k}"), v.to_owned()))
        .chain([(format!("{P}data-size"), data.to_owned()), (format!("{P}part-size"), part.to_owned())])
        .collect()
}

fn without(mut headers: Vec<(String, String)>, suffix: &str) -> Vec<(String, String)> {
    headers.retain(|(k, _)| !k.ends_with(suffix));
    headers
}

fn with(mut headers: Vec<(String, String)>, suffix: &str, value: &str) -> Vec<(String, String)> {
    headers.retain(|(k, _)| !k.ends_with(suffix));
    headers.push((format!("{P}{suffix}"), value.to_owned()));
    headers
}

fn ec_of(result: Result<impl std::fmt::Debug, Error>) -> String {
    let error = result.unwrap_err();
    let service = error.service_error().unwrap_or_else(|| panic!("not a service error: {error}"));
    assert_eq!((service.status, service.code.as_str()), (400, "InvalidArgument"), "{error}");
    service.ec.clone().unwrap_or_default()
}

#[tokio::test]
async fn put_and_initiate_need_the_whole_envelope() {
    let h = start().await;
    let full = envelope("300000", "102400");
    for (suffix, ec) in [("key", "401"), ("start", "402"), ("cek-alg", "403"), ("wrap-alg", "404")] {
        let put = h.client.put_object(BUCKET, "p", Body::from(vec![1; 10]), without(full.clone(), suffix)).await;
        assert_eq!(ec_of(put), format!("0005-00000{ec}"), "PutObject without {suffix}");
        let init = h.client.initiate_multipart_upload(BUCKET, "m", without(full.clone(), suffix)).await;
        assert_eq!(ec_of(init), format!("0005-00000{ec}"), "Initiate without {suffix}");
    }
    // V1's wrap-alg `rsa` needs the magic-number HMAC.
    let rsa = with(full.clone(), "wrap-alg", "rsa");
    assert_eq!(ec_of(h.client.put_object(BUCKET, "p", Body::from(vec![1]), rsa.clone()).await), "0005-00000405");
    let hmac = with(rsa, "magic-number-hmac", "aG1hYw==");
    h.client.put_object(BUCKET, "p-hmac", Body::from(vec![1]), hmac).await.unwrap();
    // PutObject needs no sizes; Initiate needs both, as integers, within 10,000 parts.
    h.client
        .put_object(BUCKET, "p-sizes", Body::from(vec![1]), without(without(full.clone(), "data-size"), "part-size"))
        .await
        .unwrap();
    for (headers, ec) in [
        (without(full.clone(), "data-size"), "406"),
        (without(full.clone(), "part-size"), "407"),
        (with(full.clone(), "data-size", "9x5.2"), "408"),
        (with(full.clone(), "part-size", "1k"), "409"),
        (envelope("200000", "16"), "410"),
    ] {
        assert_eq!(ec_of(h.client.initiate_multipart_upload(BUCKET, "m", headers).await), format!("0005-00000{ec}"));
    }
    assert!(h.client.list_multipart_uploads(BUCKET, "").await.unwrap().is_empty(), "nothing started");
    for key in ["p", "m"] {
        assert!(h.client.head_object(BUCKET, key).await.is_err(), "{key} was not stored");
    }
}

#[tokio::test]
async fn parts_must_match_their_upload() {
    let h = start().await;
    let full = envelope("250000", "102400");
    let id = h.client.initiate_multipart_upload(BUCKET, "m", full.clone()).await.unwrap();
    let part = |number: u32, len: usize, headers: Vec<(String, String)>| {
        h.client.upload_part(BUCKET, "m", &id, number, Body::from(vec![7; len]), headers)
    };
    for (suffix, value, ec) in [
        ("key", "b3RoZXI=", "412"),
        ("start", "b3RoZXI=", "413"),
        ("cek-alg", "AES/GCM/NoPadding", "414"),
        ("wrap-alg", "RSA/NONE/OAEPWithSHA-1AndMGF1Padding", "415"),
        ("data-size", "250001", "417"),
        ("part-size", "204800", "418"),
    ] {
        assert_eq!(ec_of(part(1, 102_400, with(full.clone(), suffix, value)).await), format!("0005-00000{ec}"));
    }
    assert_eq!(ec_of(part(1, 102_400, without(full.clone(), "start")).await), "0005-00000402");
    // Lengths: every part but the last is part-size, the last the remainder.
    assert_eq!(ec_of(part(1, 100_000, full.clone()).await), "0005-00000419");
    assert_eq!(ec_of(part(3, 45_000, full.clone()).await), "0005-00000420");
    let mut done = Vec::new();
    for (number, len) in [(1u32, 102_400usize), (2, 102_400), (3, 45_200)] {
        // Part 2 without any CSE header: the Java and C++ SDKs' way, accepted.
        let headers = if number == 2 { Vec::new() } else { full.clone() };
        let out = part(number, len, headers).await.unwrap();
        done.push(CompletedPart::uploaded(number, &out, len as u64));
    }
    // More parts than the sizes allow (a fourth uploaded beyond the plan).
    let out = part(4, 10, full.clone()).await.unwrap();
    let mut too_many = done.clone();
    too_many.push(CompletedPart::uploaded(4, &out, 10));
    assert_eq!(ec_of(h.client.complete_multipart_upload(BUCKET, "m", &id, &too_many, vec![]).await), "0005-00000411");
    let bad_size = vec![(format!("{P}data-size"), "lots".to_owned())];
    assert_eq!(ec_of(h.client.complete_multipart_upload(BUCKET, "m", &id, &done, bad_size).await), "0005-00000408");
    h.client.complete_multipart_upload(BUCKET, "m", &id, &done, vec![]).await.unwrap();
    assert_eq!(h.client.head_object(BUCKET, "m").await.unwrap().content_length, 250_000);
}

/// With the emulator's strict option an UploadPart of a CSE upload must
/// carry the envelope, as OSS's docs say.
#[tokio::test]
async fn the_strict_option_refuses_header_less_parts() {
    let h = start_emulator_with(|config| config.strict_upload_part(true)).await;
    let client = &h.client;
    let id = client.initiate_multipart_upload(BUCKET, "m", envelope("1000", "102400")).await.unwrap();
    let part = client.upload_part(BUCKET, "m", &id, 1, Body::from(vec![7; 1000]), vec![]).await;
    assert_eq!(ec_of(part), "0005-00000401");
}

/// A CopyObject that would change a CSE object's metadata (REPLACE), onto
/// itself or to another key, is refused with 0005-00000421; a COPY to
/// another key keeps the envelope and is allowed; so, by default, is a COPY
/// self-copy that only changes SSE (undocumented: see the strict option).
#[tokio::test]
async fn replacing_a_cse_objects_metadata_by_copy_is_refused() {
    use oss_cse_client::MetadataDirective::{Copy, Replace};
    let h = start().await;
    let single = without(without(envelope("4", "4"), "data-size"), "part-size");
    h.client.put_object(BUCKET, "cse", Body::from(vec![1, 2, 3, 4]), single.clone()).await.unwrap();
    let rewrapped = with(single.clone(), "key", "bmV3");
    for (target, headers) in [("cse", rewrapped.clone()), ("other", rewrapped), ("cse", single.clone()), ("x", vec![])]
    {
        let copied = h.client.copy_object(BUCKET, "cse", BUCKET, target, Replace, headers).await;
        assert_eq!(ec_of(copied), "0005-00000421", "REPLACE to {target}");
    }
    assert!(h.client.head_object(BUCKET, "other").await.is_err(), "nothing was written");
    h.client.copy_object(BUCKET, "cse", BUCKET, "other", Copy, vec![]).await.unwrap();
    let copy = h.client.head_object(BUCKET, "other").await.unwrap();
    assert_eq!(copy.header(&format!("{P}key")), Some("a2V5"));
    let sse = vec![("x-oss-server-side-encryption".to_owned(), "AES256".to_owned())];
    h.client.copy_object(BUCKET, "cse", BUCKET, "cse", Copy, sse).await.unwrap();
    // A plain object's metadata can still be replaced.
    h.client.put_object(BUCKET, "plain", Body::from(vec![1]), vec![]).await.unwrap();
    let meta = vec![("x-oss-meta-a".to_owned(), "b".to_owned())];
    h.client.copy_object(BUCKET, "plain", BUCKET, "plain", Replace, meta).await.unwrap();
}

/// The strict reading of what OSS leaves undocumented: a COPY self-copy of
/// a CSE object that changes its server-side encryption is refused too.
#[tokio::test]
async fn the_strict_option_refuses_sse_self_copies_of_cse_objects() {
    let h = start_emulator_with(|config| config.strict_cse_copy(true)).await;
    let client = &h.client;
    let single = without(without(envelope("4", "4"), "data-size"), "part-size");
    client.put_object(BUCKET, "cse", Body::from(vec![1, 2, 3, 4]), single).await.unwrap();
    let sse = vec![("x-oss-server-side-encryption".to_owned(), "AES256".to_owned())];
    let copied = client.copy_object(BUCKET, "cse", BUCKET, "cse", oss_cse_client::MetadataDirective::Copy, sse).await;
    assert_eq!(ec_of(copied), "0005-00000421");
}
