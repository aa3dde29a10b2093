//! `oss-cse sse`: a bucket's default server-side encryption, and existing
//! objects encrypted in place.

use oss_cse_client::ServerSideEncryption;
use serde_json::json;

use crate::bulk::BulkArgs;
use crate::session::Session;
use crate::target::parse_bucket;

/// `sse` sub-commands.
#[derive(clap::Subcommand, Debug)]
pub(crate) enum SseAction {
    /// Show a bucket's default server-side encryption.
    Get {
        /// oss://bucket
        url: String,
    },
    /// Set a bucket's default server-side encryption.
    Put {
        /// oss://bucket
        url: String,
        #[command(flatten)]
        setting: SseSetting,
    },
    /// Remove a bucket's default server-side encryption.
    Delete {
        /// oss://bucket
        url: String,
    },
    /// Encrypt existing objects in place (a self-copy with SSE headers).
    /// Every object under the prefix (or the --manifest keys) is copied onto
    /// itself with the new setting, or uploaded again where OSS refuses that
    /// for a client-side-encrypted object; objects already under the setting
    /// are skipped.
    EncryptExisting {
        /// oss://bucket/prefix
        url: String,
        #[command(flatten)]
        setting: SseSetting,
        #[command(flatten)]
        bulk: BulkArgs,
        #[command(flatten)]
        progress: crate::opts::ProgressArgs,
    },
}

#[derive(clap::Args, Debug)]
pub(crate) struct SseSetting {
    /// AES256, KMS or SM4.
    #[arg(long, default_value = "AES256")]
    algorithm: String,
    /// KMS key id (with --algorithm KMS).
    #[arg(long, value_name = "ID")]
    kms_key_id: Option<String>,
    /// SM4 data encryption under KMS.
    #[arg(long, value_name = "SM4")]
    kms_data_encryption: Option<String>,
}

impl SseSetting {
    fn parse(&self) -> anyhow::Result<ServerSideEncryption> {
        Ok(ServerSideEncryption::from_parts(
            &self.algorithm,
            self.kms_key_id.as_deref(),
            self.kms_data_encryption.as_deref(),
        )?)
    }
}

pub(crate) async fn sse(session: &Session, action: &SseAction) -> anyhow::Result<()> {
    let client = session.oss_client()?;
    match action {
        SseAction::Get { url } => {
            let (bucket, _) = parse_bucket(url)?;
            let rule = client.get_bucket_encryption(&bucket).await?;
            let text = rule.as_ref().map_or("none".to_owned(), ToString::to_string);
            session.print(
                json!({"bucket": bucket, "server_side_encryption": rule.map(|r| r.to_string())}),
                &format!("{url}: {text}"),
            )
        }
        SseAction::Put { url, setting } => {
            let (bucket, _) = parse_bucket(url)?;
            let sse = setting.parse()?;
            client.put_bucket_encryption(&bucket, &sse).await?;
            session.print(
                json!({"bucket": bucket, "server_side_encryption": sse.to_string()}),
                &format!("{url}: default encryption {sse}"),
            )
        }
        SseAction::Delete { url } => {
            let (bucket, _) = parse_bucket(url)?;
            client.delete_bucket_encryption(&bucket).await?;
            session.print(
                json!({"bucket": bucket, "server_side_encryption": null}),
                &format!("{url}: default encryption removed"),
            )
        }
        SseAction::EncryptExisting { url, setting, bulk, .. } => {
            let (bucket, prefix) = parse_bucket(url)?;
            let sse = std::sync::Arc::new(setting.parse()?);
            let options = bulk.job_options(&["sse-encrypt-existing", &bucket, &prefix, &sse.to_string()])?;
            let items = crate::bulk::object_keys(&client, (&bucket, &prefix), bulk).await?;
            let (client, bucket, dry_run) = (std::sync::Arc::new(client), std::sync::Arc::new(bucket), bulk.dry_run);
            let work = |key: String| {
                let (client, bucket, sse) = (client.clone(), bucket.clone(), sse.clone());
                async move {
                    if dry_run {
                        return Ok(oss_cse_client::bulk::Outcome::Done { bytes: 0 });
                    }
                    client.encrypt_existing_object(&bucket, &key, &sse).await
                }
            };
            let verb = if dry_run { "would encrypt" } else { "encrypted" };
            let bar = crate::progress::JobBar::new(session, options.jobs);
            let items = bar.count(items);
            let report = crate::bulk::reporter(session, verb, bar);
            let summary = oss_cse_client::bulk::run_job(items, &options, work, report).await?;
            crate::bulk::finish(session, &summary, dry_run)
        }
    }
}
