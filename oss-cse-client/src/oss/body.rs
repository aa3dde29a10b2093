//! Request bodies (bytes in memory, or a stream of known length) and the
//! streamed, verified body of a GET.

use std::path::Path;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::stream::{BoxStream, Stream, StreamExt};
use tokio::io::AsyncReadExt;

use crate::{Crc64, Error, Result};

/// Chunk size for reading files into request bodies.
pub(crate) const FILE_CHUNK: usize = 1 << 20;

/// A request body.
///
/// In-memory bodies can be re-sent, so requests with them are retried;
/// streamed bodies are sent once.
pub struct Body(pub(crate) BodyInner);

pub(crate) enum BodyInner {
    Bytes(Bytes),
    /// Bytes whose CRC-64 was computed while they were produced.
    KnownCrc {
        bytes: Bytes,
        crc64: u64,
    },
    Stream {
        len: u64,
        stream: BoxStream<'static, std::io::Result<Bytes>>,
    },
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            BodyInner::Bytes(b) | BodyInner::KnownCrc { bytes: b, .. } => write!(f, "Body::Bytes({} bytes)", b.len()),
            BodyInner::Stream { len, .. } => write!(f, "Body::Stream({len} bytes)"),
        }
    }
}

impl Body {
    /// An empty body.
    pub fn empty() -> Self {
        Self(BodyInner::Bytes(Bytes::new()))
    }

    /// In-memory bytes with their CRC-64 already known (computed in the same
    /// pass that produced them), so sending them costs no second pass.
    pub(crate) fn with_crc64(bytes: Bytes, crc64: u64) -> Self {
        Self(BodyInner::KnownCrc { bytes, crc64 })
    }

    /// A stream of exactly `len` bytes.
    pub fn from_stream(len: u64, stream: impl Stream<Item = std::io::Result<Bytes>> + Send + 'static) -> Self {
        Self(BodyInner::Stream { len, stream: stream.boxed() })
    }

    /// A file's contents, read in 1 MiB chunks as they are sent.
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be opened.
    pub async fn from_file(path: &Path) -> Result<Self> {
        let file = tokio::fs::File::open(path).await.map_err(|source| Error::Io {
            action: "opening",
            path: path.to_owned(),
            source,
        })?;
        let len = file
            .metadata()
            .await
            .map_err(|source| Error::Io { action: "reading", path: path.to_owned(), source })?
            .len();
        Ok(Self::from_stream(len, read_chunks(file, len)))
    }

    /// Length in bytes.
    pub fn len(&self) -> u64 {
        match &self.0 {
            BodyInner::Bytes(b) | BodyInner::KnownCrc { bytes: b, .. } => b.len() as u64,
            BodyInner::Stream { len, .. } => *len,
        }
    }

    /// Whether the body is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Streams `len` bytes of an async reader in chunks, failing if it ends early.
pub(crate) fn read_chunks<R: tokio::io::AsyncRead + Unpin + Send + 'static>(
    reader: R,
    len: u64,
) -> impl Stream<Item = std::io::Result<Bytes>> + Send + 'static {
    futures_util::stream::try_unfold((reader, len), |(mut reader, remaining)| async move {
        if remaining == 0 {
            return Ok(None);
        }
        let want = remaining.min(FILE_CHUNK as u64) as usize;
        let mut buf = vec![0u8; want];
        let mut filled = 0;
        while filled < want {
            let n = reader.read(&mut buf[filled..]).await?;
            if n == 0 {
                return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "source shorter than its length"));
            }
            filled += n;
        }
        Ok(Some((Bytes::from(buf), (reader, remaining - want as u64))))
    })
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Self(BodyInner::Bytes(bytes))
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Self(BodyInner::Bytes(bytes.into()))
    }
}

impl From<&'static [u8]> for Body {
    fn from(bytes: &'static [u8]) -> Self {
        Self(BodyInner::Bytes(Bytes::from_static(bytes)))
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Self(BodyInner::Bytes(text.into()))
    }
}

/// Wraps a stream so its bytes feed a shared CRC.
pub(crate) fn tap_crc(
    stream: BoxStream<'static, std::io::Result<Bytes>>,
    crc: Arc<Mutex<Crc64>>,
) -> BoxStream<'static, std::io::Result<Bytes>> {
    stream
        .map(move |chunk| {
            if let Ok(bytes) = &chunk {
                if let Ok(mut crc) = crc.lock() {
                    crc.update(bytes);
                }
            }
            chunk
        })
        .boxed()
}

/// The body of a GET, streamed. It checks, when the stream ends, that the
/// announced length arrived and (for whole-object reads) that the CRC-64 of
/// the bytes matches the one OSS reported: a truncated or corrupted transfer
/// ends in an error, never in a short success.
pub struct ObjectBody {
    inner: BoxStream<'static, reqwest::Result<Bytes>>,
    operation: &'static str,
    resource: String,
    expected_len: u64,
    received: u64,
    crc: Option<(Crc64, u64)>,
    finished: bool,
}

impl std::fmt::Debug for ObjectBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObjectBody")
            .field("resource", &self.resource)
            .field("expected_len", &self.expected_len)
            .field("received", &self.received)
            .finish_non_exhaustive()
    }
}

impl ObjectBody {
    pub(crate) fn new(
        response: reqwest::Response,
        operation: &'static str,
        resource: String,
        expected_len: u64,
        expected_crc: Option<u64>,
    ) -> Self {
        Self {
            inner: response.bytes_stream().boxed(),
            operation,
            resource,
            expected_len,
            received: 0,
            crc: expected_crc.map(|c| (Crc64::new(), c)),
            finished: false,
        }
    }

    /// Bytes the reply announced.
    pub fn expected_len(&self) -> u64 {
        self.expected_len
    }

    /// The CRC-64 of the bytes received so far, when the reply is checked
    /// against the server's (a whole object with `x-oss-hash-crc64ecma`).
    pub fn crc64(&self) -> Option<u64> {
        self.crc.as_ref().map(|(crc, _)| crc.value())
    }

    /// Reads the whole body into memory (for small objects).
    ///
    /// # Errors
    /// As the stream: transport, length or CRC failures.
    pub async fn collect(mut self) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(self.expected_len.min(64 << 20) as usize);
        while let Some(chunk) = self.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    }

    fn finish(&mut self) -> Result<()> {
        if self.received != self.expected_len {
            return Err(Error::LengthMismatch {
                operation: self.operation,
                resource: self.resource.clone(),
                expected: self.expected_len,
                actual: self.received,
            });
        }
        if let Some((crc, server)) = &self.crc {
            if crc.value() != *server {
                return Err(Error::CrcMismatch {
                    operation: self.operation,
                    resource: self.resource.clone(),
                    client: crc.value(),
                    server: *server,
                });
            }
        }
        Ok(())
    }
}

impl Stream for ObjectBody {
    type Item = Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.finished {
            return Poll::Ready(None);
        }
        match self.inner.poll_next_unpin(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(bytes))) => {
                self.received += bytes.len() as u64;
                if self.received > self.expected_len {
                    self.finished = true;
                    return Poll::Ready(Some(self.finish().map(|()| bytes)));
                }
                if let Some((crc, _)) = &mut self.crc {
                    crc.update(&bytes);
                }
                Poll::Ready(Some(Ok(bytes)))
            }
            Poll::Ready(Some(Err(source))) => {
                self.finished = true;
                let error = Error::Transport {
                    operation: self.operation,
                    resource: self.resource.clone(),
                    source: Box::new(source.without_url()),
                };
                Poll::Ready(Some(Err(error)))
            }
            Poll::Ready(None) => {
                self.finished = true;
                match self.finish() {
                    Ok(()) => Poll::Ready(None),
                    Err(e) => Poll::Ready(Some(Err(e))),
                }
            }
        }
    }
}
