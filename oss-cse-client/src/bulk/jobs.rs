//! Ready-made jobs over the objects under a prefix (or a manifest's keys),
//! for the CLI and the Python package alike: key rotation by checked
//! re-upload, and copies to another prefix keeping each envelope. Both
//! stream their keys, run on [`run_job`] (journal, shard) and can be rerun.

use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

use futures_util::{Stream, StreamExt};
use oss_cse_envelope::{Envelope, Error as EnvelopeError, MasterKey, MaterialDescription};

use super::{ItemReport, JobOptions, JobSummary, Outcome, Shard, run_job};
use crate::cse::copy::CopyOptions;
use crate::{EncryptionClient, Error, OssClient, Result, RewrapOptions};

/// Object keys, boxed so that a listing and a manifest are one type.
pub type Keys = Pin<Box<dyn Stream<Item = Result<String>> + Send>>;

/// The largest inventory `manifest.json` read.
const MAX_MANIFEST: u64 = 16 << 20;

/// The keys of a manifest file: an OSS Inventory report's `manifest.json`
/// (its CSV.gz data files are read from the inventory's destination bucket,
/// MD5-checked), or one key per line (`#` comments). An inventory of another
/// bucket than `bucket` is refused.
///
/// # Errors
/// The file cannot be read, or is an inventory of another bucket or format.
pub async fn manifest_keys(oss: &OssClient, bucket: &str, path: &Path) -> Result<Keys> {
    if path.extension().is_some_and(|e| e == "json") {
        let io = |action: &'static str| move |source| Error::Io { action, path: path.to_owned(), source };
        let len = tokio::fs::metadata(path).await.map_err(io("reading"))?.len();
        if len > MAX_MANIFEST {
            return Err(Error::invalid_argument(format!("{}: {len} bytes is too large a manifest", path.display())));
        }
        let text = tokio::fs::read_to_string(path).await.map_err(io("reading"))?;
        let bad = |reason: String| Error::invalid_argument(format!("{}: {reason}", path.display()));
        let manifest = super::InventoryManifest::parse(&text)
            .map_err(bad)?
            .ok_or_else(|| bad("not an OSS Inventory manifest.json".to_owned()))?;
        if manifest.source_bucket != bucket {
            return Err(bad(format!("an inventory of bucket {:?}, not {bucket:?}", manifest.source_bucket)));
        }
        return Ok(Box::pin(oss.inventory_keys(&manifest)));
    }
    Ok(Box::pin(super::read_manifest(path).await?))
}

/// The keys of a job over `bucket/prefix`: the manifest's when given, else a
/// listing of the prefix, streamed.
///
/// # Errors
/// As [`manifest_keys`].
pub async fn prefix_keys(oss: &OssClient, (bucket, prefix): (&str, &str), manifest: Option<&Path>) -> Result<Keys> {
    match manifest {
        Some(path) => manifest_keys(oss, bucket, path).await,
        None => Ok(Box::pin(oss.list_stream(bucket, prefix).map(|o| o.map(|o| o.key)))),
    }
}

/// A short stable name for a job or transfer named by `parts` (the hex of
/// SHA-256's first 12 bytes), so that a rerun finds its journal and
/// checkpoints again, whichever program (CLI, Python) started it.
pub fn job_name(parts: &[&str]) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, parts.join("\n").as_bytes());
    hex::encode(&digest.as_ref()[..12])
}

/// The journal in `folder` of the job `what` (command, bucket, prefix...),
/// one per shard.
pub fn journal_in(folder: &Path, what: &[&str], shard: Option<Shard>) -> PathBuf {
    let shard_name = shard.map(|s| s.to_string()).unwrap_or_default();
    let mut parts = what.to_vec();
    parts.push(&shard_name);
    folder.join(format!("{}.journal", job_name(&parts)))
}

/// The checkpoint file in `folder` of the transfer named by `parts`.
pub fn checkpoint_in(folder: &Path, parts: &[&str]) -> PathBuf {
    folder.join(format!("{}.checkpoint.json", job_name(parts)))
}

/// Key rotation: a client that opens the objects (the old keys), the key
/// they move under, and the descriptions of the old keys (to tell, without
/// the new private key, an object already moved).
pub struct Rotation {
    client: EncryptionClient,
    new_key: Arc<dyn MasterKey>,
    old_descriptions: Vec<Option<MaterialDescription>>,
}

impl std::fmt::Debug for Rotation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rotation")
            .field("new_key", &self.new_key.material_description())
            .field("old_descriptions", &self.old_descriptions)
            .finish_non_exhaustive()
    }
}

impl Rotation {
    /// Rotation to `new_key` with `client`, whose key ring opens the
    /// objects; `old_descriptions` are the matdescs of the keys being retired.
    pub fn new(
        client: EncryptionClient,
        new_key: Arc<dyn MasterKey>,
        old_descriptions: Vec<Option<MaterialDescription>>,
    ) -> Self {
        Self { client, new_key, old_descriptions }
    }

    /// The client that reads and writes.
    pub fn client(&self) -> &EncryptionClient {
        &self.client
    }

    /// The key objects move under.
    pub fn new_key(&self) -> &dyn MasterKey {
        self.new_key.as_ref()
    }

    /// Rewraps one object (checkpointed in `checkpoint`), unless it is not
    /// encrypted or already under the new key; `dry_run` only says so.
    ///
    /// # Errors
    /// As [`EncryptionClient::rewrap_with`].
    pub async fn rewrap_one(
        &self,
        bucket: &str,
        key: &str,
        checkpoint: Option<PathBuf>,
        dry_run: bool,
    ) -> Result<Outcome> {
        let meta = self.client.oss().head_object(bucket, key).await?;
        let resource = format!("oss://{bucket}/{key}");
        let Some(envelope) = meta.envelope().map_err(|source| Error::Envelope { resource, source })? else {
            return Ok(Outcome::Skipped { reason: "not client-side encrypted".into() });
        };
        if self.already_under(&envelope).await {
            return Ok(Outcome::Skipped { reason: "already under the new key".into() });
        }
        if !dry_run {
            let options = RewrapOptions { checkpoint, ..RewrapOptions::default() };
            self.client.rewrap_with(bucket, key, self.new_key.as_ref(), &options).await?;
        }
        Ok(Outcome::Done { bytes: meta.content_length })
    }

    /// Whether `envelope` is already the new key's: it names the new key's
    /// algorithm and matdesc and, when the new private key is at hand,
    /// unwraps with it. Without the private key only a matdesc that no old
    /// key has can tell (so give the new key a description of its own, or
    /// its private key).
    async fn already_under(&self, envelope: &Envelope) -> bool {
        let new_key = self.new_key.as_ref();
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
                    && !self.old_descriptions.iter().any(|old| MaterialDescription::same(old.as_ref(), wanted))
            }
            Err(_) => false,
        }
    }
}

/// What a prefix job needs besides its keys: how it runs, where its
/// checkpoints go (the `--resume` folder), and whether it only says what it
/// would do.
#[derive(Debug, Clone, Default)]
pub struct PrefixJob {
    /// Objects in flight, journal and shard.
    pub options: JobOptions,
    /// Per-object checkpoints (a private folder), for large objects.
    pub checkpoints: Option<PathBuf>,
    /// Change nothing; report what would be done.
    pub dry_run: bool,
}

/// Rewraps every object of `keys` in `bucket` under the rotation's new key.
///
/// # Errors
/// As [`run_job`]; each object's failure is in the summary.
pub async fn rewrap_keys(
    rotation: Arc<Rotation>,
    bucket: &str,
    keys: Keys,
    job: &PrefixJob,
    report: impl FnMut(ItemReport<'_>),
) -> Result<JobSummary> {
    let items = keys.map(|key| key.map(|key| (key.clone(), key)));
    let (bucket, checkpoints, dry_run) = (bucket.to_owned(), job.checkpoints.clone(), job.dry_run);
    let work = move |key: String| {
        let (rotation, bucket) = (rotation.clone(), bucket.clone());
        let checkpoint = checkpoints.as_deref().map(|folder| checkpoint_in(folder, &["rewrap", &bucket, &key]));
        async move { rotation.rewrap_one(&bucket, &key, checkpoint, dry_run).await }
    };
    run_job(items, &job.options, work, report).await
}

/// Copies every object of `keys` from under `source_prefix` in
/// `source_bucket` to the same relative key under `prefix` in `bucket`:
/// stored bytes and envelope as they are (no key needed), by OSS, or above
/// the client's copy limit by a checked re-upload. A key outside the source
/// prefix (from a manifest) keeps its whole name under `prefix`.
///
/// # Errors
/// As [`run_job`]; each object's failure is in the summary.
pub async fn copy_keys(
    client: Arc<EncryptionClient>,
    (source_bucket, source_prefix): (&str, &str),
    (bucket, prefix): (&str, &str),
    keys: Keys,
    (job, no_clobber): (&PrefixJob, bool),
    report: impl FnMut(ItemReport<'_>),
) -> Result<JobSummary> {
    let items = keys.map(|key| key.map(|key| (key.clone(), key)));
    let names = Arc::new((source_bucket.to_owned(), source_prefix.to_owned(), bucket.to_owned(), prefix.to_owned()));
    let dry_run = job.dry_run;
    let work = move |key: String| {
        let (client, names) = (client.clone(), names.clone());
        async move {
            let (source_bucket, source_prefix, bucket, prefix) = &*names;
            let target = format!("{prefix}{}", key.strip_prefix(source_prefix.as_str()).unwrap_or(&key));
            if dry_run {
                let meta = client.oss().head_object(source_bucket, &key).await?;
                return Ok(Outcome::Done { bytes: meta.content_length });
            }
            let options = CopyOptions { forbid_overwrite: no_clobber, ..CopyOptions::default() };
            match client.copy_object_with(source_bucket, &key, bucket, &target, &options).await {
                Ok(out) => Ok(Outcome::Done { bytes: out.reuploaded.map_or(0, |cost| cost.bytes) }),
                Err(error) if no_clobber && error.service_error().is_some_and(|e| e.code == "FileAlreadyExists") => {
                    Ok(Outcome::Skipped { reason: "the destination exists".into() })
                }
                Err(error) => Err(error),
            }
        }
    };
    run_job(items, &job.options, work, report).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_names_are_the_sha256_of_their_parts() {
        // SHA-256("a") = ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb
        assert_eq!(job_name(&["a"]), "ca978112ca1bbdcafac231b3");
        assert_eq!(job_name(&["a", "b"]), job_name(&["a\nb"]));
        let shard = Shard::new(1, 4).ok();
        let journal = journal_in(Path::new("/r"), &["rewrap", "b", "p/"], shard);
        assert_ne!(journal, journal_in(Path::new("/r"), &["rewrap", "b", "p/"], None), "one journal per shard");
        assert!(journal.to_string_lossy().ends_with(".journal"));
    }
}
