//! The one error type of `oss-cse-client`.

use std::path::PathBuf;
use std::time::Duration;

/// What kind of failure an [`Error`] is, for callers that branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// OSS answered with an error status.
    Service,
    /// The connection failed, was reset, or timed out.
    Transport,
    /// Data did not arrive intact (CRC, length, MD5 mismatch).
    Integrity,
    /// A reply we cannot make sense of.
    InvalidResponse,
    /// A caller argument was refused before any request was sent.
    InvalidArgument,
    /// Key material, envelope or master key trouble.
    Crypto,
    /// Local file trouble.
    Io,
    /// No credentials could be had to sign with.
    Credentials,
    /// A bug in this crate: a transfer task panicked or was cancelled.
    Internal,
}

/// An OSS error reply, parsed from its XML body and headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    /// HTTP status.
    pub status: u16,
    /// OSS error code, e.g. `NoSuchKey`.
    pub code: String,
    /// OSS message.
    pub message: String,
    /// Request id, for Alibaba Cloud support.
    pub request_id: String,
    /// OSS detailed error code (`EC`), when sent.
    pub ec: Option<String>,
}

impl std::fmt::Display for ServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {} {}", self.status, self.code)?;
        // A HEAD's error has no body, so often no message.
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        write!(f, " (request id {}", self.request_id)?;
        if let Some(ec) = &self.ec {
            write!(f, ", EC {ec}")?;
        }
        f.write_str(")")
    }
}

/// Everything that can go wrong in the OSS client and the encryption client.
/// Each variant names the operation and the object (or part) it concerns.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// OSS refused the request.
    #[error("{operation} {resource}: {error}")]
    Service {
        /// The operation, e.g. `PutObject`.
        operation: &'static str,
        /// `oss://bucket/key` (or bucket) it concerned.
        resource: String,
        /// The parsed reply.
        error: Box<ServiceError>,
    },
    /// No credentials to sign the request with (their source refused, did
    /// not answer, or is misconfigured); nothing was sent.
    #[error("{operation} {resource}: no credentials to sign with")]
    Credentials {
        /// The operation.
        operation: &'static str,
        /// The resource.
        resource: String,
        /// Why, naming the source.
        #[source]
        source: oss_cse_auth::Error,
    },
    /// The request could not be sent or its reply not read.
    #[error("{operation} {resource}: transport failure")]
    Transport {
        /// The operation.
        operation: &'static str,
        /// The resource.
        resource: String,
        /// The underlying failure.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// No reply within the configured timeout.
    #[error("{operation} {resource}: timed out after {after:?}")]
    Timeout {
        /// The operation.
        operation: &'static str,
        /// The resource.
        resource: String,
        /// The timeout.
        after: Duration,
    },
    /// The CRC-64 OSS reported differs from the one computed over the bytes sent or received.
    #[error("{operation} {resource}: CRC-64 mismatch (client {client}, server {server})")]
    CrcMismatch {
        /// The operation.
        operation: &'static str,
        /// The resource.
        resource: String,
        /// CRC computed here.
        client: u64,
        /// CRC OSS reported.
        server: u64,
    },
    /// A body shorter or longer than announced.
    #[error("{operation} {resource}: expected {expected} bytes, got {actual}")]
    LengthMismatch {
        /// The operation.
        operation: &'static str,
        /// The resource.
        resource: String,
        /// Bytes announced.
        expected: u64,
        /// Bytes seen.
        actual: u64,
    },
    /// A reply that does not answer the request made, in a way that would
    /// change which checks run: a partial reply to a request for the whole
    /// object. Not retried: a path that does this once will again.
    #[error("{operation} {resource}: the reply does not answer the request: {reason}")]
    ReplyMismatch {
        /// The operation.
        operation: &'static str,
        /// The resource.
        resource: String,
        /// What does not match.
        reason: &'static str,
    },
    /// A reply that breaks the protocol (bad XML, missing header, wrong range).
    #[error("{operation} {resource}: invalid response: {reason}")]
    InvalidResponse {
        /// The operation.
        operation: &'static str,
        /// The resource.
        resource: String,
        /// What is wrong.
        reason: String,
    },
    /// A caller's `Content-MD5` that is not the MD5 of the content it came
    /// with: refused before the object is stored (an upload of several parts
    /// is aborted before Complete), so an earlier version stays as it was.
    #[error("{resource}: the Content-MD5 given ({given}) is not the content's MD5")]
    ContentMd5Mismatch {
        /// The object.
        resource: String,
        /// The Content-MD5 as the caller gave it.
        given: String,
    },
    /// A caller argument refused before sending anything.
    #[error("invalid argument: {reason}")]
    InvalidArgument {
        /// What is wrong.
        reason: String,
    },
    /// A local file operation failed.
    #[error("{action} {}", path.display())]
    Io {
        /// What was being done, e.g. `reading`.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A streamed body failed while being read.
    #[error("{operation} {resource}: body stream failed")]
    BodyStream {
        /// The operation.
        operation: &'static str,
        /// The resource.
        resource: String,
        /// The stream's error.
        #[source]
        source: std::io::Error,
    },
    /// Envelope, master-key or key-ring failure for an object.
    #[error("{resource}: key or envelope failure")]
    Envelope {
        /// The object.
        resource: String,
        /// The envelope error.
        #[source]
        source: oss_cse_envelope::Error,
    },
    /// The object has no client-side encryption envelope and the client's
    /// policy is to refuse such objects.
    #[error("{resource}: the object is not client-side encrypted (refused by the plaintext policy)")]
    NotEncrypted {
        /// The object.
        resource: String,
    },
    /// Decrypted content that does not match what the envelope recorded
    /// (plaintext length or MD5): a wrong key, or tampered data or metadata.
    #[error("{resource}: decrypted {what} does not match the envelope")]
    PlaintextMismatch {
        /// The object.
        resource: String,
        /// `"length"` or `"MD5"`.
        what: &'static str,
    },
    /// The object's authentication failed: its tag does not match its content
    /// and envelope, it has no tag where one is required, or it is not signed
    /// by a trusted key. Tampering, or a forgery.
    #[error("{resource}: authentication failed: {reason}")]
    Authentication {
        /// The object.
        resource: String,
        /// What failed.
        reason: &'static str,
    },
    /// A whole download that nothing could verify (no CRC-64 from the server,
    /// no MD5 in the envelope), refused because verification was required.
    #[error(
        "{resource}: not verified: the server sent no CRC-64 and the envelope records no MD5 (verification is required)"
    )]
    Unverified {
        /// The object.
        resource: String,
    },
    /// The local source changed since the upload (or checkpoint) started.
    #[error("{}: the source file changed since the transfer started", path.display())]
    SourceChanged {
        /// The file.
        path: PathBuf,
    },
    /// The remote object changed since the download (or checkpoint) started.
    #[error("{resource}: the object changed since the transfer started")]
    ObjectChanged {
        /// The object.
        resource: String,
    },
    /// A key ring file (or key options) that cannot be used.
    #[error("{}: {reason}", key_ring_name(path))]
    KeyRing {
        /// The key ring file.
        path: PathBuf,
        /// What is wrong, with the line where the TOML says.
        reason: String,
    },
    /// A checkpoint file that cannot be used.
    #[error("checkpoint {}: {reason}", path.display())]
    Checkpoint {
        /// The checkpoint file.
        path: PathBuf,
        /// Why it cannot be used.
        reason: String,
    },
    /// A checkpoint folder, checkpoint, local key or journal that someone
    /// else could have written (a symbolic link, another user's, or writable
    /// by group or others): refused before anything is read from it or
    /// written into it, since a planted one could choose the data key of a
    /// resumed upload or make a job skip work.
    #[error("{}: refused: {reason}; keep checkpoints and journals in a folder only you can write to", path.display())]
    NotPrivate {
        /// The folder or file.
        path: PathBuf,
        /// What makes it unsafe.
        reason: String,
    },
    /// An operation the encryption client refuses because it would lose or
    /// corrupt the envelope.
    #[error("{resource}: refused: {reason}")]
    Refused {
        /// The object.
        resource: String,
        /// Why.
        reason: &'static str,
    },
    /// A part or range task stopped without a result (it panicked or was
    /// cancelled): a bug in this crate, not bad input.
    #[error("a transfer task failed: {reason}")]
    TaskFailed {
        /// The task's panic or cancellation, as the runtime reports it.
        reason: String,
    },
    /// The blocking client was used inside an async runtime.
    #[error("the blocking client cannot be used inside an async runtime; use the async client there")]
    InsideAsyncRuntime,
    /// Cipher or offset-math failure (bad range, bad part plan).
    #[error("{resource}: invalid range or part plan")]
    Core {
        /// The object.
        resource: String,
        /// The core error.
        #[source]
        source: oss_cse_core::Error,
    },
}

impl Error {
    /// The broad kind of failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Service { .. } => ErrorKind::Service,
            Self::Transport { .. } | Self::Timeout { .. } | Self::BodyStream { .. } => ErrorKind::Transport,
            Self::CrcMismatch { .. } | Self::LengthMismatch { .. } | Self::ReplyMismatch { .. } => ErrorKind::Integrity,
            Self::InvalidResponse { .. } => ErrorKind::InvalidResponse,
            Self::InvalidArgument { .. } | Self::ContentMd5Mismatch { .. } | Self::Core { .. } => {
                ErrorKind::InvalidArgument
            }
            Self::Envelope { .. } | Self::NotEncrypted { .. } => ErrorKind::Crypto,
            Self::PlaintextMismatch { .. }
            | Self::Authentication { .. }
            | Self::SourceChanged { .. }
            | Self::ObjectChanged { .. }
            | Self::Unverified { .. } => ErrorKind::Integrity,
            Self::Io { .. } | Self::Checkpoint { .. } => ErrorKind::Io,
            Self::Refused { .. } | Self::InsideAsyncRuntime | Self::KeyRing { .. } | Self::NotPrivate { .. } => {
                ErrorKind::InvalidArgument
            }
            Self::Credentials { .. } => ErrorKind::Credentials,
            Self::TaskFailed { .. } => ErrorKind::Internal,
        }
    }

    /// The OSS error reply, if this is one.
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            Self::Service { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Whether repeating the request later may succeed: 5xx replies,
    /// throttling, transport faults, timeouts and corrupted transfers.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Service { error, .. } => {
                error.status >= 500
                    || error.status == 429
                    || matches!(error.code.as_str(), "SlowDown" | "RequestTimeTooSkewed" | "Throttling")
            }
            Self::Transport { .. } | Self::Timeout { .. } | Self::CrcMismatch { .. } | Self::LengthMismatch { .. } => {
                true
            }
            Self::Envelope { source, .. } => source.is_retryable(),
            _ => false,
        }
    }

    pub(crate) fn invalid_argument(reason: impl Into<String>) -> Self {
        Self::InvalidArgument { reason: reason.into() }
    }
}

/// What a [`Error::KeyRing`] names: the key ring file, or the key options
/// (the command line's) when there is no file.
fn key_ring_name(path: &std::path::Path) -> String {
    match path.as_os_str().is_empty() {
        true => "key options".to_owned(),
        false => format!("key ring {}", path.display()),
    }
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
