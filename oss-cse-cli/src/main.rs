//! `oss-cse`: client-side encryption for Alibaba Cloud OSS from the command
//! line, shaped like `ossutil cp` and `aws s3 cp`.

mod bulk;
mod commands;
mod copy;
#[cfg(feature = "emulator")]
mod demo;
mod exit;
mod files;
mod keys;
mod listing;
mod remove;
mod rotate;
mod target;
mod tree;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::keys::KeyArgs;

/// Encrypt, upload, download and decrypt OSS objects with client-side
/// encryption compatible with the official SDKs.
#[derive(Parser, Debug)]
#[command(name = "oss-cse", version, about, long_about = None)]
pub(crate) struct Cli {
    /// OSS endpoint, e.g. https://oss-cn-hangzhou.aliyuncs.com.
    #[arg(long, global = true, env = "OSS_ENDPOINT", value_name = "URL")]
    endpoint: Option<String>,
    /// OSS region (enables V4 signing), e.g. cn-hangzhou; without --endpoint
    /// it names the region's public endpoint (VPC endpoint with --internal).
    #[arg(long, global = true, env = "OSS_REGION")]
    region: Option<String>,
    /// With --region and no --endpoint: the region's VPC endpoint
    /// (oss-<region>-internal.aliyuncs.com), for ECS instances.
    #[arg(long, global = true)]
    internal: bool,
    /// Address buckets in the path (https://endpoint/bucket/key) instead of
    /// the host name.
    #[arg(long, global = true)]
    path_style: bool,
    /// The endpoint is a CNAME bound to the bucket (https://cname/key).
    #[arg(long, global = true, conflicts_with = "path_style")]
    cname: bool,
    /// Proxy for OSS and KMS requests (http://host:port). Without it
    /// HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY are honoured;
    /// endpoints on this machine are always reached directly.
    #[arg(long, global = true, value_name = "URL")]
    proxy: Option<String>,
    /// Trust the CA certificates in this PEM file too (a private endpoint,
    /// a TLS-inspecting proxy).
    #[arg(long, global = true, value_name = "FILE")]
    ca_bundle: Option<PathBuf>,
    /// Print results as JSON.
    #[arg(long, global = true)]
    json: bool,
    /// More logging (-v info, -vv debug); logs never contain secrets.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    /// No progress bars.
    #[arg(long, global = true)]
    no_progress: bool,
    /// Return objects that are not client-side encrypted as they are,
    /// instead of refusing them.
    #[arg(long, global = true)]
    allow_plaintext: bool,
    /// Refuse a whole download that nothing can verify (no CRC-64 from the
    /// server, no MD5 in the envelope) instead of warning.
    #[arg(long, global = true)]
    require_verified: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Run the whole job against an embedded emulator: no account needed.
    #[cfg(feature = "emulator")]
    Demo,
    /// Copy a local file (or - for stdin) to oss://bucket/key encrypting it, or back decrypting it; with
    /// -r a whole directory to a prefix, or a prefix's objects into a directory.
    Cp(copy::CpArgs),
    /// Print an object's decrypted content.
    ///
    /// The content is streamed: bytes reach stdout before the whole object
    /// has been checked. A CRC-64 or MD5 mismatch found at the end makes the
    /// command fail (non-zero exit) after the bytes were written, so check
    /// the exit status before using the output, or use `cp` to a file, which
    /// appears only once verified. The format has no MAC: whoever can write
    /// to the bucket can change the bytes and recompute both checks (see
    /// SECURITY.md).
    Cat {
        /// oss://bucket/key
        url: String,
        /// Only these bytes: START-END, START- or -LENGTH. A range is never
        /// verified: the object's CRC-64 and MD5 cover only whole objects.
        #[arg(long)]
        range: Option<String>,
        #[command(flatten)]
        keys: KeyArgs,
    },
    /// Show an object's encryption: format, algorithms, matdesc, sizes, SSE (no secrets).
    Stat {
        /// oss://bucket/key
        url: String,
    },
    /// List buckets (oss://), or a prefix's directories and objects (-r: all
    /// objects under it), or its unfinished multipart uploads (--multipart).
    Ls(listing::LsArgs),
    /// Remove an object, every object under a prefix (-r), or unfinished
    /// multipart uploads (--multipart).
    Rm(remove::RmArgs),
    /// Make a destination match a source: a local directory and an OSS
    /// prefix, either way. Only what changed moves (size, and a modification
    /// time kept as user metadata on upload and set on download); --delete
    /// also removes what the source no longer has.
    Sync(copy::SyncArgs),
    /// Create a bucket.
    Mb {
        /// oss://bucket
        url: String,
    },
    /// Re-wrap an object's data key under a new master key, without re-encrypting it.
    ///
    /// OSS refuses to change an encrypted object's metadata in place, so the
    /// object is downloaded and uploaded again with its ciphertext unchanged
    /// (it costs the object's size in both directions; nothing is decrypted).
    /// The bytes are checked before OSS commits them, and every read is
    /// conditional on the ETag seen first; but OSS has no conditional PUT: a
    /// write by someone else between the last read and the commit is lost.
    /// The check after the commit reports it.
    ///
    /// With -r, every object under a prefix (or the --manifest keys, or one
    /// --shard of them): objects already under the new key are skipped, so a
    /// rerun is free; --resume DIR keeps a journal so a killed run goes on
    /// where it stopped. Each object costs its size down and up again.
    Rewrap(rotate::RewrapArgs),
    /// Encrypt a local file offline; the envelope goes to a JSON file of x-oss-meta-* headers.
    Encrypt {
        /// Input file, or -.
        input: String,
        /// Output file, or -.
        output: String,
        /// Where to write the envelope headers (JSON object).
        #[arg(long, value_name = "META.json")]
        meta_out: PathBuf,
        /// Write format V1 (oss2 2.5-2.10) instead of V2.
        #[arg(long)]
        v1: bool,
        #[command(flatten)]
        keys: KeyArgs,
    },
    /// Decrypt a ciphertext fetched by any tool, given its x-oss-meta-* headers as JSON.
    Decrypt {
        /// Input file, or -.
        input: String,
        /// Output file, or -.
        output: String,
        /// The envelope headers (JSON object of header name to value).
        #[arg(long, value_name = "META.json")]
        meta: PathBuf,
        #[command(flatten)]
        keys: KeyArgs,
    },
    /// Generate an RSA key pair (PEM; the private key file is mode 0600).
    Keygen {
        /// Directory for public.pem and private.pem.
        #[arg(long)]
        out: PathBuf,
        /// Key size: 2048, 3072 or 4096.
        #[arg(long, default_value_t = 2048, value_parser = parse_bits)]
        bits: usize,
    },
    /// Server-side encryption settings of a bucket, and encrypting existing objects in place.
    Sse {
        #[command(subcommand)]
        action: commands::SseAction,
    },
    /// Print a shell completion script: bash, zsh, fish, elvish or powershell
    /// (e.g. `oss-cse completions bash > /etc/bash_completion.d/oss-cse`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    #[command(hide = true)]
    Man,
    /// Run the local OSS + KMS emulator until interrupted.
    #[cfg(feature = "emulator")]
    Emulator {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:9000")]
        listen: std::net::SocketAddr,
        /// Data directory.
        #[arg(long)]
        data: PathBuf,
        /// Accepted credentials, AK:SK (repeatable; one pair is generated if
        /// none is given anywhere). Visible to other users in `ps`: prefer the
        /// environment variable or --credentials-file.
        #[arg(long = "credential", value_name = "AK:SK", env = "OSS_CSE_EMULATOR_CREDENTIALS", value_delimiter = ',')]
        credentials: Vec<String>,
        /// A file of accepted credentials, one AK:SK per line (# comments).
        #[arg(long, value_name = "FILE")]
        credentials_file: Option<PathBuf>,
        /// Also refuse what OSS's docs forbid but the Java and C++ SDKs rely on
        /// OSS accepting (UploadPart without the encryption headers), and what
        /// the docs leave open (a self-copy of an encrypted object that changes
        /// its server-side encryption or storage class).
        #[arg(long)]
        strict: bool,
    },
}

fn parse_bits(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(bits @ (2048 | 3072 | 4096)) => Ok(bits),
        _ => Err(format!("{text:?}: use 2048, 3072 or 4096")),
    }
}

/// Resolves at the first SIGINT or SIGTERM (Ctrl-C elsewhere).
pub(crate) async fn interrupted() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match (signal(SignalKind::interrupt()), signal(SignalKind::terminate())) {
            (Ok(mut int), Ok(mut term)) => {
                tokio::select! {
                    _ = int.recv() => {}
                    _ = term.recv() => {}
                }
            }
            // Without handlers the default action (terminate) stays.
            _ => std::future::pending().await,
        }
    }
    #[cfg(not(unix))]
    {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = match cli.verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("OSS_CSE_LOG").unwrap_or_else(|_| filter.into());
    // An unverified download is reported whatever the log settings.
    let filter = match format!("{}=warn", oss_cse_client::UNVERIFIED_TARGET).parse() {
        Ok(directive) => filter.add_directive(directive),
        Err(_) => filter,
    };
    // Colours only for a person at a terminal, and never under NO_COLOR.
    let colour = std::io::IsTerminal::is_terminal(&std::io::stderr()) && std::env::var_os("NO_COLOR").is_none();
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(colour)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    // On SIGINT or SIGTERM the command's future is dropped: its temporary
    // files are removed as their guards drop (those a --resume checkpoint
    // names are kept), then the process exits 130.
    // The emulator command stops cleanly on a signal by itself.
    if let Some(proxy) = &cli.proxy {
        let _ = keys::KMS_PROXY.set(proxy.clone());
    }
    #[cfg(feature = "emulator")]
    let serves = matches!(cli.command, Command::Emulator { .. });
    #[cfg(not(feature = "emulator"))]
    let serves = false;
    let json = cli.json;
    let outcome = runtime.block_on(async {
        if serves {
            return Some(commands::run(cli).await);
        }
        tokio::select! {
            result = commands::run(cli) => Some(result),
            () = interrupted() => None,
        }
    });
    // Blocking reads of stdin cannot be cancelled: do not wait for them.
    runtime.shutdown_background();
    match outcome {
        None => {
            if json {
                eprintln!(
                    "{}",
                    serde_json::json!({"error": {"message": "interrupted; temporary files removed", "exit_code": 130}})
                );
            } else {
                eprintln!("error: interrupted; temporary files removed");
            }
            ExitCode::from(130)
        }
        Some(Ok(())) => ExitCode::SUCCESS,
        Some(Err(error)) => exit::report(&error, json),
    }
}
