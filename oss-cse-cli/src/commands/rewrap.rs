//! `rewrap`: key rotation of one object, or of every object under a prefix
//! (`-r`, on the bulk engine), by uploading the ciphertext again under a new
//! envelope. An object already under the new key is skipped, so a rerun of a
//! finished `rewrap -r` moves nothing.

use std::sync::Arc;

use anyhow::Context;
use oss_cse_client::bulk::{Outcome, run_job};
use oss_cse_client::envelope::{Envelope, Error as EnvelopeError, KeyRing, MasterKey, MaterialDescription};
use oss_cse_client::{EncryptionClient, EncryptionOptions, Error, RewrapOptions};
use serde_json::json;

use crate::bulk::{BulkArgs, checkpoint_file, finish, object_keys, reporter, would};
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

/// The client that reads with the old keys and writes for the new key's
/// readers, the new key, and the descriptions of the old keys.
struct Rotation {
    client: EncryptionClient,
    new_key: Arc<dyn MasterKey>,
    old_descriptions: Vec<Option<MaterialDescription>>,
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
    Ok(Rotation { client, new_key, old_descriptions })
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
    let client = &rotation.client;
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
    let envelope = client.rewrap_with(&bucket, &key, rotation.new_key.as_ref(), &options).await;
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
    bulk.resume.as_ref().map(|dir| checkpoint_file(dir, &["rewrap", bucket, key]))
}

async fn rewrap_all(session: &Session, args: &RewrapArgs, rotation: Rotation) -> anyhow::Result<()> {
    let (bucket, prefix) = parse_bucket(&args.url)?;
    let options = args.bulk.job_options(&["rewrap", &bucket, &prefix])?;
    let items = object_keys(rotation.client.oss(), (&bucket, &prefix), &args.bulk).await?;
    let job = Arc::new((rotation, bucket, args.bulk.clone()));
    let work = |key: String| {
        let job = job.clone();
        async move {
            let (rotation, bucket, bulk) = &*job;
            rewrap_one(rotation, bucket, &key, bulk).await
        }
    };
    let verb = if args.bulk.dry_run { "would rewrap" } else { "rewrapped" };
    let bar = JobBar::new(session, options.jobs);
    let items = bar.count(items);
    let summary = run_job(items, &options, work, reporter(session, verb, bar)).await?;
    finish(session, &summary, args.bulk.dry_run)
}

async fn rewrap_one(rotation: &Rotation, bucket: &str, key: &str, bulk: &BulkArgs) -> oss_cse_client::Result<Outcome> {
    let meta = rotation.client.oss().head_object(bucket, key).await?;
    let resource = format!("oss://{bucket}/{key}");
    let Some(envelope) = meta.envelope().map_err(|source| Error::Envelope { resource, source })? else {
        return Ok(Outcome::Skipped { reason: "not client-side encrypted".into() });
    };
    if already_under(rotation, &envelope).await {
        return Ok(Outcome::Skipped { reason: "already under the new key".into() });
    }
    if bulk.dry_run {
        return Ok(would(meta.content_length));
    }
    let options = RewrapOptions { checkpoint: checkpoint(bulk, bucket, key), ..RewrapOptions::default() };
    rotation.client.rewrap_with(bucket, key, rotation.new_key.as_ref(), &options).await?;
    Ok(Outcome::Done { bytes: meta.content_length })
}

/// Whether `envelope` is already the new key's: it names the new key's
/// algorithm and matdesc and, when the new private key is at hand, unwraps
/// with it. Without the private key only a matdesc that no old key has can
/// tell (so give the new key a description of its own, or its private key).
async fn already_under(rotation: &Rotation, envelope: &Envelope) -> bool {
    let new_key = rotation.new_key.as_ref();
    let wanted = new_key.material_description();
    if !new_key.can_unwrap(envelope.wrapped.algorithm)
        || !MaterialDescription::same(wanted, envelope.material_description.as_ref())
    {
        return false;
    }
    match new_key.unwrap(envelope).await {
        Ok(_) => true,
        Err(EnvelopeError::MissingPrivateKey { .. }) => {
            wanted.is_some_and(|md| !md.is_empty())
                && !rotation.old_descriptions.iter().any(|old| MaterialDescription::same(old.as_ref(), wanted))
        }
        Err(_) => false,
    }
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
