//! Data-key material: the per-object AES-256 key and the 16-byte IV (initial
//! counter block), zeroized on drop and never printed.
//!
//! Neither type is `Clone`: a copy of a secret is a second thing to wipe. Code
//! that really needs the bytes calls `expose_secret`, a name meant to stand out
//! in review.

use core::fmt;

use rand_core::CryptoRng;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::Error;

/// Length of an AES-256 data key in bytes.
pub const DATA_KEY_LEN: usize = 32;
/// Length of an IV (one AES block) in bytes.
pub const IV_LEN: usize = 16;

/// A 256-bit AES data key (the "CEK" of the OSS SDKs), zeroized on drop.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct DataKey([u8; DATA_KEY_LEN]);

impl DataKey {
    /// Draws a fresh key from a cryptographically secure generator.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut key = Self([0; DATA_KEY_LEN]);
        rng.fill_bytes(&mut key.0);
        key
    }

    /// Takes a key from raw bytes (for example an unwrapped envelope value).
    ///
    /// # Errors
    /// [`Error::InvalidLength`] unless `bytes` is exactly 32 bytes long.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, Error> {
        let array: [u8; DATA_KEY_LEN] = bytes.try_into().map_err(|_| Error::InvalidLength {
            what: "data key",
            expected: DATA_KEY_LEN,
            actual: bytes.len(),
        })?;
        Ok(Self(array))
    }

    /// The raw key bytes, for wrapping under a master key.
    pub fn expose_secret(&self) -> &[u8; DATA_KEY_LEN] {
        &self.0
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(<redacted>)")
    }
}

/// The initial 128-bit counter block of the content cipher, zeroized on drop.
///
/// The OSS format wraps the IV under the master key like the data key, so it
/// is treated as secret here too.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct Iv([u8; IV_LEN]);

impl Iv {
    /// Draws a fresh IV shaped like every official SDK makes them: bytes
    /// 0..8 and 12..16 random, bytes 8..12 zero.
    ///
    /// The zero bytes matter for interoperability: the Go SDK seeks by adding
    /// to the low 64 bits only and the Java SDK rebuilds bytes 8..16 from bytes
    /// 12..16, so only IVs of this shape decrypt correctly at an offset there.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut iv = Self([0; IV_LEN]);
        rng.fill_bytes(&mut iv.0);
        iv.0[8..12].fill(0);
        iv
    }

    /// Takes an IV from raw bytes (for example an unwrapped V2 `start` value).
    ///
    /// # Errors
    /// [`Error::InvalidLength`] unless `bytes` is exactly 16 bytes long.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, Error> {
        let array: [u8; IV_LEN] =
            bytes.try_into().map_err(|_| Error::InvalidLength { what: "IV", expected: IV_LEN, actual: bytes.len() })?;
        Ok(Self(array))
    }

    /// The counter block for a 128-bit counter value (big-endian).
    pub fn from_counter(counter: u128) -> Self {
        Self(counter.to_be_bytes())
    }

    /// Parses a format V1 start value: the initial counter as ASCII decimal
    /// text (oss2 2.5–2.10 wrote a small integer such as `"7"`).
    ///
    /// # Errors
    /// [`Error::InvalidCounterText`] for anything but 1 to 39 ASCII digits
    /// denoting a value below 2^128.
    pub fn from_v1_counter_text(text: &[u8]) -> Result<Self, Error> {
        if text.is_empty() || text.len() > 39 || !text.iter().all(u8::is_ascii_digit) {
            return Err(Error::InvalidCounterText);
        }
        let mut counter: u128 = 0;
        for digit in text {
            counter = counter
                .checked_mul(10)
                .and_then(|c| c.checked_add(u128::from(digit - b'0')))
                .ok_or(Error::InvalidCounterText)?;
        }
        Ok(Self::from_counter(counter))
    }

    /// The IV as ASCII decimal text, the format V1 start value.
    pub fn to_v1_counter_text(&self) -> zeroize::Zeroizing<String> {
        zeroize::Zeroizing::new(self.counter().to_string())
    }

    /// The IV as a 128-bit big-endian counter value.
    pub fn counter(&self) -> u128 {
        u128::from_be_bytes(self.0)
    }

    /// The raw IV bytes, for wrapping under a master key.
    pub fn expose_secret(&self) -> &[u8; IV_LEN] {
        &self.0
    }
}

impl fmt::Debug for Iv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Iv(<redacted>)")
    }
}

/// The content-encryption material of one object: data key and IV.
///
/// One object (or one multipart upload) has exactly one of these; the
/// envelope stores both, wrapped by the master key.
#[derive(Debug)]
pub struct ContentMaterial {
    key: DataKey,
    iv: Iv,
}

impl ContentMaterial {
    /// Pairs a data key and an IV.
    pub fn new(key: DataKey, iv: Iv) -> Self {
        Self { key, iv }
    }

    /// Draws a fresh data key and IV.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let key = DataKey::generate(rng);
        let iv = Iv::generate(rng);
        Self { key, iv }
    }

    /// The data key.
    pub fn key(&self) -> &DataKey {
        &self.key
    }

    /// The IV.
    pub fn iv(&self) -> &Iv {
        &self.iv
    }

    /// A cipher positioned at byte 0 of the content.
    pub fn cipher(&self) -> crate::Aes256Ctr {
        crate::Aes256Ctr::new(&self.key, &self.iv)
    }

    /// A cipher positioned at byte `offset` of the content (any offset).
    pub fn cipher_at(&self, offset: u64) -> crate::Aes256Ctr {
        let mut cipher = self.cipher();
        cipher.seek(offset);
        cipher
    }
}

#[cfg(test)]
mod tests;
