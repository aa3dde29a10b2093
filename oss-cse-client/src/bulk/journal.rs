//! The job journal: one JSON line per finished item, appended as it
//! finishes, so that a killed job knows which items not to do again.
//!
//! Lines are appended with one write each and not fsynced: a killed process
//! loses nothing the kernel already has, and at worst the item in flight at
//! a power cut is done again (effects are idempotent). A torn last line is
//! ignored on reading.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};

use super::Outcome;
use crate::{Error, Result};

/// One journal line.
#[derive(Debug, Serialize, Deserialize)]
struct Line {
    key: String,
    /// `done` or `skipped`.
    outcome: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bytes: Option<u64>,
}

/// An open journal, appending.
#[derive(Debug)]
pub struct Journal {
    file: tokio::fs::File,
    path: PathBuf,
}

impl Journal {
    /// Opens (or creates, owner-only) the journal at `path` and returns the
    /// keys it records as finished.
    ///
    /// # Errors
    /// [`Error::Io`] when it cannot be read, created or appended to.
    pub async fn open(path: &Path) -> Result<(Self, HashSet<String>)> {
        let io = |action: &'static str| move |source| Error::Io { action, path: path.to_owned(), source };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            tokio::fs::create_dir_all(parent).await.map_err(io("creating the directory of"))?;
        }
        let mut finished = HashSet::new();
        let mut torn = false;
        match tokio::fs::File::open(path).await {
            Ok(file) => {
                let mut lines = tokio::io::BufReader::new(file).lines();
                while let Some(line) = lines.next_line().await.map_err(io("reading"))? {
                    match serde_json::from_str::<Line>(&line) {
                        Ok(line) => {
                            finished.insert(line.key);
                            torn = false;
                        }
                        // A line cut by a kill (only ever the last).
                        Err(_) => torn = true,
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(Error::Io { action: "reading", path: path.to_owned(), source }),
        }
        let mut options = tokio::fs::OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        options.mode(0o600);
        let mut file = options.open(path).await.map_err(io("opening"))?;
        if torn {
            // Start the next record on a line of its own.
            file.write_all(b"\n").await.map_err(io("writing"))?;
        }
        Ok((Self { file, path: path.to_owned() }, finished))
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
        let mut text = serde_json::to_vec(&line).map_err(|e| Error::Io {
            action: "encoding a line of",
            path: self.path.clone(),
            source: std::io::Error::other(e),
        })?;
        text.push(b'\n');
        let io = |source| Error::Io { action: "writing", path: self.path.clone(), source };
        self.file.write_all(&text).await.map_err(io)?;
        self.file.flush().await.map_err(|source| Error::Io { action: "writing", path: self.path.clone(), source })
    }
}
