//! Whole-file transfers: parallel multipart upload and parallel ranged
//! download, both resumable from a checkpoint file, in memory bounded by
//! about `concurrency × part_size` whatever the object size.
//!
//! Checkpoints hold only what is safe to keep on disk: the wrapped envelope
//! (never a plaintext key), the upload id, part ETags and CRCs. Everything in
//! a checkpoint is re-checked on resume against the server (ListParts, HEAD)
//! and the local file, so a stale or hand-edited checkpoint cannot produce a
//! wrong result, only a restart.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::UNIX_EPOCH;

use futures_util::StreamExt;
use oss_cse_core::{Aes256Ctr, ContentMaterial, DownloadPlan, FetchRange, Part, PartPlan};
use oss_cse_envelope::Envelope;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};
use tokio::task::JoinSet;

use crate::body::FILE_CHUNK;
use crate::client::GetOptions;
use crate::encryption::{MultipartUpload, Progress, PutOptions, resource, seal_in_place};
use crate::local::{self, io_error, is_temp_name, parent_dir};
use crate::spool::Spool;
use crate::types::{CompletedPart, WriteOutput};
use crate::{ByteRange, Crc64, EncryptionClient, Error, Result};

const CHECKPOINT_VERSION: u32 = 1;

/// Largest checkpoint file read: a real one is a few hundred KiB at most.
const MAX_CHECKPOINT_BYTES: u64 = 4 << 20;

/// Options of a file upload.
#[derive(Clone, Default, Debug)]
pub struct UploadOptions {
    /// Headers, MD5 and progress as for single uploads.
    pub put: PutOptions,
    /// Resume from (and record progress in) this checkpoint file.
    pub checkpoint: Option<PathBuf>,
}

/// Options of a file download.
#[derive(Clone, Default)]
pub struct DownloadOptions {
    /// Only these plaintext bytes.
    pub range: Option<ByteRange>,
    /// Resume from (and record progress in) this checkpoint file.
    pub checkpoint: Option<PathBuf>,
    /// Called as bytes are written.
    pub progress: Option<Progress>,
}

impl std::fmt::Debug for DownloadOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DownloadOptions")
            .field("range", &self.range)
            .field("checkpoint", &self.checkpoint)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

/// What a checkpoint says to do.
enum Resume {
    /// No usable checkpoint: start a new upload.
    Fresh,
    /// Continue this upload; these parts are done.
    Continue(MultipartUpload, Vec<CompletedPart>),
    /// The upload already completed (a previous run stopped before removing its checkpoint).
    AlreadyComplete(WriteOutput),
}

/// A finished part in an upload checkpoint.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct DonePart {
    number: u32,
    etag: String,
    crc64: u64,
    size: u64,
}

/// What an upload checkpoint records.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct UploadCheckpoint {
    version: u32,
    kind: String,
    bucket: String,
    key: String,
    upload_id: String,
    file: PathBuf,
    file_size: u64,
    file_mtime_ns: u128,
    part_size: u64,
    /// The envelope as headers: wrapped key and IV only.
    envelope: Vec<(String, String)>,
    parts: Vec<DonePart>,
}

/// What a download checkpoint records.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct DownloadCheckpoint {
    version: u32,
    kind: String,
    bucket: String,
    key: String,
    etag: String,
    size: u64,
    first: u64,
    last: u64,
    part_size: u64,
    temp: PathBuf,
    /// Finished ranges: index and CRC-64 of the ciphertext received.
    done: Vec<(u64, u64)>,
}

async fn file_identity(path: &Path) -> Result<(u64, u128)> {
    let meta = tokio::fs::metadata(path).await.map_err(io_error("reading metadata of", path))?;
    let mtime = meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
    Ok((meta.len(), mtime))
}

/// Writes a checkpoint atomically (temp file, fsync, rename); on any error
/// the checkpoint is as it was and no temporary file is left.
async fn save_json<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    local::save_json(path, checkpoint_temp_prefix(path), value).await
}

/// How the temporary files of [`save_json`] begin: `<stem>.tmp-` beside
/// the checkpoint.
fn checkpoint_temp_prefix(path: &Path) -> String {
    let stem = path.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    format!("{stem}.tmp-")
}

/// Removes the temporary files of saves that never reached their rename (a
/// process killed mid-save leaves one). Only names [`save_json`] makes for
/// this checkpoint are touched.
async fn remove_stale_checkpoint_temps(path: &Path) {
    let prefix = checkpoint_temp_prefix(path);
    let Ok(mut entries) = tokio::fs::read_dir(parent_dir(path)).await else { return };
    while let Ok(Some(entry)) = entries.next_entry().await {
        if entry.file_name().to_str().is_some_and(|name| is_temp_name(name, &prefix)) {
            let _ = tokio::fs::remove_file(entry.path()).await;
        }
    }
}

async fn load_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Option<T>> {
    remove_stale_checkpoint_temps(path).await;
    match tokio::fs::metadata(path).await {
        Ok(meta) if meta.len() > MAX_CHECKPOINT_BYTES => {
            return Err(Error::Checkpoint {
                path: path.to_owned(),
                reason: format!("{} bytes, more than any checkpoint this client writes", meta.len()),
            });
        }
        _ => {}
    }
    match tokio::fs::read(path).await {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| Error::Checkpoint { path: path.to_owned(), reason: format!("unreadable: {e}") }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Io { action: "reading", path: path.to_owned(), source }),
    }
}

async fn read_part(path: &Path, part: &Part) -> Result<Vec<u8>> {
    read_part_into(path, part, Vec::new()).await
}

/// Reads `part` of the file into `buf` (reusing its allocation).
async fn read_part_into(path: &Path, part: &Part, mut buf: Vec<u8>) -> Result<Vec<u8>> {
    let mut file = tokio::fs::File::open(path).await.map_err(io_error("opening", path))?;
    file.seek(std::io::SeekFrom::Start(part.offset)).await.map_err(io_error("reading", path))?;
    buf.clear();
    buf.resize(part.len as usize, 0);
    file.read_exact(&mut buf).await.map_err(io_error("reading", path))?;
    Ok(buf)
}

/// Part buffers reused from one part to the next.
///
/// Memory of a parallel upload should stay at about `concurrency × part
/// size`; with a fresh multi-MiB allocation per part, glibc's malloc (whose
/// mmap threshold rises after the first large free) lets the heap creep up
/// with the object size. A buffer handed to the HTTP body comes back here
/// when the body is dropped.
#[derive(Clone, Default)]
struct BufferPool(Arc<Mutex<Vec<Vec<u8>>>>);

/// A pooled buffer owned by a request body.
struct PooledBuffer {
    buf: Vec<u8>,
    pool: BufferPool,
}

impl AsRef<[u8]> for PooledBuffer {
    fn as_ref(&self) -> &[u8] {
        &self.buf
    }
}

impl Drop for PooledBuffer {
    fn drop(&mut self) {
        let buf = std::mem::take(&mut self.buf);
        if let Ok(mut free) = self.pool.0.lock() {
            // Keep a few: more than the parts in flight is never needed.
            if free.len() < 16 {
                free.push(buf);
            }
        }
    }
}

impl BufferPool {
    fn take(&self) -> Vec<u8> {
        self.0.lock().ok().and_then(|mut free| free.pop()).unwrap_or_default()
    }

    fn body(&self, buf: Vec<u8>) -> bytes::Bytes {
        bytes::Bytes::from_owner(PooledBuffer { buf, pool: self.clone() })
    }
}

impl EncryptionClient {
    /// Encrypts and uploads a file: one streamed PutObject below the
    /// multipart threshold, else parallel parts (resumable with a checkpoint).
    ///
    /// # Errors
    /// I/O, key, service, transport and CRC errors naming the object or file.
    pub async fn put_file(&self, bucket: &str, key: &str, path: &Path, options: &UploadOptions) -> Result<WriteOutput> {
        let (size, _) = file_identity(path).await?;
        if size <= self.options.multipart_threshold && options.checkpoint.is_none() {
            let mut put = options.put.clone();
            if put.compute_md5 {
                put.headers.push(("content-md5".into(), file_md5(path).await?));
            }
            let file = tokio::fs::File::open(path).await.map_err(io_error("opening", path))?;
            return self.put_reader(bucket, key, file, size, &put).await;
        }
        self.upload_file_multipart(bucket, key, path, options).await
    }

    /// Parallel multipart upload of a file, resumable when a checkpoint path
    /// is given: finished parts are recorded there and not sent again.
    ///
    /// # Errors
    /// As [`put_file`](Self::put_file); [`Error::SourceChanged`] if the file
    /// changes during the upload.
    pub async fn upload_file_multipart(
        &self,
        bucket: &str,
        key: &str,
        path: &Path,
        options: &UploadOptions,
    ) -> Result<WriteOutput> {
        let res = resource(bucket, key);
        let (size, mtime) = file_identity(path).await?;
        let plan = PartPlan::with_preferred_part_size(size, Some(self.options.part_size))
            .map_err(|source| Error::Core { resource: res.clone(), source })?;
        let mut put = options.put.clone();
        if put.compute_md5 {
            put.headers.push(("content-md5".into(), file_md5(path).await?));
        }

        let resumed = match &options.checkpoint {
            Some(checkpoint) => self.resume_upload(checkpoint, bucket, key, path, size, mtime, &plan).await?,
            None => Resume::Fresh,
        };
        let (upload, done) = match resumed {
            Resume::Continue(upload, done) => (upload, done),
            Resume::AlreadyComplete(out) => {
                forget_checkpoint(options.checkpoint.as_ref()).await;
                return Ok(out);
            }
            Resume::Fresh => {
                let upload = self.initiate_multipart(bucket, key, size, plan.part_size(), &put).await?;
                (upload, Vec::new())
            }
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

        let result = self.send_parts(&upload, path, &done, record.clone(), put.progress.clone()).await;
        let parts = match result {
            Ok(parts) => parts,
            Err(error) => {
                // Without a checkpoint nothing can resume this upload: abort it.
                if options.checkpoint.is_none() {
                    let _ = self.abort_multipart(&upload).await;
                }
                return Err(error);
            }
        };
        if file_identity(path).await? != (size, mtime) {
            let _ = self.abort_multipart(&upload).await;
            forget_checkpoint(options.checkpoint.as_ref()).await;
            return Err(Error::SourceChanged { path: path.to_owned() });
        }
        let out = self.complete_multipart(&upload, parts).await?;
        forget_checkpoint(options.checkpoint.as_ref()).await;
        Ok(out)
    }

    /// Loads and checks an upload checkpoint.
    #[allow(clippy::too_many_arguments)]
    async fn resume_upload(
        &self,
        checkpoint: &Path,
        bucket: &str,
        key: &str,
        path: &Path,
        size: u64,
        mtime: u128,
        plan: &PartPlan,
    ) -> Result<Resume> {
        let Some(record) = load_json::<UploadCheckpoint>(checkpoint).await? else { return Ok(Resume::Fresh) };
        let bad = |reason: &str| Error::Checkpoint { path: checkpoint.to_owned(), reason: reason.to_owned() };
        if record.version != CHECKPOINT_VERSION || record.kind != "upload" {
            return Err(bad("not an upload checkpoint of this version"));
        }
        if record.bucket != bucket || record.key != key || record.file != path {
            return Err(bad("it belongs to another object or file"));
        }
        if (record.file_size, record.file_mtime_ns) != (size, mtime) || record.part_size != plan.part_size() {
            // The source changed: the parts sent are not this file's. Start over.
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
            Err(error) => {
                // Resuming needs a key that can unwrap the upload's data key
                // (a public-only RSA key cannot): start over cleanly instead.
                tracing::warn!(resource = %res, error = %error, "cannot unwrap the checkpoint's key; restarting the upload");
                let _ = self.oss.abort_multipart_upload(bucket, key, &record.upload_id).await;
                return Ok(Resume::Fresh);
            }
        };
        let mut envelope = envelope;
        envelope.data_size = Some(size);
        envelope.part_size = Some(plan.part_size());
        let upload = self.resume_multipart(bucket, key, record.upload_id.clone(), *plan, material, &envelope)?;
        // Keep a part only if the server has it as recorded, at the planned
        // size, and only once (an edited checkpoint may repeat one).
        let mut seen = std::collections::HashSet::new();
        let done = record
            .parts
            .iter()
            .filter(|p| {
                plan.part(p.number).is_ok_and(|planned| planned.len == p.size)
                    && listed.parts.iter().any(|s| s.part_number == p.number && s.etag == p.etag && s.size == p.size)
                    && seen.insert(p.number)
            })
            .map(|p| CompletedPart {
                part_number: p.number,
                etag: p.etag.clone(),
                crc64_and_size: Some((p.crc64, p.size)),
            })
            .collect();
        Ok(Resume::Continue(upload, done))
    }

    /// Resumes an upload whose checkpoint is lost, from the server's record:
    /// the newest upload for `key` whose ListParts envelope fields match this
    /// file's size and the client's part size. Each part already on the
    /// server is kept only if its CRC equals that of this file's part
    /// encrypted with the recovered key; the rest are sent. Uploads that do
    /// not match are aborted. Returns `None` when there was nothing to resume.
    ///
    /// # Errors
    /// As [`upload_file_multipart`](Self::upload_file_multipart).
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
                self.keyring.encrypting_key().ok().and_then(|k| k.material_description().cloned());
            let Ok(material) = self.unwrap(&res, &envelope).await else {
                let _ = self.oss.abort_multipart_upload(bucket, key, &candidate.upload_id).await;
                continue;
            };
            let upload = self.resume_multipart(bucket, key, candidate.upload_id.clone(), plan, material, &envelope)?;
            let mut done = Vec::new();
            for server in &listed.parts {
                let Ok(part) = plan.part(server.part_number) else { continue };
                if part.len != server.size {
                    continue;
                }
                let mut buf = read_part(path, &part).await?;
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
            let parts = self.send_parts(&upload, path, &done, None, options.progress.clone()).await?;
            if file_identity(path).await? != (size, mtime) {
                let _ = self.abort_multipart(&upload).await;
                return Err(Error::SourceChanged { path: path.to_owned() });
            }
            return self.complete_multipart(&upload, parts).await.map(Some);
        }
        Ok(None)
    }

    /// Uploads every part not in `done`, `concurrency` at a time, recording
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
        let sent = Arc::new(std::sync::atomic::AtomicU64::new(already));
        if let Some(progress) = &progress {
            progress(already, Some(total));
        }
        let todo: Vec<Part> = upload.plan.parts().filter(|p| !done.iter().any(|d| d.part_number == p.number)).collect();
        let upload = Arc::new(upload.clone());
        let mut parts = done.to_vec();
        let mut tasks = JoinSet::new();
        let mut queue = todo.into_iter();
        let checkpoint_lock = Arc::new(tokio::sync::Mutex::new(()));
        let pool = BufferPool::default();
        loop {
            while tasks.len() < self.options.concurrency {
                let Some(part) = queue.next() else { break };
                let client = self.clone();
                let upload = upload.clone();
                let path = path.to_owned();
                let record = record.clone();
                let progress = progress.clone();
                let sent = sent.clone();
                let checkpoint_lock = checkpoint_lock.clone();
                let pool = pool.clone();
                tasks.spawn(async move {
                    let plaintext = read_part_into(&path, &part, pool.take()).await?;
                    let completed =
                        client.upload_part_with(&upload, part.number, plaintext, |buf| pool.body(buf)).await?;
                    if let Some((checkpoint, state)) = &record {
                        let _serialized = checkpoint_lock.lock().await;
                        let snapshot = {
                            let mut state = state.lock().map_err(|_| poisoned(checkpoint))?;
                            let (crc64, size) = completed.crc64_and_size.unwrap_or((0, part.len));
                            state.parts.push(DonePart {
                                number: part.number,
                                etag: completed.etag.clone(),
                                crc64,
                                size,
                            });
                            state.clone()
                        };
                        save_json(checkpoint, &snapshot).await?;
                    }
                    let now = sent.fetch_add(part.len, std::sync::atomic::Ordering::Relaxed) + part.len;
                    if let Some(progress) = &progress {
                        progress(now, Some(total));
                    }
                    Ok::<_, Error>(completed)
                });
            }
            match next_finished(&mut tasks).await {
                None => break,
                Some(completed) => parts.push(completed?),
            }
        }
        Ok(parts)
    }

    /// Downloads and decrypts an object (or a range) into `path`, in
    /// parallel ranges, each decrypted at its own offset and written in
    /// place. The destination appears only when complete and verified (CRC of
    /// the whole, plaintext length and MD5 when recorded): the data goes to a
    /// temporary file renamed over `path` at the end. With a checkpoint the
    /// download resumes where it stopped.
    ///
    /// # Errors
    /// I/O, key, service, transport and integrity errors.
    pub async fn get_file(&self, bucket: &str, key: &str, path: &Path, options: &DownloadOptions) -> Result<u64> {
        let res = resource(bucket, key);
        // Refused before anything is fetched: the rename at the end would
        // fail only after the whole object had been decrypted to disk.
        if tokio::fs::metadata(path).await.is_ok_and(|m| m.is_dir()) {
            return Err(Error::invalid_argument(format!(
                "{res}: the destination {} is a directory; name the file to write",
                path.display()
            )));
        }
        let meta = self.oss.head_object(bucket, key).await?;
        let size = meta.content_length;
        if size > oss_cse_core::offset::MAX_OBJECT_SIZE {
            return Err(Error::InvalidResponse {
                operation: "HeadObject",
                resource: res,
                reason: format!("a size of {size} bytes, beyond the largest object OSS stores"),
            });
        }
        let etag = meta.etag.clone().unwrap_or_default();
        let envelope = meta.envelope().map_err(|source| Error::Envelope { resource: res.clone(), source })?;
        if envelope.is_none() && self.options.plaintext_policy == crate::PlaintextPolicy::Refuse {
            return Err(Error::NotEncrypted { resource: res });
        }
        let plan = DownloadPlan::new(size, options.range, self.options.part_size)
            .map_err(|source| Error::Core { resource: res.clone(), source })?;
        let whole = plan.is_whole();
        if whole {
            self.check_verifiable(&res, meta.crc64, envelope.as_ref())?;
            if let Some(len) = envelope.as_ref().and_then(|e| e.unencrypted_content_length) {
                if len != size {
                    return Err(Error::PlaintextMismatch { resource: res, what: "length" });
                }
            }
        }
        let material = match &envelope {
            Some(envelope) => Some(Arc::new(self.unwrap(&res, envelope).await?)),
            None => None,
        };
        let mut state = DownloadCheckpoint {
            version: CHECKPOINT_VERSION,
            kind: "download".into(),
            bucket: bucket.into(),
            key: key.into(),
            etag: etag.clone(),
            size,
            first: plan.first(),
            last: plan.last(),
            part_size: plan.range_size(),
            temp: PathBuf::new(),
            done: Vec::new(),
        };
        let mut resumed = false;
        if let Some(checkpoint) = &options.checkpoint {
            if let Some(previous) = load_json::<DownloadCheckpoint>(checkpoint).await? {
                let same = previous.version == CHECKPOINT_VERSION
                    && previous.kind == "download"
                    && (previous.bucket.as_str(), previous.key.as_str(), previous.etag.as_str())
                        == (bucket, key, etag.as_str())
                    && (previous.size, previous.first, previous.last, previous.part_size)
                        == (size, plan.first(), plan.last(), plan.range_size());
                // The checkpoint names its temporary file: touch it only if
                // it is one of ours for this destination, never a file an
                // edited checkpoint points at.
                let own_temp = is_temp_path_of(path, &previous.temp);
                if same && own_temp && tokio::fs::metadata(&previous.temp).await.is_ok() {
                    state = previous;
                    // Trust nothing the checkpoint says without checking it.
                    state.done = verify_done_ranges(&state, material.as_deref(), &plan).await;
                    resumed = true;
                } else if own_temp {
                    let _ = tokio::fs::remove_file(&previous.temp).await;
                }
            }
        }
        // Removed on every error and when this future is dropped (a signal),
        // unless a checkpoint names it for the next run.
        let temp_guard = if resumed {
            let mut kept =
                tempfile::TempPath::try_from_path(state.temp.clone()).map_err(io_error("resolving", &state.temp))?;
            kept.disable_cleanup(true);
            kept
        } else {
            create_download_temp(path, options.checkpoint.clone(), &mut state).await?
        };
        let temp = state.temp.clone();
        let out_len = plan.output_len();
        let sized = match tokio::fs::OpenOptions::new().write(true).open(&temp).await {
            Ok(file) => file.set_len(out_len).await,
            Err(error) => Err(error),
        };
        if let Err(source) = sized {
            let _ = tokio::fs::remove_file(&temp).await;
            forget_checkpoint(options.checkpoint.as_ref()).await;
            return Err(Error::Io { action: "sizing", path: temp, source });
        }
        let state = Arc::new(Mutex::new(state));
        let result =
            self.fetch_ranges(bucket, key, &etag, material.clone(), &plan, &temp, state.clone(), options).await;
        // On an error of a range the guard keeps the file only for a checkpoint.
        let crcs = result?;
        let verified = self.verify_download(&res, &meta, envelope.as_ref(), &plan, &crcs, &temp).await;
        let finished = match verified {
            Ok(()) => temp_guard.persist(path).map_err(|e| {
                let _ = std::fs::remove_file(&e.path);
                Error::Io { action: "renaming into", path: path.to_owned(), source: e.error }
            }),
            Err(error) => {
                let _ = tokio::fs::remove_file(&temp).await;
                Err(error)
            }
        };
        forget_checkpoint(options.checkpoint.as_ref()).await;
        finished.map(|()| out_len)
    }

    /// Fetches every range not yet done; returns each range's ciphertext CRC.
    #[allow(clippy::too_many_arguments)]
    async fn fetch_ranges(
        &self,
        bucket: &str,
        key: &str,
        etag: &str,
        material: Option<Arc<ContentMaterial>>,
        plan: &DownloadPlan,
        temp: &Path,
        state: Arc<Mutex<DownloadCheckpoint>>,
        options: &DownloadOptions,
    ) -> Result<Vec<u64>> {
        let done: Vec<(u64, u64)> = state.lock().map(|s| s.done.clone()).unwrap_or_default();
        let mut crcs = vec![None; plan.range_count() as usize];
        for (index, crc) in &done {
            if let Some(slot) = crcs.get_mut(*index as usize) {
                *slot = Some(*crc);
            }
        }
        let written = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let total = plan.output_len();
        let mut tasks = JoinSet::new();
        let pending: Vec<FetchRange> = plan.ranges().filter(|r| crcs[r.index as usize].is_none()).collect();
        let mut queue = pending.into_iter();
        let checkpoint_lock = Arc::new(tokio::sync::Mutex::new(()));
        loop {
            while tasks.len() < self.options.concurrency {
                let Some(range) = queue.next() else { break };
                let client = self.clone();
                let (bucket, key, etag, temp) = (bucket.to_owned(), key.to_owned(), etag.to_owned(), temp.to_owned());
                let material = material.clone();
                let state = state.clone();
                let checkpoint = options.checkpoint.clone();
                let checkpoint_lock = checkpoint_lock.clone();
                let progress = options.progress.clone();
                let written = written.clone();
                tasks.spawn(async move {
                    // A range is re-fetched whole when its body breaks
                    // mid-stream. A failed request is not: the HTTP client
                    // has already retried it, and retrying around it would
                    // multiply the attempts.
                    let policy = client.oss.config().retry_policy();
                    let mut attempt = 1;
                    let crc = loop {
                        let result = client.fetch_range(&bucket, &key, &etag, material.as_deref(), range, &temp).await;
                        match result {
                            Err(RangeFailure::Body(error)) if error.is_retryable() && attempt < policy.max_attempts => {
                                attempt += 1;
                                tokio::time::sleep(policy.delay(attempt)).await;
                            }
                            Err(RangeFailure::Request(error) | RangeFailure::Body(error)) => return Err(error),
                            Ok(crc) => break crc,
                        }
                    };
                    if let Some(checkpoint) = &checkpoint {
                        let _serialized = checkpoint_lock.lock().await;
                        let snapshot = {
                            let mut state = state.lock().map_err(|_| poisoned(checkpoint))?;
                            state.done.push((range.index, crc));
                            state.clone()
                        };
                        save_json(checkpoint, &snapshot).await?;
                    }
                    let kept = range.kept();
                    let now = written.fetch_add(kept, std::sync::atomic::Ordering::Relaxed) + kept;
                    if let Some(progress) = &progress {
                        progress(now, Some(total));
                    }
                    Ok::<_, Error>((range.index, crc))
                });
            }
            match next_finished(&mut tasks).await {
                None => break,
                Some(done) => {
                    let (index, crc) = done?;
                    crcs[index as usize] = Some(crc);
                }
            }
        }
        Ok(crcs.into_iter().map(Option::unwrap_or_default).collect())
    }

    /// Fetches `range`, decrypts it and writes its kept bytes into `temp`;
    /// returns the ciphertext CRC.
    async fn fetch_range(
        &self,
        bucket: &str,
        key: &str,
        etag: &str,
        material: Option<&ContentMaterial>,
        range: FetchRange,
        temp: &Path,
    ) -> std::result::Result<u64, RangeFailure> {
        let res = resource(bucket, key);
        if range.len == 0 {
            return Ok(Crc64::new().value());
        }
        let options = GetOptions {
            range: Some(ByteRange::Inclusive { start: range.start, end: range.start + range.len - 1 }),
            if_match: Some(etag.to_owned()),
        };
        let got = match self.oss.get_object(bucket, key, &options).await {
            Err(e) if e.service_error().is_some_and(|s| s.status == 412) => {
                return Err(RangeFailure::Request(Error::ObjectChanged { resource: res }));
            }
            other => other.map_err(RangeFailure::Request)?,
        };
        Self::write_range(&res, got, material, range, temp).await.map_err(RangeFailure::Body)
    }

    /// Streams a fetched range into `temp` (see [`fetch_range`](Self::fetch_range)).
    async fn write_range(
        res: &str,
        got: crate::GetObjectOutput,
        material: Option<&ContentMaterial>,
        range: FetchRange,
        temp: &Path,
    ) -> Result<u64> {
        let FetchRange { start, len, skip, output_offset, .. } = range;
        let mut crc = Crc64::new();
        if got.content_range.is_some_and(|r| r.start != start) || (got.content_range.is_none() && start != 0) {
            return Err(Error::InvalidResponse {
                operation: "GetObject",
                resource: res.to_owned(),
                reason: "the reply is not the range asked for".into(),
            });
        }
        let mut cipher = material.map(|m| m.cipher_at(start));
        let mut file = tokio::fs::OpenOptions::new().write(true).open(temp).await.map_err(io_error("opening", temp))?;
        file.seek(std::io::SeekFrom::Start(output_offset)).await.map_err(io_error("seeking", temp))?;
        let mut position = start;
        let mut body = got.body;
        while let Some(chunk) = body.next().await {
            let chunk = chunk?;
            crc.update(&chunk);
            let mut buf = chunk.try_into_mut().unwrap_or_else(|shared| bytes::BytesMut::from(&shared[..]));
            if let Some(cipher) = cipher.as_mut() {
                cipher.apply_keystream(&mut buf);
            }
            let skip = (start + skip).saturating_sub(position).min(buf.len() as u64) as usize;
            position += buf.len() as u64;
            file.write_all(&buf[skip..]).await.map_err(io_error("writing", temp))?;
        }
        if position != start + len {
            return Err(Error::LengthMismatch {
                operation: "GetObject",
                resource: res.to_owned(),
                expected: len,
                actual: position - start,
            });
        }
        local::finish_writes(&mut file, temp).await?;
        Ok(crc.value())
    }

    /// Checks a finished download: the combined CRC against the object's
    /// (whole downloads), and the plaintext MD5 when the envelope has one.
    async fn verify_download(
        &self,
        res: &str,
        meta: &crate::ObjectMeta,
        envelope: Option<&Envelope>,
        plan: &DownloadPlan,
        crcs: &[u64],
        temp: &Path,
    ) -> Result<()> {
        if !plan.is_whole() {
            return Ok(());
        }
        let combined = plan.ranges().zip(crcs).fold(0u64, |acc, (range, crc)| Crc64::combine(acc, *crc, range.len));
        if let Some(server) = meta.crc64 {
            if server != combined {
                return Err(Error::CrcMismatch {
                    operation: "GetObject",
                    resource: res.to_owned(),
                    client: combined,
                    server,
                });
            }
        }
        if let Some(expected) =
            envelope.and_then(|e| e.unencrypted_content_md5.as_ref()).filter(|_| self.options.verify_md5)
        {
            if file_md5(temp).await? != expected.trim() {
                return Err(Error::PlaintextMismatch { resource: res.to_owned(), what: "MD5" });
            }
        }
        Ok(())
    }
}

/// Re-checks the ranges a download checkpoint says are done, by encrypting
/// what the temporary file holds and comparing the CRC. Returns those that pass.
async fn verify_done_ranges(
    state: &DownloadCheckpoint,
    material: Option<&ContentMaterial>,
    plan: &DownloadPlan,
) -> Vec<(u64, u64)> {
    let mut kept: Vec<(u64, u64)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    // Only ranges that lie wholly inside the user's bytes can be re-checked
    // from the file; the first may start before them. An index out of the
    // plan or seen twice is an edit, not progress.
    for &(index, crc) in &state.done {
        let Some(range) = plan.range(index).filter(|r| r.skip == 0 && seen.insert(r.index)) else { continue };
        let cipher = material.map(|m| m.cipher_at(range.start));
        let check = ciphertext_crc_of(&state.temp, range.output_offset, range.len, cipher).await;
        if check.is_ok_and(|check| check == crc) {
            kept.push((index, crc));
        }
    }
    kept
}

/// The CRC-64 of `len` bytes of a file from `offset`, as ciphertext: each
/// chunk is encrypted with `cipher` (seeked by the caller to where the bytes
/// sit in the object) before it is counted. Reads in bounded chunks.
async fn ciphertext_crc_of(path: &Path, offset: u64, len: u64, mut cipher: Option<Aes256Ctr>) -> Result<u64> {
    let mut file = tokio::fs::File::open(path).await.map_err(io_error("opening", path))?;
    file.seek(std::io::SeekFrom::Start(offset)).await.map_err(io_error("reading", path))?;
    let mut crc = Crc64::new();
    let mut buf = vec![0u8; FILE_CHUNK.min(len as usize)];
    let mut left = len;
    while left > 0 {
        let chunk = &mut buf[..left.min(FILE_CHUNK as u64) as usize];
        file.read_exact(chunk).await.map_err(io_error("reading", path))?;
        match cipher.as_mut() {
            Some(cipher) => seal_in_place(cipher, &mut crc, chunk),
            None => crc.update(chunk),
        }
        left -= chunk.len() as u64;
    }
    Ok(crc.value())
}

/// Whether `candidate` is a temporary file a download to `destination`
/// could have made.
fn is_temp_path_of(destination: &Path, candidate: &Path) -> bool {
    parent_dir(candidate) == parent_dir(destination)
        && candidate.file_name().and_then(|n| n.to_str()).is_some_and(|n| is_temp_name(n, &temp_prefix(destination)))
}

/// The next finished task of a bounded set of part or range transfers;
/// on a failure the others are aborted, since the transfer has failed.
async fn next_finished<T: 'static>(tasks: &mut JoinSet<Result<T>>) -> Option<Result<T>> {
    let finished = match tasks.join_next().await? {
        Ok(result) => result,
        Err(join) => Err(Error::TaskFailed { reason: join.to_string() }),
    };
    if finished.is_err() {
        tasks.abort_all();
    }
    Some(finished)
}

/// Why a range could not be fetched: its request failed (already retried by
/// the HTTP client), or its body failed on the way (worth a new request).
enum RangeFailure {
    Request(Error),
    Body(Error),
}

/// Removes a finished (or unusable) checkpoint; a missing one is fine.
async fn forget_checkpoint(checkpoint: Option<&PathBuf>) {
    if let Some(checkpoint) = checkpoint {
        let _ = tokio::fs::remove_file(checkpoint).await;
        remove_stale_checkpoint_temps(checkpoint).await;
    }
}

/// Creates the temporary file of a download beside `destination` (new,
/// mode 0600) and records its name in `state`. With a checkpoint, the
/// checkpoint naming the file is saved before the file exists, so a run
/// killed at any point leaves no file that no checkpoint names; the file is
/// then kept when the returned guard drops, for the next run.
async fn create_download_temp(
    destination: &Path,
    checkpoint: Option<PathBuf>,
    state: &mut DownloadCheckpoint,
) -> Result<tempfile::TempPath> {
    let dir = parent_dir(destination).to_owned();
    let prefix = temp_prefix(destination);
    let mut record = state.clone();
    let (temp, record) = tokio::task::spawn_blocking(move || {
        let created =
            tempfile::Builder::new().prefix(&prefix).rand_bytes(local::RANDOM_CHARS).make_in(&dir, |candidate| {
                if let Some(checkpoint) = &checkpoint {
                    record.temp = candidate.to_owned();
                    let json = serde_json::to_vec_pretty(&record).map_err(std::io::Error::other)?;
                    local::write_atomically_blocking(checkpoint, &checkpoint_temp_prefix(checkpoint), &json)
                        .map_err(std::io::Error::other)?;
                }
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                options.open(candidate)
            });
        let created = created.map_err(io_error("creating a temporary file in", &dir))?;
        let mut temp = created.into_temp_path();
        temp.disable_cleanup(checkpoint.is_some());
        record.temp = temp.to_path_buf();
        Ok::<_, Error>((temp, record))
    })
    .await
    .map_err(|join| Error::TaskFailed { reason: join.to_string() })??;
    *state = record;
    Ok(temp)
}

/// How the temporary files of a download to `destination` begin:
/// `.<name>.oss-cse-partial-`.
fn temp_prefix(destination: &Path) -> String {
    let name = destination.file_name().map_or_else(|| "download".into(), |n| n.to_string_lossy().into_owned());
    format!(".{name}.oss-cse-partial-")
}

fn poisoned(checkpoint: &Path) -> Error {
    Error::Checkpoint { path: checkpoint.to_owned(), reason: "state lock poisoned by a panic".into() }
}

/// Base64 MD5 of a file, read in chunks.
pub(crate) async fn file_md5(path: &Path) -> Result<String> {
    use md5::Digest as _;
    let mut file = tokio::fs::File::open(path).await.map_err(io_error("opening", path))?;
    let mut md5 = md5::Md5::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).await.map_err(io_error("reading", path))?;
        if n == 0 {
            break;
        }
        md5.update(&buf[..n]);
    }
    Ok(base64::Engine::encode(&base64::engine::general_purpose::STANDARD, md5.finalize()))
}

/// A stream of `actual` plaintext bytes where `expected` were announced
/// ([`PutOptions::expected_size`]) is a [`Error::LengthMismatch`].
fn check_expected_size(operation: &'static str, res: &str, expected: Option<u64>, actual: u64) -> Result<()> {
    match expected {
        Some(expected) if expected != actual => {
            Err(Error::LengthMismatch { operation, resource: res.to_owned(), expected, actual })
        }
        _ => Ok(()),
    }
}

/// Reads until `buf` is full or the source ends; returns the bytes read.
async fn read_up_to<R: tokio::io::AsyncRead + Unpin>(reader: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
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

impl EncryptionClient {
    /// Encrypts and uploads a stream of unknown length: one PutObject if it
    /// ends within one part size, else parts of the configured size sent
    /// `concurrency` at a time (memory about `concurrency × part_size`).
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
    /// a stream whose length is not [`PutOptions::expected_size`]; read,
    /// key, service and transport errors (the upload is aborted, nothing is
    /// stored).
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
        if md5_wanted || options.expected_size.is_none() {
            // OSS needs the data size when a CSE multipart upload starts, and
            // the MD5 goes out with it too: learn both by spooling the
            // ciphertext, then upload from there (the unknown-length rule of
            // the conventions; --expected-size avoids the spool).
            let spool = Spool::write(&res, &material, first, &mut reader).await?;
            check_expected_size("PutObject", &res, options.expected_size, spool.len)?;
            if md5_wanted {
                envelope.unencrypted_content_md5 = Some(spool.md5.clone());
            }
            envelope.unencrypted_content_length = Some(spool.len);
            envelope.data_size = Some(spool.len);
            let mut plaintext = spool.plaintext(&material);
            let mut first = vec![0u8; part_size as usize];
            let filled = read_up_to(&mut plaintext, &mut first).await.map_err(read_error)?;
            first.truncate(filled);
            return self.upload_stream(bucket, key, material, &envelope, plaintext, first, options).await;
        }
        self.upload_stream(bucket, key, material, &envelope, reader, first, options).await
    }

    /// The multipart half of [`put_stream`](Self::put_stream): Initiate with
    /// `envelope`, parts from `first` then `reader`, the length checked, then
    /// Complete (or Abort on any error).
    #[allow(clippy::too_many_arguments)]
    async fn upload_stream<R>(
        &self,
        bucket: &str,
        key: &str,
        material: ContentMaterial,
        envelope: &oss_cse_envelope::Envelope,
        mut reader: R,
        first: Vec<u8>,
        options: &PutOptions,
    ) -> Result<WriteOutput>
    where
        R: tokio::io::AsyncRead + Send + Unpin,
    {
        let res = &resource(bucket, key);
        let headers = Self::headers_with(res, &options.headers, envelope)?;
        let upload_id = self.oss.initiate_multipart_upload(bucket, key, headers).await?;
        let part_headers: Vec<(String, String)> = envelope
            .to_headers()
            .map_err(|source| Error::Envelope { resource: res.to_owned(), source })?
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        let material = Arc::new(material);
        let result =
            self.stream_parts(bucket, key, &upload_id, &material, &part_headers, &mut reader, first, options).await;
        // The length is checked before Complete: a refused stream leaves no object.
        let result = result.and_then(|(parts, sent)| {
            check_expected_size("CompleteMultipartUpload", res, options.expected_size, sent).map(|()| parts)
        });
        match result {
            Ok(parts) => self.oss.complete_multipart_upload(bucket, key, &upload_id, &parts, vec![]).await,
            Err(error) => {
                let _ = self.oss.abort_multipart_upload(bucket, key, &upload_id).await;
                Err(error)
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn stream_parts<R>(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        material: &Arc<ContentMaterial>,
        part_headers: &[(String, String)],
        reader: &mut R,
        first: Vec<u8>,
        options: &PutOptions,
    ) -> Result<(Vec<CompletedPart>, u64)>
    where
        R: tokio::io::AsyncRead + Send + Unpin,
    {
        let res = resource(bucket, key);
        let part_size = self.options.part_size;
        let mut parts = Vec::new();
        let mut tasks = JoinSet::new();
        let mut next: Option<Vec<u8>> = Some(first);
        let mut number = 0u32;
        let mut sent = 0u64;
        loop {
            while tasks.len() < self.options.concurrency {
                let Some(mut plaintext) = next.take() else { break };
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
                    let mut following = vec![0u8; part_size as usize];
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
                    (self.clone(), bucket.to_owned(), key.to_owned(), upload_id.to_owned());
                let (material, headers) = (material.clone(), part_headers.to_vec());
                tasks.spawn(async move {
                    let mut crc = Crc64::new();
                    seal_in_place(&mut material.cipher_at(offset), &mut crc, &mut plaintext);
                    let body = crate::Body::sealed(plaintext.into(), crc.value());
                    let out = client.oss.upload_part(&bucket, &key, &upload_id, number, body, headers).await?;
                    Ok::<_, Error>((CompletedPart::uploaded(number, &out, len), len))
                });
            }
            match next_finished(&mut tasks).await {
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

/// Parses bytes as an upload and as a download checkpoint, as a resume does
/// before it checks anything against the server (for the fuzz target).
pub(crate) fn parse_checkpoints(bytes: &[u8]) -> (bool, bool) {
    let upload = serde_json::from_slice::<UploadCheckpoint>(bytes).is_ok();
    let download = serde_json::from_slice::<DownloadCheckpoint>(bytes).is_ok();
    (upload, download)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A task that panics is a bug of ours, said as such: not an
    /// `InvalidArgument` blaming the caller.
    #[tokio::test]
    async fn a_panicked_task_is_task_failed() {
        let mut tasks: JoinSet<Result<()>> = JoinSet::new();
        #[allow(clippy::panic)]
        tasks.spawn(async { panic!("injected") });
        let error = next_finished(&mut tasks).await.map(|r| r.map_err(|e| e.kind()));
        assert!(matches!(error, Some(Err(crate::ErrorKind::Internal))), "{error:?}");
    }
}
