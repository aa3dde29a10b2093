//! File uploads: single or multipart, in parallel, resumable from a
//! checkpoint or from the server's list of parts.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use oss_cse_core::{ContentMaterial, Part, PartPlan};
use oss_cse_envelope::Envelope;

use super::checkpoint::{DonePart, UploadCheckpoint, UploadFit, file_identity};
use super::download::file_md5;
use super::pool::{BufferPool, read_part, read_part_into};
use super::positional::PositionalFile;
use super::{CHECKPOINT_VERSION, UploadOptions};
use crate::checkpoint::{forget_checkpoint, load_json, poisoned, save_json};
use crate::cse::abort::AbortOnDrop;
use crate::cse::encryption::{resource, seal_in_place};
use crate::cse::multipart::MultipartUpload;
use crate::local::io_error;
use crate::oss::types::{CompletedPart, WriteOutput};
use crate::parallel::Bounded;
use crate::{Crc64, EncryptionClient, Error, Progress, PutOptions, Result, local};

/// What a checkpoint says to do.
pub(super) enum Resume {
    /// No usable checkpoint: start a new upload.
    Fresh,
    /// Continue this upload; these parts are done.
    Continue(MultipartUpload, Vec<CompletedPart>),
    /// The upload already completed (a previous run stopped before removing its checkpoint).
    AlreadyComplete(WriteOutput),
}

/// What every part task of one file upload shares.
pub(super) struct PartJob {
    upload: MultipartUpload,
    /// The file, opened once for all its parts.
    file: PositionalFile,
    /// The checkpoint file and the state it records.
    record: Option<(PathBuf, Arc<Mutex<UploadCheckpoint>>)>,
    /// Checkpoint writes, one at a time.
    checkpoint_lock: tokio::sync::Mutex<()>,
    pool: BufferPool,
    progress: Option<Progress>,
    /// Plaintext bytes sent so far (parts done before included).
    sent: std::sync::atomic::AtomicU64,
}

impl EncryptionClient {
    /// Encrypts and uploads a file: one streamed PutObject below the
    /// multipart threshold, else parallel parts (resumable with a checkpoint).
    ///
    /// # Errors
    /// I/O, key, service, transport and CRC errors naming the object or file.
    #[tracing::instrument(name = "put_file", skip_all, fields(bucket = %bucket, key = %key, resumable = options.checkpoint.is_some()), err(level = "debug", Display))]
    pub async fn put_file(&self, bucket: &str, key: &str, path: &Path, options: &UploadOptions) -> Result<WriteOutput> {
        let (size, _) = file_identity(path).await?;
        if size <= self.options.multipart_threshold && options.checkpoint.is_none() {
            let mut put = options.put.clone();
            if put.compute_md5 {
                put.headers.push(("content-md5".into(), file_md5(path).await?));
            }
            let sealed = self.seal_file(bucket, key, path, size).await?;
            let file = tokio::fs::File::open(path).await.map_err(io_error("opening", path))?;
            let out = self.put_reader_sealed(bucket, key, file, size, &put, sealed).await?;
            return Ok(out);
        }
        self.upload_file_multipart(bucket, key, path, options).await
    }

    /// Fresh material and its envelope for a file of `size` bytes, tagged
    /// when tags are written: the file is then read once here to hash its
    /// ciphertext, and must not change before it is read again to be sent.
    async fn seal_file(&self, bucket: &str, key: &str, path: &Path, size: u64) -> Result<(ContentMaterial, Envelope)> {
        let (material, mut envelope) = self.seal(&resource(bucket, key)).await?;
        if !self.options.authentication.write_tags {
            return Ok((material, envelope));
        }
        let material = Arc::new(material);
        let hashes = super::tagging::file_hashes(path, Some(material.clone()), size, self.options.parallel).await?;
        self.attach_tag((bucket, key), &material, size, &hashes, &mut envelope)?;
        let material =
            Arc::try_unwrap(material).map_err(|_| Error::TaskFailed { reason: "material still shared".into() })?;
        Ok((material, envelope))
    }

    /// Parallel multipart upload of a file, resumable when a checkpoint path
    /// is given: finished parts are recorded there and not sent again.
    ///
    /// # Errors
    /// As [`put_file`](Self::put_file); [`Error::SourceChanged`] if the file
    /// changes during the upload.
    #[tracing::instrument(name = "upload_file_multipart", skip_all, fields(bucket = %bucket, key = %key), err(level = "debug", Display))]
    pub async fn upload_file_multipart(
        &self,
        bucket: &str,
        key: &str,
        path: &Path,
        options: &UploadOptions,
    ) -> Result<WriteOutput> {
        let res = resource(bucket, key);
        // Resolved once, so the checkpoint names the file the same way
        // whichever relative path a later run is given.
        let path = &local::resolve_path(path)?;
        let (size, mtime) = file_identity(path).await?;
        let plan = PartPlan::with_preferred_part_size(size, Some(self.options.part_size))
            .map_err(|source| Error::Core { resource: res.clone(), source })?;
        let mut put = options.put.clone();
        if put.compute_md5 {
            put.headers.push(("content-md5".into(), file_md5(path).await?));
        } else if let Some(given) = Self::caller_md5(&put) {
            // It goes into the envelope as the plaintext's MD5: checked first.
            crate::cse::content_md5::check(&res, Some(&given), &file_md5(path).await?)?;
        }

        let resumed = match &options.checkpoint {
            Some(checkpoint) => self.resume_upload(checkpoint, bucket, key, path, mtime, &plan).await?,
            None => Resume::Fresh,
        };
        let (upload, done) = match resumed {
            Resume::Continue(upload, done) => (upload, done),
            Resume::AlreadyComplete(out) => {
                forget_checkpoint(options.checkpoint.as_ref()).await;
                return Ok(out);
            }
            Resume::Fresh => {
                let sealed = self.seal_file(bucket, key, path, size).await?;
                let upload = self.initiate_multipart_sealed(bucket, key, size, plan.part_size(), &put, sealed).await?;
                (upload, Vec::new())
            }
        };
        let sealed = match &options.checkpoint {
            Some(checkpoint) => {
                let ids = (bucket, key, upload.upload_id.as_str());
                Some(super::seal::seal(checkpoint, ids, &upload.material)?)
            }
            None => None,
        };
        let record = options.checkpoint.as_ref().map(|checkpoint| {
            let envelope = upload
                .part_headers
                .iter()
                .filter(|(k, _)| !k.ends_with("-data-size") && !k.ends_with("-part-size"))
                .cloned()
                .collect();
            (
                checkpoint.clone(),
                Arc::new(Mutex::new(UploadCheckpoint {
                    version: CHECKPOINT_VERSION,
                    kind: "upload".into(),
                    bucket: bucket.into(),
                    key: key.into(),
                    upload_id: upload.upload_id.clone(),
                    file: path.to_owned(),
                    file_size: size,
                    file_mtime_ns: mtime,
                    part_size: plan.part_size(),
                    envelope,
                    sealed_material: sealed,
                    parts: done
                        .iter()
                        .map(|p| {
                            let (crc64, size) = p.crc64_and_size.unwrap_or_default();
                            DonePart { number: p.part_number, etag: p.etag.clone(), crc64, size }
                        })
                        .collect(),
                })),
            )
        });
        if let Some((checkpoint, state)) = &record {
            let snapshot = state.lock().map(|s| s.clone()).map_err(|_| poisoned(checkpoint))?;
            save_json(checkpoint, &snapshot).await?;
        }

        // Without a checkpoint nothing can resume this upload: abort it on
        // every way out but Complete, a cancelled future (a signal) included.
        let guard = AbortOnDrop::new(&self.oss, (bucket, key, &upload.upload_id), options.checkpoint.is_none());
        let result = self.send_parts(&upload, path, &done, record.clone(), put.progress.clone()).await;
        let parts = match result {
            Ok(parts) => parts,
            Err(error) => {
                if options.checkpoint.is_none() {
                    let _ = self.abort_multipart(&upload).await;
                    guard.disarm();
                }
                return Err(error);
            }
        };
        if file_identity(path).await? != (size, mtime) {
            let _ = self.abort_multipart(&upload).await;
            guard.disarm();
            forget_checkpoint(options.checkpoint.as_ref()).await;
            return Err(Error::SourceChanged { path: path.to_owned() });
        }
        let out = self.complete_multipart(&upload, parts).await?;
        guard.disarm();
        forget_checkpoint(options.checkpoint.as_ref()).await;
        Ok(out)
    }

    /// Loads and checks an upload checkpoint.
    async fn resume_upload(
        &self,
        checkpoint: &Path,
        bucket: &str,
        key: &str,
        path: &Path,
        mtime: u128,
        plan: &PartPlan,
    ) -> Result<Resume> {
        // The plan was made from the file's size.
        let size = plan.total_size();
        // An untrusted checkpoint names an upload someone else may have begun
        // under a data key they know: start a new one, and leave theirs be.
        let Some(record) = load_json::<UploadCheckpoint>(checkpoint).await?.trusted() else {
            return Ok(Resume::Fresh);
        };
        let bad = |reason: &str| Error::Checkpoint { path: checkpoint.to_owned(), reason: reason.to_owned() };
        if record.fit((bucket, key), (path, size, mtime), plan.part_size()).map_err(bad)? == UploadFit::SourceChanged {
            // The parts sent are not this file's. Start over.
            let _ = self.oss.abort_multipart_upload(bucket, key, &record.upload_id).await;
            return Ok(Resume::Fresh);
        }
        let res = resource(bucket, key);
        let envelope = Envelope::from_headers(record.envelope.iter().map(|(k, v)| (k.as_str(), v.as_bytes())))
            .map_err(|source| Error::Envelope { resource: res.clone(), source })?
            .ok_or_else(|| bad("no envelope"))?;
        let listed = match self.oss.list_parts(bucket, key, &record.upload_id).await {
            Ok(listed) => listed,
            Err(e) if e.service_error().is_some_and(|s| s.code == "NoSuchUpload") => {
                // Gone: aborted, or completed by a run that stopped before it
                // could delete the checkpoint. The object then carries this
                // upload's envelope and size, and nothing is left to send.
                return Ok(match self.oss.head_object(bucket, key).await {
                    Ok(meta) if meta.content_length == size => {
                        let stored = meta.envelope();
                        match stored {
                            Ok(Some(stored)) if stored.wrapped == envelope.wrapped => {
                                Resume::AlreadyComplete(WriteOutput {
                                    etag: meta.etag.unwrap_or_default(),
                                    crc64: meta.crc64,
                                    request_id: meta.request_id,
                                })
                            }
                            _ => Resume::Fresh,
                        }
                    }
                    _ => Resume::Fresh,
                });
            }
            Err(e) => return Err(e),
        };
        let material = match self.unwrap(&res, &envelope).await {
            Ok(material) => material,
            // A public-only key cannot unwrap: the checkpoint's sealed copy,
            // bound to this upload, stands in, provided the envelope the
            // checkpoint names is the one OSS holds for the upload.
            Err(error) => match record
                .sealed_material
                .as_deref()
                .filter(|_| listed.holds_envelope(&record.envelope) == Some(true))
                .and_then(|sealed| super::seal::unseal(checkpoint, (bucket, key, &record.upload_id), sealed))
            {
                Some(material) => material,
                None => {
                    tracing::warn!(resource = %res, error = %error, "cannot recover the upload's data key; restarting the upload");
                    let _ = self.oss.abort_multipart_upload(bucket, key, &record.upload_id).await;
                    return Ok(Resume::Fresh);
                }
            },
        };
        let mut envelope = envelope;
        envelope.data_size = Some(size);
        envelope.part_size = Some(plan.part_size());
        let upload = self.resume_multipart(bucket, key, record.upload_id.clone(), *plan, material, &envelope)?;
        Ok(Resume::Continue(upload, record.confirmed_parts(plan, &listed.parts)))
    }

    /// Resumes an upload whose checkpoint is lost, from the server's record:
    /// the newest upload for `key` whose ListParts envelope fields match this
    /// file's size and the client's part size. Each part already on the
    /// server is kept only if its CRC equals that of this file's part
    /// encrypted with the recovered key; the rest are sent. Uploads that do
    /// not match are aborted. Returns `None` when there was nothing to resume.
    ///
    /// Anyone who can start a multipart upload in the bucket, with only the
    /// public key, could start one whose data key they know; so an upload
    /// none of whose parts is already this file's ciphertext is never
    /// continued (it saves nothing anyway), and its data key is not used.
    ///
    /// # Errors
    /// As [`upload_file_multipart`](Self::upload_file_multipart).
    #[tracing::instrument(name = "resume_upload_from_server", skip_all, fields(bucket = %bucket, key = %key), err(level = "debug", Display))]
    pub async fn resume_upload_from_server(
        &self,
        bucket: &str,
        key: &str,
        path: &Path,
        options: &PutOptions,
    ) -> Result<Option<WriteOutput>> {
        let res = resource(bucket, key);
        let (size, mtime) = file_identity(path).await?;
        let plan = PartPlan::with_preferred_part_size(size, Some(self.options.part_size))
            .map_err(|source| Error::Core { resource: res.clone(), source })?;
        let mut uploads: Vec<_> =
            self.oss.list_multipart_uploads(bucket, key).await?.into_iter().filter(|u| u.key == key).collect();
        uploads.sort_by(|a, b| b.initiated.cmp(&a.initiated));
        for candidate in uploads {
            let listed = self.oss.list_parts(bucket, key, &candidate.upload_id).await?;
            let field = |name: &str| listed.client_encryption.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
            let headers: Vec<(String, String)> = [
                ("ClientEncryptionKey", "x-oss-meta-client-side-encryption-key"),
                ("ClientEncryptionStart", "x-oss-meta-client-side-encryption-start"),
                ("ClientEncryptionCekAlg", "x-oss-meta-client-side-encryption-cek-alg"),
                ("ClientEncryptionWrapAlg", "x-oss-meta-client-side-encryption-wrap-alg"),
                ("ClientEncryptionDataSize", "x-oss-meta-client-side-encryption-data-size"),
                ("ClientEncryptionPartSize", "x-oss-meta-client-side-encryption-part-size"),
            ]
            .into_iter()
            .filter_map(|(field_name, header)| field(field_name).map(|v| (header.to_owned(), v)))
            .collect();
            let envelope =
                Envelope::from_headers(headers.iter().map(|(k, v)| (k.as_str(), v.as_bytes()))).ok().flatten();
            let usable = envelope.filter(|e| e.data_size == Some(size) && e.part_size == Some(plan.part_size()));
            let Some(mut envelope) = usable else {
                let _ = self.oss.abort_multipart_upload(bucket, key, &candidate.upload_id).await;
                continue;
            };
            // ListParts does not carry the matdesc: the encrypting key's is assumed.
            envelope.material_description =
                self.keyring.encrypting_key().ok().and_then(|k| self.written_matdesc(k.as_ref()).ok().flatten());
            let Ok(material) = self.unwrap(&res, &envelope).await else {
                let _ = self.oss.abort_multipart_upload(bucket, key, &candidate.upload_id).await;
                continue;
            };
            let upload = self.resume_multipart(bucket, key, candidate.upload_id.clone(), plan, material, &envelope)?;
            let mut done = Vec::new();
            let file = PositionalFile::open(path).await?;
            for server in &listed.parts {
                let Ok(part) = plan.part(server.part_number) else { continue };
                if part.len != server.size {
                    continue;
                }
                let mut buf = read_part(&file, &part).await?;
                let mut crc = Crc64::new();
                seal_in_place(&mut upload.material.cipher_at(part.offset), &mut crc, &mut buf);
                if server.crc64 == Some(crc.value()) {
                    done.push(CompletedPart {
                        part_number: part.number,
                        etag: server.etag.clone(),
                        crc64_and_size: Some((crc.value(), part.len)),
                    });
                }
            }
            if done.is_empty() {
                // Nothing of this file is there: continuing would only put it
                // under a data key someone else may have chosen.
                let _ = self.oss.abort_multipart_upload(bucket, key, &candidate.upload_id).await;
                continue;
            }
            let parts = self.send_parts(&upload, path, &done, None, options.progress.clone()).await?;
            if file_identity(path).await? != (size, mtime) {
                let _ = self.abort_multipart(&upload).await;
                return Err(Error::SourceChanged { path: path.to_owned() });
            }
            return self.complete_multipart(&upload, parts).await.map(Some);
        }
        Ok(None)
    }

    /// Uploads every part not in `done`, `parallel` at a time, recording
    /// each finished part in the checkpoint. Returns all parts.
    async fn send_parts(
        &self,
        upload: &MultipartUpload,
        path: &Path,
        done: &[CompletedPart],
        record: Option<(PathBuf, Arc<Mutex<UploadCheckpoint>>)>,
        progress: Option<Progress>,
    ) -> Result<Vec<CompletedPart>> {
        let total = upload.plan.total_size();
        let already: u64 = done.iter().filter_map(|p| p.crc64_and_size.map(|(_, size)| size)).sum();
        let sent = std::sync::atomic::AtomicU64::new(already);
        if let Some(progress) = &progress {
            progress(already, Some(total));
        }
        let todo: Vec<Part> = upload.plan.parts().filter(|p| !done.iter().any(|d| d.part_number == p.number)).collect();
        let job = Arc::new(PartJob {
            upload: upload.clone(),
            file: PositionalFile::open(path).await?,
            record,
            checkpoint_lock: tokio::sync::Mutex::new(()),
            pool: BufferPool::default(),
            progress,
            sent,
        });
        let sent_now = Bounded::run(self.options.parallel, todo, |part| {
            let (client, job) = (self.clone(), job.clone());
            async move { client.send_and_record(&job, part).await }
        })
        .await?;
        let mut parts = done.to_vec();
        parts.extend(sent_now);
        Ok(parts)
    }

    /// Reads, encrypts and sends one part, records it in the checkpoint and
    /// reports progress.
    #[tracing::instrument(name = "part", skip_all, fields(number = part.number, bytes = part.len))]
    async fn send_and_record(&self, job: &PartJob, part: Part) -> Result<CompletedPart> {
        let plaintext = read_part_into(&job.file, &part, job.pool.take()).await?;
        let completed = self.upload_part_with(&job.upload, part.number, plaintext, |buf| job.pool.body(buf)).await?;
        if let Some((checkpoint, state)) = &job.record {
            let _serialized = job.checkpoint_lock.lock().await;
            let snapshot = {
                let mut state = state.lock().map_err(|_| poisoned(checkpoint))?;
                let (crc64, size) = completed.crc64_and_size.unwrap_or((0, part.len));
                state.parts.push(DonePart { number: part.number, etag: completed.etag.clone(), crc64, size });
                state.clone()
            };
            save_json(checkpoint, &snapshot).await?;
        }
        let now = job.sent.fetch_add(part.len, std::sync::atomic::Ordering::Relaxed) + part.len;
        if let Some(progress) = &job.progress {
            progress(now, Some(job.upload.plan.total_size()));
        }
        Ok(completed)
    }
}
