//! The CRC-64 of an object's plaintext from the one OSS reports for its
//! ciphertext, without reading the object: CRC-64 is affine over GF(2), so
//! for a plaintext P, key stream K and ciphertext C = P ^ K of n bytes,
//! crc(P) = crc(C) ^ crc(K) ^ crc(0^n). It costs one pass of AES-256-CTR
//! over n bytes of key stream (no download), and lets a server in front of
//! OSS (the gateway) answer a whole GET with the plaintext's CRC before the
//! first byte, as clients that check it expect.

use std::sync::Arc;

use oss_cse_core::ContentMaterial;
use oss_cse_envelope::Envelope;

use super::encryption::resource;
use super::material_cache::MaterialId;
use crate::oss::types::ObjectMeta;
use crate::{Crc64, EncryptionClient, Error, Result};

/// The key stream is made and hashed in pieces of this size.
const CHUNK: usize = 1 << 20;

/// Below this length the key stream is hashed on one thread.
const SPLIT_FROM: u64 = 8 << 20;

/// crc(P) from crc(C), the content material and the length, on one thread:
/// what the split pass is checked against.
#[cfg(test)]
fn plaintext_crc(ciphertext_crc: u64, material: &ContentMaterial, length: u64) -> u64 {
    ciphertext_crc ^ keystream_crc(material, 0, length) ^ zeros_crc(length)
}

/// The CRC-64 of `length` bytes of the material's key stream from `offset`
/// (a multiple of 16).
fn keystream_crc(material: &ContentMaterial, offset: u64, length: u64) -> u64 {
    let mut cipher = material.cipher_at(offset);
    let mut keystream = Crc64::new();
    let mut buf = vec![0u8; CHUNK];
    let mut left = length;
    while left > 0 {
        let n = usize::try_from(left).map_or(CHUNK, |left| left.min(CHUNK));
        let piece = &mut buf[..n];
        piece.fill(0);
        cipher.apply_keystream(piece);
        keystream.update(piece);
        left -= n as u64;
    }
    keystream.value()
}

/// The CRC-64 of `n` zero bytes, by doubling: O(log n) combines, no pass.
fn zeros_crc(n: u64) -> u64 {
    let (mut crc, mut power, mut power_len, mut left) = (Crc64::of(&[]), Crc64::of(&[0]), 1u64, n);
    while left > 0 {
        if left & 1 == 1 {
            crc = Crc64::combine(crc, power, power_len);
        }
        left >>= 1;
        if left > 0 {
            power = Crc64::combine(power, power, power_len);
            power_len *= 2;
        }
    }
    crc
}

/// [`plaintext_crc`] with the key stream split over `threads` blocking
/// threads (its CRC-64s joined by `combine`): the pass is on the way of a
/// GET's first byte.
async fn plaintext_crc_split(
    ciphertext_crc: u64,
    material: Arc<ContentMaterial>,
    length: u64,
    threads: u64,
) -> Result<u64> {
    let threads = if length < SPLIT_FROM { 1 } else { threads.max(1) };
    // Whole chunks per thread (a multiple of 16, so each starts on a block).
    let share = length.div_ceil(threads).div_ceil(CHUNK as u64) * CHUNK as u64;
    let mut pieces = Vec::new();
    let mut offset = 0;
    while offset < length || pieces.is_empty() {
        let len = share.min(length - offset);
        let material = material.clone();
        pieces.push((len, tokio::task::spawn_blocking(move || keystream_crc(&material, offset, len))));
        offset += len;
    }
    let mut keystream = Crc64::of(&[]);
    for (len, piece) in pieces {
        let crc = piece.await.map_err(|join| Error::TaskFailed { reason: join.to_string() })?;
        keystream = Crc64::combine(keystream, crc, len);
    }
    Ok(ciphertext_crc ^ keystream ^ zeros_crc(length))
}

impl EncryptionClient {
    /// The CRC-64 of the plaintext of the object `meta` describes (its
    /// `envelope` as read from `meta`), from the CRC-64 OSS reports for the
    /// stored bytes; `None` when OSS reports none. An object without an
    /// envelope is its own plaintext. One AES pass over the object's length,
    /// split over up to four blocking threads; the data key comes from the
    /// material cache.
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
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4)) as u64;
        Ok(Some(plaintext_crc_split(stored, material, meta.content_length, threads).await?))
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

    #[test]
    fn the_crc_of_zeros_is_found_without_a_pass() {
        for n in [0usize, 1, 2, 3, 15, 16, 1000, CHUNK - 1, CHUNK, CHUNK + 1, 5 * CHUNK + 77] {
            assert_eq!(zeros_crc(n as u64), Crc64::of(&vec![0u8; n]), "{n} zeros");
        }
    }

    #[tokio::test]
    async fn a_split_pass_gives_the_same_crc() {
        let material = Arc::new(ContentMaterial::generate(&mut rand_core::UnwrapErr(rand::rngs::SysRng)));
        for length in [0u64, 17, SPLIT_FROM - 1, SPLIT_FROM, SPLIT_FROM + 3 * CHUNK as u64 + 5] {
            let plaintext: Vec<u8> = (0..length).map(|i| (i * 31 % 251) as u8).collect();
            let mut ciphertext = plaintext.clone();
            material.cipher().apply_keystream(&mut ciphertext);
            for threads in [1, 2, 3, 4] {
                let split = plaintext_crc_split(Crc64::of(&ciphertext), material.clone(), length, threads).await;
                assert_eq!(split.unwrap(), Crc64::of(&plaintext), "{length} bytes on {threads} threads");
            }
        }
    }
}
