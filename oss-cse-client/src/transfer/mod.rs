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
use crate::encryption::{Progress, PutOptions, resource, seal_in_place};
use crate::local::{self, io_error, is_temp_name, parent_dir};
use crate::multipart::MultipartUpload;
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
mod stream;
mod upload;

use checkpoint::*;
use pool::*;

pub(crate) use checkpoint::parse_checkpoints;
pub(crate) use download::file_md5;

/// The one parallel driver of part and range transfers: at most `limit`
/// tasks run at once, each in its own tokio task; the first failure aborts
/// the others, since the transfer has failed.
pub(super) struct Bounded<T> {
    tasks: JoinSet<Result<T>>,
    limit: usize,
}

impl<T: Send + 'static> Bounded<T> {
    pub(super) fn new(limit: usize) -> Self {
        Self { tasks: JoinSet::new(), limit: limit.max(1) }
    }

    /// Whether another task may start now.
    pub(super) fn has_room(&self) -> bool {
        self.tasks.len() < self.limit
    }

    pub(super) fn spawn(&mut self, task: impl std::future::Future<Output = Result<T>> + Send + 'static) {
        self.tasks.spawn(task);
    }

    /// The next finished task's result; `None` once all have finished.
    pub(super) async fn next(&mut self) -> Option<Result<T>> {
        next_finished(&mut self.tasks).await
    }

    /// Runs `job` over every item, `limit` at a time; results in the order
    /// they finish.
    pub(super) async fn run<I, F, Fut>(limit: usize, items: I, job: F) -> Result<Vec<T>>
    where
        I: IntoIterator,
        F: Fn(I::Item) -> Fut,
        Fut: std::future::Future<Output = Result<T>> + Send + 'static,
    {
        let mut running = Self::new(limit);
        let mut queue = items.into_iter();
        let mut results = Vec::new();
        loop {
            while running.has_room() {
                let Some(item) = queue.next() else { break };
                running.spawn(job(item));
            }
            match running.next().await {
                None => return Ok(results),
                Some(result) => results.push(result?),
            }
        }
    }
}

/// The next finished task of a set; on a failure the others are aborted.
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
