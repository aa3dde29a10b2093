//! Several master keys told apart by material description, with the reader
//! outcomes oss2 showed (strict matching, no silent fallback).

use oss_cse_envelope::{Error, KeyRing};

use crate::support::*;

fn md(name: &str) -> Option<oss_cse_envelope::MaterialDescription> {
    matdesc_of(&load("keys.json")["mat_desc"][name])
}

fn object(key: &str) -> serde_json::Value {
    let vectors = load("v2_multikey.json");
    cases(&vectors).iter().find(|c| c["object_key"] == key).unwrap().clone()
}

#[test]
fn key_ring_reads_what_oss2_reads() {
    let both = KeyRing::new(rsa_key("key2", "public_spki", "private_pkcs1", md("key2"))).with_decrypting_key(rsa_key(
        "key1",
        "public_spki",
        "private_pkcs8",
        md("key1"),
    ));
    for key in ["multikey/key1", "multikey/key2"] {
        let case = object(key);
        let envelope = envelope_of(&case["stored_meta"]);
        let material = unwrap_with(&both, &envelope);
        assert_eq!(material.key().expose_secret().to_vec(), hex_of(&case["data_key_hex"]), "{key}");
        check_content(&case, &material);
    }
}

#[test]
fn missing_key_is_named_by_its_matdesc() {
    let case = object("multikey/key1");
    let envelope = envelope_of(&case["stored_meta"]);
    // "oss2 reader key2/md2 only" and "oss2 reader key1 without mat_desc": errors.
    for ring in [ring("key2", md("key2")), ring("key1", None)] {
        let err = ring.select(&envelope).unwrap_err();
        assert!(matches!(err, Error::NoMatchingMasterKey { .. }), "{err}");
        assert!(err.to_string().contains(r#"{"desc": "key-A1"}"#), "{err}");
    }
}

#[test]
fn matdesc_order_does_not_matter() {
    let vectors = load("v2_multikey.json");
    let outcome = vectors["read_outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["object_key"] == "multikey/key2-reordered-desc" && o["ok"] == true)
        .unwrap();
    let header = outcome["object_matdesc_header"].as_str().unwrap();
    let reordered = oss_cse_envelope::MaterialDescription::from_json(header).unwrap();
    assert_eq!(Some(reordered), md("key2"));
    // The same object read through a ring whose key2 description has the other order.
    let key2 = object("multikey/key2");
    let mut envelope = envelope_of(&key2["stored_meta"]);
    envelope.material_description = oss_cse_envelope::MaterialDescription::from_json(header).ok();
    let ring = KeyRing::new(rsa_key("key1", "public_spki", "private_pkcs1", md("key1"))).with_decrypting_key(rsa_key(
        "key2",
        "public_spki",
        "private_pkcs1",
        md("key2"),
    ));
    assert!(ring.select(&envelope).is_ok());
}
