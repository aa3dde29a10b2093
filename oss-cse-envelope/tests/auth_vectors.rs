//! The authentication tag and signature against vectors written by a second,
//! independent implementation (interop/auth_tag_reference.py: Python's
//! cryptography and blake3): what docs/format.md specifies, byte for byte.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use oss_cse_envelope::auth::{AuthTag, Signature, SignedName, SigningKey, VerifyingKey};
use oss_cse_envelope::core::auth::{MacKey, TagParams, tag_of};
use oss_cse_envelope::core::{ContentMaterial, DataKey, Iv};
use sha2::Digest as _;

fn vectors() -> serde_json::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../vectors/auth/tag_v1.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn tags_and_signatures_match_the_reference_implementation() {
    let v = vectors();
    let data_key = hex::decode(v["data_key_hex"].as_str().unwrap()).unwrap();
    let iv = hex::decode(v["iv_hex"].as_str().unwrap()).unwrap();
    let material = ContentMaterial::new(DataKey::from_slice(&data_key).unwrap(), Iv::from_slice(&iv).unwrap());
    let signer = SigningKey::from_pem(v["signing_key_pkcs8_pem"].as_str().unwrap()).unwrap();
    let verifying = VerifyingKey::from_pem(v["verifying_key_spki_pem"].as_str().unwrap()).unwrap();
    assert_eq!(signer.verifying_key(), verifying);
    let (bucket, key) = (v["signed_name"]["bucket"].as_str().unwrap(), v["signed_name"]["key"].as_str().unwrap());
    let cases = v["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 7);
    for case in cases {
        let len = case["plaintext_len"].as_u64().unwrap() as usize;
        let mut bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        material.cipher().apply_keystream(&mut bytes);
        assert_eq!(hex::encode(sha2::Sha256::digest(&bytes)), case["ciphertext_sha256"].as_str().unwrap(), "{len}");
        let params = TagParams { cek_alg: "AES/CTR/NoPadding", iv: material.iv(), length: len as u64 };
        let tag = AuthTag(tag_of(&MacKey::derive(material.key()), &params, &bytes).unwrap());
        assert_eq!(tag.header_value(), case["tag_header"].as_str().unwrap(), "{len}");
        assert_eq!(AuthTag::parse(case["tag_header"].as_str().unwrap()).unwrap(), tag);
        // Ed25519 signatures are deterministic: ours are the reference's.
        let anywhere = signer.sign(&tag, SignedName::Anywhere);
        assert_eq!(anywhere.header_value(), case["sig_header_anywhere"].as_str().unwrap(), "{len}");
        let named = signer.sign(&tag, SignedName::At { bucket, key });
        assert_eq!(named.header_value(), case["sig_header_named"].as_str().unwrap(), "{len}");
        let parsed = Signature::parse(case["sig_header_named"].as_str().unwrap()).unwrap();
        assert!(verifying.verify(&parsed, &tag, bucket, key));
        assert!(!verifying.verify(&parsed, &tag, bucket, "elsewhere"));
    }
}
