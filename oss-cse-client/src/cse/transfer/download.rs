//! File downloads: parallel ranged GETs decrypted at their own offsets into
//! a temporary file that becomes the destination only when verified, resumable
//! from a checkpoint whose every claim is re-checked.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use futures_util::StreamExt as _;
use oss_cse_core::{Aes256Ctr, ContentMaterial, DownloadPlan, FetchRange};
use oss_cse_envelope::Envelope;
use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _};

use super::checkpoint::DownloadCheckpoint;
use super::pool::BufferPool;
use super::positional::PositionalFile;
use super::{CHECKPOINT_VERSION, DownloadOptions};
use crate::checkpoint::{Loaded, forget_checkpoint, load_json, poisoned, save_json, save_json_blocking};
use crate::cse::encryption::{resource, seal_in_place};
use crate::local::{io_error, is_temp_name, parent_dir};
use crate::oss::body::FILE_CHUNK;
use crate::parallel::Bounded;
use crate::{ByteRange, Crc64, EncryptionClient, Error, GetOptions, Progress, Result, local};

/// What every range task of one download shares.
struct RangeJob {
    bucket: String,
    key: String,
    /// Every range is read only if the object still has this ETag.
    etag: String,
    material: Option<Arc<ContentMaterial>>,
    plan: DownloadPlan,
    /// The temporary file, written at each range's offset.
    file: PositionalFile,
    /// Batch buffers of decrypted bytes on their way to the file.
    pool: BufferPool,
    state: Arc<Mutex<DownloadCheckpoint>>,
    checkpoint: Option<PathBuf>,
    /// Checkpoint writes, one at a time.
    checkpoint_lock: tokio::sync::Mutex<()>,
    progress: Option<Progress>,
    /// Output bytes written so far.
    written: std::sync::atomic::AtomicU64,
    /// A whole download of a tagged object: each range whose start is a
    /// tag chunk boundary hashes its ciphertext as it arrives.
    tag_hashes: Option<Arc<Mutex<oss_cse_core::auth::TagBuilder>>>,
}

impl EncryptionClient {
    /// Downloads and decrypts an object (or a range) into `path`, in
    /// parallel ranges, each decrypted at its own offset and written in
    /// place. The destination appears only when complete and verified (CRC of
    /// the whole, plaintext length and MD5 when recorded): the data goes to a
    /// temporary file renamed over `path` at the end. With a checkpoint the
    /// download resumes where it stopped.
    ///
    /// # Errors
    /// I/O, key, service, transport and integrity errors.
    #[tracing::instrument(name = "get_file", skip_all, fields(bucket = %bucket, key = %key, range = ?options.range, resumable = options.checkpoint.is_some()), err(level = "debug", Display))]
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
        // Resolved once: a relative destination then names the same partial
        // file and checkpoint record in every run (see `resolve_path`).
        let path = &local::resolve_path(path)?;
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
        self.check_auth_headers(bucket, key, envelope.as_ref())?;
        if envelope.as_ref().is_some_and(|e| e.auth_tag.is_some()) && options.range.is_some() {
            tracing::warn!(
                target: crate::UNVERIFIED_TARGET,
                "{res}: a ranged download is not authenticated: only whole downloads check the tag"
            );
        }
        // A tagged object read whole is hashed range by range as it arrives,
        // so its ranges start on tag chunks.
        let tagged = envelope.as_ref().is_some_and(|e| e.auth_tag.is_some()) && options.range.is_none();
        let range_size = match tagged {
            true => self.options.part_size.next_multiple_of(oss_cse_core::auth::TAG_CHUNK),
            false => self.options.part_size,
        };
        let plan = DownloadPlan::new(size, options.range, range_size)
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
            let (previous, trusted) = match load_json::<DownloadCheckpoint>(checkpoint).await? {
                Loaded::Trusted(previous) => (Some(previous), true),
                Loaded::Untrusted(previous) => (previous, false),
                Loaded::Absent => (None, false),
            };
            if let Some(previous) = previous {
                let same = trusted && previous.fits((bucket, key, etag.as_str()), &plan);
                // The checkpoint names its temporary file: touch it only if
                // it is one of ours for this destination, never a file an
                // edited checkpoint points at; and never leave one behind
                // that no checkpoint will name.
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
        if options.checkpoint.is_some() {
            // Partial files of this destination that no checkpoint will name
            // again (an edited or lost checkpoint, a run killed before it
            // could clean up) hold plaintext: remove them.
            let keep = resumed.then(|| state.temp.clone());
            remove_stale_partials(path, keep.as_deref()).await;
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
        // Opened once, sized, and shared by every range.
        let file = match PositionalFile::open_write(&temp).await {
            Ok(file) => file.set_len(out_len).await.map(|()| file),
            Err(error) => Err(error),
        };
        let state = Arc::new(Mutex::new(state));
        let file = match file {
            Ok(file) => file,
            Err(error) => {
                let _ = tokio::fs::remove_file(&temp).await;
                forget_checkpoint(options.checkpoint.as_ref()).await;
                return Err(error);
            }
        };
        let tag_hashes = tagged.then(|| Arc::new(Mutex::new(oss_cse_core::auth::TagBuilder::new(size))));
        let job = RangeJob {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            etag: etag.clone(),
            material: material.clone(),
            plan,
            file: file.clone(),
            pool: BufferPool::default(),
            state: state.clone(),
            checkpoint: options.checkpoint.clone(),
            checkpoint_lock: tokio::sync::Mutex::new(()),
            progress: options.progress.clone(),
            written: std::sync::atomic::AtomicU64::new(0),
            tag_hashes: tag_hashes.clone(),
        };
        let result = self.fetch_ranges(job).await;
        // On an error of a range the guard keeps the file only for a checkpoint.
        let crcs = result?;
        // With a checkpoint each range was made durable before it was
        // recorded; without one, once here, before the rename.
        let synced = if options.checkpoint.is_some() { Ok(()) } else { file.sync().await };
        let verified = match synced {
            Ok(()) => self.verify_download(&res, &meta, envelope.as_ref(), &plan, &crcs, &temp).await,
            Err(error) => Err(error),
        };
        let verified = match (verified, &envelope, &material) {
            (Ok(()), Some(envelope), Some(material)) if envelope.auth_tag.is_some() && plan.is_whole() => {
                let hashed = tag_hashes.as_ref().and_then(|h| h.lock().ok().map(|b| b.clone()));
                match hashed.filter(oss_cse_core::auth::TagBuilder::is_complete) {
                    Some(hashes) => crate::cse::authentication::check_tag(&res, material, envelope, size, &hashes),
                    // Ranges done by an earlier run (a checkpoint) were not
                    // hashed here: hash the file instead.
                    None => self.verify_file_tag(&res, material, envelope, size, &temp).await,
                }
            }
            (verified, _, _) => verified,
        };
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
        if finished.is_ok() && options.keep_mtime && whole {
            crate::mtime::keep(path, &meta);
        }
        finished.map(|()| out_len)
    }

    /// Fetches every range not yet done; returns each range's ciphertext CRC.
    async fn fetch_ranges(&self, job: RangeJob) -> Result<Vec<u64>> {
        let done: Vec<(u64, u64)> = job.state.lock().map(|s| s.done.clone()).unwrap_or_default();
        let mut crcs = vec![None; job.plan.range_count() as usize];
        for (index, crc) in &done {
            if let Some(slot) = crcs.get_mut(*index as usize) {
                *slot = Some(*crc);
            }
        }
        let pending: Vec<FetchRange> = job.plan.ranges().filter(|r| crcs[r.index as usize].is_none()).collect();
        let job = Arc::new(job);
        let fetched = Bounded::run(self.options.parallel, pending, |range| {
            let (client, job) = (self.clone(), job.clone());
            async move { client.fetch_and_record(&job, range).await }
        })
        .await?;
        for (index, crc) in fetched {
            crcs[index as usize] = Some(crc);
        }
        Ok(crcs.into_iter().map(Option::unwrap_or_default).collect())
    }

    /// Fetches one range (again, whole, if its body breaks), records it in
    /// the checkpoint and reports progress.
    #[tracing::instrument(name = "range", skip_all, fields(index = range.index, start = range.start, bytes = range.len))]
    async fn fetch_and_record(&self, job: &RangeJob, range: FetchRange) -> Result<(u64, u64)> {
        // A failed request is not retried here: the HTTP client has already
        // retried it, and retrying around it would multiply the attempts.
        let policy = self.oss.config().retry_policy();
        let body_broke = |failure: &RangeFailure| matches!(failure, RangeFailure::Body(e) if e.is_retryable());
        let crc = match policy.run("GetObject", |_| self.fetch_range(job, range), body_broke).await {
            Ok(crc) => crc,
            Err(RangeFailure::Request(error) | RangeFailure::Body(error)) => return Err(error),
        };
        if let Some(checkpoint) = &job.checkpoint {
            let _serialized = job.checkpoint_lock.lock().await;
            let snapshot = {
                let mut state = job.state.lock().map_err(|_| poisoned(checkpoint))?;
                state.done.push((range.index, crc));
                state.clone()
            };
            save_json(checkpoint, &snapshot).await?;
        }
        let kept = range.kept();
        let now = job.written.fetch_add(kept, std::sync::atomic::Ordering::Relaxed) + kept;
        if let Some(progress) = &job.progress {
            progress(now, Some(job.plan.output_len()));
        }
        Ok((range.index, crc))
    }

    /// Fetches `range`, decrypts it and writes its kept bytes into `temp`;
    /// returns the ciphertext CRC.
    async fn fetch_range(&self, job: &RangeJob, range: FetchRange) -> std::result::Result<u64, RangeFailure> {
        if range.len == 0 {
            return Ok(Crc64::new().value());
        }
        let options = GetOptions {
            range: Some(ByteRange::Inclusive { start: range.start, end: range.start + range.len - 1 }),
            if_match: Some(job.etag.clone()),
            ..GetOptions::default()
        };
        let got = match self.oss.get_object(&job.bucket, &job.key, &options).await {
            Err(e) if e.service_error().is_some_and(|s| s.status == 412) => {
                return Err(RangeFailure::Request(Error::ObjectChanged { resource: resource(&job.bucket, &job.key) }));
            }
            other => other.map_err(RangeFailure::Request)?,
        };
        let res = resource(&job.bucket, &job.key);
        Self::write_range(&res, got, job, range).await.map_err(RangeFailure::Body)
    }

    /// Streams a fetched range into the temporary file (see
    /// [`fetch_range`](Self::fetch_range)): each received chunk is decrypted
    /// out of place into a pooled batch buffer (hyper's chunks are shared,
    /// so decrypting in place would mean copying them first), and a full
    /// batch is written at its offset. Returns the ciphertext CRC.
    async fn write_range(res: &str, got: crate::GetObjectOutput, job: &RangeJob, range: FetchRange) -> Result<u64> {
        let FetchRange { start, len, skip, output_offset, .. } = range;
        let mut crc = Crc64::new();
        if got.content_range.is_some_and(|r| r.start != start) || (got.content_range.is_none() && start != 0) {
            return Err(Error::InvalidResponse {
                operation: "GetObject",
                resource: res.to_owned(),
                reason: "the reply is not the range asked for".into(),
            });
        }
        let mut cipher = job.material.as_deref().map(|m| m.cipher_at(start));
        let mut hasher = job.tag_hashes.as_ref().and_then(|_| oss_cse_core::auth::ChunkHasher::at(start));
        let mut batch = job.pool.take();
        if batch.len() < WRITE_BATCH {
            batch.resize(WRITE_BATCH, 0);
        }
        let (mut filled, mut written_to) = (0usize, output_offset);
        let mut position = start;
        let mut body = got.body;
        while let Some(chunk) = body.next().await {
            let chunk = chunk?;
            crc.update(&chunk);
            if let Some(hasher) = hasher.as_mut() {
                // Past the range is refused below; what is hashed is what is kept.
                let within = (start + len).saturating_sub(position).min(chunk.len() as u64) as usize;
                hasher.update(&chunk[..within]);
            }
            // The range may begin before the bytes asked for: skip those.
            let skipped = (start + skip).saturating_sub(position).min(chunk.len() as u64) as usize;
            let mut kept = &chunk[skipped..];
            if let Some(cipher) = cipher.as_mut() {
                cipher.seek(position + skipped as u64);
            }
            position += chunk.len() as u64;
            if position > start + len {
                break; // reported below, before anything past the range is written
            }
            while !kept.is_empty() {
                let n = kept.len().min(WRITE_BATCH - filled);
                let (from, target) = (&kept[..n], &mut batch[filled..filled + n]);
                match cipher.as_mut() {
                    Some(cipher) => cipher.apply_keystream_b2b(from, target),
                    None => target.copy_from_slice(from),
                }
                kept = &kept[n..];
                filled += n;
                if filled == WRITE_BATCH {
                    batch = job.file.write_all_at(batch, filled, written_to).await?;
                    written_to += filled as u64;
                    filled = 0;
                }
            }
        }
        if position != start + len {
            return Err(Error::LengthMismatch {
                operation: "GetObject",
                resource: res.to_owned(),
                expected: len,
                actual: position - start,
            });
        }
        if filled > 0 {
            batch = job.file.write_all_at(batch, filled, written_to).await?;
        }
        job.pool.give_back(batch);
        if job.checkpoint.is_some() {
            job.file.sync().await?;
        }
        if let (Some(hasher), Some(hashes)) = (hasher, &job.tag_hashes) {
            if let Ok(mut hashes) = hashes.lock() {
                hashes.add(hasher.finish());
            }
        }
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
            let actual = file_md5(temp).await?;
            if !crate::cse::decrypting::md5_names(expected, &actual) {
                return Err(Error::PlaintextMismatch { resource: res.to_owned(), what: "MD5" });
            }
        }
        Ok(())
    }
}

impl EncryptionClient {
    /// Checks a whole download's tag: the decrypted file, encrypted again at
    /// its offsets, is exactly the ciphertext received, hashed in parallel.
    async fn verify_file_tag(
        &self,
        res: &str,
        material: &Arc<ContentMaterial>,
        envelope: &Envelope,
        size: u64,
        temp: &Path,
    ) -> Result<()> {
        let hashes = super::tagging::file_hashes(temp, Some(material.clone()), size, self.options.parallel).await?;
        crate::cse::authentication::check_tag(res, material, envelope, size, &hashes)
    }
}

/// Decrypted bytes written to the file at a time, per range in flight.
const WRITE_BATCH: usize = 1 << 20;

/// Re-checks the ranges a download checkpoint says are done, by encrypting
/// what the temporary file holds and comparing the CRC. Returns those that pass.
pub(super) async fn verify_done_ranges(
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
pub(super) async fn ciphertext_crc_of(
    path: &Path,
    offset: u64,
    len: u64,
    mut cipher: Option<Aes256Ctr>,
) -> Result<u64> {
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
pub(super) fn is_temp_path_of(destination: &Path, candidate: &Path) -> bool {
    parent_dir(candidate) == parent_dir(destination)
        && candidate.file_name().and_then(|n| n.to_str()).is_some_and(|n| is_temp_name(n, &temp_prefix(destination)))
}

/// Removes the partial files of downloads to `destination` (the names
/// [`temp_prefix`] begins) beside it, but `keep`.
async fn remove_stale_partials(destination: &Path, keep: Option<&Path>) {
    let prefix = temp_prefix(destination);
    let Ok(mut entries) = tokio::fs::read_dir(parent_dir(destination)).await else { return };
    while let Ok(Some(entry)) = entries.next_entry().await {
        let ours = entry.file_name().to_str().is_some_and(|name| is_temp_name(name, &prefix));
        let kept = keep.is_some_and(|keep| keep.file_name() == Some(entry.file_name().as_os_str()));
        if ours && !kept && entry.file_type().await.is_ok_and(|t| t.is_file()) {
            let _ = tokio::fs::remove_file(entry.path()).await;
        }
    }
}

/// Why a range could not be fetched: its request failed (already retried by
/// the HTTP client), or its body failed on the way (worth a new request).
pub(super) enum RangeFailure {
    Request(Error),
    Body(Error),
}

impl std::fmt::Display for RangeFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Request(error) | Self::Body(error) => error.fmt(f),
        }
    }
}

/// Creates the temporary file of a download beside `destination` (new,
/// mode 0600) and records its name in `state`. With a checkpoint, the
/// checkpoint naming the file is saved before the file exists, so a run
/// killed at any point leaves no file that no checkpoint names; the file is
/// then kept when the returned guard drops, for the next run.
pub(super) async fn create_download_temp(
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
                    save_json_blocking(checkpoint, &record).map_err(std::io::Error::other)?;
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
pub(super) fn temp_prefix(destination: &Path) -> String {
    let name = destination.file_name().map_or_else(|| "download".into(), |n| n.to_string_lossy().into_owned());
    format!(".{name}.oss-cse-partial-")
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
