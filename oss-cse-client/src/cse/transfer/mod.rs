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

use crate::cse::abort::AbortOnDrop;
use crate::cse::encryption::{Progress, PutOptions, resource, seal_in_place};
use crate::cse::multipart::MultipartUpload;
use crate::cse::spool::Spool;
use crate::local::{self, io_error, is_temp_name, parent_dir};
use crate::oss::body::FILE_CHUNK;
use crate::oss::client::GetOptions;
use crate::oss::types::{CompletedPart, WriteOutput};
use crate::parallel::Bounded;
use crate::{ByteRange, Crc64, EncryptionClient, Error, Result};

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

pub(crate) use checkpoint::{DonePart, ReuploadCheckpoint, ReuploadFit, parse_checkpoints};
pub(crate) use crate::checkpoint::{
    Loaded, edit_checkpoint, forget_checkpoint, load_json, poisoned, save_json, save_json_blocking,
};
pub(crate) use download::file_md5;
