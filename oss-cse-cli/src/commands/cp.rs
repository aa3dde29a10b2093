//! `cp` of one object (a file or stdin up, an object down to a file or
//! stdout, a server-side copy), and `cp -r` and `sync` of whole trees, which
//! run on the bulk engine (see `tree`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use futures_util::StreamExt;
use oss_cse_client::envelope::{Format, KeyRing};
use oss_cse_client::{
    CopyOptions, DownloadOptions, EncryptionClient, EncryptionOptions, PutOptions, ServerSideEncryption, UploadOptions,
};
use serde_json::json;
use tokio::io::AsyncWriteExt;

use crate::bulk::BulkArgs;
use crate::keys::KeyArgs;
use crate::opts::parse_size;
use crate::session::Session;
use crate::target::{Location, parse_location, parse_range};
use crate::tree::{self, Mode};

/// Options of `cp`.
#[derive(clap::Args, Debug)]
pub(crate) struct CpArgs {
    /// Source: a file, - (stdin: in a pipeline, use `set -o pipefail` or
    /// --expected-size, or a producer that fails mid-way leaves a truncated
    /// object), or oss://bucket/key; with -r a directory or oss://bucket/prefix/.
    src: String,
    /// Destination: a file, -, or oss://bucket/key; with -r oss://bucket/prefix/
    /// or a directory (the prefix's contents go into it, as `aws s3 cp
    /// --recursive` does).
    dst: String,
    /// A whole tree: a directory to a prefix, or a prefix to a directory.
    /// Object keys that would land outside the directory (`..`, absolute,
    /// NUL) are refused and reported; the others go on.
    #[arg(short, long)]
    recursive: bool,
    /// Never overwrite an existing destination (file or object): a download
    /// onto a file is skipped, an upload or copy onto an object refused by
    /// OSS (FileAlreadyExists); with -r the ones skipped are reported.
    #[arg(long)]
    no_clobber: bool,
    /// Files above this size are uploaded in parallel parts (bytes, or with K/M/G).
    #[arg(long, default_value = "64M", value_parser = parse_size)]
    multipart_threshold: u64,
    /// Part size of multipart transfers (a multiple of 16).
    #[arg(long, default_value = "8M", value_parser = parse_size)]
    part_size: u64,
    /// From oss:// to oss://: objects above this size are copied by
    /// downloading and uploading their stored bytes again (OSS's CopyObject
    /// copies up to 1 GB, and refuses UploadPartCopy from an encrypted
    /// object); the default is 10^9 bytes.
    #[arg(long, env = "OSS_CSE_COPY_LIMIT", value_name = "SIZE", value_parser = parse_size,
          default_value_t = oss_cse_client::DEFAULT_COPY_LIMIT, hide_default_value = true)]
    copy_limit: u64,
    /// Server-side encryption on top: AES256, SM4 or KMS.
    #[arg(long, value_name = "ALGORITHM")]
    sse: Option<String>,
    /// KMS key for --sse KMS.
    #[arg(long, value_name = "ID")]
    sse_key_id: Option<String>,
    /// Download only these bytes: START-END, START- or -LENGTH. A range is
    /// decrypted without any integrity check (the format has no MAC, and the
    /// object's CRC-64 and MD5 cover only whole objects).
    #[arg(long)]
    range: Option<String>,
    /// With `-` as the source: the number of bytes stdin must deliver. A
    /// stream that ends early or runs on is refused before the upload
    /// completes. Without it, a producer that dies mid-pipe leaves a
    /// truncated object unless the shell runs with `set -o pipefail` and the
    /// caller checks the pipeline's status.
    #[arg(long, value_name = "BYTES", value_parser = parse_size)]
    expected_size: Option<u64>,
    /// Record the plaintext's MD5 in the envelope (the SDKs'
    /// unencrypted-content-md5), checked by every whole download. A file is
    /// read twice; stdin is encrypted into a temporary ciphertext spool
    /// first (no plaintext touches the disk).
    #[arg(long)]
    md5: bool,
    /// Content-Type of the uploaded object.
    #[arg(long)]
    content_type: Option<String>,
    /// User metadata KEY=VALUE (stored as x-oss-meta-KEY; repeatable).
    #[arg(long = "meta", value_name = "KEY=VALUE")]
    meta: Vec<String>,
    /// Write envelope format V1 (for oss2 2.5-2.10 readers).
    #[arg(long)]
    v1: bool,
    #[command(flatten)]
    keys: KeyArgs,
    #[command(flatten)]
    pub(crate) bulk: BulkArgs,
    #[command(flatten)]
    pub(crate) connection: crate::opts::ConnectionArgs,
    #[command(flatten)]
    pub(crate) policy: crate::opts::DownloadPolicyArgs,
    #[command(flatten)]
    pub(crate) progress: crate::opts::ProgressArgs,
}

/// Options of `sync`.
#[derive(clap::Args, Debug)]
pub(crate) struct SyncArgs {
    /// A directory or oss://bucket/prefix/.
    src: String,
    /// oss://bucket/prefix/ or a directory.
    dst: String,
    /// Also remove from the destination what the source no longer has
    /// (within --include/--exclude).
    #[arg(long)]
    delete: bool,
    /// Compare contents, not only size and modification time (which miss a
    /// file rewritten within the same second at the same size): a file's
    /// MD5 against the plaintext MD5 the object's envelope records (which
    /// uploads of `sync --checksum` and `cp --md5` write), falling back to
    /// size and time for objects without one, as `rclone --checksum` does.
    /// Each file of the same size as its object is read once.
    #[arg(long)]
    checksum: bool,
    /// Files above this size go up in parallel parts.
    #[arg(long, default_value = "64M", value_parser = parse_size)]
    multipart_threshold: u64,
    /// Part size of multipart transfers (a multiple of 16).
    #[arg(long, default_value = "8M", value_parser = parse_size)]
    part_size: u64,
    #[command(flatten)]
    keys: KeyArgs,
    #[command(flatten)]
    pub(crate) bulk: BulkArgs,
    #[command(flatten)]
    pub(crate) connection: crate::opts::ConnectionArgs,
    #[command(flatten)]
    pub(crate) policy: crate::opts::DownloadPolicyArgs,
    #[command(flatten)]
    pub(crate) progress: crate::opts::ProgressArgs,
}

/// `cp oss://a/x oss://b/y`: the stored bytes and envelope, copied by OSS
/// or, above the copy limit, by this machine (said before it starts).
async fn copy_object(
    session: &Session,
    args: &CpArgs,
    options: EncryptionOptions,
    (source_bucket, source_key): (&str, &str),
    (bucket, key): (&str, &str),
) -> anyhow::Result<()> {
    // The copy keeps the envelope: no key is needed.
    let options = EncryptionOptions { copy_limit: args.copy_limit, ..options };
    let client = EncryptionClient::new(session.oss_client()?, KeyRing::decrypt_only()).with_options(options)?;
    let cost = client.copy_cost(source_bucket, source_key).await?;
    if let Some(cost) = cost.filter(|_| !session.json) {
        let (limit, size) = (args.copy_limit, cost.bytes);
        eprintln!(
            "note: {} is {size} bytes, more than OSS copies ({limit}): its stored bytes are downloaded and uploaded \
             again ({size} bytes each way, {})",
            crate::exit::shown(&args.src),
            crate::commands::rewrap::layout_text(cost.layout),
        );
    }
    let bar = cost.and_then(|cost| crate::progress::transfer_bar(session, &args.src, Some(cost.bytes)));
    let copy = CopyOptions {
        forbid_overwrite: args.no_clobber,
        progress: bar.as_ref().map(|b| b.1.clone()),
        ..CopyOptions::default()
    };
    let out = client.copy_object_with(source_bucket, source_key, bucket, key, &copy).await;
    if let Some((bar, _)) = bar {
        bar.finish_and_clear();
    }
    let out = out?;
    let moved = out.reuploaded.map_or(0, |cost| cost.bytes);
    let how = match out.reuploaded {
        Some(_) => format!(" (re-uploaded: {moved} bytes down and up)"),
        None => String::new(),
    };
    session.print(
        json!({"source": args.src, "destination": args.dst, "etag": out.written.etag, "reuploaded_bytes": moved}),
        &format!("copied {} -> {}{how}", args.src, args.dst),
    )
}

pub(crate) async fn cp(session: &Session, args: &CpArgs) -> anyhow::Result<()> {
    let parallel = match (args.recursive, args.bulk.jobs) {
        (false, Some(jobs)) => {
            eprintln!(
                "warning: --jobs for a single object is deprecated (it will mean objects in flight): use --parallel"
            );
            jobs
        }
        _ => args.bulk.parallel,
    };
    let options = EncryptionOptions {
        format: if args.v1 { Format::V1 } else { Format::V2 },
        part_size: args.part_size,
        parallel: parallel.max(1),
        multipart_threshold: args.multipart_threshold,
        ..EncryptionOptions::default()
    };
    let source = parse_location(&args.src)?;
    let destination = parse_location(&args.dst)?;
    if args.recursive {
        return cp_tree(session, args, options, (&source, &destination)).await;
    }
    if args.bulk.dry_run || args.bulk.manifest.is_some() || args.bulk.shard.is_some() {
        bail!("--dry-run, --manifest and --shard are for -r (whole trees)");
    }
    if let Location::Local(path) = &source {
        if path.is_dir() {
            bail!("{} is a directory: use -r to copy a directory's files", args.src);
        }
    }
    match (&source, &destination) {
        (Location::Oss { bucket: sb, key: sk }, Location::Oss { bucket: db, key: dk }) => {
            copy_object(session, args, options, (sb, sk), (db, dk)).await
        }
        (_, Location::Oss { bucket, key }) => {
            if key.is_empty() || key.ends_with('/') {
                bail!("destination {:?} needs an object key", args.dst);
            }
            let client = session.encryption_client(&args.keys, options)?;
            let mut headers = upload_headers(args)?;
            if args.no_clobber {
                // OSS refuses the write if the object exists (at Initiate
                // for a multipart upload).
                headers.push(("x-oss-forbid-overwrite".to_owned(), "true".to_owned()));
            }
            if args.expected_size.is_some() && source != Location::Std {
                bail!("--expected-size is for uploads from stdin (-)");
            }
            let (bytes, etag) = match &source {
                Location::Local(path) => {
                    let size = std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?.len();
                    let bar = crate::progress::transfer_bar(session, &args.src, Some(size));
                    let put = PutOptions {
                        headers,
                        progress: bar.as_ref().map(|b| b.1.clone()),
                        compute_md5: args.md5,
                        ..PutOptions::default()
                    };
                    let checkpoint = match &args.bulk.resume {
                        Some(dir) => Some(resumable(dir, ["upload", bucket, key], path)?),
                        None => None,
                    };
                    let out = client.put_file(bucket, key, path, &UploadOptions { put, checkpoint }).await?;
                    if let Some((bar, _)) = bar {
                        bar.finish_and_clear();
                    }
                    (size, out.etag)
                }
                Location::Std => {
                    let counted = Arc::new(std::sync::atomic::AtomicU64::new(0));
                    let seen = counted.clone();
                    let put = PutOptions {
                        headers,
                        progress: Some(Arc::new(move |done, _| seen.store(done, std::sync::atomic::Ordering::Relaxed))),
                        expected_size: args.expected_size,
                        compute_md5: args.md5,
                    };
                    let out = client.put_stream(bucket, key, tokio::io::stdin(), &put).await?;
                    (counted.load(std::sync::atomic::Ordering::Relaxed), out.etag)
                }
                Location::Oss { .. } => unreachable!("handled above"),
            };
            session.print(
                json!({"source": args.src, "destination": args.dst, "bytes": bytes, "etag": etag}),
                &format!("uploaded {} -> {} ({bytes} bytes, encrypted)", args.src, args.dst),
            )
        }
        (Location::Oss { bucket, key }, _) => {
            if key.is_empty() || key.ends_with('/') {
                bail!("source {:?} needs an object key (use -r for everything under a prefix)", args.src);
            }
            let client = session.encryption_client(&args.keys, options)?;
            let range = args.range.as_deref().map(parse_range).transpose()?;
            let mut replaced = false;
            let bytes = match &destination {
                Location::Local(path) => {
                    let path = &into_directory(path, &args.dst, key)?;
                    replaced = path.is_file();
                    if args.no_clobber && std::fs::symlink_metadata(path).is_ok() {
                        return session.print(
                            json!({"source": args.src, "destination": args.dst, "skipped": "exists"}),
                            &format!(
                                "skipped {} -> {}: the destination exists (--no-clobber)",
                                args.src,
                                path.display()
                            ),
                        );
                    }
                    let bar = crate::progress::transfer_bar(session, &args.src, None);
                    let checkpoint = match &args.bulk.resume {
                        Some(dir) => Some(resumable(dir, ["download", bucket, key], path)?),
                        None => None,
                    };
                    let progress = bar.as_ref().map(|b| b.1.clone());
                    let options = DownloadOptions { range, checkpoint, progress, ..DownloadOptions::default() };
                    let written = client.get_file(bucket, key, path, &options).await?;
                    if let Some((bar, _)) = bar {
                        bar.finish_and_clear();
                    }
                    written
                }
                Location::Std => stream_to_stdout(&client, bucket, key, range).await?,
                Location::Oss { .. } => unreachable!("handled above"),
            };
            if matches!(destination, Location::Std) {
                return Ok(());
            }
            let note = if replaced { ", replacing the file that was there" } else { "" };
            session.print(
                json!({"source": args.src, "destination": args.dst, "bytes": bytes, "replaced": replaced}),
                &format!("downloaded {} -> {} ({bytes} bytes, decrypted{note})", args.src, args.dst),
            )
        }
        _ => bail!("one of source and destination must be an oss:// URL"),
    }
}

/// The checkpoint in `dir` of the transfer `what` of the local file `path`,
/// named after the file's resolved path, so that `./f`, `f` and `/abs/f`
/// share one checkpoint.
fn resumable(dir: &Path, [verb, bucket, key]: [&str; 3], path: &Path) -> anyhow::Result<PathBuf> {
    let resolved = oss_cse_client::resolve_path(path)?;
    Ok(crate::bulk::checkpoint_file(dir, &[verb, bucket, key, &resolved.display().to_string()]))
}

/// The user's headers of an upload: content type, metadata, SSE.
fn upload_headers(args: &CpArgs) -> anyhow::Result<Vec<(String, String)>> {
    let mut headers: Vec<(String, String)> = Vec::new();
    if let Some(content_type) = &args.content_type {
        headers.push(("content-type".into(), content_type.clone()));
    }
    for entry in &args.meta {
        let (k, v) = entry.split_once('=').with_context(|| format!("--meta {entry:?} is not KEY=VALUE"))?;
        headers.push((format!("x-oss-meta-{}", k.to_ascii_lowercase()), v.to_owned()));
    }
    if let Some(algorithm) = &args.sse {
        headers.extend(ServerSideEncryption::from_parts(algorithm, args.sse_key_id.as_deref(), None)?.headers());
    } else if args.sse_key_id.is_some() {
        bail!("--sse-key-id needs --sse KMS");
    }
    Ok(headers)
}

/// `cp -r`: a directory to a prefix, or a prefix to a directory.
async fn cp_tree(
    session: &Session,
    args: &CpArgs,
    options: EncryptionOptions,
    (source, destination): (&Location, &Location),
) -> anyhow::Result<()> {
    if args.range.is_some() || args.expected_size.is_some() || args.md5 {
        bail!("--range, --expected-size and --md5 are for single objects, not -r");
    }
    let job =
        Tree { keys: &args.keys, bulk: &args.bulk, mode: Mode::Copy { no_clobber: args.no_clobber }, delete: false };
    job.run(session, options, (source, destination), upload_headers(args)?, "cp -r").await
}

/// A tree job between a directory and a prefix, either way.
struct Tree<'a> {
    keys: &'a KeyArgs,
    bulk: &'a BulkArgs,
    mode: Mode,
    delete: bool,
}

impl Tree<'_> {
    async fn run(
        &self,
        session: &Session,
        options: EncryptionOptions,
        (source, destination): (&Location, &Location),
        headers: Vec<(String, String)>,
        command: &str,
    ) -> anyhow::Result<()> {
        let (bulk, mode, delete) = (self.bulk, self.mode, self.delete);
        match (source, destination) {
            (Location::Local(root), Location::Oss { bucket, key }) => {
                let client = session.encryption_client(self.keys, options)?;
                tree::upload(session, client, (root, bucket, key), bulk, mode, headers, delete).await
            }
            (Location::Oss { bucket, key }, Location::Local(root)) => {
                let client = session.encryption_client(self.keys, options)?;
                tree::download(session, client, (bucket, key, root), bulk, mode, delete).await
            }
            _ => bail!(
                "{command} goes from a directory to oss://bucket/prefix/ or from oss://bucket/prefix/ to a directory"
            ),
        }
    }
}

/// `sync`: like `cp -r`, moving only what changed.
pub(crate) async fn sync(session: &Session, args: &SyncArgs) -> anyhow::Result<()> {
    let options = EncryptionOptions {
        part_size: args.part_size,
        parallel: args.bulk.parallel.max(1),
        multipart_threshold: args.multipart_threshold,
        ..EncryptionOptions::default()
    };
    let (source, destination) = (parse_location(&args.src)?, parse_location(&args.dst)?);
    let mode = Mode::Sync { checksum: args.checksum };
    let job = Tree { keys: &args.keys, bulk: &args.bulk, mode, delete: args.delete };
    job.run(session, options, (&source, &destination), Vec::new(), "sync").await
}

/// A download destination that is a directory means the object's base name
/// inside it, as `cp` does; one ending with `/` is created if missing, as
/// `aws s3 cp` does.
fn into_directory(path: &Path, given: &str, key: &str) -> anyhow::Result<PathBuf> {
    if !(path.is_dir() || given.ends_with('/')) {
        return Ok(path.to_owned());
    }
    let name = match key.rsplit('/').next() {
        Some(name) if !name.is_empty() && name != "." && name != ".." && !name.contains('\0') => name,
        _ => bail!("object key {key:?} has no file name to use inside {given}"),
    };
    std::fs::create_dir_all(path).with_context(|| format!("creating {}", path.display()))?;
    Ok(path.join(name))
}

pub(crate) async fn stream_to_stdout(
    client: &EncryptionClient,
    bucket: &str,
    key: &str,
    range: Option<oss_cse_client::ByteRange>,
) -> anyhow::Result<u64> {
    let mut object = client.get_object(bucket, key, range).await?;
    if object.envelope.as_ref().is_some_and(|e| e.auth_tag.is_some()) {
        match range {
            Some(_) => eprintln!(
                "note: oss://{bucket}/{key}: a range is not authenticated; only whole downloads check the tag"
            ),
            None => eprintln!(
                "note: oss://{bucket}/{key}: stdout gets the bytes before the tag is checked at the end; \
                 exit status 7 means they were not authentic"
            ),
        }
    }
    let mut stdout = tokio::io::stdout();
    let mut written = 0u64;
    while let Some(chunk) = object.body.next().await {
        let chunk = chunk?;
        stdout.write_all(&chunk).await.map_err(crate::exit::on_stdout)?;
        written += chunk.len() as u64;
    }
    stdout.flush().await.map_err(crate::exit::on_stdout)?;
    Ok(written)
}
