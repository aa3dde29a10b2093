//! Server-side encryption of existing objects in place: a self-copy with the
//! SSE headers (metadata kept, so client-side envelopes survive), or, where
//! OSS refuses that for a client-side-encrypted object (0005-00000421, which
//! its docs leave open for this case), a re-upload of the stored bytes with
//! envelope, metadata, tags and ACL unchanged.

use crate::bulk::Outcome;
use crate::oss::types::{MetadataDirective, ServerSideEncryption};
use crate::{Error, OssClient, Result};

/// OSS's EC for a refused change to a client-side-encrypted object's metadata.
const CSE_METADATA_FIXED: &str = "0005-00000421";

/// Parts in flight when an SSE conversion falls back to a re-upload.
const REUPLOAD_PARALLEL: usize = 4;

impl OssClient {
    /// Encrypts one existing object in place with `sse`; one already under
    /// `sse` is left as it is (so a rerun over a prefix is cheap).
    ///
    /// # Errors
    /// The failing HEAD, copy or re-upload, naming the object.
    pub async fn encrypt_existing_object(
        &self,
        bucket: &str,
        key: &str,
        sse: &ServerSideEncryption,
    ) -> Result<Outcome> {
        let meta = self.head_object(bucket, key).await?;
        if meta.server_side_encryption.as_ref() == Some(sse) {
            return Ok(Outcome::Skipped { reason: format!("already {sse}") });
        }
        let copied = self.copy_object(bucket, key, bucket, key, MetadataDirective::Copy, sse.headers()).await;
        match copied {
            Err(error) if error.service_error().is_some_and(|e| e.ec.as_deref() == Some(CSE_METADATA_FIXED)) => {
                let source = self.read_source(bucket, key).await?;
                let resource = crate::cse::encryption::resource(bucket, key);
                let envelope = source.meta.envelope().map_err(|source| Error::Envelope { resource, source })?;
                let mut headers = source.kept_headers();
                headers.extend(sse.headers());
                let rewrite = crate::cse::reupload::Rewrite {
                    envelope,
                    headers,
                    part_size: None,
                    parallel: REUPLOAD_PARALLEL,
                    single_max: crate::cse::reupload::MAX_SINGLE_PUT,
                    checkpoint: None,
                    identity: None,
                    progress: None,
                };
                self.reupload(bucket, key, &source, rewrite).await?;
                Ok(Outcome::Done { bytes: meta.content_length })
            }
            other => other.map(|_| Outcome::Done { bytes: 0 }),
        }
    }

    /// Encrypts every object under `prefix` in place with `sse` (see
    /// [`encrypt_existing_object`](Self::encrypt_existing_object)), one after
    /// another. Returns the keys rewritten. The CLI runs the same per-object
    /// step on the bulk engine ([`crate::bulk::run_job`]).
    ///
    /// # Errors
    /// The first failing object.
    pub async fn encrypt_existing_objects(
        &self,
        bucket: &str,
        prefix: &str,
        sse: &ServerSideEncryption,
    ) -> Result<Vec<String>> {
        let mut done = Vec::new();
        for object in self.list_all_objects(bucket, prefix).await? {
            if let Outcome::Done { .. } = self.encrypt_existing_object(bucket, &object.key, sse).await? {
                done.push(object.key);
            }
        }
        Ok(done)
    }
}
