//! `rm`: one object, every object under a prefix (`-r`), or the unfinished
//! multipart uploads under a prefix (`--multipart`, optionally only those
//! older than a given age).

use std::sync::Arc;

use anyhow::bail;
use oss_cse_client::OssClient;
use oss_cse_client::bulk::{Outcome, run_job};
use serde_json::json;

use crate::bulk::{BulkArgs, finish, object_keys, reporter};
use crate::progress::JobBar;
use crate::session::Session;
use crate::target::parse_bucket;

/// Options of `rm`.
#[derive(clap::Args, Debug)]
pub(crate) struct RmArgs {
    /// oss://bucket/key, or oss://bucket/prefix/ with -r or --multipart.
    url: String,
    /// Every object under the prefix.
    #[arg(short, long)]
    recursive: bool,
    /// Allow -r on a whole bucket (oss://bucket or oss://bucket/).
    #[arg(long)]
    force: bool,
    /// Abort unfinished multipart uploads under the prefix instead of
    /// deleting objects (all, or those older than --older-than).
    #[arg(long)]
    multipart: bool,
    /// With --multipart: only uploads started longer ago than this (e.g.
    /// 7d, 12h, 30m).
    #[arg(long, value_name = "AGE")]
    older_than: Option<String>,
    #[command(flatten)]
    pub(crate) bulk: BulkArgs,
    #[command(flatten)]
    pub(crate) connection: crate::opts::ConnectionArgs,
    #[command(flatten)]
    pub(crate) progress: crate::opts::ProgressArgs,
}

pub(crate) async fn rm(session: &Session, client: OssClient, args: &RmArgs) -> anyhow::Result<()> {
    let (bucket, prefix) = parse_bucket(&args.url)?;
    if args.multipart {
        return abort_uploads(session, client, (&bucket, &prefix), args).await;
    }
    if !args.recursive && args.bulk.manifest.is_none() {
        if prefix.is_empty() || prefix.ends_with('/') {
            bail!("{:?} is not an object: use -r to remove everything under a prefix", args.url);
        }
        if args.bulk.dry_run {
            return session.print(json!({"key": prefix, "dry_run": true}), &format!("would remove {}", args.url));
        }
        client.delete_object(&bucket, &prefix).await?;
        return session.print(json!({"key": prefix, "removed": true}), &format!("removed {}", args.url));
    }
    if prefix.is_empty() && !args.force && args.bulk.manifest.is_none() {
        bail!("refusing to remove every object of bucket {bucket:?}: add --force");
    }
    let options = args.bulk.job_options(&["rm", &bucket, &prefix])?;
    let items = object_keys(&client, (&bucket, &prefix), &args.bulk).await?;
    let (client, bucket_name, dry_run) = (Arc::new(client), bucket.clone(), args.bulk.dry_run);
    let work = |key: String| {
        let (client, bucket) = (client.clone(), bucket_name.clone());
        async move {
            if !dry_run {
                client.delete_object(&bucket, &key).await?;
            }
            Ok(Outcome::Done { bytes: 0 })
        }
    };
    let verb = if dry_run { "would remove" } else { "removed" };
    let bar = JobBar::new(session, options.jobs);
    let items = bar.count(items);
    let summary = run_job(items, &options, work, reporter(session, verb, bar)).await?;
    finish(session, &summary, dry_run)
}

async fn abort_uploads(
    session: &Session,
    client: OssClient,
    (bucket, prefix): (&str, &str),
    args: &RmArgs,
) -> anyhow::Result<()> {
    let older_than = args.older_than.as_deref().map(parse_age).transpose()?;
    let now = jiff::Timestamp::now();
    let uploads = client.list_multipart_uploads(bucket, prefix).await?;
    let mut chosen = Vec::new();
    for upload in uploads {
        if let Some(age) = older_than {
            let started: jiff::Timestamp = match upload.initiated.parse() {
                Ok(time) => time,
                Err(_) => bail!(
                    "upload {} of {:?} has an unreadable start time {:?}",
                    upload.upload_id,
                    upload.key,
                    upload.initiated
                ),
            };
            if now.duration_since(started) < age {
                continue;
            }
        }
        chosen.push((format!("{}#{}", upload.key, upload.upload_id), upload));
    }
    let options = args.bulk.job_options(&["rm-multipart", bucket, prefix])?;
    let (client, bucket_name, dry_run) = (Arc::new(client), bucket.to_owned(), args.bulk.dry_run);
    let work = |upload: oss_cse_client::types::UploadSummary| {
        let (client, bucket) = (client.clone(), bucket_name.clone());
        async move {
            if !dry_run {
                client.abort_multipart_upload(&bucket, &upload.key, &upload.upload_id).await?;
            }
            Ok(Outcome::Done { bytes: 0 })
        }
    };
    let verb = if dry_run { "would abort" } else { "aborted" };
    let bar = JobBar::new(session, options.jobs);
    let items = bar.count(oss_cse_client::bulk::items_from(chosen));
    let summary = run_job(items, &options, work, reporter(session, verb, bar)).await?;
    finish(session, &summary, dry_run)
}

/// `7d`, `12h`, `30m`, `45s` (or any span jiff reads, such as `1 week`).
fn parse_age(text: &str) -> anyhow::Result<jiff::SignedDuration> {
    let span: jiff::Span = text.parse().map_err(|e| anyhow::anyhow!("--older-than {text:?}: {e}"))?;
    let duration = span
        .to_duration(jiff::SpanRelativeTo::days_are_24_hours())
        .map_err(|e| anyhow::anyhow!("--older-than {text:?}: {e}"))?;
    if duration.is_negative() {
        bail!("--older-than {text:?} is negative");
    }
    Ok(duration)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_parse_in_the_usual_units() {
        assert_eq!(parse_age("7d").unwrap(), jiff::SignedDuration::from_hours(7 * 24));
        assert_eq!(parse_age("12h").unwrap(), jiff::SignedDuration::from_hours(12));
        assert_eq!(parse_age("30m").unwrap(), jiff::SignedDuration::from_mins(30));
        assert!(parse_age("soon").is_err());
        assert!(parse_age("-1d").is_err());
    }
}
