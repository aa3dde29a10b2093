//! What every command runs with, built once in `main` from the parsed flags
//! and passed down: the connection settings (OSS, and KMS through the same
//! proxy), the credentials (resolved once, so OSS and KMS share one provider
//! and one refresh of temporary credentials), the download policy, the output
//! mode, the progress display and the background clean-up. Nothing here is
//! process-wide: two sessions never share a setting.

use std::io::Write;
use std::sync::OnceLock;

use oss_cse_client::{
    Cleanup, ClientConfig, CredentialChain, Credentials, CredentialsProvider, EncryptionClient, EncryptionOptions,
    OssClient, PlaintextPolicy,
};

use crate::files;
use crate::keys::{KeyArgs, Keys};
use crate::opts::{ConnectionArgs, DownloadPolicyArgs, ProgressArgs};

/// Where OSS is, and the profile file that said so (none: flags or the
/// environment did, or nothing did).
#[derive(Debug, Default)]
pub(crate) struct Place {
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub origin: Option<String>,
}

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
        let provider = self.chain().resolve()?;
        tracing::debug!(origin = provider.origin(), "credentials");
        Ok(self.credentials.get_or_init(|| provider).clone())
    }

    /// The credential chain of `--profile` and `--proxy`.
    fn chain(&self) -> CredentialChain {
        let mut chain = CredentialChain::new();
        if let Some(profile) = &self.connection.profile {
            chain = chain.profile(profile);
        }
        if let Some(proxy) = &self.connection.proxy {
            chain = chain.proxy(proxy);
        }
        chain
    }

    /// Where OSS is: `--endpoint`/`--region` (or `OSS_ENDPOINT`/
    /// `OSS_REGION`); without either, the profile's (ossutil's `endpoint`
    /// and `region`, the Alibaba Cloud CLI's `region_id`), with the file it
    /// came from.
    pub(crate) fn place(&self) -> anyhow::Result<Place> {
        let connection = &self.connection;
        if connection.endpoint.is_some() || connection.region.is_some() {
            let (endpoint, region) = (connection.endpoint.clone(), connection.region.clone());
            return Ok(Place { endpoint, region, origin: None });
        }
        let Some(found) = self.chain().profile_place()? else { return Ok(Place::default()) };
        // ossutil writes endpoints without a scheme.
        let endpoint = found.endpoint.map(|e| if e.contains("://") { e } else { format!("https://{e}") });
        Ok(Place { endpoint, region: found.region, origin: Some(found.origin) })
    }

    /// Offline commands need credentials only for KMS keys: none found is
    /// not an error until KMS is asked.
    pub(crate) fn credentials_or_none(&self) -> CredentialsProvider {
        self.credentials().unwrap_or_else(|_| Credentials::new("", "").into())
    }

    /// The OSS client of the session's connection settings.
    pub(crate) fn oss_client(&self) -> anyhow::Result<OssClient> {
        let connection = &self.connection;
        let place = self.place()?;
        let mut config = match (&place.endpoint, &place.region) {
            (Some(endpoint), region) => {
                let config = ClientConfig::new(endpoint, self.credentials()?)?;
                match region {
                    Some(region) => config.region(region),
                    None => config,
                }
            }
            (None, Some(region)) => ClientConfig::for_region(region, connection.internal, self.credentials()?)?,
            (None, None) => anyhow::bail!(
                "no endpoint: set --endpoint or OSS_ENDPOINT, or --region (or an endpoint or region in the profile of \
                 ~/.ossutilconfig or ~/.aliyun/config.json)"
            ),
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
        // With --allow-plaintext a plaintext object needs no key: one is
        // asked for only when an object turns out to be encrypted (the
        // empty ring then names its material description).
        let keys = match keys.none_given() && self.policy.allow_plaintext {
            true => keys.without_keys(),
            false => self.keys(keys, &self.credentials()?)?,
        };
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
}
