//! The ciphertext spool: a stream whose metadata (its plaintext MD5) is
//! known only at its end is encrypted into an unnamed temporary file first,
//! so the metadata can go out before the body, as OSS needs.
//!
//! Only ciphertext reaches the disk. The spool has no name (it vanishes when
//! dropped, however the process ends) and is read back through the same
//! key stream, so the upload path sees plaintext in memory only and seals it
//! again to the very bytes spooled.

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt as _;
use md5::{Digest as _, Md5};
use oss_cse_core::ContentMaterial;
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncSeekExt as _, AsyncWriteExt as _};

use crate::oss::body::FILE_CHUNK;
use crate::{Error, Result};

/// A spooled stream: ciphertext on disk, its plaintext length and MD5.
pub(crate) struct Spool {
    file: tokio::fs::File,
    /// Plaintext bytes spooled.
    pub(crate) len: u64,
    /// Base64 MD5 of the plaintext.
    pub(crate) md5: String,
    /// The ciphertext hashed, when an authentication tag was asked for.
    pub(crate) hasher: Option<oss_cse_core::auth::ChunkHasher>,
}

impl Spool {
    /// Encrypts `first` and then the rest of `reader` with `material` from
    /// offset 0 into a new unnamed temporary file.
    pub(crate) async fn write<R: AsyncRead + Unpin>(
        resource: &str,
        material: &ContentMaterial,
        first: Vec<u8>,
        reader: &mut R,
        hash: bool,
    ) -> Result<Self> {
        let spool_error =
            |source| Error::Io { action: "writing the ciphertext spool in", path: std::env::temp_dir(), source };
        let file = tokio::task::spawn_blocking(tempfile::tempfile)
            .await
            .map_err(|join| Error::TaskFailed { reason: join.to_string() })?
            .map_err(spool_error)?;
        let mut file = tokio::fs::File::from_std(file);
        let mut cipher = material.cipher();
        let mut md5 = Md5::new();
        let mut hasher = hash.then(|| oss_cse_core::auth::ChunkHasher::new(0));
        let mut len = 0u64;
        let mut buf = first;
        loop {
            if buf.is_empty() {
                buf.resize(FILE_CHUNK, 0);
                let n = reader.read(&mut buf).await.map_err(|source| Error::BodyStream {
                    operation: "PutObject",
                    resource: resource.to_owned(),
                    source,
                })?;
                if n == 0 {
                    break;
                }
                buf.truncate(n);
            }
            md5.update(&buf);
            cipher.apply_keystream(&mut buf);
            if let Some(hasher) = hasher.as_mut() {
                hasher.update(&buf);
            }
            file.write_all(&buf).await.map_err(spool_error)?;
            len += buf.len() as u64;
            buf.clear();
        }
        // The flush reports an error of the last buffered write.
        file.flush().await.map_err(spool_error)?;
        file.rewind().await.map_err(spool_error)?;
        let md5 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, md5.finalize());
        Ok(Self { file, len, md5, hasher })
    }

    /// The spooled plaintext again, decrypted chunk by chunk in memory.
    pub(crate) fn plaintext(self, material: &ContentMaterial) -> impl AsyncRead + Send + Unpin + use<> {
        let mut cipher = material.cipher();
        let chunks = tokio_util::io::ReaderStream::with_capacity(self.file, FILE_CHUNK).map(move |chunk| {
            chunk.map(|bytes: Bytes| {
                let mut buf = BytesMut::from(bytes);
                cipher.apply_keystream(&mut buf);
                buf.freeze()
            })
        });
        tokio_util::io::StreamReader::new(chunks)
    }
}
