//! What every command runs with, built once in `main` from the parsed flags
//! and passed down: the connection settings (OSS, and KMS through the same
//! proxy), the credentials (resolved once, so OSS and KMS share one provider
//! and one refresh of temporary credentials), the download policy, the output
//! mode, the progress display and the background clean-up. Nothing here is
//! process-wide: two sessions never share a setting.

use std::io::{IsTerminal, Write};
use std::sync::{Arc, OnceLock};

use oss_cse_client::{
    Cleanup, ClientConfig, CredentialChain, Credentials, CredentialsProvider, EncryptionClient, EncryptionOptions,
    OssClient, PlaintextPolicy, Progress,
};

use crate::files;
use crate::keys::{KeyArgs, Keys};
use crate::opts::{ConnectionArgs, DownloadPolicyArgs, ProgressArgs};

/// One run of the command line.
#[derive(Debug, Default)]
pub(crate) struct Session {
    /// Results as JSON on stdout, errors as JSON on stderr.
    pub json: bool,
    /// Where OSS is and how to reach it.
    pub connection: ConnectionArgs,
    /// What downloads accept, and how uploads are authenticated.
    pub policy: DownloadPolicyArgs,
    /// Progress display.
    pub progress: ProgressArgs,
    /// Aborts of cancelled transfers' uploads, waited for before exit.
    pub cleanup: Cleanup,
    /// The credentials, resolved on first use.
    credentials: OnceLock<CredentialsProvider>,
}

impl Session {
    /// A session for a command with these option groups (`None`: a command
    /// that has no such group takes the defaults).
    pub(crate) fn new(
        json: bool,
        connection: Option<ConnectionArgs>,
        policy: Option<DownloadPolicyArgs>,
        progress: Option<ProgressArgs>,
    ) -> Self {
        Self {
            json,
            connection: connection.unwrap_or_default(),
            policy: policy.unwrap_or_default(),
            progress: progress.unwrap_or_default(),
            ..Self::default()
        }
    }

    /// The credentials OSS and KMS requests are signed with, resolved once
    /// per session (`--profile`, `--proxy` for STS, the default chain).
    pub(crate) fn credentials(&self) -> anyhow::Result<CredentialsProvider> {
        if let Some(provider) = self.credentials.get() {
            return Ok(provider.clone());
        }
        let mut chain = CredentialChain::new();
        if let Some(profile) = &self.connection.profile {
            chain = chain.profile(profile);
        }
        if let Some(proxy) = &self.connection.proxy {
            chain = chain.proxy(proxy);
        }
        let provider = chain.resolve()?;
        tracing::debug!(origin = provider.origin(), "credentials");
        Ok(self.credentials.get_or_init(|| provider).clone())
    }

    /// Offline commands need credentials only for KMS keys: none found is
    /// not an error until KMS is asked.
    pub(crate) fn credentials_or_none(&self) -> CredentialsProvider {
        self.credentials().unwrap_or_else(|_| Credentials::new("", "").into())
    }

    /// The OSS client of the session's connection settings.
    pub(crate) fn oss_client(&self) -> anyhow::Result<OssClient> {
        let connection = &self.connection;
        let mut config = match (&connection.endpoint, &connection.region) {
            (Some(endpoint), region) => {
                let config = ClientConfig::new(endpoint, self.credentials()?)?;
                match region {
                    Some(region) => config.region(region),
                    None => config,
                }
            }
            (None, Some(region)) => ClientConfig::for_region(region, connection.internal, self.credentials()?)?,
            (None, None) => anyhow::bail!("no endpoint: set --endpoint or OSS_ENDPOINT, or --region"),
        };
        if connection.path_style {
            config = config.addressing(oss_cse_client::Addressing::PathStyle);
        } else if connection.cname {
            config = config.addressing(oss_cse_client::Addressing::Cname);
        }
        if let Some(proxy) = &connection.proxy {
            config = config.proxy(oss_cse_client::ProxySetting::Url(proxy.clone()));
        }
        if let Some(path) = &connection.ca_bundle {
            config = config.ca_bundle(files::read_bounded(path, "CA bundle", files::MAX_SMALL_FILE)?.into_bytes());
        }
        Ok(OssClient::new(config.cleanup(self.cleanup.clone()))?)
    }

    /// The master keys `keys` describe, KMS reached as OSS is (credentials, proxy).
    pub(crate) fn keys(&self, keys: &KeyArgs, credentials: &CredentialsProvider) -> anyhow::Result<Keys> {
        keys.keys(credentials, self.connection.proxy.as_deref())
    }

    /// The encryption client of `keys` over the session's OSS client, with
    /// the download policy and authentication flags applied to `options`.
    pub(crate) fn encryption_client(
        &self,
        keys: &KeyArgs,
        mut options: EncryptionOptions,
    ) -> anyhow::Result<EncryptionClient> {
        options.plaintext_policy =
            if self.policy.allow_plaintext { PlaintextPolicy::PassThrough } else { PlaintextPolicy::Refuse };
        options.require_verified = self.policy.require_verified;
        options.authentication = self.policy.authentication()?;
        let oss = self.oss_client()?;
        let keys = self.keys(keys, &self.credentials()?)?;
        let options = keys.options(options);
        Ok(EncryptionClient::new(oss, keys.ring).with_options(options)?)
    }

    /// Prints a command's result: `value` with `--json`, else `text`
    /// (escaped for a terminal).
    pub(crate) fn print(&self, value: serde_json::Value, text: &str) -> anyhow::Result<()> {
        let mut out = crate::exit::stdout();
        if self.json {
            writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        } else if !text.is_empty() {
            writeln!(out, "{}", crate::exit::shown(text))?;
        }
        Ok(())
    }

    /// A progress bar on stderr labelled `label`, and the callback that
    /// drives it; `None` without a terminal, with `--json` or `--no-progress`.
    pub(crate) fn progress_bar(&self, label: &str, total: Option<u64>) -> Option<(indicatif::ProgressBar, Progress)> {
        if self.progress.no_progress || self.json || !std::io::stderr().is_terminal() {
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
}
