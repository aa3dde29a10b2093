//! The CRC-64 of an object's plaintext from the one OSS reports for its
//! ciphertext, without reading the object: CRC-64 is affine over GF(2), so
//! for a plaintext P, key stream K and ciphertext C = P ^ K of n bytes,
//! crc(P) = crc(C) ^ crc(K) ^ crc(0^n). It costs one pass of AES-256-CTR
//! over n bytes of key stream (no download), and lets a server in front of
//! OSS (the gateway) answer a whole GET with the plaintext's CRC before the
//! first byte, as clients that check it expect.

use oss_cse_core::ContentMaterial;
use oss_cse_envelope::Envelope;

use super::encryption::resource;
use super::material_cache::MaterialId;
use crate::oss::types::ObjectMeta;
use crate::{Crc64, EncryptionClient, Error, Result};

/// The key stream is made and hashed in pieces of this size.
const CHUNK: usize = 1 << 20;

/// crc(P) from crc(C), the content material and the length.
pub(crate) fn plaintext_crc(ciphertext_crc: u64, material: &ContentMaterial, length: u64) -> u64 {
    let mut cipher = material.cipher();
    let mut keystream = Crc64::new();
    let mut zeros = 0u64;
    let mut buf = vec![0u8; CHUNK];
    let zero_chunk = Crc64::of(&buf);
    let mut left = length;
    while left > 0 {
        let n = usize::try_from(left).map_or(CHUNK, |left| left.min(CHUNK));
        let piece = &mut buf[..n];
        piece.fill(0);
        let zero_crc = if n == CHUNK { zero_chunk } else { Crc64::of(piece) };
        cipher.apply_keystream(piece);
        keystream.update(piece);
        zeros = Crc64::combine(zeros, zero_crc, n as u64);
        left -= n as u64;
    }
    ciphertext_crc ^ keystream.value() ^ zeros
}

impl EncryptionClient {
    /// The CRC-64 of the plaintext of the object `meta` describes (its
    /// `envelope` as read from `meta`), from the CRC-64 OSS reports for the
    /// stored bytes; `None` when OSS reports none. An object without an
    /// envelope is its own plaintext. One AES pass over the object's length,
    /// off the async threads; the data key comes from the material cache.
    ///
    /// # Errors
    /// Key and envelope errors, naming the object.
    pub async fn plaintext_crc64(
        &self,
        (bucket, key): (&str, &str),
        meta: &ObjectMeta,
        envelope: Option<&Envelope>,
    ) -> Result<Option<u64>> {
        let Some(stored) = meta.crc64 else { return Ok(None) };
        let Some(envelope) = envelope else { return Ok(Some(stored)) };
        let id = MaterialId::of(bucket, key, meta.etag.as_deref(), envelope);
        let material = self.unwrap_cached(&resource(bucket, key), id, envelope).await?;
        let length = meta.content_length;
        let crc = tokio::task::spawn_blocking(move || plaintext_crc(stored, &material, length))
            .await
            .map_err(|join| Error::TaskFailed { reason: join.to_string() })?;
        Ok(Some(crc))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_plaintext_crc_follows_from_the_ciphertext_crc() {
        let material = ContentMaterial::generate(&mut rand_core::UnwrapErr(rand::rngs::SysRng));
        for length in [0usize, 1, 15, 16, 17, 4096, CHUNK, CHUNK + 5, 3 * CHUNK - 1] {
            let plaintext: Vec<u8> = (0..length).map(|i| (i * 31 % 251) as u8).collect();
            let mut ciphertext = plaintext.clone();
            material.cipher().apply_keystream(&mut ciphertext);
            let derived = plaintext_crc(Crc64::of(&ciphertext), &material, length as u64);
            assert_eq!(derived, Crc64::of(&plaintext), "{length} bytes");
        }
    }
}
