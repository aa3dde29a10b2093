//! What the commands over many objects share (`cp -r`, `sync`, `rm -r`,
//! `rewrap -r`): which keys (a listing, a directory walk or a manifest, then
//! globs and a shard), how many at once, the job journal, and how results
//! are reported and turned into an exit status.

use std::io::Write;
use std::path::PathBuf;
use std::pin::Pin;

use anyhow::Context;
use futures_util::{Stream, StreamExt};
use oss_cse_client::bulk::{ItemReport, JobOptions, JobSummary, Outcome, Shard};
use oss_cse_client::{OssClient, one_line};
use serde_json::json;

use crate::exit::shown;
use crate::progress::JobBar;
use crate::session::Session;

/// Options of every command over many objects.
#[derive(clap::Args, Debug, Clone, Default)]
pub(crate) struct BulkArgs {
    /// Objects in flight at once (bulk commands). For a single-object `cp`
    /// it still means parts in flight, as before `--parallel`: deprecated
    /// there, and going away in the next release.
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Parts (or ranges) in flight per object.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub parallel: usize,
    /// Keep checkpoints and the job journal in this directory: a rerun of the
    /// same command resumes, sending no object the journal records as done
    /// and continuing the transfers that were in flight.
    #[arg(long, value_name = "DIR")]
    pub resume: Option<PathBuf>,
    /// Say what would be done (objects and bytes) and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Only paths (relative to the source) matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Leave out paths (relative to the source) matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Take the object keys from this file instead of a listing: an OSS
    /// Inventory report's manifest.json (its CSV.gz data files are read from
    /// the inventory's bucket, MD5-checked), or one key per line (`#` comments).
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// Only the keys of shard I of N (a stable hash of the key), so that N
    /// processes (an array job) share the work; `/N` takes I from
    /// JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs). Each shard keeps its
    /// own journal.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
}

impl BulkArgs {
    /// Objects in flight (8 unless `--jobs` says).
    pub(crate) fn objects_in_flight(&self) -> usize {
        self.jobs.unwrap_or(8).max(1)
    }

    /// The shard, if any.
    pub(crate) fn shard(&self) -> anyhow::Result<Option<Shard>> {
        self.shard.as_deref().map(|text| text.parse::<Shard>().map_err(anyhow::Error::from)).transpose()
    }

    /// The job options of a command identified by `what` (its name,
    /// source and destination): the journal lives in `--resume`, one per
    /// command and shard.
    pub(crate) fn job_options(&self, what: &[&str]) -> anyhow::Result<JobOptions> {
        let shard = self.shard()?;
        let journal = self.resume.as_deref().map(|dir| oss_cse_client::bulk::journal_in(dir, what, shard));
        Ok(JobOptions { jobs: self.objects_in_flight(), journal, shard })
    }

    /// The include/exclude filter.
    pub(crate) fn filter(&self) -> anyhow::Result<Filter> {
        let set = |globs: &[String]| -> anyhow::Result<Option<globset::GlobSet>> {
            if globs.is_empty() {
                return Ok(None);
            }
            let mut builder = globset::GlobSetBuilder::new();
            for glob in globs {
                builder.add(globset::Glob::new(glob).with_context(|| format!("glob {glob:?}"))?);
            }
            Ok(Some(builder.build()?))
        };
        Ok(Filter { include: set(&self.include)?, exclude: set(&self.exclude)? })
    }
}

/// The `--include` / `--exclude` globs, matched against paths relative to
/// the source (`/`-separated).
#[derive(Debug, Default)]
pub(crate) struct Filter {
    include: Option<globset::GlobSet>,
    exclude: Option<globset::GlobSet>,
}

impl Filter {
    /// Whether `relative` is selected.
    pub(crate) fn selects(&self, relative: &str) -> bool {
        self.include.as_ref().is_none_or(|set| set.is_match(relative))
            && !self.exclude.as_ref().is_some_and(|set| set.is_match(relative))
    }
}

/// The `--resume` folder to use: created owner-only (0700) when missing. One
/// that others could write into (a symbolic link, another user's, or writable
/// by group or others) is ignored, with a warning saying why, and nothing is
/// read from or written into it: a checkpoint, key or journal planted there
/// could choose the data key of a resumed upload or make the job skip work.
pub(crate) fn private_resume_folder(folder: Option<PathBuf>) -> anyhow::Result<Option<PathBuf>> {
    let Some(folder) = folder else { return Ok(None) };
    match oss_cse_client::prepare_checkpoint_folder(&folder) {
        Ok(()) => Ok(Some(folder)),
        Err(error @ oss_cse_client::Error::NotPrivate { .. }) => {
            eprintln!("warning: ignoring --resume {}: this run will not be resumable: {error}", folder.display());
            Ok(None)
        }
        Err(error) => Err(error.into()),
    }
}

/// The checkpoint file in `dir` of the transfer named by `parts`.
pub(crate) fn checkpoint_file(dir: &std::path::Path, parts: &[&str]) -> PathBuf {
    oss_cse_client::bulk::checkpoint_in(dir, parts)
}

/// A job's items, boxed so that a listing and a manifest are one type.
pub(crate) type Items<T> = Pin<Box<dyn Stream<Item = oss_cse_client::Result<(String, T)>> + Send>>;

/// The keys a bulk command over objects works on: the `--manifest` keys,
/// else a listing of `bucket/prefix`, streamed; both filtered by the globs
/// (matched against the key without the prefix). Each item's value is its key.
pub(crate) async fn object_keys(
    client: &OssClient,
    (bucket, prefix): (&str, &str),
    bulk: &BulkArgs,
) -> anyhow::Result<Items<String>> {
    let keys = oss_cse_client::bulk::prefix_keys(client, (bucket, prefix), bulk.manifest.as_deref()).await?;
    let filter = bulk.filter()?;
    let prefix = prefix.to_owned();
    let selected = move |key: &String| filter.selects(key.strip_prefix(prefix.as_str()).unwrap_or(key));
    Ok(Box::pin(
        keys.filter(move |key| std::future::ready(key.as_ref().map_or(true, &selected)))
            .map(|key| key.map(|key| (key.clone(), key))),
    ))
}

/// Prints each finished object: a line of text, or one JSON object per
/// line with `--json`; on a terminal, `bar` for the whole job too (give it
/// the items through [`JobBar::count`] so that it knows the total).
pub(crate) fn reporter<'a>(session: &'a Session, verb: &'a str, mut bar: JobBar) -> impl FnMut(ItemReport<'_>) + 'a {
    move |item: ItemReport<'_>| {
        let (bytes, failed) = match item.result {
            Ok(Outcome::Done { bytes }) => (*bytes, false),
            Ok(Outcome::Skipped { .. }) => (0, false),
            Err(_) => (0, true),
        };
        bar.finished(bytes, failed, || print_item(session, verb, &item));
    }
}

fn print_item(session: &Session, verb: &str, item: &ItemReport<'_>) {
    {
        let mut out = crate::exit::stdout();
        let _ = match (session.json, item.result) {
            (true, Ok(Outcome::Done { bytes })) => {
                writeln!(out, "{}", json!({"key": item.key, "outcome": "done", "action": verb, "bytes": bytes}))
            }
            (true, Ok(Outcome::Skipped { reason })) => {
                writeln!(out, "{}", json!({"key": item.key, "outcome": "skipped", "reason": reason}))
            }
            (true, Err(error)) => {
                writeln!(out, "{}", json!({"key": item.key, "outcome": "failed", "error": one_line(error)}))
            }
            // A deletion moves no bytes: it says none.
            (false, Ok(Outcome::Done { bytes: 0 })) => writeln!(out, "{verb} {}", shown(item.key)),
            (false, Ok(Outcome::Done { bytes })) => writeln!(out, "{verb} {} ({bytes} bytes)", shown(item.key)),
            (false, Ok(Outcome::Skipped { reason })) => writeln!(out, "skipped {} ({reason})", shown(item.key)),
            (false, Err(error)) => writeln!(out, "failed {}: {}", shown(item.key), shown(&one_line(error))),
        };
    }
}

/// Prints the summary (and the failures again, at the end) and turns a job
/// with failures into [`JobFailed`](crate::exit::JobFailed).
pub(crate) fn finish(session: &Session, summary: &JobSummary, dry_run: bool) -> anyhow::Result<()> {
    let mut out = crate::exit::stdout();
    let failed = summary.failed.len();
    if session.json {
        let failures: Vec<_> =
            summary.failed.iter().map(|(key, error)| json!({"key": key, "error": one_line(error)})).collect();
        writeln!(
            out,
            "{}",
            json!({"summary": {
                "done": summary.done, "skipped": summary.skipped, "failed": failed, "bytes": summary.bytes,
                "journaled": summary.journaled, "other_shards": summary.other_shards, "dry_run": dry_run,
                "failures": failures,
            }})
        )?;
    } else {
        let would = if dry_run { "would be " } else { "" };
        writeln!(
            out,
            "{} {would}done, {} skipped, {failed} failed, {} bytes{}{}",
            summary.done,
            summary.skipped,
            summary.bytes,
            if summary.journaled > 0 {
                format!(", {} done by an earlier run", summary.journaled)
            } else {
                String::new()
            },
            if summary.other_shards > 0 {
                format!(", {} left to other shards", summary.other_shards)
            } else {
                String::new()
            },
        )?;
        for (key, error) in &summary.failed {
            eprintln!("failed: {}: {}", shown(key), shown(&one_line(error)));
        }
    }
    if failed == 0 {
        return Ok(());
    }
    let total = summary.done + summary.skipped + failed as u64;
    // Every object failed the same way: that failure's status; else 3.
    let codes: std::collections::BTreeSet<u8> =
        summary.failed.iter().map(|(_, e)| crate::exit::client_code(e)).collect();
    let code = match (summary.done + summary.skipped, codes.len()) {
        (0, 1) => codes.into_iter().next().unwrap_or(3),
        _ => 3,
    };
    Err(crate::exit::JobFailed { failed, total, code }.into())
}

/// What `--dry-run` reports for an item that would move `bytes`.
pub(crate) fn would(bytes: u64) -> Outcome {
    Outcome::Done { bytes }
}
