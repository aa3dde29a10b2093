//! The data key of a resumable upload, sealed in its checkpoint under a
//! local key, so that an upload begun with only a public key (which cannot
//! unwrap the envelope) can be resumed with only that key.
//!
//! The sealing key is derived from the local key of the checkpoint's folder
//! (see [`crate::private::LocalKey`]). The sealed value is AES-256-GCM over
//! the data key and IV, bound to the bucket, key and upload id, so it cannot
//! be moved to another upload. Whoever can read both files can read the data
//! key of the uploads in progress there: about what the plaintext files being
//! uploaded from the same machine already give away.

use std::path::Path;

use aws_lc_rs::aead::{Aad, LessSafeKey, NONCE_LEN, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use oss_cse_core::{ContentMaterial, DataKey, Iv};
use zeroize::Zeroizing;

use crate::private::{LocalKey, folder_of};
use crate::{Error, Result};

fn sealing_key(checkpoint: &Path) -> Result<LessSafeKey> {
    LocalKey::of_folder(folder_of(checkpoint))?.sealing_key()
}

/// What a sealed value is bound to.
fn binding(bucket: &str, key: &str, upload_id: &str) -> Vec<u8> {
    format!("oss-cse upload\n{bucket}\n{key}\n{upload_id}").into_bytes()
}

/// `material` sealed for the checkpoint at `checkpoint` of this upload.
pub(super) fn seal(
    checkpoint: &Path,
    (bucket, key, upload_id): (&str, &str, &str),
    material: &ContentMaterial,
) -> Result<String> {
    let sealing = sealing_key(checkpoint)?;
    let mut nonce = [0u8; NONCE_LEN];
    rand_core::TryRng::try_fill_bytes(&mut rand::rngs::SysRng, &mut nonce)
        .map_err(|_| Error::invalid_argument("the system random source failed"))?;
    let mut data = Zeroizing::new(Vec::with_capacity(48 + 16));
    data.extend_from_slice(material.key().expose_secret());
    data.extend_from_slice(material.iv().expose_secret());
    sealing
        .seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(binding(bucket, key, upload_id)),
            &mut *data,
        )
        .map_err(|_| Error::invalid_argument("AES-GCM seal failed"))?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&data);
    Ok(STANDARD.encode(out))
}

/// The material sealed in a checkpoint, if it opens with the local key and
/// belongs to this upload; `None` otherwise (the upload then starts over).
pub(super) fn unseal(
    checkpoint: &Path,
    (bucket, key, upload_id): (&str, &str, &str),
    sealed: &str,
) -> Option<ContentMaterial> {
    let sealing = LocalKey::existing(folder_of(checkpoint)).ok()??.sealing_key().ok()?;
    let bytes = STANDARD.decode(sealed).ok()?;
    if bytes.len() <= NONCE_LEN {
        return None;
    }
    let (nonce, rest) = bytes.split_at(NONCE_LEN);
    let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
    let mut data = Zeroizing::new(rest.to_vec());
    let plain = sealing.open_in_place(nonce, Aad::from(binding(bucket, key, upload_id)), &mut data).ok()?;
    if plain.len() != 48 {
        return None;
    }
    let data_key = DataKey::from_slice(&plain[..32]).ok()?;
    let iv = Iv::from_slice(&plain[32..]).ok()?;
    Some(ContentMaterial::new(data_key, iv))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_material_opens_only_for_its_upload_and_key() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let checkpoint = dir.path().join("a.checkpoint.json");
        let material = ContentMaterial::new(
            DataKey::from_slice(&[7; 32]).unwrap_or_else(|e| panic!("{e}")),
            Iv::from_slice(&[9; 16]).unwrap_or_else(|e| panic!("{e}")),
        );
        let ids = ("b", "k", "U1");
        let sealed = seal(&checkpoint, ids, &material).unwrap_or_else(|e| panic!("{e}"));
        let opened = unseal(&checkpoint, ids, &sealed).unwrap_or_else(|| panic!("opens"));
        assert_eq!(opened.key().expose_secret(), &[7; 32]);
        assert_eq!(opened.iv().expose_secret(), &[9; 16]);
        assert!(unseal(&checkpoint, ("b", "k", "U2"), &sealed).is_none(), "another upload");
        let mut tampered = STANDARD.decode(&sealed).unwrap_or_default();
        tampered[20] ^= 1;
        assert!(unseal(&checkpoint, ids, &STANDARD.encode(tampered)).is_none(), "tampered");
        assert!(!sealed.contains(&STANDARD.encode([7u8; 32])), "the key is not in the clear");
        // Another directory has another key.
        let other = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        assert!(unseal(&other.path().join("a.checkpoint.json"), ids, &sealed).is_none());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let key_file = dir.path().join(crate::private::KEY_FILE);
            let mode = std::fs::metadata(key_file).map(|m| m.permissions().mode()).unwrap_or(0);
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
