use oss_cse_client::envelope::{KeyRing, MasterKey, MatdescMatch};
use oss_cse_client::{Body, EncryptionOptions, Error, ErrorKind, GetOptions, PutOptions};

use crate::support::*;

#[tokio::test]
async fn several_keys_told_apart_by_matdesc() {
    let h = start().await;
    let one = h.client(KeyRing::new(rsa("key1", Some("one"))));
    let two = h.client(KeyRing::new(rsa("key2", Some("two"))));
    one.put_object(BUCKET, "by-one", b"one".to_vec(), &PutOptions::default()).await.unwrap();
    two.put_object(BUCKET, "by-two", b"two".to_vec(), &PutOptions::default()).await.unwrap();
    let both = h.client(KeyRing::new(rsa("key2", Some("two"))).with_decrypting_key(rsa("key1", Some("one"))));
    assert_eq!(both.get_object(BUCKET, "by-one", None).await.unwrap().body.collect().await.unwrap(), b"one");
    assert_eq!(both.get_object(BUCKET, "by-two", None).await.unwrap().body.collect().await.unwrap(), b"two");
    let err = two.get_object(BUCKET, "by-one", None).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Crypto);
    let message = format!("{err}: {}", std::error::Error::source(&err).map(ToString::to_string).unwrap_or_default());
    assert!(message.contains("oss://cse-bucket/by-one") && message.contains(r#"{"desc": "one"}"#), "{message}");
}

#[tokio::test]
async fn metadata_updates_keep_the_envelope() {
    let h = start().await;
    let client = h.client(KeyRing::new(rsa("key1", None)));
    client.put_object(BUCKET, "doc", b"content".to_vec(), &PutOptions::default()).await.unwrap();
    client.update_metadata(BUCKET, "doc", vec![("x-oss-meta-tag".into(), "v2".into())]).await.unwrap();
    let got = client.get_object(BUCKET, "doc", None).await.unwrap();
    assert_eq!(got.meta.header("x-oss-meta-tag"), Some("v2"));
    assert_eq!(got.body.collect().await.unwrap(), b"content");
    let err = client
        .update_metadata(BUCKET, "doc", vec![("x-oss-meta-client-side-encryption-key".into(), "AAAA".into())])
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Refused { .. }));
    // A copy keeps the envelope too.
    client.copy_object(BUCKET, "doc", BUCKET, "doc-copy").await.unwrap();
    assert_eq!(client.get_object(BUCKET, "doc-copy", None).await.unwrap().body.collect().await.unwrap(), b"content");
}

/// The V1 format keeps the plaintext length and MD5 in headers without the
/// `oss-crypto` prefix: a metadata update must keep them, and a rewrap must
/// send each header once.
#[tokio::test]
async fn v1_length_and_md5_headers_survive_updates_and_rewraps() {
    let h = start().await;
    let options = oss_cse_client::EncryptionOptions {
        format: oss_cse_client::envelope::Format::V1,
        ..oss_cse_client::EncryptionOptions::default()
    };
    let client = h.client_with(KeyRing::new(rsa("key1", None)), options);
    let put = PutOptions { compute_md5: true, ..PutOptions::default() };
    client.put_object(BUCKET, "v1", mod251(3000), &put).await.unwrap();
    let recorded = |meta: &oss_cse_client::ObjectMeta| {
        let envelope = meta.envelope().unwrap().unwrap();
        (envelope.unencrypted_content_length, envelope.unencrypted_content_md5.is_some())
    };
    assert_eq!(recorded(&h.oss.head_object(BUCKET, "v1").await.unwrap()), (Some(3000), true));
    client.update_metadata(BUCKET, "v1", vec![("x-oss-meta-tag".into(), "t".into())]).await.unwrap();
    assert_eq!(recorded(&h.oss.head_object(BUCKET, "v1").await.unwrap()), (Some(3000), true));
    let err = client
        .update_metadata(BUCKET, "v1", vec![("x-oss-meta-unencrypted-content-length".into(), "1".into())])
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Refused { .. }), "{err}");
    let mut headers = Vec::new();
    let rewrapped = client.rewrap(BUCKET, "v1", &rsa("key2", None)).await;
    rewrapped.unwrap();
    for (name, _) in h.oss.head_object(BUCKET, "v1").await.unwrap().headers {
        assert!(!headers.contains(&name), "{name} twice");
        headers.push(name);
    }
    let reader = h.client(KeyRing::new(rsa("key2", None)));
    assert_eq!(reader.get_object(BUCKET, "v1", None).await.unwrap().body.collect().await.unwrap(), mod251(3000));
}

#[tokio::test]
async fn rewrap_rotates_the_key_without_touching_the_content() {
    let h = start().await;
    let old = h.client(KeyRing::new(rsa("key1", Some("old"))));
    old.put_object(
        BUCKET,
        "rot",
        mod251(5000),
        &PutOptions { headers: vec![("x-oss-meta-keep".into(), "me".into())], ..PutOptions::default() },
    )
    .await
    .unwrap();
    let before = h.oss.get_object(BUCKET, "rot", &GetOptions::default()).await.unwrap();
    let stored_before = before.body.collect().await.unwrap();
    let new_key = rsa("key2", Some("new"));
    let envelope = old.rewrap(BUCKET, "rot", &new_key).await.unwrap();
    assert_eq!(envelope.material_description, new_key.material_description().cloned());
    let after = h.oss.get_object(BUCKET, "rot", &GetOptions::default()).await.unwrap();
    assert_eq!(after.meta.header("x-oss-meta-keep"), Some("me"));
    assert_eq!(after.body.collect().await.unwrap(), stored_before, "content untouched");
    let new = h.client(KeyRing::new(rsa("key2", Some("new"))));
    assert_eq!(new.get_object(BUCKET, "rot", None).await.unwrap().body.collect().await.unwrap(), mod251(5000));
    assert!(old.get_object(BUCKET, "rot", None).await.is_err(), "the old key no longer opens it");
    h.oss.put_object(BUCKET, "plain", Body::from(vec![1]), vec![]).await.unwrap();
    assert!(matches!(old.rewrap(BUCKET, "plain", &new_key).await, Err(Error::NotEncrypted { .. })));
}

/// The value of the one header whose name ends with `suffix`.
fn value_of<'a>(headers: &'a mut [(String, String)], suffix: &str) -> &'a mut String {
    &mut headers.iter_mut().find(|(k, _)| k.ends_with(suffix)).unwrap().1
}

#[tokio::test]
async fn tampered_envelopes_are_errors_not_garbage() {
    let h = start().await;
    let client = h.client(KeyRing::new(rsa("key1", None)));
    client
        .put_object(BUCKET, "t", mod251(100), &PutOptions { compute_md5: true, ..PutOptions::default() })
        .await
        .unwrap();
    let meta = h.oss.head_object(BUCKET, "t").await.unwrap();
    let envelope: Vec<(String, String)> = meta.user_metadata().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
    let put_with = |change: &dyn Fn(&mut Vec<(String, String)>)| {
        let mut headers = envelope.clone();
        change(&mut headers);
        headers
    };
    let stored = h.oss.get_object(BUCKET, "t", &GetOptions::default()).await.unwrap().body.collect().await.unwrap();
    let cases: Vec<(&str, Vec<(String, String)>, ErrorKind)> = vec![
        (
            "swapped",
            put_with(&|h| {
                let key = value_of(h, "-key").clone();
                let start = std::mem::replace(value_of(h, "-start"), key);
                *value_of(h, "-key") = start;
            }),
            ErrorKind::Crypto,
        ),
        (
            "truncated key",
            put_with(&|h| {
                value_of(h, "-key").truncate(40);
            }),
            ErrorKind::Crypto,
        ),
        (
            "ciphertext longer than recorded",
            put_with(&|h| {
                *value_of(h, "-unencrypted-content-length") = "99".into();
            }),
            ErrorKind::Integrity,
        ),
        (
            "ciphertext shorter than recorded",
            put_with(&|h| {
                *value_of(h, "-unencrypted-content-length") = "101".into();
            }),
            ErrorKind::Integrity,
        ),
        (
            "oversized wrapped key",
            put_with(&|h| {
                *value_of(h, "-key") = "QUFB".repeat(1700); // near the 8 KiB metadata limit OSS enforces
            }),
            ErrorKind::Crypto,
        ),
        (
            "key not base64",
            put_with(&|h| {
                *value_of(h, "-key") = "not base64 at all!".into();
            }),
            ErrorKind::Crypto,
        ),
        (
            "wrong md5",
            put_with(&|h| {
                *value_of(h, "-unencrypted-content-md5") = "1B2M2Y8AsgTpgAmY7PhCfg==".into();
            }),
            ErrorKind::Integrity,
        ),
        (
            "wrong md5 in hex",
            put_with(&|h| {
                *value_of(h, "-unencrypted-content-md5") = "d41d8cd98f00b204e9800998ecf8427e".into();
            }),
            ErrorKind::Integrity,
        ),
    ];
    for (name, headers, kind) in cases {
        h.oss.put_object(BUCKET, name, Body::from(stored.clone()), headers).await.unwrap();
        let result = match client.get_object(BUCKET, name, None).await {
            Ok(got) => got.body.collect().await.map(drop),
            Err(e) => Err(e),
        };
        let err = result.expect_err(name);
        assert_eq!(err.kind(), kind, "{name}: {err}");
        let dest = h.path(name);
        assert!(client.get_file(BUCKET, name, &dest, &Default::default()).await.is_err(), "{name}");
        assert!(!dest.exists(), "{name}: no destination file");
    }

    // oss2's CryptoBucket stores a caller's Content-MD5 header as the
    // envelope's MD5 as it was given, and callers give it in hex too (oss2's
    // own tests do): the same digest in hex is a match, not tampering.
    let md5_hex = hex::encode(<md5::Md5 as md5::Digest>::digest(mod251(100)));
    let hex_md5 = put_with(&|h| *value_of(h, "-unencrypted-content-md5") = md5_hex.to_uppercase());
    h.oss.put_object(BUCKET, "hex md5", Body::from(stored.clone()), hex_md5).await.unwrap();
    let got = client.get_object(BUCKET, "hex md5", None).await.unwrap();
    assert_eq!(got.body.collect().await.unwrap(), mod251(100));
    let dest = h.path("hex md5");
    client.get_file(BUCKET, "hex md5", &dest, &Default::default()).await.unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), mod251(100));

    // A caller's Content-MD5 names the plaintext: checked before it is
    // stored (in either form), so a wrong one cannot make an unreadable object.
    let with_md5 =
        |md5: &str| PutOptions { headers: vec![("Content-MD5".into(), md5.into())], ..PutOptions::default() };
    client.put_object(BUCKET, "given md5", mod251(100), &with_md5(&md5_hex)).await.unwrap();
    let got = client.get_object(BUCKET, "given md5", None).await.unwrap();
    assert_eq!(got.body.collect().await.unwrap(), mod251(100));
    let wrong = with_md5("1B2M2Y8AsgTpgAmY7PhCfg==");
    let refused = client.put_object(BUCKET, "wrong given md5", mod251(100), &wrong).await;
    assert!(matches!(refused, Err(Error::ContentMd5Mismatch { .. })), "{refused:?}");
    assert!(h.oss.head_object(BUCKET, "wrong given md5").await.is_err(), "nothing stored");

    // The matdesc is a hint (nothing authenticates it): an unknown one on an
    // intact object still opens with the ring's key, checked by its MD5;
    // a strict client refuses it.
    let unknown = put_with(&|h| h.push(("x-oss-meta-client-side-encryption-matdesc".into(), r#"{"k":"v"}"#.into())));
    h.oss.put_object(BUCKET, "unknown matdesc", Body::from(stored.clone()), unknown).await.unwrap();
    let got = client.get_object(BUCKET, "unknown matdesc", None).await.unwrap();
    assert_eq!(got.body.collect().await.unwrap(), mod251(100));
    let strict = h.client_with(
        KeyRing::new(rsa("key1", None)),
        EncryptionOptions { matdesc_match: MatdescMatch::Exact, ..EncryptionOptions::default() },
    );
    let Err(err) = strict.get_object(BUCKET, "unknown matdesc", None).await else { panic!("strict refuses") };
    assert_eq!(err.kind(), ErrorKind::Crypto, "{err}");
}
