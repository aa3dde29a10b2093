//! The emulator's KMS: CMKs created on demand, with the blob format the
//! project's test vectors were made with, so blobs in the vectors decrypt
//! here too.
//!
//! `CiphertextBlob = base64("FAKEKMS1" || len(KeyId) || KeyId || nonce(12) ||
//! AES-256-GCM(k, nonce, plaintext) || tag(16))` with
//! `k = SHA-256("fake-kms-cmk|" || KeyId)` and
//! `nonce = HMAC-SHA256(k, plaintext)[..12]`.

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
use aws_lc_rs::{digest, hmac};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

const MAGIC: &[u8] = b"FAKEKMS1";

/// Why a KMS operation failed (the KMS error code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KmsFailure {
    /// `InvalidCiphertext`: not a blob of this KMS.
    InvalidCiphertext,
    /// `InvalidParameter`.
    InvalidParameter(&'static str),
}

fn cmk(key_id: &str) -> LessSafeKey {
    let k = digest::digest(&digest::SHA256, format!("fake-kms-cmk|{key_id}").as_bytes());
    // A 32-byte SHA-256 output is always a valid AES-256 key.
    #[allow(clippy::expect_used)]
    LessSafeKey::new(UnboundKey::new(&AES_256_GCM, k.as_ref()).expect("32-byte key"))
}

/// Encrypts `plaintext` (the text KMS was given) under CMK `key_id`.
pub(crate) fn seal(key_id: &str, plaintext: &[u8]) -> Result<String, KmsFailure> {
    if key_id.is_empty() || key_id.len() > 255 {
        return Err(KmsFailure::InvalidParameter("KeyId"));
    }
    let k = digest::digest(&digest::SHA256, format!("fake-kms-cmk|{key_id}").as_bytes());
    let mac = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, k.as_ref()), plaintext);
    let mut nonce = [0u8; 12];
    nonce.copy_from_slice(&mac.as_ref()[..12]);
    let mut sealed = plaintext.to_vec();
    cmk(key_id)
        .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut sealed)
        .map_err(|_| KmsFailure::InvalidParameter("Plaintext"))?;
    let mut blob = MAGIC.to_vec();
    blob.push(key_id.len() as u8);
    blob.extend_from_slice(key_id.as_bytes());
    blob.extend_from_slice(&nonce);
    blob.extend_from_slice(&sealed);
    Ok(STANDARD.encode(blob))
}

/// Decrypts a blob; returns the key id and the plaintext text.
pub(crate) fn open(blob: &str) -> Result<(String, Vec<u8>), KmsFailure> {
    let raw = STANDARD.decode(blob.trim()).map_err(|_| KmsFailure::InvalidCiphertext)?;
    let rest = raw.strip_prefix(MAGIC).ok_or(KmsFailure::InvalidCiphertext)?;
    let (&len, rest) = rest.split_first().ok_or(KmsFailure::InvalidCiphertext)?;
    let len = usize::from(len);
    if rest.len() < len + 12 + 16 {
        return Err(KmsFailure::InvalidCiphertext);
    }
    let key_id = std::str::from_utf8(&rest[..len]).map_err(|_| KmsFailure::InvalidCiphertext)?.to_owned();
    let mut nonce = [0u8; 12];
    nonce.copy_from_slice(&rest[len..len + 12]);
    let mut sealed = rest[len + 12..].to_vec();
    let plaintext = cmk(&key_id)
        .open_in_place(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut sealed)
        .map_err(|_| KmsFailure::InvalidCiphertext)?
        .to_vec();
    Ok((key_id, plaintext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_a_blob_from_the_vectors() {
        // v2_kms.json, case v2_kms_plain_len_1: Encrypt(Plaintext = base64 of the IV).
        let blob =
            "RkFLRUtNUzEPZmFrZS1jbWstQS0wMDAxaDDATBtOWN7XREekU3GbX2eWLAcc1cO7eGPGr0DlG7vRleQ+c2/2KDtZqpo+VmDjEBsHDw==";
        let (key_id, plaintext) = open(blob).unwrap();
        assert_eq!(key_id, "fake-cmk-A-0001");
        assert_eq!(plaintext, b"m1ppv+cUc0EAAAAAbp6fZQ==");
        assert_eq!(seal(&key_id, &plaintext).unwrap(), blob);
        assert_eq!(open("AAAA"), Err(KmsFailure::InvalidCiphertext));
        assert_eq!(open(&blob.replace('R', "S")), Err(KmsFailure::InvalidCiphertext));
    }
}
