//! `oss-cse`: client-side encryption for Alibaba Cloud OSS from the command
//! line, shaped like `ossutil cp` and `aws s3 cp`.

// The doc comments of the option structs are `--help` text, written for a
// terminal (bare URLs, <placeholders>), not rustdoc markup.
#![allow(rustdoc::bare_urls, rustdoc::invalid_html_tags, rustdoc::broken_intra_doc_links)]

mod bulk;
mod commands;
mod exit;
mod files;
mod keys;
mod opts;
mod progress;
mod session;
mod target;
mod tree;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::keys::KeyArgs;

/// Encrypt, upload, download and decrypt OSS objects with client-side
/// encryption compatible with the official SDKs.
#[derive(Parser, Debug)]
#[command(
    name = "oss-cse",
    version,
    about,
    long_about = None,
    after_help = "Credentials come from the first of: OSS_ACCESS_KEY_ID/OSS_ACCESS_KEY_SECRET (or ALIBABA_CLOUD_ACCESS_KEY_ID/\
ALIBABA_CLOUD_ACCESS_KEY_SECRET, with OSS_SESSION_TOKEN / ALIBABA_CLOUD_SECURITY_TOKEN); OIDC/RRSA (ALIBABA_CLOUD_ROLE_ARN, \
ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE); a profile (--profile, ALIBABA_CLOUD_PROFILE) of \
~/.aliyun/config.json, ~/.alibabacloud/credentials or ~/.ossutilconfig; the ECS instance's RAM role. Temporary \
credentials are refreshed before they expire. The endpoint comes from --endpoint, OSS_ENDPOINT or --region \
(or the profile's endpoint or region); connection flags may come before the command too. \
`oss-cse config` shows which are used. Exit statuses are listed in the README.\n\nTry it without an account: oss-cse demo"
)]
pub(crate) struct Cli {
    /// Print results as JSON (and errors as JSON on stderr).
    #[arg(long, global = true)]
    json: bool,
    /// More logging (-v one line per request, -vv debug); logs never contain secrets.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(flatten)]
    leading: opts::LeadingConnectionArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Run the whole job against an embedded emulator: no account needed.
    #[cfg(feature = "emulator")]
    Demo {
        #[command(flatten)]
        progress: opts::ProgressArgs,
    },
    /// Copy a local file (or - for stdin) to oss://bucket/key encrypting it, or back decrypting it; with
    /// -r a whole directory to a prefix, or a prefix's objects into a directory.
    #[command(after_help = "Examples:\n  \
oss-cse cp scan.pdf oss://b/2026/scan.pdf --rsa-public-key keys/public.pem\n  \
oss-cse cp oss://b/2026/scan.pdf ./downloads/ --rsa-private-key keys/private.pem\n  \
oss-cse cp -r ./records oss://b/2026/ --jobs 16 --rsa-public-key keys/public.pem")]
    Cp(commands::cp::CpArgs),
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
        #[command(flatten)]
        connection: opts::ConnectionArgs,
        #[command(flatten)]
        policy: opts::DownloadPolicyArgs,
    },
    /// Show an object's encryption: format, algorithms, matdesc, sizes, SSE (no secrets).
    Stat {
        /// oss://bucket/key
        url: String,
        #[command(flatten)]
        connection: opts::ConnectionArgs,
    },
    /// List buckets (oss://), or a prefix's directories and objects (-r: all
    /// objects under it), or its unfinished multipart uploads (--multipart).
    #[command(after_help = "Examples:\n  oss-cse ls oss://\n  oss-cse ls -l -h oss://records/2026/\n  \
oss-cse ls --multipart oss://records/")]
    Ls(commands::ls::LsArgs),
    /// Remove an object, every object under a prefix (-r), or unfinished
    /// multipart uploads (--multipart).
    #[command(after_help = "Examples:\n  oss-cse rm oss://records/tmp/a.bin\n  \
oss-cse rm -r --dry-run oss://records/tmp/\n  oss-cse rm --multipart --older-than 7d oss://records/")]
    Rm(commands::rm::RmArgs),
    /// Make a destination match a source: a local directory and an OSS
    /// prefix, either way. Only what changed moves (size, and a modification
    /// time kept as user metadata on upload and set on download); --delete
    /// also removes what the source no longer has.
    #[command(after_help = "Examples:\n  \
oss-cse sync ./records oss://b/2026/ --delete --rsa-public-key keys/public.pem\n  \
oss-cse sync oss://b/2026/ ./mirror --rsa-private-key keys/private.pem")]
    Sync(commands::cp::SyncArgs),
    /// Create a bucket.
    Mb {
        /// oss://bucket
        url: String,
        #[command(flatten)]
        connection: opts::ConnectionArgs,
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
    #[command(after_help = "Examples (OLD and NEW are key pair directories):\n  \
oss-cse rewrap oss://b/a.pdf --from-private-key OLD/private.pem \\\n      \
--rsa-public-key NEW/public.pem --dry-run\n  \
oss-cse rewrap -r oss://b/ --from-private-key OLD/private.pem \\\n      \
--rsa-public-key NEW/public.pem --rsa-private-key NEW/private.pem \\\n      \
--resume ~/.oss-cse/jobs --shard /16")]
    Rewrap(commands::rewrap::RewrapArgs),
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
        action: commands::sse::SseAction,
        #[command(flatten)]
        connection: opts::ConnectionArgs,
    },
    /// Show the settings a command would use and where each comes from:
    /// endpoint, region, signing, proxy, and which credential source is
    /// used (never a secret).
    #[command(after_help = "Examples:\n  oss-cse config\n  oss-cse config --profile ops --region cn-hangzhou --json")]
    Config {
        #[command(flatten)]
        connection: opts::ConnectionArgs,
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
    /// Serve an OSS-compatible endpoint that encrypts on the way in and
    /// decrypts on the way out, until interrupted.
    #[command(after_help = "Example:\n  \
oss-cse gateway --client-credentials clients.txt --rsa-public-key public.pem \\\n      \
--rsa-private-key private.pem --region cn-hangzhou\n  \
(then point a plain OSS client at http://127.0.0.1:9100 with a pair of clients.txt)")]
    Gateway(commands::gateway::GatewayArgs),
    /// Run the local OSS + KMS emulator until interrupted.
    #[cfg(feature = "emulator")]
    Emulator {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:9000")]
        listen: std::net::SocketAddr,
        /// Data directory.
        #[arg(long)]
        data: PathBuf,
        /// The region the emulator stands for (V4 requests must name it).
        #[arg(long, env = "OSS_REGION")]
        region: Option<String>,
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
        /// Issue STS and ECS-role credentials that expire after this many
        /// seconds (real STS: at least 900), to watch a client refresh them.
        #[arg(long, value_name = "SECONDS")]
        sts_lifetime: Option<u64>,
        /// The largest object CopyObject copies (OSS: 1 GB); lower it to try
        /// what a client does with a larger one.
        #[arg(long, value_name = "SIZE", value_parser = opts::parse_size)]
        copy_limit: Option<u64>,
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

impl Command {
    /// The command's bulk options, for those that have them.
    pub(crate) fn bulk_mut(&mut self) -> Option<&mut bulk::BulkArgs> {
        match self {
            Command::Cp(args) => Some(&mut args.bulk),
            Command::Sync(args) => Some(&mut args.bulk),
            Command::Rm(args) => Some(&mut args.bulk),
            Command::Rewrap(args) => Some(&mut args.bulk),
            Command::Sse { action: commands::sse::SseAction::EncryptExisting { bulk, .. }, .. } => Some(bulk),
            _ => None,
        }
    }
}

impl Command {
    /// The session this command runs in: its own option groups (the
    /// defaults for those it does not take), built once, passed down.
    /// `leading` are the connection flags given before the command, and
    /// `matches` the command's own (which win where they were given).
    ///
    /// # Errors
    /// Connection flags before a command that does not reach OSS.
    fn session(
        &self,
        json: bool,
        leading: &opts::LeadingConnectionArgs,
        matches: Option<&clap::ArgMatches>,
    ) -> anyhow::Result<session::Session> {
        let (connection, policy, progress) = match self {
            Command::Cp(args) => (Some(&args.connection), Some(&args.policy), Some(&args.progress)),
            Command::Sync(args) => (Some(&args.connection), Some(&args.policy), Some(&args.progress)),
            Command::Cat { connection, policy, .. } => (Some(connection), Some(policy), None),
            Command::Sse { connection, action: commands::sse::SseAction::EncryptExisting { progress, .. } } => {
                (Some(connection), None, Some(progress))
            }
            Command::Stat { connection, .. }
            | Command::Mb { connection, .. }
            | Command::Sse { connection, .. }
            | Command::Config { connection } => (Some(connection), None, None),
            Command::Ls(args) => (Some(&args.connection), None, None),
            Command::Rm(args) => (Some(&args.connection), None, Some(&args.progress)),
            Command::Rewrap(args) => (Some(&args.connection), None, Some(&args.progress)),
            Command::Gateway(args) => (Some(&args.connection), Some(&args.policy), None),
            #[cfg(feature = "emulator")]
            Command::Demo { progress } => (None, None, Some(progress)),
            _ => (None, None, None),
        };
        let connection = match connection {
            Some(connection) => Some(connection.clone().with_leading(leading, |id| given_after(matches, id))),
            None if leading.any() => {
                anyhow::bail!(
                    "connection flags (--endpoint, --region, --profile, ...) apply to commands that reach OSS"
                )
            }
            None => None,
        };
        Ok(session::Session::new(json, connection, policy.cloned(), progress.cloned()))
    }
}

/// Whether the argument `id` was given on the command line after the
/// command (`matches`), or after one of its own subcommands.
fn given_after(matches: Option<&clap::ArgMatches>, id: &str) -> bool {
    let mut level = matches;
    while let Some(matches) = level {
        let given = matches.try_get_raw(id).ok().flatten().is_some()
            && matches.value_source(id) == Some(clap::parser::ValueSource::CommandLine);
        if given {
            return true;
        }
        level = matches.subcommand().map(|(_, sub)| sub);
    }
    false
}

fn main() -> ExitCode {
    let matches = <Cli as clap::CommandFactory>::command().get_matches();
    let mut cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
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
    let json = cli.json;
    let session = match cli.command.session(json, &cli.leading, matches.subcommand().map(|(_, sub)| sub)) {
        Ok(session) => session,
        Err(error) => return exit::report(&error, json),
    };
    // A --resume folder others could write into is ignored (with a warning);
    // one that is missing is made owner-only.
    let resume = match cli.command.bulk_mut() {
        Some(bulk) => match bulk::private_resume_folder(bulk.resume.take()) {
            Ok(folder) => {
                bulk.resume = folder.clone();
                folder
            }
            Err(error) => return exit::report(&error, json),
        },
        None => None,
    };
    // On SIGINT or SIGTERM the command's future is dropped: its temporary
    // files are removed as their guards drop (those a --resume checkpoint
    // names are kept), then the process exits 130.
    // The emulator command stops cleanly on a signal by itself.
    #[cfg(feature = "emulator")]
    let serves = matches!(cli.command, Command::Emulator { .. } | Command::Gateway(_));
    #[cfg(not(feature = "emulator"))]
    let serves = matches!(cli.command, Command::Gateway(_));
    let outcome = runtime.block_on(async {
        if serves {
            return Some(commands::run(&session, &cli.command).await);
        }
        tokio::select! {
            result = commands::run(&session, &cli.command) => Some(result),
            () = interrupted() => None,
        }
    });
    // Uploads of cancelled transfers are aborted in the background: give
    // that a few seconds. Blocking reads of stdin cannot be cancelled: do
    // not wait for them.
    let cleaned = runtime.block_on(session.cleanup.finish(std::time::Duration::from_secs(5)));
    runtime.shutdown_background();
    match outcome {
        None => {
            let message = match (&resume, cleaned) {
                (Some(folder), _) => format!(
                    "interrupted; the checkpoints in {} keep the transfers in progress (their partial files and \
                     multipart uploads too): run the same command again to resume",
                    folder.display()
                ),
                (None, true) => "interrupted; temporary files removed and unfinished uploads aborted".to_owned(),
                (None, false) => "interrupted; temporary files removed; aborting unfinished uploads did not finish \
                                  in time (see oss-cse ls --multipart)"
                    .to_owned(),
            };
            if json {
                eprintln!("{}", serde_json::json!({"error": {"message": message, "exit_code": 130}}));
            } else {
                eprintln!("error: {message}");
            }
            ExitCode::from(130)
        }
        Some(Ok(())) => ExitCode::SUCCESS,
        Some(Err(error)) => exit::report(&error, json),
    }
}
