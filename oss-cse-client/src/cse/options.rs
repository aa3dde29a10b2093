//! What the encryption client is set up with, and what each upload asks for.

use std::fmt;
use std::sync::Arc;

use oss_cse_envelope::{Compat, Format, MatdescMatch};

/// Progress callback: bytes done so far, and the total when known.
pub type Progress = Arc<dyn Fn(u64, Option<u64>) + Send + Sync>;

/// What to do with an object that has no encryption envelope.
///
/// Refusing is the default (a change from 0.1.0; as the CLI does and as AWS's S3
/// Encryption Client does): whoever can write to the bucket could otherwise
/// replace an encrypted object with a plaintext one of their choosing, and a
/// reader expecting encrypted data would take it as genuine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlaintextPolicy {
    /// Return it as it is, as every official OSS SDK does: for buckets that
    /// mix encrypted and plaintext objects on purpose.
    PassThrough,
    /// Refuse it with [`Error::NotEncrypted`](crate::Error::NotEncrypted) (the default).
    #[default]
    Refuse,
}

/// Settings of an [`EncryptionClient`](crate::EncryptionClient).
#[derive(Debug, Clone)]
pub struct EncryptionOptions {
    /// Envelope format written (V2 unless a V1 reader must read the objects).
    pub format: Format,
    /// Objects without an envelope on download.
    pub plaintext_policy: PlaintextPolicy,
    /// Check the plaintext MD5 when the envelope records one (whole downloads).
    pub verify_md5: bool,
    /// Part size of multipart uploads and parallel downloads (a multiple of 16).
    pub part_size: u64,
    /// Parts in flight at once.
    pub parallel: usize,
    /// Files above this size are uploaded in parts.
    pub multipart_threshold: u64,
    /// Objects up to this size are copied by OSS (CopyObject); larger ones
    /// by downloading and uploading their stored bytes again, as OSS copies
    /// at most 1 GB ([`DEFAULT_COPY_LIMIT`](crate::DEFAULT_COPY_LIMIT)) and
    /// refuses UploadPartCopy from an encrypted source.
    pub copy_limit: u64,
    /// Refuse a whole download that nothing can verify (no CRC-64 from the
    /// server and no plaintext MD5 in the envelope) with
    /// [`Error::Unverified`](crate::Error::Unverified), instead of warning. Old objects can lack the
    /// CRC, so the default warns.
    pub require_verified: bool,
    /// The SDK family new envelopes are shaped for: the matdesc text style.
    /// (A KMS master key's layout is its own setting; see
    /// `KmsMasterKey::with_compat`.) The default writes what oss2 reads.
    pub compat: Compat,
    /// How an object's matdesc chooses the keys tried on it: a hint by
    /// default (exact matches first, then every key), or exact only.
    pub matdesc_match: MatdescMatch,
    /// Authentication tags: written, required, signed (all off by default;
    /// present tags are checked on whole reads regardless).
    pub authentication: crate::Authentication,
    /// Unwrapped data keys kept for reads of the same object (by bucket,
    /// key, ETag and envelope), so that ranged reads of one object pay one
    /// master-key operation: at most this many objects' keys (0: none kept).
    pub material_cache_entries: usize,
    /// How long a kept data key is used before it is unwrapped again.
    pub material_cache_lifetime: std::time::Duration,
}

impl Default for EncryptionOptions {
    fn default() -> Self {
        Self {
            format: Format::V2,
            plaintext_policy: PlaintextPolicy::Refuse,
            verify_md5: true,
            part_size: 8 << 20,
            parallel: 4,
            multipart_threshold: 64 << 20,
            copy_limit: crate::DEFAULT_COPY_LIMIT,
            require_verified: false,
            compat: Compat::Oss2,
            matdesc_match: MatdescMatch::Hint,
            authentication: crate::Authentication::default(),
            material_cache_entries: 256,
            material_cache_lifetime: std::time::Duration::from_secs(300),
        }
    }
}

/// Options of one upload.
#[derive(Clone, Default)]
pub struct PutOptions {
    /// Headers stored with the object: user metadata (`x-oss-meta-*`),
    /// `content-type`, server-side encryption, ...
    pub headers: Vec<(String, String)>,
    /// Record the plaintext MD5 in the envelope (an extra pass over the data,
    /// about 0.6 GB/s); a `content-md5` header is recorded as given instead.
    pub compute_md5: bool,
    /// Called as bytes are sent.
    pub progress: Option<Progress>,
    /// For [`put_stream`](crate::EncryptionClient::put_stream): the plaintext
    /// length the stream must have. A stream that ends early or runs on is
    /// refused before the upload completes (a producer that died mid-pipe
    /// would otherwise leave a truncated object that looks complete), and a
    /// multipart upload records it as its data size.
    pub expected_size: Option<u64>,
}

impl fmt::Debug for PutOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PutOptions")
            .field("headers", &self.headers)
            .field("compute_md5", &self.compute_md5)
            .field("progress", &self.progress.is_some())
            .field("expected_size", &self.expected_size)
            .finish()
    }
}

/// The `tracing` target of the warning about a whole download nothing could
/// verify; a log filter that silences everything else can keep it on.
pub const UNVERIFIED_TARGET: &str = "oss_cse_unverified";
