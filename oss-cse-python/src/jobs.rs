//! The bulk engine from Python: `Client.rewrap_prefix` and `Client.copy_tree`
//! run the client's prefix jobs (streamed keys, objects in flight, a journal
//! in `resume` so a rerun skips what is done, `shard=(i, n)` so that one call
//! per worker shares a job). A job with failures raises, with the summary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use oss_cse_client::blocking::EncryptionClient as Blocking;
use oss_cse_client::bulk::{JobOptions, JobSummary, PrefixJob, Rotation, Shard, prefix_keys};
use oss_cse_client::envelope::{MasterKey, RsaMasterKey};
use oss_cse_client::one_line;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::errors::{invalid, to_py};

/// Failures kept in a summary (the count is always whole).
const FAILURES_KEPT: usize = 1000;

/// How a job runs, as Python gives it.
pub(crate) struct JobArgs {
    pub(crate) shard: Option<(u32, u32)>,
    pub(crate) manifest: Option<PathBuf>,
    pub(crate) resume: Option<PathBuf>,
    pub(crate) jobs: usize,
    pub(crate) dry_run: bool,
}

impl JobArgs {
    /// The client's job settings for the job named by `what`: the journal
    /// and checkpoints in the `resume` folder (made private first).
    fn job(&self, what: &[&str]) -> PyResult<PrefixJob> {
        let shard = self
            .shard
            .map(|(index, count)| Shard::new(index, count).map_err(|e| invalid(e.to_string())))
            .transpose()?;
        if let Some(folder) = &self.resume {
            oss_cse_client::prepare_checkpoint_folder(folder).map_err(|e| to_py(&e))?;
        }
        let journal = self.resume.as_deref().map(|folder| oss_cse_client::bulk::journal_in(folder, what, shard));
        Ok(PrefixJob {
            options: JobOptions { jobs: self.jobs.max(1), journal, shard },
            checkpoints: self.resume.clone(),
            dry_run: self.dry_run,
        })
    }
}

/// An RSA public key from a PEM file, described by `matdesc`.
pub(crate) fn public_key_file(path: &Path, matdesc: Option<BTreeMap<String, String>>) -> PyResult<RsaMasterKey> {
    let pem = std::fs::read_to_string(path)
        .map_err(|source| to_py(&oss_cse_client::Error::Io { action: "reading", path: path.to_owned(), source }))?;
    let key = RsaMasterKey::from_pem(Some(&pem), None)
        .map_err(|source| to_py(&oss_cse_client::Error::Envelope { resource: path.display().to_string(), source }))?;
    Ok(match matdesc {
        Some(pairs) => key.with_material_description(pairs.into_iter().collect()),
        None => key,
    })
}

/// Rewraps every object under `bucket/prefix` (or the manifest's keys) under
/// `new_key`; objects already under it are skipped.
pub(crate) fn rewrap_prefix(
    client: &Blocking,
    (bucket, prefix): (&str, &str),
    new_key: RsaMasterKey,
    args: &JobArgs,
) -> PyResult<JobSummary> {
    let job = args.job(&["rewrap", bucket, prefix])?;
    let engine = client.async_client().clone();
    let old_descriptions = engine.keyring().keys().map(|k| k.material_description().cloned()).collect();
    let new_key: Arc<dyn MasterKey> = Arc::new(new_key);
    let rotation = Arc::new(Rotation::new(engine.clone(), new_key, old_descriptions));
    let run = async {
        let keys = prefix_keys(engine.oss(), (bucket, prefix), args.manifest.as_deref()).await?;
        oss_cse_client::bulk::rewrap_keys(rotation, bucket, keys, &job, |_| {}).await
    };
    client.run(run).map_err(|e| to_py(&e))?.map_err(|e| to_py(&e))
}

/// Copies every object under `source` (or the manifest's keys) to the same
/// relative key under `destination`, envelopes kept.
pub(crate) fn copy_tree(
    client: &Blocking,
    (source_bucket, source_prefix): (&str, &str),
    (bucket, prefix): (&str, &str),
    no_clobber: bool,
    args: &JobArgs,
) -> PyResult<JobSummary> {
    let job = args.job(&["copy", source_bucket, source_prefix, bucket, prefix])?;
    let engine = Arc::new(client.async_client().clone());
    let run = async {
        let keys = prefix_keys(engine.oss(), (source_bucket, source_prefix), args.manifest.as_deref()).await?;
        let (source, destination) = ((source_bucket, source_prefix), (bucket, prefix));
        oss_cse_client::bulk::copy_keys(engine.clone(), source, destination, keys, (&job, no_clobber), |_| {}).await
    };
    client.run(run).map_err(|e| to_py(&e))?.map_err(|e| to_py(&e))
}

/// The summary as a dict: `done`, `skipped`, `journaled` (done by an
/// earlier run), `other_shards`, `bytes`, `failed` (a count) and `failures`
/// (`(key, message)`, the first 1000). With failures, the exception of the
/// first one's kind is raised instead, carrying the dict as `summary`.
pub(crate) fn summary<'py>(py: Python<'py>, what: &str, summary: &JobSummary) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("done", summary.done)?;
    dict.set_item("skipped", summary.skipped)?;
    dict.set_item("journaled", summary.journaled)?;
    dict.set_item("other_shards", summary.other_shards)?;
    dict.set_item("bytes", summary.bytes)?;
    dict.set_item("failed", summary.failed.len())?;
    let failures: Vec<(String, String)> =
        summary.failed.iter().take(FAILURES_KEPT).map(|(key, error)| (key.clone(), one_line(error))).collect();
    dict.set_item("failures", failures)?;
    let Some((key, first)) = summary.failed.first() else { return Ok(dict) };
    let error = to_py(first);
    let message = format!(
        "{what}: {} of {} objects failed (with a resume folder, a rerun does only what is left); first: {key}: {}",
        summary.failed.len(),
        summary.done + summary.skipped + summary.failed.len() as u64,
        one_line(first)
    );
    let value = error.value(py);
    value.setattr("summary", &dict)?;
    value.setattr("args", (message,))?;
    Err(error)
}
