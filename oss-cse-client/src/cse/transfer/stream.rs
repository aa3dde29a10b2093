//! Uploads from an `AsyncRead` of known or unknown length: one PutObject, or
//! a multipart upload whose size comes from `expected_size` or a ciphertext
//! spool.

use std::sync::Arc;

use oss_cse_core::ContentMaterial;
use tokio::io::AsyncReadExt as _;

use crate::cse::abort::AbortOnDrop;
use crate::cse::content_md5::{self, Md5Check};
use crate::cse::encryption::{resource, seal_in_place};
use crate::cse::spool::Spool;
use crate::cse::transfer::pool::BufferPool;
use crate::oss::types::{CompletedPart, WriteOutput};
use crate::parallel::Bounded;
use crate::{Crc64, EncryptionClient, Error, PutOptions, Result};

/// A stream of `actual` plaintext bytes where `expected` were announced
/// ([`PutOptions::expected_size`]) is a [`Error::LengthMismatch`].
pub(super) fn check_expected_size(
    operation: &'static str,
    res: &str,
    expected: Option<u64>,
    actual: u64,
) -> Result<()> {
    match expected {
        Some(expected) if expected != actual => {
            Err(Error::LengthMismatch { operation, resource: res.to_owned(), expected, actual })
        }
        _ => Ok(()),
    }
}

/// Reads until `buf` is full or the source ends; returns the bytes read.
pub(super) async fn read_up_to<R: tokio::io::AsyncRead + Unpin>(
    reader: &mut R,
    buf: &mut [u8],
) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        let n = reader.read(&mut buf[filled..]).await?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    Ok(filled)
}

/// A stream whose first part has been read already (to tell a short stream,
/// sent in one PutObject, from one that needs a multipart upload).
pub(super) struct PartStream<R> {
    first: Vec<u8>,
    reader: R,
    /// The caller's Content-MD5, checked as the parts are read, before Complete.
    md5_check: Option<Md5Check>,
}

/// The multipart upload a stream's parts go to.
pub(super) struct StreamUpload {
    upload_id: String,
    material: Arc<ContentMaterial>,
    /// The envelope, sent with every part as oss2 and Go send it.
    part_headers: Vec<(String, String)>,
    /// Part buffers, back from their request bodies for the next parts: a
    /// fresh multi-MiB buffer per part costs its page faults and zeroing.
    pool: BufferPool,
}

impl EncryptionClient {
    /// Encrypts and uploads a stream of unknown length: one PutObject if it
    /// ends within one part size, else parts of the configured size sent
    /// `parallel` at a time (memory about `parallel × part_size`).
    ///
    /// OSS refuses a client-side-encrypted multipart upload that does not
    /// declare its data size when it starts. With
    /// [`PutOptions::expected_size`] the stream is sent as it is read; without
    /// it (or to record an MD5) a stream longer than one part is first
    /// encrypted into an unnamed temporary file (ciphertext only, about the
    /// stream's size on disk) and sent from there.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a part size below OSS's minimum or a
    /// stream needing more than 10,000 parts; [`Error::LengthMismatch`] for
    /// a stream whose length is not [`PutOptions::expected_size`];
    /// [`Error::ContentMd5Mismatch`] for a stream that is not the content a
    /// `Content-MD5` in `options.headers` names (found before Complete); read,
    /// key, service and transport errors (the upload is aborted, nothing is
    /// stored).
    #[tracing::instrument(name = "put_stream", skip_all, fields(bucket = %bucket, key = %key), err(level = "debug", Display))]
    pub async fn put_stream<R>(
        &self,
        bucket: &str,
        key: &str,
        mut reader: R,
        options: &PutOptions,
    ) -> Result<WriteOutput>
    where
        R: tokio::io::AsyncRead + Send + Unpin,
    {
        let res = resource(bucket, key);
        let part_size = self.options.part_size;
        if part_size < oss_cse_core::offset::MIN_PART_SIZE {
            return Err(Error::invalid_argument(format!(
                "{res}: streams of unknown length need a part size of at least 100 KiB"
            )));
        }
        let read_error = |source| Error::BodyStream { operation: "PutObject", resource: res.clone(), source };
        let mut first = vec![0u8; part_size as usize];
        let filled = read_up_to(&mut reader, &mut first).await.map_err(read_error)?;
        if filled < first.len() {
            check_expected_size("PutObject", &res, options.expected_size, filled as u64)?;
            first.truncate(filled);
            return self.put_object(bucket, key, first, options).await;
        }
        let (material, mut envelope) = self.seal(&res).await?;
        envelope.part_size = Some(part_size);
        envelope.data_size = options.expected_size;
        envelope.unencrypted_content_md5 = Self::caller_md5(options);
        let md5_wanted = options.compute_md5 && envelope.unencrypted_content_md5.is_none();
        let tagged = self.options.authentication.write_tags;
        if md5_wanted || tagged || options.expected_size.is_none() {
            // OSS needs the data size when a CSE multipart upload starts, and
            // the MD5 goes out with it too: learn both by spooling the
            // ciphertext, then upload from there (the unknown-length rule of
            // the conventions; --expected-size avoids the spool).
            let mut spool = Spool::write(&res, &material, first, &mut reader, tagged).await?;
            check_expected_size("PutObject", &res, options.expected_size, spool.len)?;
            if let Some(hasher) = spool.hasher.take() {
                let builder = oss_cse_core::auth::TagBuilder::whole(spool.len, hasher);
                self.attach_tag((bucket, key), &material, spool.len, &builder, &mut envelope)?;
            }
            content_md5::check(&res, envelope.unencrypted_content_md5.as_deref(), &spool.md5)?;
            if md5_wanted {
                envelope.unencrypted_content_md5 = Some(spool.md5.clone());
            }
            envelope.unencrypted_content_length = Some(spool.len);
            envelope.data_size = Some(spool.len);
            let mut plaintext = spool.plaintext(&material);
            let mut first = vec![0u8; part_size as usize];
            let filled = read_up_to(&mut plaintext, &mut first).await.map_err(read_error)?;
            first.truncate(filled);
            let stream = PartStream { first, reader: plaintext, md5_check: None };
            return self.upload_stream(bucket, key, material, &envelope, stream, options).await;
        }
        let md5_check = Md5Check::new(&res, envelope.unencrypted_content_md5.as_deref());
        self.upload_stream(bucket, key, material, &envelope, PartStream { first, reader, md5_check }, options).await
    }

    /// The multipart half of [`put_stream`](Self::put_stream): Initiate with
    /// `envelope`, parts from `first` then `reader`, the length checked, then
    /// Complete (or Abort on any error).
    async fn upload_stream<R>(
        &self,
        bucket: &str,
        key: &str,
        material: ContentMaterial,
        envelope: &oss_cse_envelope::Envelope,
        mut stream: PartStream<R>,
        options: &PutOptions,
    ) -> Result<WriteOutput>
    where
        R: tokio::io::AsyncRead + Send + Unpin,
    {
        let res = &resource(bucket, key);
        let headers = Self::headers_with(res, &options.headers, envelope)?;
        let upload_id = self.oss.initiate_multipart_upload(bucket, key, headers).await?;
        // A stream cannot be resumed: its upload is aborted on every way out
        // but Complete, a cancelled future (a signal) included.
        let guard = AbortOnDrop::new(&self.oss, (bucket, key, &upload_id), true);
        let part_headers: Vec<(String, String)> = envelope
            .to_headers()
            .map_err(|source| Error::Envelope { resource: res.to_owned(), source })?
            .into_iter()
            .filter(|(k, _)| !k.starts_with("x-oss-meta-oss-cse-"))
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        let upload =
            StreamUpload { upload_id, material: Arc::new(material), part_headers, pool: BufferPool::default() };
        let result = self.stream_parts(bucket, key, &upload, &mut stream, options).await;
        let upload_id = upload.upload_id;
        // The length and a caller's Content-MD5 are checked before Complete:
        // a refused stream leaves no object (and an earlier version as it was).
        let result = result.and_then(|(parts, sent)| {
            check_expected_size("CompleteMultipartUpload", res, options.expected_size, sent)?;
            stream.md5_check.take().map_or(Ok(()), Md5Check::finish).map(|()| parts)
        });
        let out = match result {
            Ok(parts) => self.oss.complete_multipart_upload(bucket, key, &upload_id, &parts, vec![]).await?,
            Err(error) => {
                let _ = self.oss.abort_multipart_upload(bucket, key, &upload_id).await;
                guard.disarm();
                return Err(error);
            }
        };
        guard.disarm();
        Ok(out)
    }

    /// Encrypts and sends the stream's parts, `parallel` at a time,
    /// reading each next part before sending one so the last is known.
    async fn stream_parts<R>(
        &self,
        bucket: &str,
        key: &str,
        upload: &StreamUpload,
        stream: &mut PartStream<R>,
        options: &PutOptions,
    ) -> Result<(Vec<CompletedPart>, u64)>
    where
        R: tokio::io::AsyncRead + Send + Unpin,
    {
        let res = resource(bucket, key);
        let part_size = self.options.part_size;
        let mut parts = Vec::new();
        let mut running = Bounded::new(self.options.parallel);
        let mut next: Option<Vec<u8>> = Some(std::mem::take(&mut stream.first));
        let reader = &mut stream.reader;
        let mut number = 0u32;
        let mut sent = 0u64;
        loop {
            while running.has_room() {
                let Some(mut plaintext) = next.take() else { break };
                if let Some(check) = stream.md5_check.as_mut() {
                    check.update(&plaintext);
                }
                number += 1;
                if number > oss_cse_core::offset::MAX_PARTS {
                    return Err(Error::invalid_argument(format!(
                        "{res}: the stream needs more than 10,000 parts of {part_size} bytes"
                    )));
                }
                let offset = u64::from(number - 1) * part_size;
                let len = plaintext.len() as u64;
                // A stream running past its expected size is refused as soon
                // as it does, not after it has all been sent.
                if let Some(expected) = options.expected_size.filter(|e| offset + len > *e) {
                    return Err(Error::LengthMismatch {
                        operation: "UploadPart",
                        resource: res.clone(),
                        expected,
                        actual: offset + len,
                    });
                }
                // Read the following part now, so we know whether this one is the last.
                if len == part_size {
                    let mut following = upload.pool.take();
                    following.resize(part_size as usize, 0);
                    let filled = read_up_to(reader, &mut following).await.map_err(|source| Error::BodyStream {
                        operation: "UploadPart",
                        resource: res.clone(),
                        source,
                    })?;
                    if filled > 0 {
                        following.truncate(filled);
                        next = Some(following);
                    }
                }
                // The last part of a stream that ends early is refused here,
                // before it is sent (OSS would refuse its length anyway).
                if next.is_none() {
                    check_expected_size("UploadPart", &res, options.expected_size, offset + len)?;
                }
                let (client, bucket, key, upload_id) =
                    (self.clone(), bucket.to_owned(), key.to_owned(), upload.upload_id.clone());
                let (material, headers, pool) =
                    (upload.material.clone(), upload.part_headers.clone(), upload.pool.clone());
                running.spawn(async move {
                    let mut crc = Crc64::new();
                    seal_in_place(&mut material.cipher_at(offset), &mut crc, &mut plaintext);
                    let body = crate::Body::with_crc64(pool.body(plaintext), crc.value());
                    let out = client.oss.upload_part(&bucket, &key, &upload_id, number, body, headers).await?;
                    Ok::<_, Error>((CompletedPart::uploaded(number, &out, len), len))
                });
            }
            match running.next().await {
                None => break,
                Some(done) => {
                    let (part, len) = done?;
                    sent += len;
                    if let Some(progress) = &options.progress {
                        progress(sent, None);
                    }
                    parts.push(part);
                }
            }
        }
        parts.sort_by_key(|p| p.part_number);
        Ok((parts, sent))
    }
}
