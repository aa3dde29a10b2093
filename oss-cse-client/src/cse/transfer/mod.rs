//! Whole-file transfers: parallel multipart upload and parallel ranged
//! download, both resumable from a checkpoint file, in memory bounded by
//! about `parallel × part_size` whatever the object size.
//!
//! Checkpoints hold only what is safe to keep on disk: the wrapped envelope
//! (never a plaintext key), the upload id, part ETags and CRCs. Everything in
//! a checkpoint is re-checked on resume against the server (ListParts, HEAD)
//! and the local file, so a stale or hand-edited checkpoint cannot produce a
//! wrong result, only a restart.

use std::path::PathBuf;

use crate::ByteRange;
use crate::{Progress, PutOptions};

const CHECKPOINT_VERSION: u32 = 1;

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
    /// After a whole download, give the file the object's modification
    /// time ([`crate::mtime::object_mtime`]): the one recorded on upload,
    /// else when OSS wrote it.
    pub keep_mtime: bool,
}

impl std::fmt::Debug for DownloadOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DownloadOptions")
            .field("range", &self.range)
            .field("checkpoint", &self.checkpoint)
            .field("progress", &self.progress.is_some())
            .field("keep_mtime", &self.keep_mtime)
            .finish()
    }
}

mod checkpoint;
mod download;
mod pool;
mod positional;
mod seal;
mod stream;
mod tagging;
mod upload;

pub(crate) use crate::checkpoint::{edit_checkpoint, forget_checkpoint, load_json, poisoned, save_json};
pub(crate) use checkpoint::{DonePart, ReuploadCheckpoint, ReuploadFit, parse_checkpoints};
