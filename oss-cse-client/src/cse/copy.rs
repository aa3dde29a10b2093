//! Copying objects as they are stored, ciphertext and envelope together, so
//! that a copy decrypts as its source does. OSS's CopyObject copies objects
//! up to [`DEFAULT_COPY_LIMIT`]; a larger one needs UploadPartCopy, which
//! OSS refuses for a client-side-encrypted source (0042-00000309), so it is
//! copied by the checked re-upload that rewrap uses (`reupload`): its stored
//! bytes are read (conditional on the ETag seen first) and sent again.

use crate::cse::encryption::resource;
use crate::cse::rewrap::RewrapCost;
use crate::oss::types::{MetadataDirective, WriteOutput};
use crate::{EncryptionClient, Error, Result};

/// The largest object copied by OSS's CopyObject by default: OSS's
/// references say "1 GB" without saying which; 10^9 bytes works with both.
pub const DEFAULT_COPY_LIMIT: u64 = 1_000_000_000;

/// The request header that makes a write fail if the key exists.
const FORBID_OVERWRITE: &str = "x-oss-forbid-overwrite";

/// Options of a [`copy_object_with`](EncryptionClient::copy_object_with).
#[derive(Clone, Default)]
pub struct CopyOptions {
    /// Fail with OSS's `FileAlreadyExists` (409) if the destination exists,
    /// whichever way the object is copied.
    pub forbid_overwrite: bool,
    /// Called as a re-uploaded copy's stored bytes arrive (a server-side
    /// copy reports nothing: no byte passes through this client).
    pub progress: Option<crate::Progress>,
    /// The copy's tags instead of the source's, as an `x-oss-tagging`
    /// header writes them (`k1=v1&k2=v2`, URL-encoded; empty for none):
    /// OSS's `x-oss-tagging-directive: REPLACE`.
    pub tagging: Option<String>,
}

impl std::fmt::Debug for CopyOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CopyOptions")
            .field("forbid_overwrite", &self.forbid_overwrite)
            .field("progress", &self.progress.is_some())
            .field("tagging", &self.tagging)
            .finish()
    }
}

/// What a copy did.
#[derive(Debug, Clone)]
pub struct CopyOutput {
    /// What the write of the copy reported.
    pub written: WriteOutput,
    /// `None` for a server-side copy; for a source above
    /// [`EncryptionOptions::copy_limit`](crate::EncryptionOptions::copy_limit),
    /// the stored bytes this client downloaded and uploaded again, and how.
    pub reuploaded: Option<RewrapCost>,
}

impl EncryptionClient {
    /// What copying this object costs this client, found by a HEAD alone:
    /// `None` when OSS copies it server-side, else the bytes downloaded
    /// and uploaded again. Nothing is changed.
    ///
    /// # Errors
    /// Service and transport errors, naming the source.
    #[tracing::instrument(name = "copy_cost", skip_all, fields(bucket = %bucket, key = %key), err(level = "debug", Display))]
    pub async fn copy_cost(&self, bucket: &str, key: &str) -> Result<Option<RewrapCost>> {
        let meta = self.oss.head_object(bucket, key).await?;
        if meta.content_length <= self.options.copy_limit {
            return Ok(None);
        }
        let envelope = meta.envelope().map_err(|source| Error::Envelope { resource: resource(bucket, key), source })?;
        let etag = meta.etag.as_deref().unwrap_or_default();
        let layout = crate::cse::reupload::layout(
            (etag, meta.content_length, meta.crc64),
            envelope.as_ref(),
            Some(self.options.part_size),
            self.options.multipart_threshold,
        )
        .map_err(|source| Error::Core { resource: resource(bucket, key), source })?;
        Ok(Some(RewrapCost { bytes: meta.content_length, layout }))
    }

    /// Copies an object with its envelope, so the copy decrypts with the
    /// same keys; no key is needed. Up to
    /// [`EncryptionOptions::copy_limit`](crate::EncryptionOptions::copy_limit)
    /// OSS copies it (CopyObject, metadata copied); above it the stored
    /// bytes are downloaded and uploaded again, proved unchanged before the
    /// commit (Content-MD5, or the parts' combined CRC-64), with the
    /// source's content headers, user metadata, tags, ACL, storage class and
    /// server-side encryption. See [`copy_cost`](Self::copy_cost).
    ///
    /// # Errors
    /// [`Error::ObjectChanged`] if the source changed during a re-upload;
    /// service, transport and integrity errors.
    pub async fn copy_object(
        &self,
        source_bucket: &str,
        source_key: &str,
        bucket: &str,
        key: &str,
    ) -> Result<CopyOutput> {
        self.copy_object_with(source_bucket, source_key, bucket, key, &CopyOptions::default()).await
    }

    /// [`copy_object`](Self::copy_object) with options.
    ///
    /// # Errors
    /// As [`copy_object`](Self::copy_object); `FileAlreadyExists` (409)
    /// with [`CopyOptions::forbid_overwrite`].
    #[tracing::instrument(name = "copy_object", skip_all, fields(source_bucket = %source_bucket, source_key = %source_key, bucket = %bucket, key = %key), err(level = "debug", Display))]
    pub async fn copy_object_with(
        &self,
        source_bucket: &str,
        source_key: &str,
        bucket: &str,
        key: &str,
        options: &CopyOptions,
    ) -> Result<CopyOutput> {
        let forbid: Vec<(String, String)> =
            options.forbid_overwrite.then(|| (FORBID_OVERWRITE.to_owned(), "true".to_owned())).into_iter().collect();
        let tagging = options.tagging.as_ref().map(|tags| ("x-oss-tagging".to_owned(), tags.clone()));
        let meta = self.oss.head_object(source_bucket, source_key).await?;
        if meta.content_length <= self.options.copy_limit {
            let oss = &self.oss;
            let mut headers = forbid;
            if let Some(tagging) = tagging {
                headers.push(("x-oss-tagging-directive".to_owned(), "REPLACE".to_owned()));
                headers.extend((!tagging.1.is_empty()).then_some(tagging));
            }
            let written =
                oss.copy_object(source_bucket, source_key, bucket, key, MetadataDirective::Copy, headers).await?;
            return Ok(CopyOutput { written, reuploaded: None });
        }
        let source = self.oss.source_from_head(source_bucket, source_key, meta).await?;
        let envelope = source
            .meta
            .envelope()
            .map_err(|e| Error::Envelope { resource: resource(source_bucket, source_key), source: e })?;
        let mut headers = source.kept_headers();
        if let Some(tagging) = tagging {
            headers.retain(|(name, _)| name != "x-oss-tagging");
            headers.extend((!tagging.1.is_empty()).then_some(tagging));
        }
        headers.extend(source.sse_headers());
        headers.extend(forbid);
        let rewrite = crate::cse::reupload::Rewrite {
            envelope,
            headers,
            part_size: Some(self.options.part_size),
            parallel: self.options.parallel,
            single_max: self.options.multipart_threshold,
            checkpoint: None,
            identity: None,
            progress: options.progress.clone(),
        };
        let layout =
            source.layout(&rewrite).map_err(|e| Error::Core { resource: source.resource.clone(), source: e })?;
        let cost = RewrapCost { bytes: source.size, layout };
        let written = self.oss.reupload(bucket, key, &source, rewrite).await?;
        Ok(CopyOutput { written, reuploaded: Some(cost) })
    }
}
