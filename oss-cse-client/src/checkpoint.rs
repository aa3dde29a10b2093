//! Checkpoint files, whatever they record: written atomically (temporary
//! file, fsync, rename) in a folder private to this user, each record
//! carrying a MAC under a key derived from the folder's local key (see
//! [`crate::private`]), read back size-capped and trusted only when the MAC
//! checks; and their clean-up. Shared by every resumable operation.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::local::{self, is_temp_name, parent_dir};
use crate::private::{LocalKey, folder_of};
use crate::{Error, Result};

/// Largest checkpoint file read: a real one is a few hundred KiB at most.
pub(crate) const MAX_CHECKPOINT_BYTES: u64 = 4 << 20;

/// The MAC domain of checkpoint files.
const CHECKPOINT_DOMAIN: &str = "oss-cse checkpoint";

/// The format of checkpoint files: a record and its MAC.
const FILE_FORMAT: u32 = 2;

/// A checkpoint file: the record as it was written (so the MAC is checked
/// over the very bytes it was made of) and its MAC under a key derived from
/// the folder's local key.
#[derive(Serialize, Deserialize)]
struct CheckpointFile<'a> {
    format: u32,
    mac: String,
    #[serde(borrow)]
    record: &'a serde_json::value::RawValue,
}

/// Writes a checkpoint atomically (temp file, fsync, rename), authenticated
/// by the local key of its folder, which must be private to this user (see
/// [`crate::private`]); on any error the checkpoint is as it was and no
/// temporary file is left.
pub(crate) async fn save_json<T: Serialize + Clone + Send + 'static>(path: &Path, value: &T) -> Result<()> {
    let (path, value) = (path.to_owned(), value.clone());
    tokio::task::spawn_blocking(move || save_json_blocking(&path, &value))
        .await
        .map_err(|join| Error::TaskFailed { reason: join.to_string() })?
}

/// [`save_json`], from a blocking context.
pub(crate) fn save_json_blocking<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    let unwritable = |e: serde_json::Error| Error::Checkpoint { path: path.to_owned(), reason: e.to_string() };
    let record = serde_json::value::to_raw_value(value).map_err(unwritable)?;
    let key = LocalKey::of_folder(folder_of(path))?;
    let mac = key.mac(CHECKPOINT_DOMAIN, record.get().as_bytes());
    let file = CheckpointFile { format: FILE_FORMAT, mac, record: &record };
    let json = serde_json::to_vec_pretty(&file).map_err(unwritable)?;
    local::write_atomically_blocking(path, &checkpoint_temp_prefix(path), &json)
}

/// A checkpoint as found on disk.
#[derive(Debug)]
pub(crate) enum Loaded<T> {
    /// No checkpoint.
    Absent,
    /// One this user's oss-cse wrote in this folder: its MAC checks.
    Trusted(T),
    /// One that cannot be trusted (edited, copied from elsewhere, written by
    /// another version, or its folder's key is gone): the transfer starts
    /// over. The record, if it parses, only serves to remove the temporary
    /// file it names when that is one of ours.
    Untrusted(Option<T>),
}

impl<T> Loaded<T> {
    /// The record, if it can be trusted.
    pub(crate) fn trusted(self) -> Option<T> {
        match self {
            Self::Trusted(record) => Some(record),
            _ => None,
        }
    }
}

/// How the temporary files of [`save_json`] begin: `<stem>.tmp-` beside
/// the checkpoint.
pub(crate) fn checkpoint_temp_prefix(path: &Path) -> String {
    let stem = path.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    format!("{stem}.tmp-")
}

/// Removes the temporary files of saves that never reached their rename (a
/// process killed mid-save leaves one). Only names [`save_json`] makes for
/// this checkpoint are touched.
pub(crate) async fn remove_stale_checkpoint_temps(path: &Path) {
    let prefix = checkpoint_temp_prefix(path);
    let Ok(mut entries) = tokio::fs::read_dir(parent_dir(path)).await else { return };
    while let Ok(Some(entry)) = entries.next_entry().await {
        if entry.file_name().to_str().is_some_and(|name| is_temp_name(name, &prefix)) {
            let _ = tokio::fs::remove_file(entry.path()).await;
        }
    }
}

/// Reads a checkpoint: nothing from a folder or file someone else could
/// have written ([`Error::NotPrivate`]), and only a record whose MAC checks
/// under the folder's local key is [`Loaded::Trusted`].
pub(crate) async fn load_json<T>(path: &Path) -> Result<Loaded<T>>
where
    T: for<'de> Deserialize<'de> + Send + 'static,
{
    // Nothing is touched in a folder someone else could write (not even the
    // temporary files of interrupted saves).
    if !crate::private::check_folder(folder_of(path))? {
        return Ok(Loaded::Absent);
    }
    remove_stale_checkpoint_temps(path).await;
    let owned = path.to_owned();
    let loaded = tokio::task::spawn_blocking(move || read_checkpoint(&owned))
        .await
        .map_err(|join| Error::TaskFailed { reason: join.to_string() })??;
    if matches!(loaded, Loaded::Untrusted(_)) {
        tracing::warn!(
            checkpoint = %path.display(),
            "the checkpoint was not written by this user's oss-cse in this folder (edited, copied, or of another \
             version): starting over"
        );
    }
    Ok(loaded)
}

fn read_checkpoint<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Loaded<T>> {
    let folder = folder_of(path);
    if !crate::private::check_folder(folder)? {
        return Ok(Loaded::Absent);
    }
    let Some(bytes) = crate::private::read_private(path, MAX_CHECKPOINT_BYTES)? else { return Ok(Loaded::Absent) };
    let Ok(file) = serde_json::from_slice::<CheckpointFile<'_>>(&bytes) else {
        return Ok(Loaded::Untrusted(serde_json::from_slice(&bytes).ok()));
    };
    let record = || serde_json::from_str::<T>(file.record.get()).ok();
    let authentic = file.format == FILE_FORMAT
        && LocalKey::existing(folder)?
            .is_some_and(|key| key.verify(CHECKPOINT_DOMAIN, file.record.get().as_bytes(), &file.mac));
    Ok(match (authentic, record()) {
        (true, Some(record)) => Loaded::Trusted(record),
        (_, record) => Loaded::Untrusted(record),
    })
}

/// Removes a finished (or unusable) checkpoint; a missing one is fine.
pub(crate) async fn forget_checkpoint(checkpoint: Option<&PathBuf>) {
    if let Some(checkpoint) = checkpoint {
        let _ = tokio::fs::remove_file(checkpoint).await;
        remove_stale_checkpoint_temps(checkpoint).await;
    }
}

pub(crate) fn poisoned(checkpoint: &Path) -> Error {
    Error::Checkpoint { path: checkpoint.to_owned(), reason: "state lock poisoned by a panic".into() }
}

/// Rewrites the checkpoint at `path` with `edit` applied to its record and a
/// new MAC, as only the owner of its folder can: for the tests of what a
/// resume still checks when a checkpoint is authentic.
pub(crate) fn edit_checkpoint(path: &Path, edit: impl FnOnce(&mut serde_json::Value)) -> Result<()> {
    let unreadable = |reason: String| Error::Checkpoint { path: path.to_owned(), reason };
    let bytes =
        crate::private::read_private(path, MAX_CHECKPOINT_BYTES)?.ok_or_else(|| unreadable("missing".into()))?;
    let file: CheckpointFile<'_> = serde_json::from_slice(&bytes).map_err(|e| unreadable(e.to_string()))?;
    let mut record: serde_json::Value =
        serde_json::from_str(file.record.get()).map_err(|e| unreadable(e.to_string()))?;
    edit(&mut record);
    let record = serde_json::value::to_raw_value(&record).map_err(|e| unreadable(e.to_string()))?;
    let mac = LocalKey::of_folder(folder_of(path))?.mac(CHECKPOINT_DOMAIN, record.get().as_bytes());
    let json = serde_json::to_vec_pretty(&CheckpointFile { format: FILE_FORMAT, mac, record: &record })
        .map_err(|e| unreadable(e.to_string()))?;
    local::write_atomically_blocking(path, &checkpoint_temp_prefix(path), &json)
}

/// The record a checkpoint file wraps, as written, without checking its MAC
/// (for parsers that must cope with any bytes: the fuzz target).
pub(crate) fn record_text(bytes: &[u8]) -> Option<String> {
    serde_json::from_slice::<CheckpointFile<'_>>(bytes).ok().map(|file| file.record.get().to_owned())
}
