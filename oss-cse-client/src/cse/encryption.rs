//! The client-side encryption client: every upload encrypts before bytes
//! leave the process, every download decrypts as bytes arrive, in bounded
//! chunks, with the official SDKs' envelope format.

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_util::{Stream, StreamExt};
use md5::{Digest as _, Md5};
use oss_cse_core::{Aes256Ctr, ByteRange, ContentMaterial, FetchPlan};
use oss_cse_envelope::consts::is_envelope_header;
use oss_cse_envelope::{
    Compat, Envelope, Format, KeyRing, MasterKey, MatdescMatch, MaterialDescription, WrapAlgorithm,
};
use rand_core::UnwrapErr;

use crate::oss::client::GetOptions;
use crate::oss::types::{ObjectMeta, WriteOutput};
use crate::{Body, Crc64, Error, ObjectBody, OssClient, Result};

/// Sub-chunk size of the fused encrypt + CRC pass: small enough that the
/// CRC reads bytes the cipher just wrote while they are still in cache.
const FUSED_CHUNK: usize = 64 * 1024;

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
    /// Refuse it with [`Error::NotEncrypted`] (the default).
    #[default]
    Refuse,
}

/// Settings of an [`EncryptionClient`].
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
    pub concurrency: usize,
    /// Files above this size are uploaded in parts.
    pub multipart_threshold: u64,
    /// Refuse a whole download that nothing can verify (no CRC-64 from the
    /// server and no plaintext MD5 in the envelope) with
    /// [`Error::Unverified`], instead of warning. Old objects can lack the
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
}

impl Default for EncryptionOptions {
    fn default() -> Self {
        Self {
            format: Format::V2,
            plaintext_policy: PlaintextPolicy::Refuse,
            verify_md5: true,
            part_size: 8 << 20,
            concurrency: 4,
            multipart_threshold: 64 << 20,
            require_verified: false,
            compat: Compat::Oss2,
            matdesc_match: MatdescMatch::Hint,
            authentication: crate::Authentication::default(),
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
    /// For [`put_stream`](EncryptionClient::put_stream): the plaintext
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

/// Encrypts `buf` in place from the cipher's position and feeds the
/// ciphertext to `crc`, one cache-sized piece at a time.
pub fn seal_in_place(cipher: &mut Aes256Ctr, crc: &mut Crc64, buf: &mut [u8]) {
    for piece in buf.chunks_mut(FUSED_CHUNK) {
        cipher.apply_keystream(piece);
        crc.update(piece);
    }
}

/// The client-side encryption client. Cheap to clone.
#[derive(Clone)]
pub struct EncryptionClient {
    pub(crate) oss: OssClient,
    pub(crate) keyring: Arc<KeyRing>,
    pub(crate) options: EncryptionOptions,
}

impl fmt::Debug for EncryptionClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncryptionClient").field("keyring", &self.keyring).field("options", &self.options).finish()
    }
}

pub(crate) use crate::oss::resource;

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
struct TagCheck {
    hasher: oss_cse_core::auth::ChunkHasher,
    material: Arc<ContentMaterial>,
    envelope: Envelope,
    length: u64,
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
            if actual != expected.trim() {
                return Err(Error::PlaintextMismatch { resource: self.resource.clone(), what: "MD5" });
            }
        }
        Ok(())
    }
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

impl EncryptionClient {
    /// A client encrypting with `keyring`'s encrypting key over `oss`.
    pub fn new(oss: OssClient, keyring: KeyRing) -> Self {
        Self { oss, keyring: Arc::new(keyring), options: EncryptionOptions::default() }
    }

    /// Replaces the options.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a part size that is not a positive
    /// multiple of 16 or a zero concurrency.
    pub fn with_options(mut self, options: EncryptionOptions) -> Result<Self> {
        if options.part_size == 0 || options.part_size % 16 != 0 {
            return Err(Error::invalid_argument("part size must be a positive multiple of 16"));
        }
        if options.concurrency == 0 {
            return Err(Error::invalid_argument("concurrency must be at least 1"));
        }
        self.options = options;
        Ok(self)
    }

    /// The plain OSS client underneath (for operations that need no crypto).
    pub fn oss(&self) -> &OssClient {
        &self.oss
    }

    /// The key ring.
    pub fn keyring(&self) -> &KeyRing {
        &self.keyring
    }

    /// The options.
    pub fn options(&self) -> &EncryptionOptions {
        &self.options
    }

    /// A whole download with no CRC-64 from the server and no MD5 to check
    /// is refused under [`EncryptionOptions::require_verified`], and
    /// otherwise logged as a warning, every time, under the `tracing` target
    /// [`UNVERIFIED_TARGET`] (which a filter can keep on when it silences
    /// the rest).
    pub(crate) fn check_verifiable(
        &self,
        resource: &str,
        crc64: Option<u64>,
        envelope: Option<&Envelope>,
    ) -> Result<()> {
        let md5 = self.options.verify_md5 && envelope.is_some_and(|e| e.unencrypted_content_md5.is_some());
        if crc64.is_some() || md5 {
            return Ok(());
        }
        if self.options.require_verified {
            return Err(Error::Unverified { resource: resource.to_owned() });
        }
        tracing::warn!(
            target: UNVERIFIED_TARGET,
            "{resource}: no CRC-64 from the server and no MD5 in the envelope: this download is not verified"
        );
        Ok(())
    }

    /// Fresh content material wrapped by the encrypting key, and its envelope.
    pub(crate) async fn seal(&self, resource: &str) -> Result<(ContentMaterial, Envelope)> {
        let envelope_error = |source| Error::Envelope { resource: resource.to_owned(), source };
        let key = self.keyring.encrypting_key().map_err(envelope_error)?;
        let matdesc = self.written_matdesc(key.as_ref()).map_err(envelope_error)?;
        let fresh = ContentMaterial::generate(&mut UnwrapErr(rand::rngs::SysRng));
        let (material, wrapped) = key.new_material(fresh, self.options.format).await.map_err(envelope_error)?;
        let mut envelope = Envelope::new(self.options.format, wrapped);
        envelope.material_description = matdesc;
        Ok((material, envelope))
    }

    /// The matdesc a new envelope wrapped by `key` records, in the text style
    /// of [`EncryptionOptions::compat`].
    ///
    /// # Errors
    /// [`oss_cse_envelope::Error::CompatWithoutKms`] for a KMS key when the
    /// chosen SDK family has no KMS master key.
    pub(crate) fn written_matdesc(
        &self,
        key: &dyn MasterKey,
    ) -> std::result::Result<Option<MaterialDescription>, oss_cse_envelope::Error> {
        if key.wrap_algorithm() == WrapAlgorithm::KmsAliCloud {
            self.options.compat.kms_layout()?;
        }
        let style = self.options.compat.matdesc_style();
        Ok(key.material_description().map(|md| md.clone().in_style(style)))
    }

    /// Request headers: the caller's (minus anything that would clash with
    /// the envelope) plus the envelope's.
    pub(crate) fn headers_with(
        resource: &str,
        caller: &[(String, String)],
        envelope: &Envelope,
    ) -> Result<Vec<(String, String)>> {
        let mut headers: Vec<(String, String)> = caller
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("content-md5") && !k.eq_ignore_ascii_case("content-length"))
            .cloned()
            .collect();
        if headers.iter().any(|(k, _)| is_envelope_header(k)) {
            return Err(Error::Refused {
                resource: resource.to_owned(),
                reason: "caller headers may not set envelope headers",
            });
        }
        let envelope_headers =
            envelope.to_headers().map_err(|source| Error::Envelope { resource: resource.to_owned(), source })?;
        headers.extend(envelope_headers.into_iter().map(|(k, v)| (k.to_owned(), v)));
        Ok(headers)
    }

    pub(crate) fn caller_md5(options: &PutOptions) -> Option<String> {
        options.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-md5")).map(|(_, v)| v.trim().to_owned())
    }

    /// Encrypts and uploads bytes held in memory (one PutObject).
    ///
    /// # Errors
    /// Key, transport, service and CRC errors, naming the object.
    #[tracing::instrument(name = "put_object", skip_all, fields(bucket = %bucket, key = %key), err(level = "debug", Display))]
    pub async fn put_object(
        &self,
        bucket: &str,
        key: &str,
        plaintext: impl Into<Vec<u8>>,
        options: &PutOptions,
    ) -> Result<WriteOutput> {
        let resource = resource(bucket, key);
        let mut buf = plaintext.into();
        let (material, mut envelope) = self.seal(&resource).await?;
        envelope.unencrypted_content_length = Some(buf.len() as u64);
        envelope.unencrypted_content_md5 = Self::caller_md5(options).or_else(|| {
            options
                .compute_md5
                .then(|| base64::Engine::encode(&base64::engine::general_purpose::STANDARD, Md5::digest(&buf)))
        });
        let mut cipher = material.cipher();
        let mut crc = Crc64::new();
        seal_in_place(&mut cipher, &mut crc, &mut buf);
        let len = buf.len() as u64;
        if self.options.authentication.write_tags {
            let mut hasher = oss_cse_core::auth::ChunkHasher::new(0);
            hasher.update(&buf);
            let hashes = oss_cse_core::auth::TagBuilder::whole(len, hasher);
            self.attach_tag(bucket, key, &material, len, &hashes, &mut envelope)?;
        }
        let headers = Self::headers_with(&resource, &options.headers, &envelope)?;
        let out = self.oss.put_object(bucket, key, Body::sealed(buf.into(), crc.value()), headers).await?;
        if let Some(progress) = &options.progress {
            progress(len, Some(len));
        }
        Ok(out)
    }

    /// Encrypts and uploads `len` bytes read from `reader`, streamed in 1 MiB
    /// chunks (one PutObject; not retried, since the source cannot be re-read).
    ///
    /// # Errors
    /// As [`put_object`](Self::put_object), and a source shorter than `len`.
    #[tracing::instrument(name = "put_reader", skip_all, fields(bucket = %bucket, key = %key, bytes = len), err(level = "debug", Display))]
    pub async fn put_reader<R>(
        &self,
        bucket: &str,
        key: &str,
        reader: R,
        len: u64,
        options: &PutOptions,
    ) -> Result<WriteOutput>
    where
        R: tokio::io::AsyncRead + Send + Unpin + 'static,
    {
        let resource = resource(bucket, key);
        if self.options.authentication.write_tags {
            return Err(Error::invalid_argument(format!(
                "{resource}: a reader is sent as it is read, so it cannot be tagged first; use put_stream or put_file"
            )));
        }
        let sealed = self.seal(&resource).await?;
        self.put_reader_sealed(bucket, key, reader, len, options, sealed).await
    }

    /// [`put_reader`](Self::put_reader) with material and envelope made
    /// already (and the envelope's tag, when the reader was hashed first).
    pub(crate) async fn put_reader_sealed<R>(
        &self,
        bucket: &str,
        key: &str,
        reader: R,
        len: u64,
        options: &PutOptions,
        (material, mut envelope): (ContentMaterial, Envelope),
    ) -> Result<WriteOutput>
    where
        R: tokio::io::AsyncRead + Send + Unpin + 'static,
    {
        let resource = resource(bucket, key);
        envelope.unencrypted_content_length = Some(len);
        envelope.unencrypted_content_md5 = Self::caller_md5(options);
        let headers = Self::headers_with(&resource, &options.headers, &envelope)?;
        let stream = encrypting_stream(reader, len, material.cipher(), options.progress.clone());
        self.oss.put_object(bucket, key, Body::from_stream(len, stream), headers).await
    }

    /// Downloads and decrypts an object, or a byte range of it.
    ///
    /// Only the block-aligned range is requested from OSS (with standard
    /// range behaviour); decryption starts at the returned range's counter.
    /// A range starting at or past the end is [`Error::Core`]
    /// (`RangeNotSatisfiable`) for ranges resolved here, or the 416 OSS sends.
    ///
    /// # Errors
    /// Key, transport, service, range and integrity errors, naming the object.
    pub async fn get_object(&self, bucket: &str, key: &str, range: Option<ByteRange>) -> Result<DecryptedObject> {
        self.get_object_with(bucket, key, &GetOptions { range, ..GetOptions::default() }).await
    }

    /// [`get_object`](Self::get_object) with conditions: `options.range`
    /// is a plaintext range, and the ETag and time conditions apply to the
    /// object as OSS sees it (a failed one is the 412 or 304 OSS sends, as
    /// [`Error::Service`]).
    ///
    /// # Errors
    /// As [`get_object`](Self::get_object).
    #[tracing::instrument(name = "get_object", skip_all, fields(bucket = %bucket, key = %key, range = ?options.range), err(level = "debug", Display))]
    pub async fn get_object_with(&self, bucket: &str, key: &str, options: &GetOptions) -> Result<DecryptedObject> {
        let resource = resource(bucket, key);
        let core_error = |source| Error::Core { resource: resource.clone(), source };
        // A suffix range needs the size first; everything else is planned from the request.
        let mut options = options.clone();
        let range = match options.range {
            Some(range @ ByteRange::Suffix { .. }) => {
                let head = self.oss.head_object_with(bucket, key, &options).await?;
                // The GET must read the object whose size resolved the range.
                if let Some(etag) = head.etag {
                    options.if_match.get_or_insert(etag);
                }
                let (first, last) = range.resolve(head.content_length).map_err(core_error)?;
                Some(ByteRange::Inclusive { start: first, end: last })
            }
            other => other,
        };
        if let Some(range) = range {
            range.validate().map_err(core_error)?;
        }
        let plan = match range {
            Some(ByteRange::Inclusive { start, end }) => Some(FetchPlan::new(start, Some(end)).map_err(core_error)?),
            Some(ByteRange::From { start }) => Some(FetchPlan::new(start, None).map_err(core_error)?),
            _ => None,
        };
        let fetch = plan.map(|p| p.fetch_range());
        let got = self.oss.get_object(bucket, key, &GetOptions { range: fetch, ..options }).await?;
        let envelope = got.meta.envelope().map_err(|source| Error::Envelope { resource: resource.clone(), source })?;
        // Where the returned bytes start in the object: from Content-Range,
        // not from what we asked, so a server that ignored the range cannot
        // make us decrypt at the wrong counter.
        let returned_start = got.content_range.map_or(0, |r| r.start);
        let total = got.content_range.map_or(got.meta.content_length, |r| r.total);
        let reply = match plan {
            Some(plan) => plan.reply(returned_start, total),
            None => oss_cse_core::plan::whole_reply(returned_start, total),
        };
        let reply = match reply {
            Err(late @ oss_cse_core::Error::ReplyStartsLate { .. }) => {
                return Err(Error::InvalidResponse { operation: "GetObject", resource, reason: late.to_string() });
            }
            other => other.map_err(core_error)?,
        };
        // Decided by the request, never by the reply: the OSS client refuses
        // a partial reply to a request without Range.
        let whole = plan.is_none();
        if envelope.is_some() || self.options.plaintext_policy == PlaintextPolicy::PassThrough {
            self.check_auth_headers(bucket, key, envelope.as_ref())?;
        }
        let mut tag = None;
        let cipher = match &envelope {
            None if self.options.plaintext_policy == PlaintextPolicy::Refuse => {
                return Err(Error::NotEncrypted { resource });
            }
            None => None,
            Some(envelope) => {
                if whole {
                    if let Some(len) = envelope.unencrypted_content_length {
                        if len != got.meta.content_length {
                            return Err(Error::PlaintextMismatch { resource, what: "length" });
                        }
                    }
                }
                let material = Arc::new(self.unwrap(&resource, envelope).await?);
                if envelope.auth_tag.is_some() && whole {
                    tag = Some(TagCheck {
                        hasher: oss_cse_core::auth::ChunkHasher::new(0),
                        material: material.clone(),
                        envelope: envelope.clone(),
                        length: got.meta.content_length,
                    });
                } else if envelope.auth_tag.is_some() {
                    tracing::debug!("{resource}: a ranged read is not authenticated (only whole reads check the tag)");
                }
                Some(material.cipher_at(returned_start))
            }
        };
        if whole {
            self.check_verifiable(&resource, got.meta.crc64, envelope.as_ref())?;
        }
        let md5 = match (&envelope, whole && self.options.verify_md5) {
            (Some(envelope), true) => envelope.unencrypted_content_md5.clone().map(|m| (Md5::new(), m)),
            _ => None,
        };
        let range_out = plan.map(|_| (reply.first, reply.last));
        let body = DecryptingBody {
            inner: got.body,
            cipher,
            skip: reply.skip,
            remaining: Some(reply.remaining),
            md5,
            resource,
            done: false,
            arena: BytesMut::new(),
            tag,
        };
        Ok(DecryptedObject { meta: got.meta, envelope, range: range_out, size: total, body })
    }

    /// Unwraps an envelope with the key ring, naming the object on failure.
    pub(crate) async fn unwrap(&self, resource: &str, envelope: &Envelope) -> Result<ContentMaterial> {
        let envelope_error = |source| Error::Envelope { resource: resource.to_owned(), source };
        self.keyring.open(envelope, self.options.matdesc_match).await.map_err(envelope_error)
    }
}

/// Streams `len` bytes of `reader`, encrypted chunk by chunk.
pub(crate) fn encrypting_stream<R>(
    reader: R,
    len: u64,
    mut cipher: Aes256Ctr,
    progress: Option<Progress>,
) -> impl Stream<Item = std::io::Result<Bytes>> + Send + 'static
where
    R: tokio::io::AsyncRead + Send + Unpin + 'static,
{
    let mut done = 0u64;
    crate::oss::body::read_chunks(reader, len).map(move |chunk| {
        let chunk = chunk?;
        let mut buf = chunk.try_into_mut().unwrap_or_else(|shared| BytesMut::from(&shared[..]));
        cipher.apply_keystream(&mut buf);
        done += buf.len() as u64;
        if let Some(progress) = &progress {
            progress(done, Some(len));
        }
        Ok(buf.freeze())
    })
}
