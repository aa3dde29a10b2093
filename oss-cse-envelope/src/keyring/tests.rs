use futures::executor::block_on;
use oss_cse_core::{DataKey, Iv};

use super::*;
use crate::{Format, RsaMasterKey, WrapAlgorithm, WrappedMaterial};

const KEY1_PUBLIC: &str = include_str!("../../../vectors/keys/key1_public_spki.pem");
const KEY1_PRIVATE: &str = include_str!("../../../vectors/keys/key1_private_pkcs1.pem");
const KEY2_PUBLIC: &str = include_str!("../../../vectors/keys/key2_public_spki.pem");
const KEY2_PRIVATE: &str = include_str!("../../../vectors/keys/key2_private_pkcs1.pem");

fn key(public: &str, private: &str, desc: Option<&str>) -> RsaMasterKey {
    let key = RsaMasterKey::from_pem(Some(public), Some(private)).unwrap();
    match desc {
        Some(desc) => key.with_material_description(MaterialDescription::new().with("desc", desc)),
        None => key,
    }
}

fn key1(desc: Option<&str>) -> RsaMasterKey {
    key(KEY1_PUBLIC, KEY1_PRIVATE, desc)
}

fn key2(desc: Option<&str>) -> RsaMasterKey {
    key(KEY2_PUBLIC, KEY2_PRIVATE, desc)
}

fn material() -> ContentMaterial {
    ContentMaterial::new(DataKey::from_slice(&[0x42; 32]).unwrap(), Iv::from_slice(&[0x24; 16]).unwrap())
}

/// An object wrapped by `by`, recording `desc` as its matdesc.
fn object(by: &RsaMasterKey, desc: Option<&str>) -> Envelope {
    let wrapped = block_on(by.wrap(&material(), Format::V2)).unwrap();
    let mut envelope = Envelope::new(Format::V2, wrapped);
    envelope.material_description = desc.map(|d| MaterialDescription::new().with("desc", d));
    envelope
}

/// The data key and IV a ring unwraps, to compare with [`material`].
fn opens(ring: &KeyRing, envelope: &Envelope, matching: MatdescMatch) -> Result<([u8; 32], [u8; 16]), Error> {
    block_on(ring.open(envelope, matching)).map(|m| (*m.key().expose_secret(), *m.iv().expose_secret()))
}

fn expected() -> ([u8; 32], [u8; 16]) {
    ([0x42; 32], [0x24; 16])
}

#[test]
fn one_key_opens_objects_whatever_their_matdesc_unless_strict() {
    let ring = KeyRing::new(key1(None));
    for recorded in [None, Some("typed elsewhere"), Some("clé/été <b>")] {
        let envelope = object(&key1(None), recorded);
        assert_eq!(opens(&ring, &envelope, MatdescMatch::Hint).unwrap(), expected(), "{recorded:?}");
        let strict = opens(&ring, &envelope, MatdescMatch::Exact);
        match recorded {
            None => assert!(strict.is_ok()),
            Some(_) => assert!(matches!(strict, Err(Error::NoMatchingMasterKey { .. })), "{strict:?}"),
        }
    }
}

#[test]
fn several_keys_exact_match_first_then_ring_order() {
    // The object names key2's description; key1 comes first in the ring.
    let ring = KeyRing::new(key1(Some("one"))).with_decrypting_key(key2(Some("two")));
    let envelope = object(&key2(None), Some("two"));
    let order: Vec<_> = ring
        .candidates(&envelope, MatdescMatch::Hint)
        .iter()
        .map(|k| k.material_description().and_then(|m| m.get("desc")).unwrap_or("-").to_owned())
        .collect();
    assert_eq!(order, ["two", "one"]);
    assert_eq!(ring.candidates(&envelope, MatdescMatch::Exact).len(), 1);
    assert_eq!(opens(&ring, &envelope, MatdescMatch::Exact).unwrap(), expected());

    // An unknown description: every key is tried in order, key2 opens it.
    let stranger = object(&key2(None), Some("neither"));
    assert_eq!(opens(&ring, &stranger, MatdescMatch::Hint).unwrap(), expected());
    assert!(matches!(opens(&ring, &stranger, MatdescMatch::Exact), Err(Error::NoMatchingMasterKey { .. })));

    // A description that names the wrong key: the exact match fails, the next key opens it.
    let misnamed = object(&key2(None), Some("one"));
    assert_eq!(opens(&ring, &misnamed, MatdescMatch::Hint).unwrap(), expected());
    assert!(matches!(opens(&ring, &misnamed, MatdescMatch::Exact), Err(Error::RsaUnwrap)));
}

#[test]
fn no_key_opening_is_one_error_whatever_the_failures() {
    let ring = KeyRing::new(key1(Some("one"))).with_decrypting_key(key2(Some("two")));
    let good = object(&key1(None), Some("none of ours"));
    let seal = |plaintext: &[u8]| {
        key1(None).encrypt(WrapAlgorithm::RsaPkcs1V15, plaintext, crate::WrappedValue::DataKey).unwrap()
    };
    let mut bad_padding = good.wrapped.wrapped_key.clone();
    bad_padding[0] ^= 0x80;
    let forgeries = [
        (bad_padding, good.wrapped.wrapped_start.clone()),
        (seal(&[1; 31]), good.wrapped.wrapped_start.clone()),
        (good.wrapped.wrapped_key.clone(), seal(&[1; 15])),
        (good.wrapped.wrapped_start.clone(), good.wrapped.wrapped_key.clone()),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for (wrapped_key, wrapped_start) in forgeries {
        let mut forged = good.clone();
        forged.wrapped = WrappedMaterial { algorithm: WrapAlgorithm::RsaPkcs1V15, wrapped_key, wrapped_start };
        let error = opens(&ring, &forged, MatdescMatch::Hint).unwrap_err();
        assert!(matches!(error, Error::NoKeyOpened { tried: 2, .. }), "{error:?}");
        seen.insert(format!("{error} | {error:?}"));
    }
    assert_eq!(seen.len(), 1, "{seen:?}");
    let message = seen.into_iter().next().unwrap();
    assert!(message.contains("none of ours") && message.contains("2 tried"), "{message}");
}

#[test]
fn no_candidate_for_the_algorithm_is_no_match() {
    let ring = KeyRing::new(key1(None));
    let mut envelope = object(&key1(None), None);
    envelope.wrapped.algorithm = WrapAlgorithm::KmsAliCloud;
    assert!(ring.candidates(&envelope, MatdescMatch::Hint).is_empty());
    let error = opens(&ring, &envelope, MatdescMatch::Hint).unwrap_err();
    assert!(matches!(error, Error::NoMatchingMasterKey { .. }), "{error:?}");
}

#[test]
fn a_key_without_its_private_half_is_passed_over() {
    let public_only = RsaMasterKey::from_pem(Some(KEY2_PUBLIC), None).unwrap();
    let ring = KeyRing::new(public_only).with_decrypting_key(key1(None));
    let envelope = object(&key1(None), None);
    assert_eq!(opens(&ring, &envelope, MatdescMatch::Hint).unwrap(), expected());
}

#[test]
fn one_key_that_fails_is_named_by_the_matdesc_unless_it_matched_exactly() {
    let ring = KeyRing::new(key1(Some("one")));
    let by_other = object(&key2(None), Some("two"));
    let error = opens(&ring, &by_other, MatdescMatch::Hint).unwrap_err();
    assert!(matches!(error, Error::NoKeyOpened { tried: 1, .. }), "{error:?}");
    assert!(error.to_string().contains(r#"{"desc": "two"}"#), "{error}");
    let misnamed = object(&key2(None), Some("one"));
    assert!(matches!(opens(&ring, &misnamed, MatdescMatch::Hint), Err(Error::RsaUnwrap)));
}
