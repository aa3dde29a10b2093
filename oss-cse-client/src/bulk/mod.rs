//! Jobs over many objects (recursive copies, syncs, deletes, rewraps): a
//! stream of work items run `jobs` at a time, each finished item recorded in
//! a journal so a killed job resumes where it stopped, optionally only one
//! shard of N so that many processes (an array job) share the work.
//!
//! The items come as a stream (a listing read page by page, a directory walk,
//! a manifest), so work starts before the listing ends and memory is bounded
//! by the items in flight, not by the number of keys. One item's failure does
//! not stop the job: it is reported and the job goes on.

use std::future::Future;
use std::path::PathBuf;

use futures_util::{Stream, StreamExt};
use tokio::task::JoinSet;

use crate::{Error, Result};

mod jobs;
mod journal;
mod paths;
mod shard;

pub use crate::oss::inventory::{InventoryFile, InventoryManifest};
pub use jobs::{
    Keys, PrefixJob, Rotation, checkpoint_in, copy_keys, job_name, journal_in, manifest_keys, prefix_keys, rewrap_keys,
};
pub use journal::Journal;
pub use paths::{key_to_relative_path, relative_path_to_key};
pub use shard::{Shard, ShardError, read_manifest};

/// How a job runs.
#[derive(Debug, Clone)]
pub struct JobOptions {
    /// Items in flight at once.
    pub jobs: usize,
    /// Record finished items here, and skip the items it records.
    pub journal: Option<PathBuf>,
    /// Only the items of this shard.
    pub shard: Option<Shard>,
}

impl Default for JobOptions {
    fn default() -> Self {
        Self { jobs: 8, journal: None, shard: None }
    }
}

/// What became of one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The work was done, moving this many bytes.
    Done {
        /// Bytes moved (0 for a delete).
        bytes: u64,
    },
    /// Nothing needed doing (unchanged, already under the new key, an
    /// existing destination with `--no-clobber`, ...).
    Skipped {
        /// Why, in a few words.
        reason: String,
    },
}

/// One item's report, as it finishes.
#[derive(Debug)]
pub struct ItemReport<'a> {
    /// The item's key (an object key, or a path relative to a tree).
    pub key: &'a str,
    /// What became of it: an outcome, or the error it failed with.
    pub result: &'a Result<Outcome>,
}

/// What a job did.
#[derive(Debug, Default)]
pub struct JobSummary {
    /// Items done.
    pub done: u64,
    /// Items that needed nothing.
    pub skipped: u64,
    /// Items a previous run of the job had finished (from the journal).
    pub journaled: u64,
    /// Items left to other shards.
    pub other_shards: u64,
    /// Bytes moved.
    pub bytes: u64,
    /// Items that failed, with their errors, in the order they failed.
    pub failed: Vec<(String, Error)>,
}

impl JobSummary {
    /// Whether every item of this shard ended done or skipped.
    pub fn succeeded(&self) -> bool {
        self.failed.is_empty()
    }
}

/// Runs `work` on every item of `items` not journaled as finished and in
/// `options.shard`, `options.jobs` at a time; calls `report` as each item
/// finishes, and records it in the journal. A job that ends with no failure
/// removes its journal: the next run of the same command is a new job. Items are `(key, value)`: the
/// key names the item in the journal, the shard hash and reports.
///
/// # Errors
/// Only what stops the whole job: an item stream that fails (a listing
/// refused), a journal that cannot be read or written. Single items' errors
/// are in [`JobSummary::failed`].
pub async fn run_job<T, S, F, Fut>(
    items: S,
    options: &JobOptions,
    work: F,
    mut report: impl FnMut(ItemReport<'_>),
) -> Result<JobSummary>
where
    S: Stream<Item = Result<(String, T)>>,
    F: Fn(T) -> Fut,
    Fut: Future<Output = Result<Outcome>> + Send + 'static,
{
    let (mut journal, finished) = match &options.journal {
        Some(path) => {
            let (journal, finished) = Journal::open(path).await?;
            (Some(journal), finished)
        }
        None => (None, Default::default()),
    };
    let mut summary = JobSummary::default();
    let mut running: JoinSet<(String, Result<Outcome>)> = JoinSet::new();
    let limit = options.jobs.max(1);
    let mut items = std::pin::pin!(items);
    let mut listed_all = false;
    loop {
        // Fill the free slots from the stream, then wait for one to finish.
        while !listed_all && running.len() < limit {
            match items.next().await {
                None => listed_all = true,
                Some(Err(error)) => {
                    running.abort_all();
                    return Err(error);
                }
                Some(Ok((key, value))) => {
                    if options.shard.is_some_and(|shard| !shard.contains(&key)) {
                        summary.other_shards += 1;
                    } else if finished.contains(&key) {
                        summary.journaled += 1;
                    } else {
                        let task = work(value);
                        running.spawn(tracing::Instrument::in_current_span(async move { (key, task.await) }));
                    }
                }
            }
        }
        let Some(joined) = running.join_next().await else { break };
        let (key, result) = match joined {
            Ok(finished) => finished,
            Err(join) => ("(unknown)".to_owned(), Err(Error::TaskFailed { reason: join.to_string() })),
        };
        report(ItemReport { key: &key, result: &result });
        match result {
            Ok(outcome) => {
                if let Some(journal) = &mut journal {
                    journal.record(&key, &outcome).await?;
                }
                match outcome {
                    Outcome::Done { bytes } => {
                        summary.done += 1;
                        summary.bytes += bytes;
                    }
                    Outcome::Skipped { .. } => summary.skipped += 1,
                }
            }
            Err(error) => summary.failed.push((key, error)),
        }
    }
    // A finished job is over: a later run of the same command is a new job
    // (a sync must look at every file again), not a resume.
    if let (Some(path), true) = (&options.journal, summary.succeeded()) {
        let _ = tokio::fs::remove_file(path).await;
    }
    Ok(summary)
}

/// Items from an iterator, for [`run_job`].
pub fn items_from<T>(items: impl IntoIterator<Item = (String, T)>) -> impl Stream<Item = Result<(String, T)>> {
    futures_util::stream::iter(items.into_iter().map(Ok))
}

#[cfg(test)]
mod tests;
