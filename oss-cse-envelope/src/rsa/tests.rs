use futures::executor::block_on;
use oss_cse_core::{DataKey, Iv};

use super::*;

const PUBLIC_SPKI: &str = include_str!("../../../vectors/keys/key1_public_spki.pem");
const PUBLIC_PKCS1: &str = include_str!("../../../vectors/keys/key1_public_pkcs1.pem");
const PRIVATE_PKCS1: &str = include_str!("../../../vectors/keys/key1_private_pkcs1.pem");
const PRIVATE_PKCS8: &str = include_str!("../../../vectors/keys/key1_private_pkcs8.pem");
const OTHER_PRIVATE: &str = include_str!("../../../vectors/keys/key2_private_pkcs1.pem");

fn material() -> ContentMaterial {
    ContentMaterial::new(DataKey::from_slice(&[0x11; 32]).unwrap(), Iv::from_slice(&[0x22; 16]).unwrap())
}

fn envelope(wrapped: WrappedMaterial, format: Format) -> Envelope {
    Envelope::new(format, wrapped)
}

#[test]
fn every_pem_form_round_trips() {
    for public in [PUBLIC_SPKI, PUBLIC_PKCS1] {
        for private in [PRIVATE_PKCS1, PRIVATE_PKCS8] {
            let key = RsaMasterKey::from_pem(Some(public), Some(private)).unwrap();
            for format in [Format::V2, Format::V1] {
                let wrapped = block_on(key.wrap(&material(), format)).unwrap();
                assert_eq!(wrapped.wrapped_key.len(), 256);
                let back = block_on(key.unwrap(&envelope(wrapped, format))).unwrap();
                assert_eq!(back.key().expose_secret(), &[0x11; 32]);
                assert_eq!(back.iv().expose_secret(), &[0x22; 16]);
            }
        }
    }
}

#[test]
fn oaep_key_writes_oaep_and_v1_is_always_oaep() {
    let key = RsaMasterKey::from_pem(Some(PUBLIC_SPKI), Some(PRIVATE_PKCS8)).unwrap();
    assert_eq!(block_on(key.wrap(&material(), Format::V1)).unwrap().algorithm, WrapAlgorithm::RsaOaepSha1);
    assert_eq!(block_on(key.wrap(&material(), Format::V2)).unwrap().algorithm, WrapAlgorithm::RsaPkcs1V15);
    let oaep = RsaMasterKey::from_pem(Some(PUBLIC_SPKI), Some(PRIVATE_PKCS8)).unwrap().with_oaep_sha1();
    let wrapped = block_on(oaep.wrap(&material(), Format::V2)).unwrap();
    assert_eq!(wrapped.algorithm, WrapAlgorithm::RsaOaepSha1);
    // The PKCS#1 key reads OAEP envelopes too: the envelope says which padding.
    assert!(block_on(key.unwrap(&envelope(wrapped, Format::V2))).is_ok());
}

#[test]
fn half_keys_fail_in_the_missing_direction() {
    let public_only = RsaMasterKey::from_pem(Some(PUBLIC_SPKI), None).unwrap();
    let wrapped = block_on(public_only.wrap(&material(), Format::V2)).unwrap();
    assert!(matches!(
        block_on(public_only.unwrap(&envelope(wrapped.clone(), Format::V2))),
        Err(Error::MissingPrivateKey { .. })
    ));
    let private_only = RsaMasterKey::from_pem(None, Some(PRIVATE_PKCS1)).unwrap();
    assert!(block_on(private_only.unwrap(&envelope(wrapped, Format::V2))).is_ok());
    assert!(matches!(block_on(private_only.wrap(&material(), Format::V2)), Err(Error::MissingPublicKey { .. })));
    assert!(RsaMasterKey::from_pem(None, None).is_err());
}

#[test]
fn wrong_key_and_tampering_are_errors() {
    let key = RsaMasterKey::from_pem(Some(PUBLIC_SPKI), Some(PRIVATE_PKCS1)).unwrap();
    let other = RsaMasterKey::from_pem(None, Some(OTHER_PRIVATE)).unwrap();
    let wrapped = block_on(key.wrap(&material(), Format::V2)).unwrap();
    assert!(matches!(block_on(other.unwrap(&envelope(wrapped.clone(), Format::V2))), Err(Error::RsaUnwrap)));
    let mut truncated = wrapped.clone();
    truncated.wrapped_key.truncate(100);
    assert!(matches!(block_on(key.unwrap(&envelope(truncated, Format::V2))), Err(Error::RsaUnwrap)));
    let mut flipped = wrapped;
    flipped.wrapped_start[10] ^= 1;
    assert!(block_on(key.unwrap(&envelope(flipped, Format::V2))).is_err());
}

/// Forged wrapped values fail in ways an attacker could tell apart inside
/// RSA (bad padding; good padding around 31, 33 or 16 bytes; a good key with
/// a bad IV). Outside, every one is the same error, for the key and the IV,
/// in the type, the message and `Debug`: no padding oracle.
#[test]
fn every_unwrap_failure_is_one_error() {
    let key = RsaMasterKey::from_pem(Some(PUBLIC_SPKI), Some(PRIVATE_PKCS1)).unwrap();
    for algorithm in [WrapAlgorithm::RsaPkcs1V15, WrapAlgorithm::RsaOaepSha1] {
        let seal = |plaintext: &[u8]| key.encrypt(algorithm, plaintext, WrappedValue::DataKey).unwrap();
        let good = block_on(key.wrap(&material(), Format::V2)).unwrap();
        let good = if good.algorithm == algorithm {
            good
        } else {
            WrappedMaterial { algorithm, wrapped_key: seal(&[7; 32]), wrapped_start: seal(&[9; 16]) }
        };
        let mut bad_padding = good.wrapped_key.clone();
        bad_padding[0] ^= 0x80;
        let forgeries = [
            (bad_padding.clone(), good.wrapped_start.clone()),
            (seal(&[1; 31]), good.wrapped_start.clone()),
            (seal(&[1; 33]), good.wrapped_start.clone()),
            (seal(&[1; 16]), good.wrapped_start.clone()),
            (good.wrapped_key.clone(), bad_padding),
            (good.wrapped_key.clone(), seal(&[1; 15])),
            (good.wrapped_key.clone(), seal(&[1; 32])),
            (good.wrapped_start.clone(), good.wrapped_key.clone()),
        ];
        let mut seen = std::collections::BTreeSet::new();
        for (wrapped_key, wrapped_start) in forgeries {
            let forged = WrappedMaterial { algorithm, wrapped_key, wrapped_start };
            let error = block_on(key.unwrap(&envelope(forged, Format::V2))).unwrap_err();
            assert!(matches!(error, Error::RsaUnwrap), "{error:?}");
            seen.insert(format!(
                "{error} | {error:?} | {:?}",
                std::error::Error::source(&error).map(|s| s.to_string())
            ));
        }
        assert_eq!(seen.len(), 1, "{seen:?}");
    }
}

#[test]
fn bad_pem_is_a_typed_error() {
    let cases = [
        ("", "empty: no PEM block"),
        ("hello\n", "not a PEM block: no -----BEGIN line"),
        ("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "SubjectPublicKeyInfo"),
        (PRIVATE_PKCS1, "PEM label"),
        ("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "PEM label"),
    ];
    for (pem, expected) in cases {
        let err = RsaMasterKey::from_pem(Some(pem), None).unwrap_err();
        assert!(err.to_string().contains(expected), "{err}");
    }
    let err = RsaMasterKey::from_pem(None, Some(PUBLIC_SPKI)).unwrap_err();
    assert!(err.to_string().contains("PEM label"), "{err}");
    let encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
    assert!(RsaMasterKey::from_pem(None, Some(encrypted)).unwrap_err().to_string().contains("passphrase"));
    let crlf = PRIVATE_PKCS8.replace('\n', "\r\n");
    assert!(RsaMasterKey::from_pem(None, Some(&crlf)).is_ok());
}

#[test]
fn generated_keys_reload_from_their_pem() {
    let (key, public_pem, private_pem) = RsaMasterKey::generate(2048).unwrap();
    assert_eq!(key.bits(), 2048);
    let wrapped = block_on(key.wrap(&material(), Format::V2)).unwrap();
    let reloaded = RsaMasterKey::from_pem(Some(&public_pem), Some(&private_pem)).unwrap();
    assert!(block_on(reloaded.unwrap(&envelope(wrapped, Format::V2))).is_ok());
    assert!(matches!(RsaMasterKey::generate(1024), Err(Error::KeyGeneration { bits: 1024 })));
}

#[test]
fn keys_under_2048_bits_are_refused_saying_so() {
    let public = include_str!("testdata/rsa1024.pub.pem");
    let pkcs8 = include_str!("testdata/rsa1024.p8.pem");
    let pkcs1 = include_str!("testdata/rsa1024.pkcs1.pem");
    for (public, private) in [(Some(public), None), (None, Some(pkcs8)), (None, Some(pkcs1))] {
        match RsaMasterKey::from_pem(public, private) {
            Err(Error::InvalidPem { reason, .. }) => assert!(reason.contains("under 2048 bits"), "{reason}"),
            other => panic!("a 1024-bit key was not refused for its size: {other:?}"),
        }
    }
}

#[test]
fn debug_is_redacted() {
    let key = RsaMasterKey::from_pem(Some(PUBLIC_SPKI), Some(PRIVATE_PKCS1))
        .unwrap()
        .with_material_description(MaterialDescription::new().with("desc", "key-A1"));
    let rendered = format!("{key:?}");
    assert!(rendered.contains("bits: 2048") && rendered.contains("key-A1"), "{rendered}");
    assert!(!rendered.contains("MII"), "{rendered}");
}

#[test]
fn a_public_key_of_another_pair_is_refused() {
    let err = RsaMasterKey::from_pem(Some(PUBLIC_SPKI), Some(OTHER_PRIVATE)).unwrap_err();
    assert!(matches!(err, Error::InvalidPem { what: "RSA key pair", .. }), "{err}");
    assert!(RsaMasterKey::from_pem(Some(PUBLIC_SPKI), Some(PRIVATE_PKCS1)).is_ok());
}
