//! The data key of a resumable upload, sealed in its checkpoint under a
//! local key, so that an upload begun with only a public key (which cannot
//! unwrap the envelope) can be resumed with only that key.
//!
//! The local key is 32 random bytes in `.oss-cse-checkpoint.key` beside the
//! checkpoints (created once, exclusively, mode 0600). The sealed value is
//! AES-256-GCM over the data key and IV, bound to the bucket, key and upload
//! id, so it cannot be moved to another upload. Whoever can read both files
//! can read the data key of the uploads in progress there: about what the
//! plaintext files being uploaded from the same machine already give away.

use std::path::{Path, PathBuf};

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use oss_cse_core::{ContentMaterial, DataKey, Iv};
use zeroize::Zeroizing;

use crate::{Error, Result};

/// The local key's file name, in the checkpoint's directory.
const KEY_FILE: &str = ".oss-cse-checkpoint.key";

fn key_path(checkpoint: &Path) -> PathBuf {
    checkpoint.parent().unwrap_or_else(|| Path::new(".")).join(KEY_FILE)
}

/// The local key of the directory of `checkpoint`, created on first use.
fn local_key(checkpoint: &Path) -> Result<Zeroizing<Vec<u8>>> {
    let path = key_path(checkpoint);
    let io = |action: &'static str, path: &Path| {
        let path = path.to_owned();
        move |source| Error::Io { action, path, source }
    };
    match std::fs::read(&path) {
        Ok(bytes) if bytes.len() == 32 => return Ok(Zeroizing::new(bytes)),
        Ok(_) => {
            return Err(Error::Checkpoint { path, reason: "the local checkpoint key is not 32 bytes".into() });
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io("reading", &path)(e)),
    }
    let mut fresh = Zeroizing::new(vec![0u8; 32]);
    rand_core::TryRng::try_fill_bytes(&mut rand::rngs::SysRng, &mut fresh)
        .map_err(|_| Error::invalid_argument("the system random source failed"))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(&path) {
        Ok(mut file) => {
            let written = std::io::Write::write_all(&mut file, &fresh).and_then(|()| file.sync_all());
            if let Err(error) = written {
                // A short key file would refuse every later checkpoint: leave none.
                let _ = std::fs::remove_file(&path);
                return Err(io("writing", &path)(error));
            }
            Ok(fresh)
        }
        // Another process made it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => local_key(checkpoint),
        Err(e) => Err(io("creating", &path)(e)),
    }
}

fn sealing_key(checkpoint: &Path) -> Result<LessSafeKey> {
    let key = local_key(checkpoint)?;
    let unbound = UnboundKey::new(&AES_256_GCM, &key).map_err(|_| Error::invalid_argument("AES-GCM key setup"))?;
    Ok(LessSafeKey::new(unbound))
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
    let sealing = sealing_key(checkpoint).ok()?;
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
            let mode = std::fs::metadata(dir.path().join(KEY_FILE)).map(|m| m.permissions().mode()).unwrap_or(0);
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
