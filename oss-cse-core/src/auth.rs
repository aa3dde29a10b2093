//! The authentication tag of an object (an oss-cse extension the official
//! SDKs ignore): a keyed BLAKE3 MAC over the ciphertext and the parameters
//! that decide how it decrypts, under a key derived from the data key.
//!
//! The ciphertext is cut into chunks of [`TAG_CHUNK`] bytes, each hashed on
//! its own (BLAKE3, unkeyed), so parts and ranges are hashed in parallel and
//! in any order; the tag is then
//!
//! ```text
//! BLAKE3-keyed(mac_key, "oss-cse/tag/v1" 0x00 || u8 len(cek_alg) || cek_alg || iv (16)
//!              || u64be length || u64be TAG_CHUNK || u64be chunk count || chunk hashes...)
//! mac_key = HKDF-SHA256(ikm = data key, salt = "", info = "oss-cse/mac-key/v1"), 32 bytes
//! ```
//!
//! The layout does not depend on how the object was uploaded (one PUT or
//! parts of any size), and a re-wrap keeps data key, IV and ciphertext, so it
//! keeps the tag valid. Forging a tag needs the data key, or a BLAKE3
//! collision.

use aws_lc_rs::hkdf;
use zeroize::Zeroizing;

use crate::{DataKey, Iv};

/// Bytes of ciphertext per chunk hash: ranges that start at multiples of it
/// can be hashed apart.
pub const TAG_CHUNK: u64 = 1 << 20;
/// Length of a tag and of a chunk hash.
pub const TAG_LEN: usize = 32;

const TAG_DOMAIN: &[u8] = b"oss-cse/tag/v1\0";
const MAC_KEY_INFO: &[u8] = b"oss-cse/mac-key/v1";

/// The MAC key of one object, zeroized on drop.
pub struct MacKey(Zeroizing<[u8; TAG_LEN]>);

impl std::fmt::Debug for MacKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MacKey(..)")
    }
}

struct Len32;

impl hkdf::KeyType for Len32 {
    fn len(&self) -> usize {
        TAG_LEN
    }
}

impl MacKey {
    /// HKDF-SHA256 of the data key (see the module docs).
    pub fn derive(data_key: &DataKey) -> Self {
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, &[]).extract(data_key.expose_secret());
        let mut out = Zeroizing::new([0u8; TAG_LEN]);
        // Expanding 32 bytes from SHA-256 cannot fail (the limit is 255 x 32).
        if let Ok(okm) = prk.expand(&[MAC_KEY_INFO], Len32) {
            let _ = okm.fill(out.as_mut_slice());
        }
        Self(out)
    }
}

/// What the tag binds besides the ciphertext.
#[derive(Debug, Clone, Copy)]
pub struct TagParams<'a> {
    /// Content cipher label (`AES/CTR/NoPadding`).
    pub cek_alg: &'a str,
    /// The IV the content was encrypted from.
    pub iv: &'a Iv,
    /// Ciphertext (= plaintext) length.
    pub length: u64,
}

/// Chunks of an object of `length` bytes.
pub fn chunk_count(length: u64) -> u64 {
    length.div_ceil(TAG_CHUNK)
}

/// Hashes consecutive ciphertext from a chunk boundary into chunk hashes.
#[derive(Clone)]
pub struct ChunkHasher {
    first: u64,
    hasher: blake3::Hasher,
    filled: u64,
    hashes: Vec<[u8; TAG_LEN]>,
}

impl std::fmt::Debug for ChunkHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChunkHasher").field("first", &self.first).field("hashed", &self.hashes.len()).finish()
    }
}

impl ChunkHasher {
    /// Starts at chunk `first` (the bytes fed begin at `first * TAG_CHUNK`).
    pub fn new(first: u64) -> Self {
        Self { first, hasher: blake3::Hasher::new(), filled: 0, hashes: Vec::new() }
    }

    /// Starts at byte `offset`, which must be a multiple of [`TAG_CHUNK`].
    pub fn at(offset: u64) -> Option<Self> {
        (offset % TAG_CHUNK == 0).then(|| Self::new(offset / TAG_CHUNK))
    }

    /// Feeds the next ciphertext bytes.
    pub fn update(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let room = (TAG_CHUNK - self.filled) as usize;
            let (now, rest) = bytes.split_at(room.min(bytes.len()));
            self.hasher.update(now);
            self.filled += now.len() as u64;
            if self.filled == TAG_CHUNK {
                self.hashes.push(*self.hasher.finalize().as_bytes());
                self.hasher.reset();
                self.filled = 0;
            }
            bytes = rest;
        }
    }

    /// The first chunk's index and the hashes of the chunks fed (a last
    /// partial chunk included: it is the object's last chunk).
    pub fn finish(mut self) -> (u64, Vec<[u8; TAG_LEN]>) {
        if self.filled > 0 {
            self.hashes.push(*self.hasher.finalize().as_bytes());
        }
        (self.first, self.hashes)
    }
}

/// Collects chunk hashes from any number of [`ChunkHasher`]s, in any order.
#[derive(Debug, Clone)]
pub struct TagBuilder {
    hashes: Vec<Option<[u8; TAG_LEN]>>,
}

impl TagBuilder {
    /// For an object of `length` bytes.
    pub fn new(length: u64) -> Self {
        Self { hashes: vec![None; chunk_count(length) as usize] }
    }

    /// For an object of `length` bytes hashed in one pass from its first
    /// byte (chunks past the end are dropped, so the tag is then missing).
    pub fn whole(length: u64, hasher: ChunkHasher) -> Self {
        let mut builder = Self::new(length);
        builder.add(hasher.finish());
        builder
    }

    /// Adds what a hasher produced; `false` if it does not fit the object.
    pub fn add(&mut self, (first, hashes): (u64, Vec<[u8; TAG_LEN]>)) -> bool {
        let end = first as usize + hashes.len();
        if end > self.hashes.len() {
            return false;
        }
        for (slot, hash) in self.hashes[first as usize..end].iter_mut().zip(hashes) {
            *slot = Some(hash);
        }
        true
    }

    /// Whether every chunk has its hash.
    pub fn is_complete(&self) -> bool {
        self.hashes.iter().all(Option::is_some)
    }

    /// The tag, once every chunk has its hash.
    pub fn tag(&self, key: &MacKey, params: &TagParams<'_>) -> Option<[u8; TAG_LEN]> {
        if self.hashes.len() as u64 != chunk_count(params.length) {
            return None;
        }
        let mut mac = blake3::Hasher::new_keyed(&key.0);
        let alg = params.cek_alg.as_bytes();
        mac.update(TAG_DOMAIN);
        mac.update(&[u8::try_from(alg.len()).ok()?]);
        mac.update(alg);
        mac.update(params.iv.expose_secret());
        mac.update(&params.length.to_be_bytes());
        mac.update(&TAG_CHUNK.to_be_bytes());
        mac.update(&(self.hashes.len() as u64).to_be_bytes());
        for hash in &self.hashes {
            mac.update(hash.as_ref()?);
        }
        Some(*mac.finalize().as_bytes())
    }
}

/// The tag of `ciphertext` in one call (small objects, tests, vectors).
/// `None` if `params.length` is not the ciphertext's length.
pub fn tag_of(key: &MacKey, params: &TagParams<'_>, ciphertext: &[u8]) -> Option<[u8; TAG_LEN]> {
    if ciphertext.len() as u64 != params.length {
        return None;
    }
    let mut hasher = ChunkHasher::new(0);
    hasher.update(ciphertext);
    TagBuilder::whole(params.length, hasher).tag(key, params)
}

/// Compares two tags in constant time.
pub fn tags_equal(a: &[u8; TAG_LEN], b: &[u8; TAG_LEN]) -> bool {
    aws_lc_rs::constant_time::verify_slices_are_equal(a, b).is_ok()
}

#[cfg(test)]
mod tests;
