//! The job journal: one JSON line per finished item, appended as it
//! finishes, so that a killed job knows which items not to do again.
//!
//! Lines are appended with one write each and not fsynced: a killed process
//! loses nothing the kernel already has, and at worst the item in flight at
//! a power cut is done again (effects are idempotent). A torn last line is
//! ignored on reading.
//!
//! The journal lives in a folder private to this user (see
//! [`crate::private`]), and each line carries a MAC under the folder's local
//! key: a line someone else wrote (to make the job skip an item) is ignored,
//! and the item is done again.

use std::collections::HashSet;
use std::io::BufRead as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use tokio::io::AsyncWriteExt;

use super::Outcome;
use crate::private::{LocalKey, folder_of};
use crate::{Error, Result};

/// The MAC domain of journal lines.
const JOURNAL_DOMAIN: &str = "oss-cse journal line";

/// One journal line as stored: the record as written and its MAC.
#[derive(Serialize, Deserialize)]
struct Signed<'a> {
    mac: String,
    #[serde(borrow)]
    line: &'a RawValue,
}

/// One journal record.
#[derive(Debug, Serialize, Deserialize)]
struct Line {
    key: String,
    /// `done` or `skipped`.
    outcome: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bytes: Option<u64>,
}

/// An open journal, appending.
pub struct Journal {
    file: tokio::fs::File,
    path: PathBuf,
    key: LocalKey,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal").field("path", &self.path).finish_non_exhaustive()
    }
}

impl Journal {
    /// Opens (or creates, owner-only, in a folder made owner-only) the
    /// journal at `path` and returns the keys it records as finished: those
    /// of the lines whose MAC checks.
    ///
    /// # Errors
    /// [`Error::NotPrivate`] for a journal or folder someone else could
    /// write; [`Error::Io`] when it cannot be read, created or appended to.
    pub async fn open(path: &Path) -> Result<(Self, HashSet<String>)> {
        let owned = path.to_owned();
        let (file, key, finished, torn) = tokio::task::spawn_blocking(move || read_journal(&owned))
            .await
            .map_err(|join| Error::TaskFailed { reason: join.to_string() })??;
        let mut file = tokio::fs::File::from_std(file);
        if torn {
            // Start the next record on a line of its own.
            let io = |source| Error::Io { action: "writing", path: path.to_owned(), source };
            file.write_all(b"\n").await.map_err(io)?;
        }
        Ok((Self { file, path: path.to_owned(), key }, finished))
    }

    /// Records `key` as finished with `outcome`.
    ///
    /// # Errors
    /// [`Error::Io`] when the line cannot be written.
    pub async fn record(&mut self, key: &str, outcome: &Outcome) -> Result<()> {
        let line = match outcome {
            Outcome::Done { bytes } => Line { key: key.to_owned(), outcome: "done".into(), bytes: Some(*bytes) },
            Outcome::Skipped { .. } => Line { key: key.to_owned(), outcome: "skipped".into(), bytes: None },
        };
        let encoding =
            |e| Error::Io { action: "encoding a line of", path: self.path.clone(), source: std::io::Error::other(e) };
        let line = serde_json::value::to_raw_value(&line).map_err(encoding)?;
        let mac = self.key.mac(JOURNAL_DOMAIN, line.get().as_bytes());
        let mut text = serde_json::to_vec(&Signed { mac, line: &line }).map_err(encoding)?;
        text.push(b'\n');
        let io = |source| Error::Io { action: "writing", path: self.path.clone(), source };
        self.file.write_all(&text).await.map_err(io)?;
        self.file.flush().await.map_err(|source| Error::Io { action: "writing", path: self.path.clone(), source })
    }
}

/// Reads the journal at `path` (see [`Journal::open`]): the file open for
/// appending, the folder's key, the keys of authentic lines, and whether the
/// last line was torn.
fn read_journal(path: &Path) -> Result<(std::fs::File, LocalKey, HashSet<String>, bool)> {
    let io = |action: &'static str| move |source| Error::Io { action, path: path.to_owned(), source };
    let folder = folder_of(path);
    crate::private::prepare_checkpoint_folder(folder)?;
    let key = LocalKey::of_folder(folder)?;
    let (mut finished, mut torn, mut forged) = (HashSet::new(), false, 0u64);
    if let Some(file) = crate::private::open_private_read(path)? {
        for line in std::io::BufReader::new(file).lines() {
            let line = line.map_err(io("reading"))?;
            match serde_json::from_str::<Signed<'_>>(&line) {
                Ok(signed) => {
                    torn = false;
                    let authentic = key.verify(JOURNAL_DOMAIN, signed.line.get().as_bytes(), &signed.mac);
                    match serde_json::from_str::<Line>(signed.line.get()) {
                        Ok(record) if authentic => {
                            finished.insert(record.key);
                        }
                        _ => forged += 1,
                    }
                }
                // A line cut by a kill (only ever the last).
                Err(_) => torn = true,
            }
        }
    }
    if forged > 0 {
        tracing::warn!(journal = %path.display(), lines = forged,
            "journal lines this user's oss-cse did not write are ignored: their items are done again");
    }
    Ok((crate::private::open_private_append(path)?, key, finished, torn))
}
