use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use oss_cse_client::envelope::{Format, KeyRing};
use oss_cse_client::{ByteRange, EncryptionOptions, Error, ErrorKind, GetOptions, PlaintextPolicy, PutOptions};

use crate::support::*;

#[tokio::test]
async fn round_trips_in_both_formats_and_the_stored_bytes_are_ciphertext() {
    let h = start().await;
    for format in [Format::V2, Format::V1] {
        let client = h
            .client_with(KeyRing::new(rsa("key1", None)), EncryptionOptions { format, ..EncryptionOptions::default() });
        for len in [0usize, 1, 15, 16, 17, 1000, 300_001] {
            let key = format!("{format}/len-{len}");
            let plaintext = mod251(len);
            let options = PutOptions { compute_md5: true, ..PutOptions::default() };
            client.put_object(BUCKET, &key, plaintext.clone(), &options).await.unwrap();
            let got = client.get_object(BUCKET, &key, None).await.unwrap();
            assert!(got.envelope.as_ref().is_some_and(|e| e.format == format));
            assert_eq!(got.body.collect().await.unwrap(), plaintext, "{key}");
            let raw =
                h.oss.get_object(BUCKET, &key, &GetOptions::default()).await.unwrap().body.collect().await.unwrap();
            assert_eq!(raw.len(), len);
            if len > 16 {
                assert_ne!(raw, plaintext, "{key} stored in the clear");
            }
        }
    }
}

#[tokio::test]
async fn a_whole_read_tells_the_crc_it_checked() {
    use futures_util::StreamExt as _;
    let h = start().await;
    let client = h.client(KeyRing::new(rsa("key1", None)));
    client.put_object(BUCKET, "crc", mod251(300_001), &PutOptions::default()).await.unwrap();
    let mut got = client.get_object(BUCKET, "crc", None).await.unwrap();
    let server = got.meta.crc64.expect("the emulator sends x-oss-hash-crc64ecma");
    while let Some(chunk) = got.body.next().await {
        chunk.unwrap();
    }
    assert_eq!(got.body.crc64(), Some(server));
    let ranged = client.get_object(BUCKET, "crc", Some(ByteRange::Inclusive { start: 17, end: 100 })).await.unwrap();
    assert_eq!(ranged.body.crc64(), None, "a range is not checked against the whole object's CRC");
}

#[tokio::test]
async fn ranged_gets_decrypt_from_any_offset_and_request_only_the_aligned_range() {
    let h = start().await;
    let client = h.client(KeyRing::new(rsa("key1", None)));
    let plaintext = mod251(1000);
    client.put_object(BUCKET, "r", plaintext.clone(), &PutOptions::default()).await.unwrap();
    for start in [0u64, 1, 15, 16, 17, 500, 992, 999] {
        for end in [start, start + 1, start + 40, 999, 5000] {
            let got = client.get_object(BUCKET, "r", Some(ByteRange::Inclusive { start, end })).await.unwrap();
            let last = end.min(999) as usize;
            assert_eq!(got.range, Some((start, last as u64)));
            assert_eq!(got.body.collect().await.unwrap(), &plaintext[start as usize..=last], "{start}-{end}");
        }
    }
    let tail = client.get_object(BUCKET, "r", Some(ByteRange::Suffix { len: 17 })).await.unwrap();
    assert_eq!(tail.body.collect().await.unwrap(), &plaintext[983..]);
    let from = client.get_object(BUCKET, "r", Some(ByteRange::From { start: 33 })).await.unwrap();
    assert_eq!(from.body.collect().await.unwrap(), &plaintext[33..]);
    // Past the end: the aligned start (992) is inside the object, so we refuse
    // ourselves; further out, OSS answers 416.
    let past = client.get_object(BUCKET, "r", Some(ByteRange::From { start: 1000 })).await.unwrap_err();
    assert!(
        matches!(
            past,
            oss_cse_client::Error::Core { source: oss_cse_client::core::Error::RangeNotSatisfiable { .. }, .. }
        ),
        "{past}"
    );
    let far = client.get_object(BUCKET, "r", Some(ByteRange::From { start: 5000 })).await.unwrap_err();
    assert_eq!(far.service_error().map(|s| s.status), Some(416), "{far}");
    let suffix_of_nothing = client.get_object(BUCKET, "r", Some(ByteRange::Suffix { len: 0 })).await.unwrap_err();
    assert_eq!(suffix_of_nothing.kind(), ErrorKind::InvalidArgument);
    // The request was aligned: the emulator saw ranges starting on 16-byte boundaries.
    assert!(h.emulator.faults().requests().iter().filter(|r| r.operation() == "GetObject").count() > 40);
}

#[tokio::test]
async fn objects_without_an_envelope_follow_the_policy() {
    let h = start().await;
    h.oss.put_object(BUCKET, "plain", oss_cse_client::Body::from(b"not secret".to_vec()), vec![]).await.unwrap();
    // Refused by default, whole, ranged or to a file, before anything is written.
    let default = h.client(KeyRing::new(rsa("key1", None)));
    assert!(matches!(default.get_object(BUCKET, "plain", None).await, Err(Error::NotEncrypted { .. })));
    let ranged = default.get_object(BUCKET, "plain", Some(ByteRange::Inclusive { start: 4, end: 9 })).await;
    assert!(matches!(ranged, Err(Error::NotEncrypted { .. })));
    let early = h.path("plain.default.out");
    assert!(matches!(
        default.get_file(BUCKET, "plain", &early, &Default::default()).await,
        Err(Error::NotEncrypted { .. })
    ));
    assert!(!early.exists());
    // Passed through when asked.
    let pass = h.client_with(
        KeyRing::new(rsa("key1", None)),
        EncryptionOptions { plaintext_policy: PlaintextPolicy::PassThrough, ..EncryptionOptions::default() },
    );
    let got = pass.get_object(BUCKET, "plain", Some(ByteRange::Inclusive { start: 4, end: 9 })).await.unwrap();
    assert!(got.envelope.is_none());
    assert_eq!(got.body.collect().await.unwrap(), b"secret");
    let refuse = h.client_with(
        KeyRing::new(rsa("key1", None)),
        EncryptionOptions { plaintext_policy: PlaintextPolicy::Refuse, ..EncryptionOptions::default() },
    );
    assert!(matches!(refuse.get_object(BUCKET, "plain", None).await, Err(Error::NotEncrypted { .. })));
    let dest = h.path("plain.out");
    assert!(matches!(
        refuse.get_file(BUCKET, "plain", &dest, &Default::default()).await,
        Err(Error::NotEncrypted { .. })
    ));
    assert!(!dest.exists());
}

#[tokio::test]
async fn user_metadata_and_sse_pass_through_and_envelope_headers_are_refused() {
    let h = start().await;
    let client = h.client(KeyRing::new(rsa("key1", None)));
    let mut headers =
        vec![("x-oss-meta-owner".to_owned(), "alice".to_owned()), ("content-type".to_owned(), "text/csv".to_owned())];
    headers.extend(oss_cse_client::ServerSideEncryption::Aes256.headers());
    client.put_object(BUCKET, "m", b"a,b".to_vec(), &PutOptions { headers, ..PutOptions::default() }).await.unwrap();
    let meta = h.oss.head_object(BUCKET, "m").await.unwrap();
    assert_eq!(meta.header("x-oss-meta-owner"), Some("alice"));
    assert_eq!(meta.content_type.as_deref(), Some("text/csv"));
    assert_eq!(meta.server_side_encryption, Some(oss_cse_client::ServerSideEncryption::Aes256));
    let bad = vec![("x-oss-meta-client-side-encryption-key".to_owned(), "x".to_owned())];
    let err = client
        .put_object(BUCKET, "m2", b"x".to_vec(), &PutOptions { headers: bad, ..PutOptions::default() })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Refused { .. }), "{err}");
}

#[tokio::test]
async fn streamed_put_of_two_gib_and_streamed_get_in_bounded_chunks() {
    let h = start().await;
    let client = h.client(KeyRing::new(rsa("key1", None)));
    const LEN: u64 = 2 << 30;
    // A generated source: nothing the size of the object is ever in memory.
    let source = tokio::io::AsyncReadExt::take(tokio::io::repeat(0x5A), LEN);
    let progress_seen = Arc::new(AtomicU64::new(0));
    let seen = progress_seen.clone();
    let options = PutOptions {
        progress: Some(Arc::new(move |done, _| seen.store(done, Ordering::Relaxed))),
        ..PutOptions::default()
    };
    client.put_reader(BUCKET, "huge", source, LEN, &options).await.unwrap();
    assert_eq!(progress_seen.load(Ordering::Relaxed), LEN);
    let mut got = client.get_object(BUCKET, "huge", None).await.unwrap();
    let mut total = 0u64;
    let mut largest = 0;
    use futures_util::StreamExt;
    while let Some(chunk) = got.body.next().await {
        let chunk = chunk.unwrap();
        largest = largest.max(chunk.len());
        assert!(chunk.iter().all(|b| *b == 0x5A));
        total += chunk.len() as u64;
    }
    assert_eq!(total, LEN);
    assert!(largest <= 4 << 20, "{largest}");
}
