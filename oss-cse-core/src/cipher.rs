//! The streaming, seekable AES-256-CTR content cipher, shaped like RustCrypto's
//! `cipher::StreamCipher` + `StreamCipherSeek`: apply the keystream in place,
//! seek to any byte offset.

use core::fmt;

use aws_lc_rs::cipher::{AES_256, EncryptingKey, EncryptionContext, UnboundCipherKey};
use aws_lc_rs::iv::FixedLength;
use zeroize::Zeroizing;

use crate::offset::{BLOCK_LEN, counter_block_at};
use crate::{DataKey, Error, Iv};

/// AES-256 in CTR mode with a 128-bit big-endian counter that wraps at 2^128,
/// exactly as the official OSS SDKs encrypt object content.
///
/// The cipher keeps a byte position. [`apply_keystream`](Self::apply_keystream)
/// encrypts (or decrypts: CTR is its own inverse) the next bytes in place and
/// advances the position; [`seek`](Self::seek) moves to any byte offset,
/// block-aligned or not, without processing what lies before it. Any chunking
/// of the same bytes gives the same output.
///
/// ```
/// use oss_cse_core::{Aes256Ctr, DataKey, Iv};
///
/// let key = DataKey::from_slice(&[7; 32]).unwrap();
/// let iv = Iv::from_slice(&[9; 16]).unwrap();
/// let mut whole = *b"attack at dawn, not at dusk!";
/// Aes256Ctr::new(&key, &iv).apply_keystream(&mut whole);
///
/// // Decrypt only bytes 20.. of the ciphertext, starting mid-block.
/// let mut tail = whole[20..].to_vec();
/// let mut cipher = Aes256Ctr::new(&key, &iv);
/// cipher.seek(20);
/// cipher.apply_keystream(&mut tail);
/// assert_eq!(&tail, b"at dusk!");
/// ```
pub struct Aes256Ctr {
    key: EncryptingKey,
    iv: Zeroizing<[u8; 16]>,
    position: u64,
}

impl Aes256Ctr {
    /// A cipher for `key` and `iv`, positioned at byte 0.
    pub fn new(key: &DataKey, iv: &Iv) -> Self {
        Self::from_raw(key.expose_secret(), *iv.expose_secret())
    }

    fn from_raw(key: &[u8; 32], iv: [u8; 16]) -> Self {
        // Both calls only fail for a key of the wrong length or a mode AES-256
        // does not have; the types rule both out.
        #[allow(clippy::expect_used)]
        let unbound = UnboundCipherKey::new(&AES_256, key).expect("32-byte key is valid for AES-256");
        #[allow(clippy::expect_used)]
        let key = EncryptingKey::ctr(unbound).expect("AES-256 supports CTR");
        Self { key, iv: Zeroizing::new(iv), position: 0 }
    }

    /// The byte offset the next call to `apply_keystream` starts at.
    pub fn current_pos(&self) -> u64 {
        self.position
    }

    /// Moves to byte `position` of the keystream.
    ///
    /// Seeking cannot fail: any `u64` byte offset maps to a counter block
    /// (`IV + position / 16`, wrapping at 2^128), which is why there is no
    /// `try_seek` here.
    pub fn seek(&mut self, position: u64) {
        self.position = position;
    }

    /// XORs the keystream into `buf` in place and advances the position by
    /// `buf.len()`.
    ///
    /// # Errors
    /// [`Error::PositionOverflow`] if the position would pass 2^64 bytes; the
    /// buffer is left untouched then.
    pub fn try_apply_keystream(&mut self, buf: &mut [u8]) -> Result<(), Error> {
        let len = buf.len() as u64;
        let end = self.position.checked_add(len).ok_or(Error::PositionOverflow { position: self.position, len })?;
        self.apply_at(self.position, buf)?;
        self.position = end;
        Ok(())
    }

    /// XORs the keystream into `buf` in place and advances the position.
    ///
    /// # Panics
    /// If the position would pass 2^64 bytes; see
    /// [`try_apply_keystream`](Self::try_apply_keystream).
    pub fn apply_keystream(&mut self, buf: &mut [u8]) {
        if let Err(error) = self.try_apply_keystream(buf) {
            panic!("AES-256-CTR: {error}");
        }
    }

    /// XORs the keystream into `input`, writing the result to `output`
    /// (buffer to buffer), and advances the position.
    ///
    /// # Errors
    /// [`Error::BufferLengthMismatch`] if the buffers differ in length,
    /// [`Error::PositionOverflow`] as for `try_apply_keystream`.
    pub fn try_apply_keystream_b2b(&mut self, input: &[u8], output: &mut [u8]) -> Result<(), Error> {
        if input.len() != output.len() {
            return Err(Error::BufferLengthMismatch { input: input.len(), output: output.len() });
        }
        output.copy_from_slice(input);
        self.try_apply_keystream(output)
    }

    /// Buffer-to-buffer twin of [`apply_keystream`](Self::apply_keystream).
    ///
    /// # Panics
    /// If the buffers differ in length or the position would overflow.
    pub fn apply_keystream_b2b(&mut self, input: &[u8], output: &mut [u8]) {
        if let Err(error) = self.try_apply_keystream_b2b(input, output) {
            panic!("AES-256-CTR: {error}");
        }
    }

    /// Processes `buf` as the bytes at keystream offset `position`.
    fn apply_at(&self, mut position: u64, mut buf: &mut [u8]) -> Result<(), Error> {
        let in_block = (position % BLOCK_LEN) as usize;
        if in_block != 0 && !buf.is_empty() {
            // Leading partial block: run one whole block through the cipher and
            // keep the bytes that belong to `buf`.
            let take = (16 - in_block).min(buf.len());
            let mut block = Zeroizing::new([0u8; 16]);
            block[in_block..in_block + take].copy_from_slice(&buf[..take]);
            self.apply_blocks(position / BLOCK_LEN, &mut block[..])?;
            buf[..take].copy_from_slice(&block[in_block..in_block + take]);
            buf = &mut buf[take..];
            position += take as u64;
        }
        if buf.is_empty() {
            return Ok(());
        }
        // Now block-aligned; a trailing partial block is fine for CTR.
        self.apply_blocks(position / BLOCK_LEN, buf)
    }

    fn apply_blocks(&self, block_index: u64, buf: &mut [u8]) -> Result<(), Error> {
        let counter = counter_block_at(&self.iv, block_index);
        let context = EncryptionContext::Iv128(FixedLength::from(counter));
        self.key.less_safe_encrypt(buf, context).map(|_| ()).map_err(|_| Error::Backend)
    }
}

impl fmt::Debug for Aes256Ctr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Aes256Ctr").field("position", &self.position).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests;
