//! Loading vectors and the helpers every conformance module shares.

use std::collections::BTreeMap;
use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use oss_cse_envelope::core::{Aes256Ctr, ContentMaterial};
use oss_cse_envelope::{Envelope, KeyRing, MaterialDescription, RsaMasterKey};
use serde_json::Value;
use sha2::{Digest, Sha256};

pub fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../vectors")
}

pub fn load(name: &str) -> Value {
    let path = vectors_dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

pub fn cases(file: &Value) -> &Vec<Value> {
    file["cases"].as_array().unwrap()
}

/// The vectors' plaintext generator: `bytes(i % 251 for i in range(n))`.
pub fn plaintext(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

pub fn hex_of(value: &Value) -> Vec<u8> {
    hex::decode(value.as_str().unwrap()).unwrap()
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Headers of a JSON object, as (name, value) pairs.
pub fn headers(object: &Value) -> Vec<(String, String)> {
    object.as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned())).collect()
}

pub fn envelope_of(object: &Value) -> Envelope {
    let headers = headers(object);
    Envelope::from_headers(headers.iter().map(|(k, v)| (k.as_str(), v.as_bytes()))).unwrap().expect("encrypted")
}

/// `to_headers` of an envelope reproduces exactly the envelope headers stored.
pub fn assert_reencodes(envelope: &Envelope, stored: &Value, prefix: &str) {
    let ours: BTreeMap<String, String> =
        envelope.to_headers().unwrap().into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    let theirs: BTreeMap<String, String> = headers(stored)
        .into_iter()
        .filter(|(k, _)| {
            k.starts_with(prefix) || (prefix.contains("-oss-meta-oss-") && k.starts_with("x-oss-meta-unencrypted-"))
        })
        .collect();
    assert_eq!(ours, theirs);
}

pub fn key_pem(name: &str, form: &str) -> String {
    std::fs::read_to_string(vectors_dir().join(format!("keys/{name}_{form}.pem"))).unwrap()
}

pub fn matdesc_of(value: &Value) -> Option<MaterialDescription> {
    value.as_object().map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned())).collect())
}

/// RSA key `name` (`key1`/`key2`) with both halves, in the given PEM forms.
pub fn rsa_key(
    name: &str,
    public_form: &str,
    private_form: &str,
    matdesc: Option<MaterialDescription>,
) -> RsaMasterKey {
    let key = RsaMasterKey::from_pem(Some(&key_pem(name, public_form)), Some(&key_pem(name, private_form))).unwrap();
    match matdesc {
        Some(md) => key.with_material_description(md),
        None => key,
    }
}

pub fn ring(name: &str, matdesc: Option<MaterialDescription>) -> KeyRing {
    KeyRing::new(rsa_key(name, "public_spki", "private_pkcs1", matdesc))
}

pub fn unwrap_with(ring: &KeyRing, envelope: &Envelope) -> ContentMaterial {
    let key = ring.select(envelope).unwrap();
    futures::executor::block_on(key.unwrap(envelope)).unwrap()
}

/// Encrypts (or decrypts) `data` in chunks of `chunk` bytes starting at `offset`.
pub fn ctr(material: &ContentMaterial, offset: u64, data: &[u8], chunk: usize) -> Vec<u8> {
    let mut out = data.to_vec();
    let mut cipher: Aes256Ctr = material.cipher_at(offset);
    for piece in out.chunks_mut(chunk.max(1)) {
        cipher.apply_keystream(piece);
    }
    out
}

/// The ciphertext of a case: inline base64 when short, else a side file
/// when one exists; `None` when only its hash is recorded.
pub fn ciphertext_of(case: &Value) -> Option<Vec<u8>> {
    let ct = &case["ciphertext"];
    if let Some(b64) = ct["b64"].as_str() {
        return Some(STANDARD.decode(b64).unwrap());
    }
    let side = vectors_dir().join(format!("{}.ciphertext.bin", case["name"].as_str()?));
    std::fs::read(side).ok()
}

/// Checks a case's content both ways: our encryption of the plaintext equals
/// the SDK's ciphertext byte for byte (or by SHA-256 when only that is
/// recorded), and decrypting it gives the plaintext back, in several chunkings.
pub fn check_content(case: &Value, material: &ContentMaterial) {
    let name = case["name"].as_str().unwrap_or("?");
    let len = case["plaintext"]["len"].as_u64().unwrap() as usize;
    let plain = plaintext(len);
    assert_eq!(sha256_hex(&plain), case["plaintext"]["sha256"].as_str().unwrap(), "{name}: plaintext generator");
    let ours = ctr(material, 0, &plain, 1 << 20);
    assert_eq!(ours.len() as u64, case["ciphertext"]["len"].as_u64().unwrap(), "{name}");
    assert_eq!(sha256_hex(&ours), case["ciphertext"]["sha256"].as_str().unwrap(), "{name}: ciphertext sha256");
    if let Some(theirs) = ciphertext_of(case) {
        assert_eq!(ours, theirs, "{name}: ciphertext bytes");
        for chunk in [1, 7, 16, 4096] {
            assert_eq!(ctr(material, 0, &theirs, chunk), plain, "{name}: decrypt in chunks of {chunk}");
        }
    }
}
