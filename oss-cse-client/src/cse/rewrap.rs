//! Rewriting encrypted objects in place: key rotation (`rewrap`), metadata
//! updates, and copies that keep the envelope. What OSS refuses to do by
//! CopyObject is done by re-uploading the ciphertext (`reupload`).

use oss_cse_envelope::consts::is_envelope_header;
use oss_cse_envelope::{Envelope, MasterKey};

use crate::cse::encryption::resource;
use crate::cse::reupload::ReuploadLayout;
use crate::oss::types::{MetadataDirective, WriteOutput};
use crate::{EncryptionClient, Error, Result};

/// Options of a [`rewrap`](EncryptionClient::rewrap_with).
#[derive(Clone, Default)]
pub struct RewrapOptions {
    /// Record the parts of a multipart re-upload here and resume from it: a
    /// rerun after an interruption sends only the parts not yet sent, as
    /// long as the object, the new key and the headers are the same (else
    /// it starts over). Objects above
    /// [`EncryptionOptions::multipart_threshold`](crate::EncryptionOptions)
    /// go up in parts when they have a CRC-64.
    pub checkpoint: Option<std::path::PathBuf>,
    /// Called as the stored bytes arrive to be sent again.
    pub progress: Option<crate::Progress>,
}

impl std::fmt::Debug for RewrapOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RewrapOptions")
            .field("checkpoint", &self.checkpoint)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

/// What rewriting an encrypted object in place moves: its stored bytes,
/// downloaded once and uploaded once again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RewrapCost {
    /// Stored bytes downloaded, and the same number uploaded.
    pub bytes: u64,
    /// How they go up again.
    pub layout: ReuploadLayout,
}

impl EncryptionClient {
    /// What [`rewrap`](Self::rewrap) (or a metadata update) of this object
    /// would move, found by a HEAD alone; nothing is changed.
    ///
    /// # Errors
    /// [`Error::NotEncrypted`] for an object without an envelope; service
    /// and transport errors.
    #[tracing::instrument(name = "rewrap_cost", skip_all, fields(bucket = %bucket, key = %key), err(level = "debug", Display))]
    pub async fn rewrap_cost(&self, bucket: &str, key: &str) -> Result<RewrapCost> {
        let resource = resource(bucket, key);
        let meta = self.oss.head_object(bucket, key).await?;
        let envelope = meta
            .envelope()
            .map_err(|source| Error::Envelope { resource: resource.clone(), source })?
            .ok_or_else(|| Error::NotEncrypted { resource: resource.clone() })?;
        let etag = meta.etag.as_deref().unwrap_or_default();
        let size = meta.content_length;
        let preferred = Some(self.options.part_size);
        let layout = crate::cse::reupload::layout(
            (etag, size, meta.crc64),
            Some(&envelope),
            preferred,
            self.options.multipart_threshold,
        )
        .map_err(|source| Error::Core { resource, source })?;
        Ok(RewrapCost { bytes: size, layout })
    }

    /// Replaces an object's user metadata and standard headers while keeping
    /// its envelope, storage class, tags, ACL and server-side encryption.
    /// (A plain REPLACE copy would drop the envelope and leave ciphertext
    /// that reads as plaintext; oss2's `update_object_meta` does exactly
    /// that. Headers that would alter the envelope are refused.)
    ///
    /// OSS refuses to change an encrypted object's metadata by CopyObject
    /// (0005-00000421), so an encrypted object is uploaded again, its
    /// ciphertext unchanged (see [`rewrap`](Self::rewrap) for the cost and
    /// the one race); an object without an envelope is copied onto itself.
    ///
    /// # Errors
    /// [`Error::Refused`] for envelope headers in `headers`;
    /// [`Error::ObjectChanged`] if another write raced it; service errors.
    #[tracing::instrument(name = "update_metadata", skip_all, fields(bucket = %bucket, key = %key), err(level = "debug", Display))]
    pub async fn update_metadata(
        &self,
        bucket: &str,
        key: &str,
        headers: Vec<(String, String)>,
    ) -> Result<WriteOutput> {
        let resource = resource(bucket, key);
        if headers.iter().any(|(k, _)| is_envelope_header(k)) {
            return Err(Error::Refused {
                resource,
                reason: "metadata updates may not change the envelope; use rewrap",
            });
        }
        let source = self.oss.read_source(bucket, key).await?;
        let envelope = source.meta.envelope().map_err(|source| Error::Envelope { resource, source })?;
        let mut all = headers;
        all.extend(source.sse_headers());
        match envelope {
            Some(envelope) => {
                all.extend(source.placement_headers());
                self.reupload((bucket, key), &source, &envelope, all, (None, None)).await
            }
            None => self.oss.copy_object(bucket, key, bucket, key, MetadataDirective::Replace, all).await,
        }
    }

    /// Key rotation: re-wraps the object's data key and IV under `new_key`
    /// and uploads the object again with its ciphertext unchanged (nothing
    /// is decrypted) and every other header, tag, ACL, storage class and
    /// server-side encryption kept; a V1 object stays V1. Returns the new
    /// envelope.
    ///
    /// It costs a download and an upload of the stored bytes: OSS refuses
    /// to change an encrypted object's metadata by CopyObject
    /// (0005-00000421). The bytes are proved unchanged before OSS commits
    /// them (Content-MD5 or the combined CRC-64), and every read is
    /// conditional on the ETag seen first; but OSS has no conditional PUT,
    /// so a write landing between the last read and the commit is lost. The
    /// HEAD after the commit reports that as [`Error::ObjectChanged`].
    ///
    /// # Errors
    /// [`Error::NotEncrypted`] for an object without an envelope;
    /// [`Error::ObjectChanged`]; key, service and transport errors.
    #[tracing::instrument(name = "rewrap", skip_all, fields(bucket = %bucket, key = %key), err(level = "debug", Display))]
    pub async fn rewrap(&self, bucket: &str, key: &str, new_key: &dyn MasterKey) -> Result<Envelope> {
        self.rewrap_with(bucket, key, new_key, &RewrapOptions::default()).await
    }

    /// [`rewrap`](Self::rewrap), resumable from a checkpoint. Returns the
    /// envelope now stored (a resumed rewrap keeps the one it began with).
    ///
    /// # Errors
    /// As [`rewrap`](Self::rewrap); [`Error::Checkpoint`] for a checkpoint
    /// of another kind or object.
    #[tracing::instrument(name = "rewrap_with", skip_all, fields(bucket = %bucket, key = %key), err(level = "debug", Display))]
    pub async fn rewrap_with(
        &self,
        bucket: &str,
        key: &str,
        new_key: &dyn MasterKey,
        options: &RewrapOptions,
    ) -> Result<Envelope> {
        let resource = resource(bucket, key);
        let source = self.oss.read_source(bucket, key).await?;
        let envelope = source
            .meta
            .envelope()
            .map_err(|source| Error::Envelope { resource: resource.clone(), source })?
            .ok_or_else(|| Error::NotEncrypted { resource: resource.clone() })?;
        let material = self.unwrap(&resource, &envelope).await?;
        let matdesc =
            self.written_matdesc(new_key).map_err(|source| Error::Envelope { resource: resource.clone(), source })?;
        let wrapped = new_key
            .wrap(&material, envelope.format)
            .await
            .map_err(|source| Error::Envelope { resource: resource.clone(), source })?;
        let mut rewrapped = envelope.clone();
        rewrapped.wrapped = wrapped;
        rewrapped.material_description = matdesc;
        let mut headers = source.kept_headers();
        headers.extend(source.sse_headers());
        // What a resumed run must share with the first: the new key, how it
        // wraps, and the matdesc text.
        let identity = new_key.fingerprint().map(|fingerprint| {
            let matdesc = rewrapped.material_description.as_ref().map(|m| m.header_text().into_owned());
            format!(
                "{fingerprint}\n{}\n{}\n{}",
                rewrapped.format,
                rewrapped.wrapped.algorithm,
                matdesc.unwrap_or_default()
            )
        });
        let resume = options.checkpoint.clone().zip(identity);
        self.reupload((bucket, key), &source, &rewrapped, headers, (resume, options.progress.clone())).await?;
        // A resumed upload keeps the envelope it was started with.
        let stored = self.oss.head_object(bucket, key).await?;
        stored
            .envelope()
            .map_err(|source| Error::Envelope { resource: resource.clone(), source })?
            .ok_or(Error::NotEncrypted { resource })
    }

    /// Uploads `source`'s stored bytes to `bucket/key` again under
    /// `envelope`; `resume` is the checkpoint and what identifies the intent.
    async fn reupload(
        &self,
        (bucket, key): (&str, &str),
        source: &crate::cse::reupload::Source,
        envelope: &Envelope,
        headers: Vec<(String, String)>,
        (resume, progress): (Option<(std::path::PathBuf, String)>, Option<crate::Progress>),
    ) -> Result<WriteOutput> {
        let (checkpoint, identity) = resume.unzip();
        let rewrite = crate::cse::reupload::Rewrite {
            envelope: Some(envelope.clone()),
            headers,
            part_size: Some(self.options.part_size),
            parallel: self.options.parallel,
            single_max: self.options.multipart_threshold,
            checkpoint,
            identity,
            progress,
        };
        self.oss.reupload(bucket, key, source, rewrite).await
    }
}
