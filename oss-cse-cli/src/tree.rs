//! Whole trees: `cp -r` and `sync` between a local directory and an OSS
//! prefix, both ways, on the bulk engine. Each file's modification time is
//! kept as user metadata on upload and given back to the file on download
//! (by `cp -r` too), so that an unchanged tree moves nothing the next time.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures_util::{Stream, StreamExt};
use oss_cse_client::bulk::{JobSummary, Outcome, key_to_relative_path, relative_path_to_key, run_job};
use oss_cse_client::mtime::{MTIME_HEADER, format_mtime, object_mtime};
use oss_cse_client::types::ObjectMeta;
use oss_cse_client::{DownloadOptions, EncryptionClient, Error, PutOptions, UploadOptions};

use crate::bulk::{BulkArgs, Filter, Items, checkpoint_file, finish, reporter, would};
use crate::progress::JobBar;
use crate::session::Session;

/// What a tree job does with an object that exists at the destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// `cp -r`: overwrite, or skip with `--no-clobber`.
    Copy { no_clobber: bool },
    /// `sync`: skip what has the same size and modification time (with
    /// `checksum`, the same MD5 where the object records one).
    Sync { checksum: bool },
}

/// A regular file found under the source directory.
#[derive(Debug)]
pub(crate) struct LocalFile {
    path: PathBuf,
    relative: String,
    len: u64,
    mtime: String,
}

/// Everything an object task needs.
struct Job {
    client: EncryptionClient,
    bucket: String,
    /// Key prefix (empty, or ending with `/`).
    prefix: String,
    root: PathBuf,
    mode: Mode,
    dry_run: bool,
    resume: Option<PathBuf>,
    headers: Vec<(String, String)>,
}

/// `oss://bucket/p` as a directory: `p/` (or the whole bucket).
pub(crate) fn as_directory(prefix: &str) -> String {
    if prefix.is_empty() || prefix.ends_with('/') { prefix.to_owned() } else { format!("{prefix}/") }
}

/// Uploads the tree under `root` to `bucket/prefix` (and, for `sync
/// --delete`, removes objects whose file is gone).
pub(crate) async fn upload(
    session: &Session,
    client: EncryptionClient,
    (root, bucket, prefix): (&Path, &str, &str),
    bulk: &BulkArgs,
    mode: Mode,
    headers: Vec<(String, String)>,
    delete: bool,
) -> anyhow::Result<()> {
    anyhow::ensure!(root.is_dir(), "{} is not a directory (use cp without -r for a file)", root.display());
    // Resolved once: `d` and `./d` then share a journal and checkpoints.
    let root = &std::fs::canonicalize(root).map_err(|e| anyhow::anyhow!("resolving {}: {e}", root.display()))?;
    let prefix = as_directory(prefix);
    let filter = Arc::new(bulk.filter()?);
    let what = ["upload", &root.display().to_string(), bucket, &prefix, mode_name(mode)];
    let options = bulk.job_options(&what)?;
    let job = Job::new(client, (bucket, &prefix, root), mode, bulk, headers);
    let key_prefix = prefix.clone();
    let files = walk(root.to_owned(), filter.clone())
        .map(move |file| file.map(|file| (format!("{key_prefix}{}", file.relative), file)));
    let work = |file: LocalFile| {
        let job = job.clone();
        async move { job.upload_one(file).await }
    };
    let verb = if bulk.dry_run { "would upload" } else { "uploaded" };
    let bar = JobBar::new(session, options.jobs);
    let files = bar.count(files);
    let mut summary = run_job(files, &options, work, reporter(session, verb, bar)).await?;
    if delete {
        let gone = job.delete_objects_without_files(session, &filter, bulk).await?;
        merge(&mut summary, gone);
    }
    finish(session, &summary, bulk.dry_run)
}

/// Downloads every object under `bucket/prefix` (or the `--manifest` keys)
/// into `root` (and, for `sync --delete`, removes files whose object is gone).
pub(crate) async fn download(
    session: &Session,
    client: EncryptionClient,
    (bucket, prefix, root): (&str, &str, &Path),
    bulk: &BulkArgs,
    mode: Mode,
    delete: bool,
) -> anyhow::Result<()> {
    let prefix = as_directory(prefix);
    let filter = Arc::new(bulk.filter()?);
    std::fs::create_dir_all(root).map_err(|e| anyhow::anyhow!("creating {}: {e}", root.display()))?;
    // Resolved once: `d` and `./d` then share a journal and checkpoints.
    let root = &std::fs::canonicalize(root).map_err(|e| anyhow::anyhow!("resolving {}: {e}", root.display()))?;
    let what = ["download", bucket, &prefix, &root.display().to_string(), mode_name(mode)];
    let options = bulk.job_options(&what)?;
    let job = Job::new(client, (bucket, &prefix, root), mode, bulk, Vec::new());
    let selected = {
        let (prefix, filter) = (prefix.clone(), filter.clone());
        move |key: &str| key.strip_prefix(&prefix).is_some_and(|rel| filter.selects(rel))
    };
    let items: Items<Option<u64>> = match &bulk.manifest {
        Some(path) => Box::pin(
            oss_cse_client::bulk::manifest_keys(job.client.oss(), bucket, path)
                .await?
                .filter(move |key| std::future::ready(key.as_ref().map_or(true, |k| selected(k))))
                .map(|key| key.map(|key| (key, None))),
        ),
        None => Box::pin(
            job.client
                .oss()
                .list_stream(bucket, &prefix)
                .filter(move |o| std::future::ready(o.as_ref().map_or(true, |o| selected(&o.key))))
                .map(|o| o.map(|o| (o.key, Some(o.size)))),
        ),
    };
    let work = |(key, size): (String, Option<u64>)| {
        let job = job.clone();
        async move { job.download_one(key, size).await }
    };
    // The key rides along as the value so the task knows its object.
    let items = items.map(|item| item.map(|(key, size)| (key.clone(), (key, size))));
    let verb = if bulk.dry_run { "would download" } else { "downloaded" };
    let bar = JobBar::new(session, options.jobs);
    let items = bar.count(items);
    let mut summary = run_job(items, &options, work, reporter(session, verb, bar)).await?;
    if delete {
        let gone = job.delete_files_without_objects(session, &filter, bulk).await?;
        merge(&mut summary, gone);
    }
    finish(session, &summary, bulk.dry_run)
}

fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Copy { .. } => "cp",
        Mode::Sync { .. } => "sync",
    }
}

fn merge(summary: &mut JobSummary, other: JobSummary) {
    summary.done += other.done;
    summary.skipped += other.skipped;
    summary.bytes += other.bytes;
    summary.journaled += other.journaled;
    summary.failed.extend(other.failed);
}

fn not_found(error: &Error) -> bool {
    error.service_error().is_some_and(|s| s.status == 404)
}

impl Job {
    fn new(
        client: EncryptionClient,
        (bucket, prefix, root): (&str, &str, &Path),
        mode: Mode,
        bulk: &BulkArgs,
        headers: Vec<(String, String)>,
    ) -> Arc<Self> {
        Arc::new(Self {
            client,
            bucket: bucket.to_owned(),
            prefix: prefix.to_owned(),
            root: root.to_owned(),
            mode,
            dry_run: bulk.dry_run,
            resume: bulk.resume.clone(),
            headers,
        })
    }

    fn checkpoint(&self, parts: &[&str]) -> Option<PathBuf> {
        self.resume.as_ref().map(|dir| checkpoint_file(dir, parts))
    }

    async fn upload_one(&self, file: LocalFile) -> oss_cse_client::Result<Outcome> {
        let key = format!("{}{}", self.prefix, file.relative);
        if self.mode != (Mode::Copy { no_clobber: false }) {
            match self.client.oss().head_object(&self.bucket, &key).await {
                Ok(meta) => match self.mode {
                    Mode::Copy { .. } => return Ok(Outcome::Skipped { reason: "exists".into() }),
                    Mode::Sync { checksum } => {
                        if unchanged(&meta, (&file.path, file.len, &file.mtime), checksum).await? {
                            return Ok(Outcome::Skipped { reason: "unchanged".into() });
                        }
                    }
                },
                Err(error) if not_found(&error) => {}
                Err(error) => return Err(error),
            }
        }
        if self.dry_run {
            return Ok(would(file.len));
        }
        let mut headers = self.headers.clone();
        headers.push((MTIME_HEADER.to_owned(), file.mtime.clone()));
        // `sync --checksum` records what the next one compares.
        let compute_md5 = self.mode == Mode::Sync { checksum: true };
        let put = PutOptions { headers, compute_md5, ..PutOptions::default() };
        let checkpoint = self.checkpoint(&["upload", &self.bucket, &key, &file.path.display().to_string()]);
        self.client.put_file(&self.bucket, &key, &file.path, &UploadOptions { put, checkpoint }).await?;
        Ok(Outcome::Done { bytes: file.len })
    }

    async fn download_one(&self, key: String, listed_size: Option<u64>) -> oss_cse_client::Result<Outcome> {
        if key.ends_with('/') {
            return Ok(Outcome::Skipped { reason: "a directory marker".into() });
        }
        let resource = format!("oss://{}/{key}", self.bucket);
        let relative =
            key_to_relative_path(&key, &self.prefix).map_err(|reason| Error::Refused { resource, reason })?;
        let path = self.root.join(&relative);
        if let Ok(local) = tokio::fs::symlink_metadata(&path).await {
            match self.mode {
                Mode::Copy { no_clobber: true } => return Ok(Outcome::Skipped { reason: "exists".into() }),
                Mode::Sync { checksum } if local.is_file() && listed_size.is_none_or(|size| size == local.len()) => {
                    let meta = self.client.oss().head_object(&self.bucket, &key).await?;
                    let mtime = format_mtime(local.modified().ok());
                    if unchanged(&meta, (&path, local.len(), &mtime), checksum).await? {
                        return Ok(Outcome::Skipped { reason: "unchanged".into() });
                    }
                }
                _ => {}
            }
        }
        if self.dry_run {
            return Ok(would(listed_size.unwrap_or_default()));
        }
        self.make_parent(&path, &key).await?;
        let checkpoint = self.checkpoint(&["download", &self.bucket, &key, &path.display().to_string()]);
        // The object's modification time, for the next `sync` to compare.
        let options = DownloadOptions { checkpoint, keep_mtime: true, ..DownloadOptions::default() };
        let written = self.client.get_file(&self.bucket, &key, &path, &options).await?;
        Ok(Outcome::Done { bytes: written })
    }

    /// Creates the directories above `path` under the root, one at a time,
    /// checking each before anything is created in it: a symbolic link (or a
    /// file) where a directory should be is refused, so a link planted in
    /// the tree never gets a directory made through it.
    async fn make_parent(&self, path: &Path, key: &str) -> oss_cse_client::Result<()> {
        let resource = format!("oss://{}/{key}", self.bucket);
        let Some(relative) = path.parent().and_then(|p| p.strip_prefix(&self.root).ok()) else {
            return Err(Error::Refused { resource, reason: "its path is not under the destination" });
        };
        let mut at = self.root.clone();
        for part in relative.components() {
            at.push(part);
            match tokio::fs::symlink_metadata(&at).await {
                Ok(meta) if meta.is_dir() => continue,
                Ok(meta) if meta.file_type().is_symlink() => {
                    return Err(Error::Refused {
                        resource,
                        reason: "its directory is a symbolic link, which could lead outside the destination",
                    });
                }
                Ok(_) => {
                    return Err(Error::Refused { resource, reason: "a file stands where its directory should be" });
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => match tokio::fs::create_dir(&at).await {
                    Ok(()) => {}
                    // Made by a task of this job for a sibling meanwhile.
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && at.is_dir() && !at.is_symlink() => {}
                    Err(source) => return Err(Error::Io { action: "creating", path: at, source }),
                },
                Err(source) => return Err(Error::Io { action: "examining", path: at, source }),
            }
        }
        Ok(())
    }

    /// `sync --delete` upwards: objects under the prefix whose file is gone.
    async fn delete_objects_without_files(
        self: &Arc<Self>,
        session: &Session,
        filter: &Arc<Filter>,
        bulk: &BulkArgs,
    ) -> anyhow::Result<JobSummary> {
        let (prefix, root, filter) = (self.prefix.clone(), self.root.clone(), filter.clone());
        let orphans = self.client.oss().list_stream(&self.bucket, &self.prefix).filter_map(move |object| {
            let keep = match &object {
                Ok(o) => o.key.strip_prefix(&prefix).is_some_and(|rel| {
                    filter.selects(rel) && key_to_relative_path(&o.key, &prefix).is_ok_and(|p| !root.join(p).exists())
                }),
                Err(_) => true,
            };
            std::future::ready(keep.then(|| object.map(|o| (o.key.clone(), o.key))))
        });
        let options = bulk.job_options(&["sync-delete-objects", &self.bucket, &self.prefix])?;
        let job = self.clone();
        let work = |key: String| {
            let job = job.clone();
            async move {
                if !job.dry_run {
                    job.client.oss().delete_object(&job.bucket, &key).await?;
                }
                Ok(Outcome::Done { bytes: 0 })
            }
        };
        let verb = if self.dry_run { "would delete" } else { "deleted" };
        let bar = JobBar::new(session, options.jobs);
        let orphans = bar.count(orphans);
        Ok(run_job(orphans, &options, work, reporter(session, verb, bar)).await?)
    }

    /// `sync --delete` downwards: files under the root whose object is gone.
    async fn delete_files_without_objects(
        self: &Arc<Self>,
        session: &Session,
        filter: &Arc<Filter>,
        bulk: &BulkArgs,
    ) -> anyhow::Result<JobSummary> {
        let prefix = self.prefix.clone();
        let files = walk(self.root.clone(), filter.clone())
            .map(move |file| file.map(|file| (format!("{prefix}{}", file.relative), file.path)));
        let options = bulk.job_options(&["sync-delete-files", &self.bucket, &self.prefix])?;
        let job = self.clone();
        let work = |path: PathBuf| {
            let job = job.clone();
            async move {
                let relative = path.strip_prefix(&job.root).map_err(|_| Error::Refused {
                    resource: path.display().to_string(),
                    reason: "not under the destination",
                })?;
                let key = relative_path_to_key(&job.prefix, relative)
                    .map_err(|reason| Error::Refused { resource: path.display().to_string(), reason })?;
                match job.client.oss().head_object(&job.bucket, &key).await {
                    Ok(_) => Ok(Outcome::Skipped { reason: "still in the bucket".into() }),
                    Err(error) if not_found(&error) => {
                        if !job.dry_run {
                            tokio::fs::remove_file(&path).await.map_err(|source| Error::Io {
                                action: "removing",
                                path: path.clone(),
                                source,
                            })?;
                        }
                        Ok(Outcome::Done { bytes: 0 })
                    }
                    Err(error) => Err(error),
                }
            }
        };
        let verb = if self.dry_run { "would delete" } else { "deleted" };
        // Not counted: most files are kept, and the total would mislead.
        let mut report = reporter(session, verb, JobBar::new(session, options.jobs));
        // Files kept are not news: only deletions are reported and counted.
        let report_deletions = move |item: oss_cse_client::bulk::ItemReport<'_>| {
            if !matches!(item.result, Ok(Outcome::Skipped { .. })) {
                report(item);
            }
        };
        let mut summary = run_job(files, &options, work, report_deletions).await?;
        summary.skipped = 0;
        Ok(summary)
    }
}

/// The regular files under `root` selected by `filter`, streamed from a
/// blocking walk (symbolic links are not followed; other entries are left out).
fn walk(root: PathBuf, filter: Arc<Filter>) -> impl Stream<Item = oss_cse_client::Result<LocalFile>> + Send {
    let (send, receive) = tokio::sync::mpsc::channel(256);
    tokio::task::spawn_blocking(move || {
        for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
            let item = match entry {
                Err(error) => {
                    let path = error.path().map(Path::to_owned).unwrap_or_else(|| root.clone());
                    Err(Error::Io { action: "walking", path, source: error.into() })
                }
                Ok(entry) if !entry.file_type().is_file() => continue,
                Ok(entry) => {
                    let Ok(relative) = entry.path().strip_prefix(&root) else { continue };
                    let relative = match relative_path_to_key("", relative) {
                        Ok(relative) => relative,
                        Err(reason) => {
                            let resource = entry.path().display().to_string();
                            if send.blocking_send(Err(Error::Refused { resource, reason })).is_err() {
                                return;
                            }
                            continue;
                        }
                    };
                    if !filter.selects(&relative) {
                        continue;
                    }
                    match entry.metadata() {
                        Ok(meta) => Ok(LocalFile {
                            path: entry.path().to_owned(),
                            relative,
                            len: meta.len(),
                            mtime: format_mtime(meta.modified().ok()),
                        }),
                        Err(error) => Err(Error::Io {
                            action: "reading metadata of",
                            path: entry.path().to_owned(),
                            source: error.into(),
                        }),
                    }
                }
            };
            if send.blocking_send(item).is_err() {
                return;
            }
        }
    });
    futures_util::stream::unfold(receive, |mut receive| async move { receive.recv().await.map(|item| (item, receive)) })
}

/// Whether an object (`meta`) holds what a local file (`path`, its length
/// and modification time) holds: the same size, and the same plaintext MD5
/// where `checksum` asks and the object's envelope records one, else the
/// same modification time.
async fn unchanged(
    meta: &ObjectMeta,
    (path, len, mtime): (&Path, u64, &str),
    checksum: bool,
) -> oss_cse_client::Result<bool> {
    if meta.content_length != len {
        return Ok(false);
    }
    let recorded = meta.envelope().ok().flatten().and_then(|e| e.unencrypted_content_md5);
    match recorded {
        Some(md5) if checksum => Ok(file_md5(path).await? == md5),
        _ => Ok(object_mtime(meta).map(|time| format_mtime(Some(time))).as_deref() == Some(mtime)),
    }
}

/// The base64 MD5 of a file's contents (as Content-MD5 and the envelope
/// spell it), read in chunks off the runtime.
async fn file_md5(path: &Path) -> oss_cse_client::Result<String> {
    use md5::Digest as _;
    use std::io::Read as _;
    let owned = path.to_owned();
    let hashed = tokio::task::spawn_blocking(move || {
        let mut file = std::fs::File::open(&owned)?;
        let mut digest = md5::Md5::new();
        let mut buffer = vec![0u8; 1 << 20];
        loop {
            match file.read(&mut buffer)? {
                0 => return Ok(base64::Engine::encode(&base64::engine::general_purpose::STANDARD, digest.finalize())),
                n => digest.update(&buffer[..n]),
            }
        }
    })
    .await
    .unwrap_or_else(|join| Err(std::io::Error::other(join.to_string())));
    hashed.map_err(|source| Error::Io { action: "reading", path: path.to_owned(), source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_directories() {
        assert_eq!(as_directory("p"), "p/");
        assert_eq!(as_directory("p/"), "p/");
        assert_eq!(as_directory(""), "");
    }
}
