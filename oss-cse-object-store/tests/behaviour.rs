//! What the store promises beyond the conformance suite: plaintext and
//! foreign objects refused, nothing stored by an unfinished writer, copies
//! that keep the envelope, ciphertext at rest, ranges at every offset.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use bytes::Bytes;
use object_store::path::Path;
use object_store::{Attribute, Attributes, GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutPayload};
use oss_cse_client::envelope::KeyRing;
use oss_cse_client::{Body, EncryptionClient, GetOptions as OssGetOptions};
use oss_cse_object_store::OssCseStore;
use support::*;

fn bytes(len: usize) -> Bytes {
    (0..len).map(|i| (i * 7 % 251) as u8).collect::<Vec<_>>().into()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plaintext_object_is_refused_and_its_head_still_answers() {
    let h = start().await;
    h.oss.put_object(BUCKET, "plain.txt", Body::from(b"not encrypted".to_vec()), vec![]).await.unwrap();
    let error = h.store.get(&Path::from("plain.txt")).await.unwrap_err();
    assert!(error.to_string().contains("oss://store-bucket/plain.txt"), "{error}");
    assert!(matches!(error, object_store::Error::Generic { .. }), "{error:?}");
    assert_eq!(h.store.head(&Path::from("plain.txt")).await.unwrap().size, 13);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_object_under_another_key_is_an_error_not_garbage() {
    let h = start().await;
    h.store.put(&Path::from("mine"), bytes(1000).into()).await.unwrap();
    let pem = |name: &str| std::fs::read_to_string(repo().join("vectors/keys").join(name)).unwrap();
    let other = oss_cse_client::envelope::RsaMasterKey::from_pem(
        Some(&pem("key2_public_spki.pem")),
        Some(&pem("key2_private_pkcs1.pem")),
    )
    .unwrap();
    let stranger = OssCseStore::new(EncryptionClient::new(h.oss.clone(), KeyRing::new(other)), BUCKET);
    let error = stranger.get(&Path::from("mine")).await.unwrap_err();
    assert!(error.to_string().contains("mine"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_is_stored_is_ciphertext_under_the_envelope_and_copies_keep_it() {
    let h = start().await;
    let data = bytes(70_000);
    h.store.put(&Path::from("a"), data.clone().into()).await.unwrap();
    h.store.copy(&Path::from("a"), &Path::from("dir/b")).await.unwrap();
    let raw = |key: &'static str| {
        let oss = h.oss.clone();
        async move {
            let got = oss.get_object(BUCKET, key, &OssGetOptions::default()).await.unwrap();
            let envelope = got.meta.header("x-oss-meta-client-side-encryption-key").unwrap().to_owned();
            (envelope, got.body.collect().await.unwrap())
        }
    };
    let (envelope_a, stored_a) = raw("a").await;
    let (envelope_b, stored_b) = raw("dir/b").await;
    assert_ne!(stored_a, data.to_vec());
    assert_eq!((envelope_a, stored_a), (envelope_b, stored_b), "a copy is the same ciphertext under the same envelope");
    assert_eq!(h.store.get(&Path::from("dir/b")).await.unwrap().bytes().await.unwrap(), data);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ranges_at_every_offset_decrypt() {
    let h = start().await;
    let data = bytes(100);
    let path = Path::from("small");
    h.store.put(&path, data.clone().into()).await.unwrap();
    for start in 0..100u64 {
        for end in [start + 1, (start + 17).min(100), 100] {
            let got = h.store.get_range(&path, start..end).await.unwrap();
            assert_eq!(got, data.slice(start as usize..end as usize), "{start}..{end}");
        }
        let options = GetOptions { range: Some(GetRange::Suffix(100 - start)), ..GetOptions::default() };
        let result = h.store.get_opts(&path, options).await.unwrap();
        assert_eq!((result.range.clone(), result.meta.size), (start..100, 100));
        assert_eq!(result.bytes().await.unwrap(), data.slice(start as usize..));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_writer_dropped_or_aborted_before_complete_stores_nothing() {
    let options = oss_cse_client::EncryptionOptions { part_size: 100 * 1024, ..Default::default() };
    let h = start_with(options).await;
    for abort in [false, true] {
        let path = Path::from(format!("unfinished-{abort}"));
        let mut upload = h.store.put_multipart(&path).await.unwrap();
        for _ in 0..4 {
            upload.put_part(PutPayload::from(bytes(90_000))).await.unwrap();
        }
        if abort {
            upload.abort().await.unwrap();
        } else {
            drop(upload);
        }
        // The upload task notices, aborts what it began, and stores nothing.
        let mut gone = false;
        for _ in 0..200 {
            let uploads = h.oss.list_multipart_uploads(BUCKET, "").await.unwrap();
            if uploads.is_empty() {
                gone = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert!(gone, "an unfinished multipart upload was left behind");
        let error = h.store.head(&path).await.unwrap_err();
        assert!(matches!(error, object_store::Error::NotFound { .. }), "{error}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn envelope_headers_cannot_be_set_as_attributes() {
    let h = start().await;
    let attributes = Attributes::from_iter([(Attribute::Metadata("client-side-encryption-key".into()), "forged")]);
    let error = h.store.put_opts(&Path::from("x"), "data".into(), attributes.into()).await.unwrap_err();
    assert!(error.to_string().contains("x-oss-meta-client-side-encryption-key"), "{error}");
    assert!(matches!(h.store.head(&Path::from("x")).await.unwrap_err(), object_store::Error::NotFound { .. }));
}

/// A whole `get` is a whole read whatever comes back: a 206 in reply to it
/// (flipped or truncated, no CRC-64) is an error, never bytes; a ranged get
/// is unaffected.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partial_reply_to_a_whole_get_is_an_error() {
    use oss_cse_emulator::{Fault, FaultRule};
    let h = start().await;
    let data = bytes(200_000);
    h.store.put(&Path::from("whole"), data.clone().into()).await.unwrap();
    for (keep, flip) in [(None, Some(1)), (Some(100_000), None)] {
        h.emulator.faults().clear();
        h.emulator.faults().add(FaultRule::new(Fault::PartialWhole { keep, flip }).operation("GetObject"));
        let got = match h.store.get(&Path::from("whole")).await {
            Ok(result) => result.bytes().await.map(drop),
            Err(error) => Err(error),
        };
        let error = got.unwrap_err();
        assert!(error.to_string().contains("does not answer the request"), "{keep:?} {flip:?}: {error}");
        let range = h.store.get_range(&Path::from("whole"), 10..20).await.unwrap();
        assert_eq!(range, data.slice(10..20));
    }
}
