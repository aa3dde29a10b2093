//! `rewrap`: key rotation of one object, or of every object under a prefix
//! (`-r`, on the bulk engine), by uploading the ciphertext again under a new
//! envelope. An object already under the new key is skipped, so a rerun of a
//! finished `rewrap -r` moves nothing.

use std::sync::Arc;

use anyhow::Context;
use futures_util::StreamExt;
use oss_cse_client::bulk::{PrefixJob, Rotation, checkpoint_in, rewrap_keys};
use oss_cse_client::envelope::{KeyRing, MaterialDescription};
use oss_cse_client::{EncryptionClient, EncryptionOptions, RewrapOptions};
use serde_json::json;

use crate::bulk::{BulkArgs, finish, object_keys, reporter};
use crate::keys::KeyArgs;
use crate::progress::JobBar;
use crate::session::Session;
use crate::target::{parse_bucket, parse_object};

/// Options of `rewrap`.
#[derive(clap::Args, Debug)]
pub(crate) struct RewrapArgs {
    /// oss://bucket/key, or oss://bucket/prefix with -r.
    url: String,
    /// Every object under the prefix (or the --manifest keys).
    #[arg(short, long)]
    recursive: bool,
    /// The key(s) that open the objects now.
    #[arg(long = "from-private-key", value_name = "FILE=MATDESC_JSON")]
    from: Vec<String>,
    /// The new master key (and any decrypting keys).
    #[command(flatten)]
    keys: KeyArgs,
    #[command(flatten)]
    pub(crate) bulk: BulkArgs,
    #[command(flatten)]
    pub(crate) connection: crate::opts::ConnectionArgs,
    #[command(flatten)]
    pub(crate) progress: crate::opts::ProgressArgs,
}

fn rotation(session: &Session, args: &RewrapArgs) -> anyhow::Result<Rotation> {
    let credentials = session.credentials()?;
    let new_keys = session.keys(&args.keys, &credentials)?;
    let new_key =
        new_keys.ring.encrypting_key().context("rewrap needs the new key: --rsa-public-key or --kms-key-id")?.clone();
    let old_keys = KeyArgs { decrypt_keys: args.from.clone(), ..KeyArgs::default() };
    let mut old_ring =
        if args.from.is_empty() { KeyRing::decrypt_only() } else { session.keys(&old_keys, &credentials)?.ring };
    let old_descriptions = old_ring.keys().map(|k| k.material_description().cloned()).collect();
    for extra in new_keys.ring.keys().skip(1) {
        old_ring = old_ring.with_shared_decrypting_key(extra.clone());
    }
    let options = EncryptionOptions { parallel: args.bulk.parallel.max(1), ..EncryptionOptions::default() };
    let client = EncryptionClient::new(session.oss_client()?, old_ring).with_options(new_keys.options(options))?;
    Ok(Rotation::new(client, new_key, old_descriptions))
}

pub(crate) async fn rewrap(session: &Session, args: &RewrapArgs) -> anyhow::Result<()> {
    let rotation = rotation(session, args)?;
    if let Some(dir) = &args.bulk.resume {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    if args.recursive || args.bulk.manifest.is_some() {
        return rewrap_all(session, args, rotation).await;
    }
    let url = &args.url;
    let (bucket, key) = parse_object(url)?;
    let client = rotation.client();
    // The cost first: the ciphertext goes down and up again (OSS refuses to
    // change an encrypted object's metadata in place).
    let cost = client.rewrap_cost(&bucket, &key).await?;
    let parts = match cost.layout {
        oss_cse_client::ReuploadLayout::Single => 1,
        oss_cse_client::ReuploadLayout::Parts(plan) => plan.part_count(),
    };
    let how = layout_text(cost.layout);
    if args.bulk.dry_run {
        return session.print(
            json!({"url": url, "dry_run": true, "bytes_down": cost.bytes, "bytes_up": cost.bytes, "parts": parts}),
            &format!("would rewrap {url}: {} bytes down and {} up, as {how}; nothing changed", cost.bytes, cost.bytes),
        );
    }
    let bar = crate::progress::transfer_bar(session, url, Some(cost.bytes));
    let progress = bar.as_ref().map(|(_, progress)| progress.clone());
    let options = RewrapOptions { checkpoint: checkpoint(&args.bulk, &bucket, &key), progress };
    let envelope = client.rewrap_with(&bucket, &key, rotation.new_key(), &options).await;
    if let Some((bar, _)) = bar {
        bar.finish_and_clear();
    }
    let envelope = envelope?;
    let matdesc = MaterialDescription::describe(envelope.material_description.as_ref());
    session.print(
        json!({
            "url": url,
            "wrap_algorithm": envelope.wrapped.algorithm.to_string(),
            "matdesc": matdesc,
            "bytes_down": cost.bytes,
            "bytes_up": cost.bytes,
            "parts": parts,
        }),
        &format!(
            "rewrapped {url}: now {} with matdesc {matdesc} ({} bytes moved each way, as {how})",
            envelope.wrapped.algorithm, cost.bytes
        ),
    )
}

fn checkpoint(bulk: &BulkArgs, bucket: &str, key: &str) -> Option<std::path::PathBuf> {
    bulk.resume.as_ref().map(|dir| checkpoint_in(dir, &["rewrap", bucket, key]))
}

async fn rewrap_all(session: &Session, args: &RewrapArgs, rotation: Rotation) -> anyhow::Result<()> {
    let (bucket, prefix) = parse_bucket(&args.url)?;
    let options = args.bulk.job_options(&["rewrap", &bucket, &prefix])?;
    let keys = object_keys(rotation.client().oss(), (&bucket, &prefix), &args.bulk).await?;
    let job = PrefixJob { options, checkpoints: args.bulk.resume.clone(), dry_run: args.bulk.dry_run };
    let verb = if args.bulk.dry_run { "would rewrap" } else { "rewrapped" };
    let bar = JobBar::new(session, job.options.jobs);
    let keys = Box::pin(bar.count(keys.map(|item| item.map(|(key, _)| key))));
    let summary = rewrap_keys(Arc::new(rotation), &bucket, keys, &job, reporter(session, verb, bar)).await?;
    finish(session, &summary, args.bulk.dry_run)
}

/// How a re-upload sends the bytes, for people.
pub(crate) fn layout_text(layout: oss_cse_client::ReuploadLayout) -> String {
    match layout {
        oss_cse_client::ReuploadLayout::Single => "one PutObject checked by Content-MD5".to_owned(),
        oss_cse_client::ReuploadLayout::Parts(plan) => {
            let (count, size) = (plan.part_count(), plan.part_size());
            let parts = if count == 1 { "1 part".to_owned() } else { format!("{count} parts") };
            format!("{parts} of up to {size} bytes checked by CRC-64")
        }
    }
}
