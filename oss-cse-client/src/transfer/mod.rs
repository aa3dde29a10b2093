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
use tokio::io::{AsyncReadExt, AsyncSeekExt};

use crate::body::FILE_CHUNK;
use crate::cleanup::AbortOnDrop;
use crate::client::GetOptions;
use crate::encryption::{Progress, PutOptions, resource, seal_in_place};
use crate::local::{self, io_error, is_temp_name, parent_dir};
use crate::multipart::MultipartUpload;
use crate::parallel::Bounded;
use crate::private::{LocalKey, folder_of};
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

mod checkpoint;
mod download;
mod pool;
mod positional;
mod seal;
mod stream;
mod tagging;
mod upload;

use checkpoint::*;
use pool::*;
use positional::PositionalFile;

pub(crate) use checkpoint::{
    DonePart, Loaded, ReuploadCheckpoint, ReuploadFit, edit_checkpoint, forget_checkpoint, load_json,
    parse_checkpoints, poisoned, save_json,
};
pub(crate) use download::file_md5;
