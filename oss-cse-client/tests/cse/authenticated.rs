//! Authenticated objects over HTTP: every tampering a bucket writer can do
//! (flipped byte, truncation and extension with the length header edited,
//! swapped envelopes, a stripped tag, a forged object) is refused on a whole
//! read, with nothing written for a file; rewrap keeps the tag valid; oss2
//! still reads tagged objects.

use std::sync::Arc;

use oss_cse_client::envelope::KeyRing;
use oss_cse_client::envelope::auth::SigningKey;
use oss_cse_client::envelope::consts::AUTH_TAG;
use oss_cse_client::{
    Authentication, Body, DownloadOptions, EncryptionClient, EncryptionOptions, Error, GetOptions, PutOptions,
    UploadOptions,
};

use crate::support::*;

fn tagging(authentication: Authentication) -> EncryptionOptions {
    EncryptionOptions { authentication, ..small_parts() }
}

fn writes_tags() -> EncryptionOptions {
    tagging(Authentication { write_tags: true, ..Authentication::default() })
}

/// The object's stored bytes and its user metadata, as a bucket writer sees them.
async fn raw(h: &Harness, key: &str) -> (Vec<u8>, Vec<(String, String)>) {
    let got = h.oss.get_object(BUCKET, key, &GetOptions::default()).await.unwrap();
    let meta: Vec<(String, String)> =
        got.meta.headers.iter().filter(|(k, _)| k.starts_with("x-oss-meta-")).cloned().collect();
    (got.body.collect().await.unwrap(), meta)
}

async fn put_raw(h: &Harness, key: &str, bytes: Vec<u8>, meta: Vec<(String, String)>) {
    h.oss.put_object(BUCKET, key, Body::from(bytes), meta).await.unwrap();
}

fn set(meta: &mut [(String, String)], name: &str, value: String) {
    for (k, v) in meta.iter_mut() {
        if k == name {
            *v = value.clone();
        }
    }
}

/// A whole read of `key` fails authentication, as a stream and as a file,
/// and leaves no file behind.
async fn refused(h: &Harness, client: &EncryptionClient, key: &str) {
    let streamed = match client.get_object(BUCKET, key, None).await {
        Ok(object) => object.body.collect().await.map(drop),
        Err(error) => Err(error),
    };
    assert!(matches!(streamed, Err(Error::Authentication { .. })), "{key}: {streamed:?}");
    let path = h.path(&format!("{}.out", key.replace('/', "_")));
    let error = client.get_file(BUCKET, key, &path, &DownloadOptions::default()).await.unwrap_err();
    assert!(matches!(error, Error::Authentication { .. }), "{key}: {error}");
    assert_eq!(error.kind(), oss_cse_client::ErrorKind::Integrity);
    assert!(!path.exists(), "{key}: a file was left");
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".out"))
        .collect();
    assert!(leftovers.is_empty(), "{key}: {leftovers:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tagged_objects_round_trip_on_every_upload_path() {
    let h = start().await;
    let client = h.client_with(KeyRing::new(rsa("key1", None)), writes_tags());
    let len = 3 * 1024 * 1024 + 100;
    let path = h.path("big.bin");
    std::fs::write(&path, mod251(len)).unwrap();
    client.put_object(BUCKET, "memory", mod251(70_000), &PutOptions::default()).await.unwrap();
    client.put_file(BUCKET, "file/multipart", &path, &UploadOptions::default()).await.unwrap();
    let small = h.path("small.bin");
    std::fs::write(&small, mod251(150_000)).unwrap();
    client.put_file(BUCKET, "file/single", &small, &UploadOptions::default()).await.unwrap();
    let reader = std::io::Cursor::new(mod251(len));
    client.put_stream(BUCKET, "stream", reader, &PutOptions::default()).await.unwrap();
    let reader = std::io::Cursor::new(mod251(len));
    let expected = PutOptions { expected_size: Some(len as u64), ..PutOptions::default() };
    client.put_stream(BUCKET, "stream-sized", reader, &expected).await.unwrap();
    let require = h.client_with(
        KeyRing::new(rsa("key1", None)),
        tagging(Authentication { require_tags: true, ..Authentication::default() }),
    );
    for (key, size) in
        [("memory", 70_000), ("file/multipart", len), ("file/single", 150_000), ("stream", len), ("stream-sized", len)]
    {
        let (_, meta) = raw(&h, key).await;
        assert!(meta.iter().any(|(k, v)| k == AUTH_TAG && v.starts_with("v1:")), "{key}: {meta:?}");
        let got = require.get_object(BUCKET, key, None).await.unwrap().body.collect().await.unwrap();
        assert_eq!(got, mod251(size), "{key}");
        let out = h.path("out.bin");
        require.get_file(BUCKET, key, &out, &DownloadOptions::default()).await.unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), mod251(size), "{key}");
    }
    // Paths that send bytes as they read them cannot tag, and say so.
    let reader = std::io::Cursor::new(vec![0u8; 10]);
    let error = client.put_reader(BUCKET, "r", reader, 10, &PutOptions::default()).await.unwrap_err();
    assert_eq!(error.kind(), oss_cse_client::ErrorKind::InvalidArgument, "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_tampering_of_a_tagged_object_is_refused() {
    let h = start().await;
    let client = h.client_with(KeyRing::new(rsa("key1", None)), writes_tags());
    let len = 2 * 1024 * 1024 + 33;
    client.put_object(BUCKET, "a", mod251(len), &PutOptions::default()).await.unwrap();
    client
        .put_object(BUCKET, "b", mod251(len).into_iter().rev().collect::<Vec<_>>(), &PutOptions::default())
        .await
        .unwrap();
    let (bytes, meta) = raw(&h, "a").await;

    let mut flipped = bytes.clone();
    flipped[len / 2] ^= 0x01;
    put_raw(&h, "flipped", flipped, meta.clone()).await;

    let mut truncated_meta = meta.clone();
    set(&mut truncated_meta, "x-oss-meta-client-side-encryption-unencrypted-content-length", (len - 16).to_string());
    put_raw(&h, "truncated", bytes[..len - 16].to_vec(), truncated_meta).await;

    let mut longer = bytes.clone();
    longer.extend_from_slice(&[0u8; 16]);
    let mut longer_meta = meta.clone();
    set(&mut longer_meta, "x-oss-meta-client-side-encryption-unencrypted-content-length", (len + 16).to_string());
    put_raw(&h, "appended", longer, longer_meta).await;

    // b's envelope (and tag) on a's ciphertext, and a's tag on b's envelope.
    let (b_bytes, b_meta) = raw(&h, "b").await;
    put_raw(&h, "swapped-envelope", bytes.clone(), b_meta.clone()).await;
    let mut mixed = b_meta.clone();
    let a_tag = meta.iter().find(|(k, _)| k == AUTH_TAG).unwrap().1.clone();
    set(&mut mixed, AUTH_TAG, a_tag);
    put_raw(&h, "swapped-tag", b_bytes, mixed).await;

    for key in ["flipped", "truncated", "appended", "swapped-envelope", "swapped-tag"] {
        refused(&h, &client, key).await;
    }
    // The untouched objects still read.
    assert_eq!(client.get_object(BUCKET, "a", None).await.unwrap().body.collect().await.unwrap(), mod251(len));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stripped_tag_is_refused_only_where_tags_are_required() {
    let h = start().await;
    let client = h.client_with(KeyRing::new(rsa("key1", None)), writes_tags());
    client.put_object(BUCKET, "tagged", mod251(5000), &PutOptions::default()).await.unwrap();
    let (bytes, meta) = raw(&h, "tagged").await;
    let stripped: Vec<(String, String)> = meta.into_iter().filter(|(k, _)| k != AUTH_TAG).collect();
    put_raw(&h, "stripped", bytes, stripped).await;
    // Without the requirement the object is what every SDK would read.
    assert_eq!(client.get_object(BUCKET, "stripped", None).await.unwrap().body.collect().await.unwrap(), mod251(5000));
    let require = h.client_with(
        KeyRing::new(rsa("key1", None)),
        tagging(Authentication { require_tags: true, ..Authentication::default() }),
    );
    refused(&h, &require, "stripped").await;
    // A ranged read of a required-tag object without one is refused too.
    let error = require.get_object(BUCKET, "stripped", Some(oss_cse_client::ByteRange::From { start: 10 })).await;
    assert!(matches!(error, Err(Error::Authentication { .. })));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_trusted_signers_are_believed() {
    let h = start().await;
    let (writer, _, _) = SigningKey::generate().unwrap();
    let (forger, _, _) = SigningKey::generate().unwrap();
    let trusted = writer.verifying_key();
    let writer = Arc::new(writer);
    let signed = h.client_with(
        KeyRing::new(rsa("key1", None)),
        tagging(Authentication { write_tags: true, signer: Some(writer.clone()), ..Authentication::default() }),
    );
    signed.put_object(BUCKET, "genuine", mod251(3000), &PutOptions::default()).await.unwrap();
    // Anyone with the public RSA key can make an object with a valid tag...
    let public_only =
        || oss_cse_client::envelope::RsaMasterKey::from_pem(Some(&pem("key1_public_spki.pem")), None).unwrap();
    let forged = h.client_with(KeyRing::new(public_only()), writes_tags());
    forged.put_object(BUCKET, "forged", b"transfer all funds".to_vec(), &PutOptions::default()).await.unwrap();
    let self_signed = h.client_with(
        KeyRing::new(public_only()),
        tagging(Authentication { write_tags: true, signer: Some(Arc::new(forger)), ..Authentication::default() }),
    );
    self_signed
        .put_object(BUCKET, "self-signed", b"transfer all funds".to_vec(), &PutOptions::default())
        .await
        .unwrap();
    // ...which a reader checking tags alone accepts,
    let tags_only = h.client_with(
        KeyRing::new(rsa("key1", None)),
        tagging(Authentication { require_tags: true, ..Authentication::default() }),
    );
    assert_eq!(
        tags_only.get_object(BUCKET, "forged", None).await.unwrap().body.collect().await.unwrap(),
        b"transfer all funds"
    );
    // but a reader trusting the writer's key refuses.
    let trusting = h.client_with(
        KeyRing::new(rsa("key1", None)),
        tagging(Authentication { trusted_signers: vec![trusted.clone()], ..Authentication::default() }),
    );
    assert_eq!(trusting.get_object(BUCKET, "genuine", None).await.unwrap().body.collect().await.unwrap(), mod251(3000));
    refused(&h, &trusting, "forged").await;
    refused(&h, &trusting, "self-signed").await;
    // A signature covering the name fails once the object is copied elsewhere.
    let named = h.client_with(
        KeyRing::new(rsa("key1", None)),
        tagging(Authentication {
            write_tags: true,
            signer: Some(writer),
            sign_names: true,
            ..Authentication::default()
        }),
    );
    named.put_object(BUCKET, "named", mod251(100), &PutOptions::default()).await.unwrap();
    h.oss.copy_object(BUCKET, "named", BUCKET, "moved", oss_cse_client::MetadataDirective::Copy, vec![]).await.unwrap();
    assert!(trusting.get_object(BUCKET, "named", None).await.is_ok());
    refused(&h, &trusting, "moved").await;
    // An object signed "anywhere" verifies under any name a bucket writer
    // copies it to, unless the reader requires name-bound signatures.
    h.oss
        .copy_object(BUCKET, "genuine", BUCKET, "copied", oss_cse_client::MetadataDirective::Copy, vec![])
        .await
        .unwrap();
    assert!(trusting.get_object(BUCKET, "copied", None).await.is_ok());
    let strict = h.client_with(
        KeyRing::new(rsa("key1", None)),
        tagging(Authentication {
            trusted_signers: vec![trusted],
            require_signed_names: true,
            ..Authentication::default()
        }),
    );
    refused(&h, &strict, "copied").await;
    refused(&h, &strict, "genuine").await;
    assert!(strict.get_object(BUCKET, "named", None).await.is_ok());
    refused(&h, &strict, "moved").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rewrap_keeps_the_tag_valid_and_oss2_still_reads_tagged_objects() {
    // Strict as OSS: the rewrap must upload the ciphertext again, carrying the tag.
    let h = crate::rewrap::strict().await;
    let client = h.client_with(KeyRing::new(rsa("key1", None)), writes_tags());
    let len = 3 * 102_400 + 7;
    let path = h.path("multipart.bin");
    std::fs::write(&path, mod251(len)).unwrap();
    client.put_file(BUCKET, &format!("tagged/multipart/len-{len}"), &path, &UploadOptions::default()).await.unwrap();
    client.put_object(BUCKET, "tagged/len-1000", mod251(1000), &PutOptions::default()).await.unwrap();
    if oss_cse_emulator::testing::python_with_oss2("oss2 reading tagged objects") {
        let args = ["read", "tagged/len-1000", &format!("tagged/multipart/len-{len}")];
        let stdout = tokio::task::block_in_place(|| crate::interop::python_peer(&h, &args));
        assert!(stdout.contains("2 passed, 0 failed"), "{stdout}");
    }
    let before = raw(&h, "tagged/len-1000").await.1;
    client.rewrap(BUCKET, "tagged/len-1000", &rsa("key2", None)).await.unwrap();
    client.rewrap(BUCKET, &format!("tagged/multipart/len-{len}"), &rsa("key2", None)).await.unwrap();
    let after = raw(&h, "tagged/len-1000").await.1;
    let tag_of = |meta: &[(String, String)]| meta.iter().find(|(k, _)| k == AUTH_TAG).map(|(_, v)| v.clone());
    assert_eq!(tag_of(&before), tag_of(&after));
    let new_key = h.client_with(
        KeyRing::new(rsa("key2", None)),
        tagging(Authentication { require_tags: true, ..Authentication::default() }),
    );
    assert_eq!(
        new_key.get_object(BUCKET, "tagged/len-1000", None).await.unwrap().body.collect().await.unwrap(),
        mod251(1000)
    );
    let out = h.path("rewrapped.bin");
    new_key.get_file(BUCKET, &format!("tagged/multipart/len-{len}"), &out, &DownloadOptions::default()).await.unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), mod251(len));
}

/// A download resumed from a checkpoint did not hash the ranges an earlier
/// run fetched, so the tag is checked by hashing the file instead (a range
/// changed on disk between the runs is fetched again: the checkpoint's CRCs
/// are re-checked first), and a genuine object passes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resumed_download_checks_the_tag_from_the_file() {
    use oss_cse_emulator::{Fault, FaultRule};
    let h = start().await;
    let options = EncryptionOptions { parallel: 1, part_size: 1024 * 1024, ..writes_tags() };
    let client = h.client_with(KeyRing::new(rsa("key1", None)), options);
    let len = 4 * 1024 * 1024 + 9;
    client.put_object(BUCKET, "resumed", mod251(len), &PutOptions::default()).await.unwrap();
    let checkpoint = h.path("download.checkpoint");
    let download = DownloadOptions { checkpoint: Some(checkpoint.clone()), ..DownloadOptions::default() };
    let out = h.path("resumed.bin");
    let denied = Fault::Status { status: 403, code: "AccessDenied".into() };
    h.emulator.faults().add(FaultRule::new(denied).operation("GetObject").nth(3));
    let error = client.get_file(BUCKET, "resumed", &out, &download).await.unwrap_err();
    assert_eq!(error.service_error().unwrap().status, 403);
    assert!(checkpoint.exists() && !out.exists());
    h.emulator.faults().clear();
    let before = h.emulator.faults().count("GetObject");
    client.get_file(BUCKET, "resumed", &out, &download).await.unwrap();
    assert!(h.emulator.faults().count("GetObject") - before < 5, "the ranges done were not fetched again");
    assert_eq!(std::fs::read(&out).unwrap(), mod251(len));
}
