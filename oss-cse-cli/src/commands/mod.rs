//! The commands, one file each, and the dispatcher that runs one with the
//! session `main` built.

use serde_json::json;

use crate::session::Session;
use crate::{Cli, Command};

mod cat;
pub(crate) mod config;
pub(crate) mod cp;
mod decrypt;
#[cfg(feature = "emulator")]
mod demo;
#[cfg(feature = "emulator")]
mod emulator;
mod encrypt;
pub(crate) mod gateway;
mod keygen;
pub(crate) mod ls;
pub(crate) mod rewrap;
pub(crate) mod rm;
pub(crate) mod sse;
mod stat;

/// Runs `command` in `session`.
pub(crate) async fn run(session: &Session, command: &Command) -> anyhow::Result<()> {
    match command {
        #[cfg(feature = "emulator")]
        Command::Demo { .. } => demo::run(session).await,
        Command::Cp(args) => cp::cp(session, args).await,
        Command::Cat { url, range, keys, .. } => cat::cat(session, url, range.as_deref(), keys).await,
        Command::Stat { url, .. } => stat::stat(session, url).await,
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
        Command::Ls(args) => ls::ls(session, session.oss_client()?, args).await,
        Command::Rm(args) => rm::rm(session, session.oss_client()?, args).await,
        Command::Sync(args) => cp::sync(session, args).await,
        Command::Mb { url, .. } => {
            let (bucket, _) = crate::target::parse_bucket(url)?;
            session.oss_client()?.put_bucket(&bucket).await?;
            session.print(json!({"bucket": bucket}), &format!("created {url}"))
        }
        Command::Rewrap(args) => rewrap::rewrap(session, args).await,
        Command::Gateway(args) => gateway::gateway(session, args).await,
        Command::Encrypt { input, output, meta_out, v1, keys } => {
            encrypt::encrypt(session, input, output, meta_out, *v1, keys).await
        }
        Command::Decrypt { input, output, meta, keys } => decrypt::decrypt(session, input, output, meta, keys).await,
        Command::Keygen { out, bits } => keygen::keygen(session, out, *bits),
        Command::Config { .. } => config::show(session),
        Command::Sse { action, .. } => sse::sse(session, action).await,
        #[cfg(feature = "emulator")]
        Command::Emulator { listen, data, region, credentials, credentials_file, strict, sts_lifetime, copy_limit } => {
            let mut credentials = credentials.clone();
            if let Some(file) = credentials_file {
                let text = crate::files::read_bounded(file, "credentials file", crate::files::MAX_SMALL_FILE)?;
                credentials.extend(
                    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_owned),
                );
            }
            let config = oss_cse_emulator::EmulatorConfig::new(data)
                .listen(*listen)
                .region(region.clone())
                .strict_upload_part(*strict)
                .strict_cse_copy(*strict)
                .copy_limit(copy_limit.unwrap_or(oss_cse_emulator::COPY_LIMIT));
            let config = match sts_lifetime {
                Some(seconds) => config.sts_lifetime(std::time::Duration::from_secs(*seconds)),
                None => config,
            };
            emulator::emulator(config, data, &credentials).await
        }
    }
}
