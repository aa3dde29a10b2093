//! The low-level encrypted multipart upload, like the official SDKs' multipart
//! crypto context: data size and part size fixed at Initiate, one data key
//! and IV for the whole upload, each part encrypted at its own counter.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;

use oss_cse_core::{ContentMaterial, PartPlan};
use oss_cse_envelope::Envelope;

use crate::PutOptions;
use crate::cse::encryption::{resource, seal_in_place};
use crate::oss::types::{CompletedPart, WriteOutput};
use crate::{Body, Crc64, EncryptionClient, Error, Result};

/// A multipart upload of encrypted parts (the low-level API, like the
/// official SDKs' multipart crypto context): data size and part size fixed
/// at initiate, one data key and IV for the whole upload. Cloning shares
/// the key material (behind an `Arc`) rather than copying it.
#[derive(Clone)]
pub struct MultipartUpload {
    /// Bucket.
    pub bucket: String,
    /// Object key.
    pub key: String,
    /// Upload id.
    pub upload_id: String,
    /// The part layout.
    pub plan: PartPlan,
    pub(crate) material: Arc<ContentMaterial>,
    /// Envelope headers repeated on every UploadPart (as oss2 and Go do; OSS checks them).
    pub(crate) part_headers: Vec<(String, String)>,
}

impl MultipartUpload {
    /// The envelope headers every part carries (wrapped key and IV,
    /// algorithms, matdesc, data and part size): what a record of the upload
    /// keeps to take it up again with
    /// [`EncryptionClient::reopen_multipart`]. Nothing secret.
    pub fn envelope_headers(&self) -> &[(String, String)] {
        &self.part_headers
    }
}

impl fmt::Debug for MultipartUpload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MultipartUpload")
            .field("bucket", &self.bucket)
            .field("key", &self.key)
            .field("upload_id", &self.upload_id)
            .field("plan", &self.plan)
            .finish_non_exhaustive()
    }
}

impl EncryptionClient {
    /// Starts a multipart upload of `data_size` bytes in parts of
    /// `part_size` (a multiple of 16, OSS limits checked).
    ///
    /// # Errors
    /// [`Error::Core`] for a bad plan; key, service and transport errors.
    #[tracing::instrument(name = "initiate_multipart", skip_all, fields(bucket = %bucket, key = %key), err(level = "debug", Display))]
    pub async fn initiate_multipart(
        &self,
        bucket: &str,
        key: &str,
        data_size: u64,
        part_size: u64,
        options: &PutOptions,
    ) -> Result<MultipartUpload> {
        let resource = resource(bucket, key);
        if self.options.authentication.write_tags {
            return Err(Error::invalid_argument(format!(
                "{resource}: parts given one by one cannot be tagged before the upload starts; use put_file or put_stream"
            )));
        }
        let sealed = self.seal(&resource).await?;
        self.initiate_multipart_sealed(bucket, key, data_size, part_size, options, sealed).await
    }

    /// [`initiate_multipart`](Self::initiate_multipart) with material and
    /// envelope made already (and tagged, for a file hashed first).
    pub(crate) async fn initiate_multipart_sealed(
        &self,
        bucket: &str,
        key: &str,
        data_size: u64,
        part_size: u64,
        options: &PutOptions,
        (material, mut envelope): (ContentMaterial, Envelope),
    ) -> Result<MultipartUpload> {
        let resource = resource(bucket, key);
        let plan =
            PartPlan::new(data_size, part_size).map_err(|source| Error::Core { resource: resource.clone(), source })?;
        envelope.unencrypted_content_length = Some(data_size);
        envelope.unencrypted_content_md5 = Self::caller_md5(options);
        envelope.data_size = Some(data_size);
        envelope.part_size = Some(part_size);
        let headers = Self::headers_with(&resource, &options.headers, &envelope)?;
        let upload_id = self.oss.initiate_multipart_upload(bucket, key, headers).await?;
        self.resume_multipart(bucket, key, upload_id, plan, material, &envelope)
    }

    /// A multipart context for an upload already started (resume).
    pub(crate) fn resume_multipart(
        &self,
        bucket: &str,
        key: &str,
        upload_id: String,
        plan: PartPlan,
        material: ContentMaterial,
        envelope: &Envelope,
    ) -> Result<MultipartUpload> {
        let part_headers = envelope
            .to_headers()
            .map_err(|source| Error::Envelope { resource: resource(bucket, key), source })?
            .into_iter()
            // Parts repeat the envelope OSS checks, not oss-cse's own headers.
            .filter(|(k, _)| !k.ends_with("-unencrypted-content-md5") && !k.starts_with("x-oss-meta-oss-cse-"))
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        Ok(MultipartUpload {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            upload_id,
            plan,
            material: Arc::new(material),
            part_headers,
        })
    }

    /// Takes up a multipart upload begun elsewhere (another process, or the
    /// record of oss2's resumable upload), given the envelope headers it was
    /// begun with, data size and part size included. The envelope comes from
    /// the caller's record, so it is trusted only as far as OSS confirms it:
    /// ListParts must report that very wrapped key for the upload (else
    /// [`Error::Refused`]), and the key ring must unwrap it.
    ///
    /// # Errors
    /// [`Error::Refused`] when OSS does not confirm the envelope; envelope,
    /// key, service and transport errors.
    #[tracing::instrument(name = "reopen_multipart", skip_all, fields(bucket = %bucket, key = %key, upload_id = %upload_id), err(level = "debug", Display))]
    pub async fn reopen_multipart(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        envelope_headers: &[(String, String)],
    ) -> Result<MultipartUpload> {
        let resource = resource(bucket, key);
        let envelope_error = |source| Error::Envelope { resource: resource.clone(), source };
        let envelope = Envelope::from_headers(envelope_headers.iter().map(|(k, v)| (k.as_str(), v.as_bytes())))
            .map_err(envelope_error)?
            .ok_or_else(|| Error::invalid_argument(format!("{resource}: the upload's envelope headers are missing")))?;
        let (Some(data_size), Some(part_size)) = (envelope.data_size, envelope.part_size) else {
            return Err(Error::invalid_argument(format!("{resource}: the envelope names no data size and part size")));
        };
        let plan =
            PartPlan::new(data_size, part_size).map_err(|source| Error::Core { resource: resource.clone(), source })?;
        let listed = self.oss.list_parts(bucket, key, upload_id).await?;
        let headers = envelope.to_headers().map_err(envelope_error)?;
        let headers: Vec<(String, String)> = headers.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        if listed.holds_envelope(&headers) != Some(true) {
            return Err(Error::Refused {
                resource,
                reason: "OSS does not report the given wrapped key for this upload",
            });
        }
        let material = self.unwrap(&resource, &envelope).await?;
        self.resume_multipart(bucket, key, upload_id.to_owned(), plan, material, &envelope)
    }

    /// Encrypts and uploads part `number` of `upload`; `plaintext` must be
    /// exactly that part's length (parts encrypt at their own counter, so
    /// they may be sent in any order and in parallel).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a wrong length or number; service,
    /// transport and CRC errors naming the part.
    #[tracing::instrument(name = "upload_part", skip_all, fields(bucket = %upload.bucket, key = %upload.key, number = number), err(level = "debug", Display))]
    pub async fn upload_part(
        &self,
        upload: &MultipartUpload,
        number: u32,
        plaintext: impl Into<Vec<u8>>,
    ) -> Result<CompletedPart> {
        self.upload_part_with(upload, number, plaintext.into(), Bytes::from).await
    }

    /// [`upload_part`](Self::upload_part) with the sealed buffer turned into
    /// the request body by `into_body` (a buffer pool hands it back after sending).
    pub(crate) async fn upload_part_with(
        &self,
        upload: &MultipartUpload,
        number: u32,
        mut buf: Vec<u8>,
        into_body: impl FnOnce(Vec<u8>) -> Bytes,
    ) -> Result<CompletedPart> {
        let resource = resource(&upload.bucket, &upload.key);
        let part = upload.plan.part(number).map_err(|source| Error::Core { resource: resource.clone(), source })?;
        if buf.len() as u64 != part.len {
            return Err(Error::invalid_argument(format!(
                "{resource} part {number}: {} bytes given, the plan needs {}",
                buf.len(),
                part.len
            )));
        }
        let mut cipher = upload.material.cipher_at(part.offset);
        let mut crc = Crc64::new();
        seal_in_place(&mut cipher, &mut crc, &mut buf);
        let body = Body::with_crc64(into_body(buf), crc.value());
        let out = self
            .oss
            .upload_part(&upload.bucket, &upload.key, &upload.upload_id, number, body, upload.part_headers.clone())
            .await?;
        Ok(CompletedPart::uploaded(number, &out, part.len))
    }

    /// Completes `upload` with its parts (CRC of the whole checked).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if parts are missing; service, transport
    /// and CRC errors.
    #[tracing::instrument(name = "complete_multipart", skip_all, fields(bucket = %upload.bucket, key = %upload.key, upload_id = %upload.upload_id), err(level = "debug", Display))]
    pub async fn complete_multipart(
        &self,
        upload: &MultipartUpload,
        mut parts: Vec<CompletedPart>,
    ) -> Result<WriteOutput> {
        parts.sort_by_key(|p| p.part_number);
        let numbers: Vec<u32> = parts.iter().map(|p| p.part_number).collect();
        if numbers != (1..=upload.plan.part_count()).collect::<Vec<_>>() {
            return Err(Error::invalid_argument(format!(
                "{}: complete needs parts 1..={} exactly once",
                resource(&upload.bucket, &upload.key),
                upload.plan.part_count()
            )));
        }
        self.oss.complete_multipart_upload(&upload.bucket, &upload.key, &upload.upload_id, &parts, vec![]).await
    }

    /// Aborts `upload`.
    ///
    /// # Errors
    /// Service and transport errors.
    #[tracing::instrument(name = "abort_multipart", skip_all, fields(bucket = %upload.bucket, key = %upload.key, upload_id = %upload.upload_id), err(level = "debug", Display))]
    pub async fn abort_multipart(&self, upload: &MultipartUpload) -> Result<()> {
        self.oss.abort_multipart_upload(&upload.bucket, &upload.key, &upload.upload_id).await
    }
}
