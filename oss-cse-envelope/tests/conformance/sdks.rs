//! Objects written by the official Go v1, Go v2, Java and C++ SDKs
//! (`vectors/sdks`): every case decrypts with the key and matdesc its SDK
//! was given, and with only the key; the matdesc text each SDK writes is
//! the text our style for that SDK writes; envelopes re-encode unchanged.

use std::collections::HashMap;

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use oss_cse_envelope::consts::{V2_MATDESC, V2_PREFIX};
use oss_cse_envelope::core::ContentMaterial;
use oss_cse_envelope::kms_layout::{KmsLayout, ciphertext_blob, material_from_kms_plaintexts};
use oss_cse_envelope::{
    Compat, Envelope, Error, Format, KeyRing, MasterKey, MatdescMatch, MaterialDescription, RsaMasterKey,
    WrapAlgorithm, WrappedMaterial, WrappedValue,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::support::*;

const SDKS: [(&str, Compat); 4] =
    [("go_v1", Compat::Go), ("go_v2", Compat::Go), ("java", Compat::Java), ("cpp", Compat::Cpp)];

/// These vectors' plaintext generator: SHA-256 of the seed and a big-endian
/// 8-byte counter, concatenated.
fn sdk_plaintext(seed: &str, len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 32);
    for i in 0..len.div_ceil(32) as u64 {
        let mut hash = Sha256::new();
        hash.update(seed.as_bytes());
        hash.update(i.to_be_bytes());
        out.extend_from_slice(&hash.finalize());
    }
    out.truncate(len);
    out
}

fn sdk_ciphertext(case: &Value) -> Vec<u8> {
    let ct = &case["ciphertext"];
    match ct["b64"].as_str() {
        Some(b64) => STANDARD.decode(b64).unwrap(),
        None => std::fs::read(vectors_dir().join(format!("sdks/{}", ct["file"].as_str().unwrap()))).unwrap(),
    }
}

fn sdk_rsa_key(name: &str) -> RsaMasterKey {
    let pem = |form: &str| std::fs::read_to_string(vectors_dir().join(format!("sdks/keys/{name}_{form}.pem"))).unwrap();
    RsaMasterKey::from_pem(Some(&pem("public_spki")), Some(&pem("private_pkcs8"))).unwrap()
}

/// KMS as the SDK's reads met it: the recorded Decrypt answers, for the
/// Go/Java layout (the blob text itself in the header).
#[derive(Debug)]
struct ReplayedKms {
    answers: HashMap<String, String>,
    matdesc: Option<MaterialDescription>,
}

impl ReplayedKms {
    fn new(case: &Value, matdesc: Option<MaterialDescription>) -> Self {
        let answers = case["kms_calls_on_get"]
            .as_array()
            .unwrap()
            .iter()
            .map(|call| {
                assert_eq!(call["action"], "Decrypt");
                let blob = call["params"]["CiphertextBlob"].as_str().unwrap().to_owned();
                (blob, call["response"]["Plaintext"].as_str().unwrap().to_owned())
            })
            .collect();
        Self { answers, matdesc }
    }

    fn decrypt(&self, wrapped: &[u8], what: WrappedValue) -> Result<String, Error> {
        let (blob, layout) = ciphertext_blob(wrapped, what)?;
        assert_eq!(layout, KmsLayout::BlobText);
        self.answers.get(&blob).cloned().ok_or(Error::InvalidKmsBlob { what })
    }
}

#[async_trait]
impl MasterKey for ReplayedKms {
    fn wrap_algorithm(&self) -> WrapAlgorithm {
        WrapAlgorithm::KmsAliCloud
    }
    fn material_description(&self) -> Option<&MaterialDescription> {
        self.matdesc.as_ref()
    }
    async fn wrap(&self, _: &ContentMaterial, _: Format) -> Result<WrappedMaterial, Error> {
        unreachable!("the replayed KMS only decrypts")
    }
    async fn unwrap(&self, envelope: &Envelope) -> Result<ContentMaterial, Error> {
        let key = self.decrypt(&envelope.wrapped.wrapped_key, WrappedValue::DataKey)?;
        let start = self.decrypt(&envelope.wrapped.wrapped_start, WrappedValue::Start)?;
        material_from_kms_plaintexts(&key, &start, envelope.format)
    }
}

/// A ring holding only this case's key, described by `matdesc`.
fn ring_for(case: &Value, matdesc: Option<MaterialDescription>) -> KeyRing {
    match case["master"].as_str().unwrap() {
        "rsa" => {
            let key = sdk_rsa_key(case["rsa_key"].as_str().unwrap());
            KeyRing::new(match matdesc {
                Some(md) => key.with_material_description(md),
                None => key,
            })
        }
        "kms" => KeyRing::new(ReplayedKms::new(case, matdesc)),
        other => panic!("unknown master {other}"),
    }
}

fn open(ring: &KeyRing, envelope: &Envelope, matching: MatdescMatch) -> Result<ContentMaterial, Error> {
    futures::executor::block_on(ring.open(envelope, matching))
}

fn check_decrypts(case: &Value, material: &ContentMaterial, how: &str) {
    let name = case["name"].as_str().unwrap();
    assert_eq!(hex::encode(material.key().expose_secret()), case["data_key_hex"].as_str().unwrap(), "{name} {how}");
    assert_eq!(hex::encode(material.iv().expose_secret()), case["iv_hex"].as_str().unwrap(), "{name} {how}");
    let ciphertext = sdk_ciphertext(case);
    assert_eq!(sha256_hex(&ciphertext), case["ciphertext"]["sha256"].as_str().unwrap(), "{name}: ciphertext file");
    let plaintext = ctr(material, 0, &ciphertext, 4096);
    assert_eq!(sha256_hex(&plaintext), case["plaintext"]["sha256"].as_str().unwrap(), "{name} {how}");
    let len = plaintext.len();
    assert_eq!(plaintext, sdk_plaintext(case["plaintext"]["seed"].as_str().unwrap(), len), "{name}: generator");
    // Each part of a multipart object decrypts alone from its offset.
    for part in case["parts"].as_array().into_iter().flatten() {
        let offset = part["plaintext_offset"].as_u64().unwrap() as usize;
        let part_len = part["plaintext_len"].as_u64().unwrap() as usize;
        let piece = ctr(material, offset as u64, &ciphertext[offset..offset + part_len], 1000);
        assert_eq!(piece, plaintext[offset..offset + part_len], "{name}: part at {offset}");
    }
}

#[test]
fn every_sdk_case_decrypts_with_its_matdesc_and_with_only_its_key() {
    let mut checked = 0;
    for (sdk, _) in SDKS {
        let vectors = load(&format!("sdks/{sdk}.json"));
        for case in cases(&vectors) {
            let name = case["name"].as_str().unwrap();
            let envelope = envelope_of(&case["stored_meta"]);
            assert_eq!(envelope.format, Format::V2, "{name}");
            assert_reencodes(&envelope, &case["stored_meta"], V2_PREFIX);
            let given = matdesc_of(&case["mat_desc_given"]);

            // The key and matdesc the SDK was given.
            let with_matdesc = ring_for(case, given.clone());
            check_decrypts(case, &open(&with_matdesc, &envelope, MatdescMatch::Hint).unwrap(), "with its matdesc");
            // Only the key, no matdesc typed.
            let key_only = ring_for(case, None);
            check_decrypts(case, &open(&key_only, &envelope, MatdescMatch::Hint).unwrap(), "with only the key");

            // Strict matching opens exactly the objects whose stored matdesc
            // says what the SDK was given: all but Java's mangled one.
            let faithful = envelope.material_description == given;
            assert_eq!(faithful, name != "java_rsa_put_escmatdesc_len_100", "{name}");
            let strict = open(&with_matdesc, &envelope, MatdescMatch::Exact);
            match strict {
                Ok(material) => {
                    assert!(faithful, "{name}");
                    check_decrypts(case, &material, "strictly");
                }
                Err(error) => {
                    assert!(!faithful, "{name}: {error}");
                    assert!(matches!(error, Error::NoMatchingMasterKey { .. }), "{name}: {error:?}");
                }
            }
            let strict_key_only = open(&key_only, &envelope, MatdescMatch::Exact);
            assert_eq!(strict_key_only.is_ok(), given.is_none(), "{name}");
            checked += 1;
        }
    }
    assert_eq!(checked, 42);
}

#[test]
fn each_sdk_writes_the_matdesc_text_of_our_style_for_it() {
    let mut compared = 0;
    for (sdk, compat) in SDKS {
        let vectors = load(&format!("sdks/{sdk}.json"));
        for case in cases(&vectors) {
            let name = case["name"].as_str().unwrap();
            let Some(given) = matdesc_of(&case["mat_desc_given"]) else {
                assert!(case["stored_meta"].get(V2_MATDESC).is_none(), "{name}: no matdesc, no header");
                continue;
            };
            let stored = case["stored_meta"][V2_MATDESC].as_str().unwrap();
            if name == "java_rsa_put_escmatdesc_len_100" {
                // Java's ISO-8859-1 header mangled it; what we write for Java
                // escapes non-ASCII so that Java reads it back intact.
                assert_ne!(stored, given.to_json_in(compat.matdesc_style()));
                continue;
            }
            assert_eq!(given.to_json_in(compat.matdesc_style()), stored, "{name}");
            compared += 1;
        }
    }
    assert_eq!(compared, 30);
}
