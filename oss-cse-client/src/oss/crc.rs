//! CRC-64/XZ ("crc64ecma" in OSS headers) over the bytes OSS stores, with
//! SIMD speed and part combination from `crc-fast`.

use crc_fast::{CrcAlgorithm, Digest};

/// A running CRC-64/XZ.
#[derive(Clone)]
pub struct Crc64(Digest);

impl std::fmt::Debug for Crc64 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Crc64").field(&self.0.finalize()).finish()
    }
}

impl Default for Crc64 {
    fn default() -> Self {
        Self::new()
    }
}

impl Crc64 {
    /// A new CRC (of the empty input: 0).
    pub fn new() -> Self {
        Self(Digest::new(CrcAlgorithm::Crc64Xz))
    }

    /// Feeds bytes.
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    /// The CRC of everything fed so far.
    pub fn value(&self) -> u64 {
        self.0.finalize()
    }

    /// The CRC of `data` in one call.
    pub fn of(data: &[u8]) -> u64 {
        crc_fast::checksum(CrcAlgorithm::Crc64Xz, data)
    }

    /// The CRC of `a || b` from the CRCs of `a` and `b` and the length of `b`
    /// (how the parts of a multipart object add up to the object's CRC).
    pub fn combine(crc_a: u64, crc_b: u64, len_b: u64) -> u64 {
        crc_fast::checksum_combine(CrcAlgorithm::Crc64Xz, crc_a, crc_b, len_b)
    }
}

#[cfg(test)]
mod tests {
    use super::Crc64;

    #[test]
    fn check_value_and_combine() {
        assert_eq!(Crc64::of(b"123456789"), 0x995D_C9BB_DF19_39FA);
        assert_eq!(Crc64::of(b""), 0);
        let (a, b) = (b"hello, ".as_slice(), b"world".as_slice());
        assert_eq!(Crc64::combine(Crc64::of(a), Crc64::of(b), b.len() as u64), Crc64::of(b"hello, world"));
        let mut running = Crc64::new();
        running.update(a);
        running.update(b);
        assert_eq!(running.value(), Crc64::of(b"hello, world"));
    }
}
