//! The plaintext of a GET, decrypted chunk by chunk as it arrives, and the
//! checks that only a whole read can make when its stream ends (length,
//! MD5, the authentication tag).

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_util::{Stream, StreamExt};
use md5::{Digest as _, Md5};
use oss_cse_core::{Aes256Ctr, ContentMaterial};
use oss_cse_envelope::Envelope;

use crate::oss::types::ObjectMeta;
use crate::{Error, ObjectBody, Result};

/// An object being downloaded: metadata, envelope, and the decrypting body.
#[derive(Debug)]
pub struct DecryptedObject {
    /// Metadata of the reply.
    pub meta: ObjectMeta,
    /// The envelope, `None` for an unencrypted object passed through.
    pub envelope: Option<Envelope>,
    /// The plaintext bytes `(first, last)` returned, for a ranged GET.
    pub range: Option<(u64, u64)>,
    /// The whole object's size, also for a ranged GET (plaintext and
    /// ciphertext sizes are equal under AES-CTR).
    pub size: u64,
    /// The plaintext, streamed.
    pub body: DecryptingBody,
}

/// The plaintext of a GET, decrypted chunk by chunk as it arrives. Errors
/// (transport, length, CRC, MD5) surface as the stream's last item.
pub struct DecryptingBody {
    inner: ObjectBody,
    cipher: Option<Aes256Ctr>,
    skip: u64,
    remaining: Option<u64>,
    md5: Option<(Md5, String)>,
    resource: String,
    done: bool,
    /// Where shared chunks are decrypted (see [`decrypt_chunk`]).
    arena: BytesMut,
    /// A whole read of a tagged object: its ciphertext hashed as it arrives.
    tag: Option<TagCheck>,
}

/// What checking a whole read's tag needs (see [`DecryptingBody`]).
pub(super) struct TagCheck {
    pub(super) hasher: oss_cse_core::auth::ChunkHasher,
    pub(super) material: Arc<ContentMaterial>,
    pub(super) envelope: Envelope,
    pub(super) length: u64,
}

impl fmt::Debug for DecryptingBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecryptingBody")
            .field("resource", &self.resource)
            .field("encrypted", &self.cipher.is_some())
            .field("remaining", &self.remaining)
            .finish_non_exhaustive()
    }
}

impl DecryptingBody {
    /// The plaintext of `inner`, decrypted with `cipher` (none: passed
    /// through): `skip` bytes dropped first, then `remaining` kept; `md5`
    /// and `tag` checked when the stream ends.
    pub(super) fn new(
        inner: ObjectBody,
        cipher: Option<Aes256Ctr>,
        (skip, remaining): (u64, u64),
        md5: Option<(Md5, String)>,
        resource: String,
        tag: Option<TagCheck>,
    ) -> Self {
        Self {
            inner,
            cipher,
            skip,
            remaining: Some(remaining),
            md5,
            resource,
            done: false,
            arena: BytesMut::new(),
            tag,
        }
    }

    /// The CRC-64 of the ciphertext received so far, when the whole object
    /// is checked against the server's (`x-oss-hash-crc64ecma`): once the
    /// stream has ended without error, it is the server's.
    pub fn crc64(&self) -> Option<u64> {
        self.inner.crc64()
    }

    /// Reads everything into memory (for small objects).
    ///
    /// # Errors
    /// As the stream.
    pub async fn collect(mut self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        while let Some(chunk) = self.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    }

    fn finish(&mut self) -> Result<()> {
        if let Some(check) = self.tag.take() {
            let hashes = oss_cse_core::auth::TagBuilder::whole(check.length, check.hasher);
            crate::cse::authentication::check_tag(
                &self.resource,
                &check.material,
                &check.envelope,
                check.length,
                &hashes,
            )?;
        }
        if let Some((md5, expected)) = self.md5.take() {
            let actual = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, md5.finalize());
            if !md5_names(&expected, &actual) {
                return Err(Error::PlaintextMismatch { resource: self.resource.clone(), what: "MD5" });
            }
        }
        Ok(())
    }
}

/// Whether an envelope's MD5 text names the digest `actual` (base64): the
/// SDKs write base64, and oss2's `CryptoBucket` stores a caller's
/// `Content-MD5` header as given, which callers also write in hex (oss2's
/// own tests do). Anything else names no digest and is a mismatch.
pub(crate) fn md5_names(expected: &str, actual: &str) -> bool {
    let expected = expected.trim();
    if expected == actual {
        return true;
    }
    let Ok(digest) = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, actual) else {
        return false;
    };
    expected.len() == 32 && hex::decode(expected).is_ok_and(|named| named == digest)
}

/// Room for decrypted chunks, reused once the consumer has dropped them.
const ARENA: usize = 256 << 10;

/// Decrypts `chunk`: in place when nothing else holds its bytes, else (hyper's
/// chunks share its read buffer) into `arena`, whose allocation is reused
/// as soon as the chunks handed out before are dropped, rather than a new
/// allocation per chunk.
fn decrypt_chunk(cipher: &mut Aes256Ctr, arena: &mut BytesMut, chunk: Bytes) -> Bytes {
    match chunk.try_into_mut() {
        Ok(mut unique) => {
            cipher.apply_keystream(&mut unique);
            unique.freeze()
        }
        Err(shared) => {
            if arena.capacity() < shared.len() {
                arena.reserve(ARENA.max(shared.len()));
            }
            arena.extend_from_slice(&shared);
            let mut plain = arena.split_to(shared.len());
            cipher.apply_keystream(&mut plain);
            plain.freeze()
        }
    }
}

impl Stream for DecryptingBody {
    type Item = Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if self.done {
                return Poll::Ready(None);
            }
            let chunk = match self.inner.poll_next_unpin(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Err(e))) => {
                    self.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(None) => {
                    self.done = true;
                    return Poll::Ready(self.finish().err().map(Err));
                }
                Poll::Ready(Some(Ok(chunk))) => chunk,
            };
            if let Some(check) = self.tag.as_mut() {
                check.hasher.update(&chunk);
            }
            let skip = self.skip.min(chunk.len() as u64) as usize;
            self.skip -= skip as u64;
            let mut keep = chunk.len() - skip;
            if let Some(remaining) = self.remaining {
                keep = keep.min(usize::try_from(remaining).unwrap_or(usize::MAX));
                self.remaining = Some(remaining - keep as u64);
            }
            let chunk_len = chunk.len() as u64;
            let kept = chunk.slice(skip..skip + keep);
            let this = &mut *self;
            let chunk = match this.cipher.as_mut() {
                None => kept,
                Some(cipher) => {
                    let start = cipher.current_pos();
                    cipher.seek(start + skip as u64);
                    let plain = decrypt_chunk(cipher, &mut this.arena, kept);
                    cipher.seek(start + chunk_len);
                    plain
                }
            };
            if let Some((md5, _)) = self.md5.as_mut() {
                md5.update(&chunk);
            }
            if !chunk.is_empty() {
                return Poll::Ready(Some(Ok(chunk)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::md5_names;

    #[test]
    fn an_envelope_md5_names_a_digest_in_base64_or_hex() {
        let empty = "1B2M2Y8AsgTpgAmY7PhCfg==";
        assert!(md5_names(empty, empty));
        assert!(md5_names(" 1B2M2Y8AsgTpgAmY7PhCfg==\n", empty));
        assert!(md5_names("d41d8cd98f00b204e9800998ecf8427e", empty));
        assert!(md5_names("D41D8CD98F00B204E9800998ECF8427E", empty));
        assert!(!md5_names("d41d8cd98f00b204e9800998ecf8427f", empty));
        assert!(!md5_names("d41d8cd98f00b204e9800998ecf842", empty));
        assert!(!md5_names("", empty));
        assert!(!md5_names("not an md5 at all", empty));
    }
}
