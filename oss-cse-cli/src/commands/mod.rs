//! The commands: each parses its arguments, builds clients, and prints one
//! result (or one JSON document with `--json`).

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, bail};
use oss_cse_client::core::ContentMaterial;
use oss_cse_client::envelope::{Envelope, Format};
use oss_cse_client::{
    ClientConfig, CredentialChain, Credentials, CredentialsProvider, EncryptionClient, EncryptionOptions, OssClient,
    PlaintextPolicy, Progress, ServerSideEncryption,
};
use serde_json::json;
use tokio::io::AsyncReadExt;

use crate::bulk::BulkArgs;
use crate::files::{self, Output};
use crate::keys::KeyArgs;
use crate::target::{parse_bucket, parse_object, parse_range};
use crate::{Cli, Command};

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

/// `64M`, `8MiB`, `1G`, `100K` or plain bytes.
pub(crate) fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number.parse().map_err(|_| format!("{text:?} is not a size"))?;
    let factor = match unit.trim().to_ascii_uppercase().trim_end_matches("IB").trim_end_matches('B') {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => return Err(format!("{text:?}: unknown unit {unit:?}")),
    };
    number.checked_mul(factor).ok_or_else(|| format!("{text:?} is too large"))
}

/// The process's credentials, resolved once so OSS and KMS share one
/// provider (and one refresh of temporary credentials).
pub(crate) fn credentials(cli: &Cli) -> anyhow::Result<CredentialsProvider> {
    static RESOLVED: std::sync::OnceLock<CredentialsProvider> = std::sync::OnceLock::new();
    if let Some(provider) = RESOLVED.get() {
        return Ok(provider.clone());
    }
    let mut chain = CredentialChain::new();
    if let Some(profile) = &cli.connection.profile {
        chain = chain.profile(profile);
    }
    if let Some(proxy) = &cli.connection.proxy {
        chain = chain.proxy(proxy);
    }
    let provider = chain.resolve()?;
    tracing::debug!(origin = provider.origin(), "credentials");
    Ok(RESOLVED.get_or_init(|| provider).clone())
}

pub(crate) fn oss_client(cli: &Cli) -> anyhow::Result<OssClient> {
    let mut config = match (&cli.connection.endpoint, &cli.connection.region) {
        (Some(endpoint), region) => {
            let config = ClientConfig::new(endpoint, credentials(cli)?)?;
            match region {
                Some(region) => config.region(region),
                None => config,
            }
        }
        (None, Some(region)) => ClientConfig::for_region(region, cli.connection.internal, credentials(cli)?)?,
        (None, None) => bail!("no endpoint: set --endpoint or OSS_ENDPOINT, or --region"),
    };
    if cli.connection.path_style {
        config = config.addressing(oss_cse_client::Addressing::PathStyle);
    } else if cli.connection.cname {
        config = config.addressing(oss_cse_client::Addressing::Cname);
    }
    if let Some(proxy) = &cli.connection.proxy {
        config = config.proxy(oss_cse_client::ProxySetting::Url(proxy.clone()));
    }
    if let Some(path) = &cli.connection.ca_bundle {
        config = config.ca_bundle(files::read_bounded(path, "CA bundle", files::MAX_SMALL_FILE)?.into_bytes());
    }
    Ok(OssClient::new(config.cleanup(cli.cleanup.clone()))?)
}

pub(crate) fn progress_bar(cli: &Cli, label: &str, total: Option<u64>) -> Option<(indicatif::ProgressBar, Progress)> {
    if cli.progress.no_progress || cli.json || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(total, indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(label.to_owned());
    let handle = bar.clone();
    let progress: Progress = Arc::new(move |done, total| {
        if let Some(total) = total {
            handle.set_length(total);
        }
        handle.set_position(done);
    });
    Some((bar, progress))
}

pub(crate) fn print(cli: &Cli, value: serde_json::Value, text: &str) -> anyhow::Result<()> {
    let mut out = crate::exit::stdout();
    if cli.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
    } else if !text.is_empty() {
        writeln!(out, "{}", crate::exit::shown(text))?;
    }
    Ok(())
}

pub(crate) async fn run(mut cli: Cli) -> anyhow::Result<()> {
    if let Some(bulk) = cli.command.bulk_mut() {
        bulk.resume = crate::bulk::private_resume_folder(bulk.resume.take())?;
    }
    match &cli.command {
        #[cfg(feature = "emulator")]
        Command::Demo { .. } => crate::demo::run(&cli).await,
        Command::Cp(args) => crate::copy::cp(&cli, args).await,
        Command::Cat { url, range, keys, .. } => cat(&cli, url, range.as_deref(), keys).await,
        Command::Stat { url, .. } => stat(&cli, url).await,
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut command, "oss-cse", &mut std::io::stdout());
            Ok(())
        }
        Command::Man => {
            let command = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(command).render(&mut std::io::stdout())?;
            Ok(())
        }
        Command::Ls(args) => crate::listing::ls(&cli, oss_client(&cli)?, args).await,
        Command::Rm(args) => crate::remove::rm(&cli, oss_client(&cli)?, args).await,
        Command::Sync(args) => crate::copy::sync(&cli, args).await,
        Command::Mb { url, .. } => {
            let (bucket, _) = parse_bucket(url)?;
            oss_client(&cli)?.put_bucket(&bucket).await?;
            print(&cli, json!({"bucket": bucket}), &format!("created {url}"))
        }
        Command::Rewrap(args) => crate::rotate::rewrap(&cli, args).await,
        Command::Encrypt { input, output, meta_out, v1, keys } => {
            encrypt(&cli, input, output, meta_out, *v1, keys).await
        }
        Command::Decrypt { input, output, meta, keys } => decrypt(&cli, input, output, meta, keys).await,
        Command::Keygen { out, bits } => keygen(&cli, out, *bits),
        Command::Config { .. } => crate::settings::show(&cli),
        Command::Sse { action, .. } => sse(&cli, action).await,
        #[cfg(feature = "emulator")]
        Command::Emulator { listen, data, region, credentials, credentials_file, strict, sts_lifetime } => {
            let mut credentials = credentials.clone();
            if let Some(file) = credentials_file {
                let text = files::read_bounded(file, "credentials file", files::MAX_SMALL_FILE)?;
                credentials.extend(
                    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_owned),
                );
            }
            let config = oss_cse_emulator::EmulatorConfig::new(data)
                .listen(*listen)
                .region(region.clone())
                .strict_upload_part(*strict)
                .strict_cse_copy(*strict);
            let config = match sts_lifetime {
                Some(seconds) => config.sts_lifetime(std::time::Duration::from_secs(*seconds)),
                None => config,
            };
            emulator(config, data, &credentials).await
        }
    }
}

pub(crate) fn encryption_client(
    cli: &Cli,
    keys: &KeyArgs,
    mut options: EncryptionOptions,
) -> anyhow::Result<EncryptionClient> {
    options.plaintext_policy =
        if cli.policy.allow_plaintext { PlaintextPolicy::PassThrough } else { PlaintextPolicy::Refuse };
    options.require_verified = cli.policy.require_verified;
    options.authentication = cli.policy.authentication()?;
    let oss = oss_client(cli)?;
    let keys = keys.keys(&credentials(cli)?)?;
    let options = keys.options(options);
    Ok(EncryptionClient::new(oss, keys.ring).with_options(options)?)
}

async fn cat(cli: &Cli, url: &str, range: Option<&str>, keys: &KeyArgs) -> anyhow::Result<()> {
    let (bucket, key) = parse_object(url)?;
    let client = encryption_client(cli, keys, EncryptionOptions::default())?;
    let range = range.map(parse_range).transpose()?;
    crate::copy::stream_to_stdout(&client, &bucket, &key, range).await.map(drop)
}

async fn stat(cli: &Cli, url: &str) -> anyhow::Result<()> {
    let (bucket, key) = parse_object(url)?;
    let meta = oss_client(cli)?.head_object(&bucket, &key).await?;
    let envelope = meta.envelope().with_context(|| format!("{url}: malformed envelope"))?;
    let encryption = envelope.as_ref().map(|e| {
        json!({
            "format": e.format.to_string(),
            "content_algorithm": "AES/CTR/NoPadding",
            "wrap_algorithm": e.wrapped.algorithm.to_string(),
            "matdesc": e.material_description.as_ref().map(|m| m.to_json()),
            "wrapped_key_bytes": e.wrapped.wrapped_key.len(),
            "unencrypted_content_length": e.unencrypted_content_length,
            "unencrypted_content_md5": e.unencrypted_content_md5,
            "data_size": e.data_size,
            "part_size": e.part_size,
        })
    });
    let value = json!({
        "url": url,
        "size": meta.content_length,
        "etag": meta.etag,
        "crc64": meta.crc64.map(|c| c.to_string()),
        "last_modified": meta.last_modified,
        "server_side_encryption": meta.server_side_encryption.as_ref().map(ToString::to_string),
        "client_side_encryption": encryption,
    });
    let mut text = format!("{url}\n  size: {} bytes\n  etag: {}\n", meta.content_length, meta.etag.unwrap_or_default());
    match &envelope {
        Some(e) => {
            text.push_str(&format!(
                "  client-side encryption: format {}, AES/CTR/NoPadding, key wrapped with {}\n",
                e.format, e.wrapped.algorithm
            ));
            text.push_str(&format!(
                "  matdesc: {}\n",
                oss_cse_client::envelope::MaterialDescription::describe(e.material_description.as_ref())
            ));
            if let Some(len) = e.unencrypted_content_length {
                text.push_str(&format!("  plaintext length: {len}\n"));
            }
            if let (Some(data), Some(part)) = (e.data_size, e.part_size) {
                text.push_str(&format!("  multipart: {data} bytes in parts of {part}\n"));
            }
        }
        None => text.push_str("  client-side encryption: none\n"),
    }
    text.push_str(&format!(
        "  server-side encryption: {}",
        meta.server_side_encryption.map_or("none".into(), |s| s.to_string())
    ));
    print(cli, value, &text)
}

async fn open_input(input: &str) -> anyhow::Result<(Box<dyn tokio::io::AsyncRead + Unpin + Send>, Option<u64>)> {
    if input == "-" {
        return Ok((Box::new(tokio::io::stdin()), None));
    }
    let file = tokio::fs::File::open(input).await.with_context(|| format!("opening {input}"))?;
    let len = file.metadata().await?.len();
    Ok((Box::new(file), Some(len)))
}

/// Runs `input` through `cipher` into `output` in 1 MiB chunks.
async fn transform(
    input: &mut (dyn tokio::io::AsyncRead + Unpin + Send),
    output: &mut Output,
    cipher: &mut oss_cse_client::core::Aes256Ctr,
    mut ciphertext_hasher: Option<&mut oss_cse_client::core::auth::ChunkHasher>,
) -> anyhow::Result<u64> {
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = input.read(&mut buf).await?;
        if n == 0 {
            return Ok(total);
        }
        if let Some(hasher) = ciphertext_hasher.as_deref_mut() {
            hasher.update(&buf[..n]);
        }
        cipher.apply_keystream(&mut buf[..n]);
        output.write(&buf[..n]).await?;
        total += n as u64;
    }
}

/// Refuses an envelope file that is also the input or the output: writing
/// it would destroy the data it describes.
fn refuse_shared_meta(input: &str, output: &str, meta: &Path, flag: &str) -> anyhow::Result<()> {
    for (name, role) in [(input, "input"), (output, "output")] {
        if name != "-" && files::same_file(Path::new(name), meta) {
            bail!("{flag} {} is the {role} file: give the envelope a file of its own", meta.display());
        }
    }
    Ok(())
}

async fn encrypt(
    cli: &Cli,
    input: &str,
    output: &str,
    meta_out: &Path,
    v1: bool,
    keys: &KeyArgs,
) -> anyhow::Result<()> {
    refuse_shared_meta(input, output, meta_out, "--meta-out")?;
    let keys = keys.keys(&credentials(cli)?)?;
    let key =
        keys.ring.encrypting_key().context("encrypt needs a key to encrypt with: --rsa-public-key or --kms-key-id")?;
    let format = if v1 { Format::V1 } else { Format::V2 };
    let fresh = ContentMaterial::generate(&mut rand_rng());
    let (material, wrapped) = key.new_material(fresh, format).await?;
    let (mut reader, len) = open_input(input).await?;
    let mut envelope = Envelope::new(format, wrapped);
    envelope.material_description =
        key.material_description().map(|md| md.clone().in_style(keys.compat.matdesc_style()));
    envelope.unencrypted_content_length = len;
    // The ciphertext goes to a temporary file (in-place encryption reads the
    // whole input before anything replaces it); the envelope is made durable
    // before the ciphertext is renamed into place, so no failure leaves a
    // ciphertext without its key.
    let mut out = Output::create(output)?;
    let written = transform(reader.as_mut(), &mut out, &mut material.cipher(), None).await?;
    out.sync().await?;
    let headers: serde_json::Map<String, serde_json::Value> =
        envelope.to_headers()?.into_iter().map(|(k, v)| (k.to_owned(), serde_json::Value::String(v))).collect();
    files::write_atomically(meta_out, serde_json::to_string_pretty(&headers)?.as_bytes())?;
    if let Err(error) = out.persist() {
        let _ = std::fs::remove_file(meta_out);
        return Err(error);
    }
    if output != "-" {
        print(
            cli,
            json!({"bytes": written, "meta": meta_out}),
            &format!("encrypted {written} bytes; envelope in {}", meta_out.display()),
        )?;
    }
    Ok(())
}

async fn decrypt(cli: &Cli, input: &str, output: &str, meta: &Path, keys: &KeyArgs) -> anyhow::Result<()> {
    refuse_shared_meta(input, output, meta, "--meta")?;
    let text = files::read_bounded(meta, "envelope file", files::MAX_SMALL_FILE)?;
    let headers: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).with_context(|| format!("{} is not a JSON object of headers", meta.display()))?;
    let pairs: Vec<(String, String)> = headers
        .into_iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(v) => Ok((k, v)),
            _ => bail!("{}: header {k} is not a string", meta.display()),
        })
        .collect::<anyhow::Result<_>>()?;
    let envelope = Envelope::from_headers(pairs.iter().map(|(k, v)| (k.as_str(), v.as_bytes())))?
        .with_context(|| format!("{} holds no client-side encryption headers", meta.display()))?;
    let keys = keys.keys(&credentials_or_dummy(cli))?;
    // The key ring's [authentication] applies here as to a whole GET (the
    // object's name is not known offline: a name-bound signature fails).
    oss_cse_client::check_authentication_headers(&keys.authentication, input, ("", ""), Some(&envelope))?;
    let material = keys.ring.open(&envelope, keys.matching).await?;
    let (mut reader, len) = open_input(input).await?;
    if let (Some(len), Some(expected)) = (len, envelope.unencrypted_content_length) {
        if len != expected {
            bail!("{input} is {len} bytes but the envelope records {expected}");
        }
    }
    let mut out = Output::create(output)?;
    let mut hasher = envelope.auth_tag.as_ref().map(|_| oss_cse_client::core::auth::ChunkHasher::new(0));
    let written = transform(reader.as_mut(), &mut out, &mut material.cipher(), hasher.as_mut()).await?;
    if let Some(hasher) = hasher {
        // Checked before the output file appears (standard output has had the bytes).
        oss_cse_client::check_content_tag(input, &material, &envelope, written, hasher)?;
    }
    out.sync().await?;
    out.persist()?;
    if output != "-" {
        print(cli, json!({"bytes": written}), &format!("decrypted {written} bytes"))?;
    }
    Ok(())
}

/// Offline commands need credentials only for KMS keys.
fn credentials_or_dummy(cli: &Cli) -> CredentialsProvider {
    credentials(cli).unwrap_or_else(|_| Credentials::new("", "").into())
}

fn rand_rng() -> impl oss_cse_client::core::rand_core::CryptoRng {
    oss_cse_client::core::rand_core::UnwrapErr(oss_cse_client::SysRng)
}

fn keygen(cli: &Cli, out: &Path, bits: usize) -> anyhow::Result<()> {
    let (_, public_pem, private_pem) = oss_cse_client::envelope::RsaMasterKey::generate(bits)?;
    files::create_private_dir(out)?;
    let private = out.join("private.pem");
    let public = out.join("public.pem");
    files::write_private(&private, private_pem.as_bytes())?;
    if let Err(error) = files::write_atomically(&public, public_pem.as_bytes()) {
        // Half a key pair is no use: take the private half back.
        let _ = std::fs::remove_file(&private);
        return Err(error);
    }
    print(
        cli,
        json!({"public_key": public, "private_key": private, "bits": bits}),
        &format!("wrote {} and {} (RSA-{bits})", public.display(), private.display()),
    )
}

async fn sse(cli: &Cli, action: &SseAction) -> anyhow::Result<()> {
    let client = oss_client(cli)?;
    match action {
        SseAction::Get { url } => {
            let (bucket, _) = parse_bucket(url)?;
            let rule = client.get_bucket_encryption(&bucket).await?;
            let text = rule.as_ref().map_or("none".to_owned(), ToString::to_string);
            print(
                cli,
                json!({"bucket": bucket, "server_side_encryption": rule.map(|r| r.to_string())}),
                &format!("{url}: {text}"),
            )
        }
        SseAction::Put { url, setting } => {
            let (bucket, _) = parse_bucket(url)?;
            let sse = setting.parse()?;
            client.put_bucket_encryption(&bucket, &sse).await?;
            print(
                cli,
                json!({"bucket": bucket, "server_side_encryption": sse.to_string()}),
                &format!("{url}: default encryption {sse}"),
            )
        }
        SseAction::Delete { url } => {
            let (bucket, _) = parse_bucket(url)?;
            client.delete_bucket_encryption(&bucket).await?;
            print(
                cli,
                json!({"bucket": bucket, "server_side_encryption": null}),
                &format!("{url}: default encryption removed"),
            )
        }
        SseAction::EncryptExisting { url, setting, bulk } => {
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
            let summary =
                oss_cse_client::bulk::run_job(items, &options, work, crate::bulk::reporter(cli, verb)).await?;
            crate::bulk::finish(cli, &summary, dry_run)
        }
    }
}

#[cfg(feature = "emulator")]
async fn emulator(config: oss_cse_emulator::EmulatorConfig, data: &Path, credentials: &[String]) -> anyhow::Result<()> {
    let pairs = credentials
        .iter()
        .map(|c| {
            c.split_once(':')
                .map(|(a, s)| (a.to_owned(), s.to_owned()))
                .with_context(|| "a credential is not AK:SK (the value is not shown)")
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let listen = config.listen_address();
    let emulator = oss_cse_emulator::Emulator::start(config.credentials(pairs))
        .await
        .with_context(|| format!("starting the emulator on {listen}"))?;
    println!("OSS and KMS emulator on {}", emulator.endpoint());
    println!(
        "export OSS_ENDPOINT={} OSS_ACCESS_KEY_ID={} OSS_ACCESS_KEY_SECRET={}",
        emulator.endpoint(),
        emulator.access_key_id(),
        emulator.access_key_secret()
    );
    println!("(KMS: --kms-endpoint {}; stop with Ctrl-C)", emulator.kms_endpoint());
    // For trying the STS and ECS credential sources locally.
    let token_file = data.join("oidc-token");
    std::fs::write(&token_file, emulator.oidc_token()).with_context(|| format!("writing {}", token_file.display()))?;
    println!(
        "(STS: ALIBABA_CLOUD_STS_ENDPOINT={} with ALIBABA_CLOUD_OIDC_TOKEN_FILE={}; \
         ECS metadata: ALIBABA_CLOUD_ECS_METADATA_SERVICE_ENDPOINT={})",
        emulator.sts_endpoint(),
        token_file.display(),
        emulator.metadata_endpoint()
    );
    crate::interrupted().await;
    emulator.shutdown().await;
    Ok(())
}
