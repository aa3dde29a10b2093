//! Checkpoint files of resumable transfers: what they hold (never a
//! plaintext key), how they are written (atomically, owner-only) and read
//! (size-capped), and when they are forgotten.

use super::*;

/// A finished part in an upload checkpoint.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(super) struct DonePart {
    pub(super) number: u32,
    pub(super) etag: String,
    pub(super) crc64: u64,
    pub(super) size: u64,
}

/// What an upload checkpoint records.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct UploadCheckpoint {
    pub(super) version: u32,
    pub(super) kind: String,
    pub(super) bucket: String,
    pub(super) key: String,
    pub(super) upload_id: String,
    pub(super) file: PathBuf,
    pub(super) file_size: u64,
    pub(super) file_mtime_ns: u128,
    pub(super) part_size: u64,
    /// The envelope as headers: wrapped key and IV only.
    pub(super) envelope: Vec<(String, String)>,
    pub(super) parts: Vec<DonePart>,
}

/// What a download checkpoint records.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct DownloadCheckpoint {
    pub(super) version: u32,
    pub(super) kind: String,
    pub(super) bucket: String,
    pub(super) key: String,
    pub(super) etag: String,
    pub(super) size: u64,
    pub(super) first: u64,
    pub(super) last: u64,
    pub(super) part_size: u64,
    pub(super) temp: PathBuf,
    /// Finished ranges: index and CRC-64 of the ciphertext received.
    pub(super) done: Vec<(u64, u64)>,
}

pub(super) async fn file_identity(path: &Path) -> Result<(u64, u128)> {
    let meta = tokio::fs::metadata(path).await.map_err(io_error("reading metadata of", path))?;
    let mtime = meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
    Ok((meta.len(), mtime))
}

/// Writes a checkpoint atomically (temp file, fsync, rename); on any error
/// the checkpoint is as it was and no temporary file is left.
pub(super) async fn save_json<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    local::save_json(path, checkpoint_temp_prefix(path), value).await
}

/// How the temporary files of [`save_json`] begin: `<stem>.tmp-` beside
/// the checkpoint.
pub(super) fn checkpoint_temp_prefix(path: &Path) -> String {
    let stem = path.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    format!("{stem}.tmp-")
}

/// Removes the temporary files of saves that never reached their rename (a
/// process killed mid-save leaves one). Only names [`save_json`] makes for
/// this checkpoint are touched.
pub(super) async fn remove_stale_checkpoint_temps(path: &Path) {
    let prefix = checkpoint_temp_prefix(path);
    let Ok(mut entries) = tokio::fs::read_dir(parent_dir(path)).await else { return };
    while let Ok(Some(entry)) = entries.next_entry().await {
        if entry.file_name().to_str().is_some_and(|name| is_temp_name(name, &prefix)) {
            let _ = tokio::fs::remove_file(entry.path()).await;
        }
    }
}

pub(super) async fn load_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Option<T>> {
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

/// Removes a finished (or unusable) checkpoint; a missing one is fine.
pub(super) async fn forget_checkpoint(checkpoint: Option<&PathBuf>) {
    if let Some(checkpoint) = checkpoint {
        let _ = tokio::fs::remove_file(checkpoint).await;
        remove_stale_checkpoint_temps(checkpoint).await;
    }
}

pub(super) fn poisoned(checkpoint: &Path) -> Error {
    Error::Checkpoint { path: checkpoint.to_owned(), reason: "state lock poisoned by a panic".into() }
}

/// Parses bytes as an upload and as a download checkpoint, as a resume does
/// before it checks anything against the server (for the fuzz target).
pub(crate) fn parse_checkpoints(bytes: &[u8]) -> (bool, bool) {
    let upload = serde_json::from_slice::<UploadCheckpoint>(bytes).is_ok();
    let download = serde_json::from_slice::<DownloadCheckpoint>(bytes).is_ok();
    (upload, download)
}
