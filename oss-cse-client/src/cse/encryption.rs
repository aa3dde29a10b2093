//! The client-side encryption client: every upload encrypts before bytes
//! leave the process, every download decrypts as bytes arrive, in bounded
//! chunks, with the official SDKs' envelope format.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bytes::{Bytes, BytesMut};
use futures_util::{Stream, StreamExt};
use md5::{Digest as _, Md5};
use oss_cse_core::{Aes256Ctr, ByteRange, ContentMaterial, FetchPlan};
use oss_cse_envelope::consts::is_envelope_header;
use oss_cse_envelope::{Envelope, KeyRing, MasterKey, MaterialDescription, WrapAlgorithm};
use rand_core::UnwrapErr;

use super::content_md5::Md5Check;
use super::decrypting::{DecryptedObject, DecryptingBody, TagCheck};
use super::material_cache::{MaterialCache, MaterialId};
use super::options::{EncryptionOptions, PlaintextPolicy, Progress, PutOptions, UNVERIFIED_TARGET};
use crate::oss::client::GetOptions;
use crate::oss::types::WriteOutput;
use crate::{Body, Crc64, Error, OssClient, Result};

/// Sub-chunk size of the fused encrypt + CRC pass: small enough that the
/// CRC reads bytes the cipher just wrote while they are still in cache.
const FUSED_CHUNK: usize = 64 * 1024;
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
    /// Unwrapped material of objects read lately, shared by clones.
    materials: Arc<MaterialCache>,
}

impl fmt::Debug for EncryptionClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncryptionClient").field("keyring", &self.keyring).field("options", &self.options).finish()
    }
}

pub(crate) use crate::oss::resource;

impl EncryptionClient {
    /// A client encrypting with `keyring`'s encrypting key over `oss`.
    pub fn new(oss: OssClient, keyring: KeyRing) -> Self {
        let options = EncryptionOptions::default();
        let materials = Arc::new(MaterialCache::new(options.material_cache_entries, options.material_cache_lifetime));
        Self { oss, keyring: Arc::new(keyring), options, materials }
    }

    /// Replaces the options.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a part size that is not a positive
    /// multiple of 16 or a zero parallel.
    pub fn with_options(mut self, options: EncryptionOptions) -> Result<Self> {
        if options.part_size == 0 || options.part_size % 16 != 0 {
            return Err(Error::invalid_argument("part size must be a positive multiple of 16"));
        }
        if options.parallel == 0 {
            return Err(Error::invalid_argument("parallel must be at least 1"));
        }
        self.materials = Arc::new(MaterialCache::new(options.material_cache_entries, options.material_cache_lifetime));
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
    /// Key, transport, service and CRC errors, naming the object;
    /// [`Error::ContentMd5Mismatch`] (nothing sent) when a `Content-MD5` in
    /// `options.headers` does not name `plaintext`.
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
        let caller_md5 = Self::caller_md5(options);
        let md5 = || base64::Engine::encode(&base64::engine::general_purpose::STANDARD, Md5::digest(&buf));
        if caller_md5.is_some() {
            // OSS would check a Content-MD5 against the body; here it names
            // the plaintext, so it is checked before it goes into the envelope
            // (a wrong one would make the object unreadable).
            super::content_md5::check(&resource, caller_md5.as_deref(), &md5())?;
        }
        envelope.unencrypted_content_md5 = caller_md5.or_else(|| options.compute_md5.then(md5));
        let mut cipher = material.cipher();
        let mut crc = Crc64::new();
        seal_in_place(&mut cipher, &mut crc, &mut buf);
        let len = buf.len() as u64;
        if self.options.authentication.write_tags {
            let mut hasher = oss_cse_core::auth::ChunkHasher::new(0);
            hasher.update(&buf);
            let hashes = oss_cse_core::auth::TagBuilder::whole(len, hasher);
            self.attach_tag((bucket, key), &material, len, &hashes, &mut envelope)?;
        }
        let headers = Self::headers_with(&resource, &options.headers, &envelope)?;
        let out = self.oss.put_object(bucket, key, Body::with_crc64(buf.into(), crc.value()), headers).await?;
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
        let md5_check = Md5Check::new(&resource, envelope.unencrypted_content_md5.as_deref());
        let mismatch = md5_check.as_ref().map(Md5Check::mismatch);
        let refused = Arc::new(AtomicBool::new(false));
        let md5_check = match (md5_check, len) {
            // No chunk will pass to check: the empty content is checked now.
            (Some(empty), 0) => empty.finish().map(|()| None)?,
            (check, _) => check.map(|check| (check, refused.clone())),
        };
        let stream = encrypting_stream(reader, len, material.cipher(), options.progress.clone(), md5_check);
        match (self.oss.put_object(bucket, key, Body::from_stream(len, stream), headers).await, mismatch) {
            // The body failed before its last byte went out, so OSS stored nothing.
            (Err(_), Some(mismatch)) if refused.load(Ordering::Relaxed) => Err(mismatch),
            (written, _) => written,
        }
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
        let options = options.clone();
        if let Some(range) = options.range {
            range.validate().map_err(core_error)?;
        }
        let plan = match options.range {
            Some(ByteRange::Inclusive { start, end }) => Some(FetchPlan::new(start, Some(end)).map_err(core_error)?),
            Some(ByteRange::From { start }) => Some(FetchPlan::new(start, None).map_err(core_error)?),
            _ => None,
        };
        // A suffix is asked for as it is, in one GET: CTR decrypts from any
        // byte, and the reply's Content-Range says where it starts.
        let suffix = match options.range {
            Some(ByteRange::Suffix { len }) => Some(len),
            _ => None,
        };
        let fetch = plan.map(|p| p.fetch_range()).or(options.range.filter(|_| suffix.is_some()));
        let got = self.oss.get_object(bucket, key, &GetOptions { range: fetch, ..options }).await?;
        let envelope = got.meta.envelope().map_err(|source| Error::Envelope { resource: resource.clone(), source })?;
        // Where the returned bytes start in the object: from Content-Range,
        // not from what we asked, so a server that ignored the range cannot
        // make us decrypt at the wrong counter.
        let returned_start = got.content_range.map_or(0, |r| r.start);
        let total = got.content_range.map_or(got.meta.content_length, |r| r.total);
        let reply = match (plan, suffix) {
            (Some(plan), _) => plan.reply(returned_start, total),
            (None, Some(len)) => oss_cse_core::plan::suffix_reply(len, returned_start, total),
            (None, None) => oss_cse_core::plan::whole_reply(returned_start, total),
        };
        let reply = match reply {
            Err(late @ oss_cse_core::Error::ReplyStartsLate { .. }) => {
                return Err(Error::InvalidResponse { operation: "GetObject", resource, reason: late.to_string() });
            }
            other => other.map_err(core_error)?,
        };
        // Decided by the request, never by the reply: the OSS client refuses
        // a partial reply to a request without Range.
        let whole = options.range.is_none();
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
                let id = MaterialId::of(bucket, key, got.meta.etag.as_deref(), envelope);
                let material = self.unwrap_cached(&resource, id, envelope).await?;
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
        let range_out = (!whole).then_some((reply.first, reply.last));
        let body = DecryptingBody::new(got.body, cipher, (reply.skip, reply.remaining), md5, resource, tag);
        Ok(DecryptedObject { meta: got.meta, envelope, range: range_out, size: total, body })
    }

    /// Puts the tag of the ciphertext `hashes` describe (and a signature,
    /// with a signer) into `envelope`, by this client's settings.
    pub(crate) fn attach_tag(
        &self,
        (bucket, key): (&str, &str),
        material: &ContentMaterial,
        length: u64,
        hashes: &oss_cse_core::auth::TagBuilder,
        envelope: &mut Envelope,
    ) -> Result<()> {
        super::authentication::attach_tag(
            &self.options.authentication,
            (bucket, key),
            material,
            length,
            hashes,
            envelope,
        )
    }

    /// What can be checked before any content arrives (see
    /// [`check_authentication_headers`](super::authentication::check_authentication_headers)),
    /// by this client's settings.
    pub(crate) fn check_auth_headers(&self, bucket: &str, key: &str, envelope: Option<&Envelope>) -> Result<()> {
        let auth = &self.options.authentication;
        super::authentication::check_authentication_headers(auth, &resource(bucket, key), (bucket, key), envelope)
    }

    /// [`unwrap`](Self::unwrap), or the material kept for `id` (see
    /// [`MaterialCache`]), which it is kept as afterwards.
    pub(crate) async fn unwrap_cached(
        &self,
        resource: &str,
        id: Option<MaterialId>,
        envelope: &Envelope,
    ) -> Result<Arc<ContentMaterial>> {
        if let Some(kept) = id.as_ref().and_then(|id| self.materials.get(id)) {
            return Ok(kept);
        }
        let material = Arc::new(self.unwrap(resource, envelope).await?);
        if let Some(id) = id {
            self.materials.insert(id, material.clone());
        }
        Ok(material)
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
    mut md5_check: Option<(Md5Check, Arc<AtomicBool>)>,
) -> impl Stream<Item = std::io::Result<Bytes>> + Send + 'static
where
    R: tokio::io::AsyncRead + Send + Unpin + 'static,
{
    let mut done = 0u64;
    crate::oss::body::read_chunks(reader, len).map(move |chunk| {
        let chunk = chunk?;
        let mut buf = chunk.try_into_mut().unwrap_or_else(|shared| BytesMut::from(&shared[..]));
        if let Some((check, _)) = md5_check.as_mut() {
            check.update(&buf);
        }
        done += buf.len() as u64;
        // The last chunk is held back when the content is not the one the
        // caller's Content-MD5 names: the request fails short of its length.
        if done >= len {
            if let Some((check, refused)) = md5_check.take() {
                if check.finish().is_err() {
                    refused.store(true, Ordering::Relaxed);
                    return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "not the Content-MD5's content"));
                }
            }
        }
        cipher.apply_keystream(&mut buf);
        if let Some(progress) = &progress {
            progress(done, Some(len));
        }
        Ok(buf.freeze())
    })
}
