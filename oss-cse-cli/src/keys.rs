//! Master keys from the command line or a `--keyring` TOML file.
//!
//! ```toml
//! [encrypt]                       # the key new objects are encrypted with
//! rsa_public_key = "pub.pem"      # paths are relative to this file
//! rsa_private_key = "priv.pem"
//! matdesc = { desc = "key-2026" }
//!
//! [[decrypt]]                     # further keys that only decrypt
//! rsa_private_key = "old.pem"
//! matdesc = { desc = "key-2025" }
//!
//! [[decrypt]]
//! kms_key_id = "alias/archive"
//! kms_region = "cn-hangzhou"
//! ```
//!
//! A top-level `compat = "go"` (or `oss2`, `py-v2`, `java`, `cpp`) says which
//! SDK family new envelopes are shaped for, as `--compat` does (which wins).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use oss_cse_client::envelope::{Compat, KeyRing, MasterKey, MatdescMatch, MaterialDescription, RsaMasterKey};
use oss_cse_client::kms::{KmsClient, KmsConfig, KmsEndpoint, KmsMasterKey, KmsSignature};
use oss_cse_client::{CredentialsProvider, EncryptionOptions};
use serde::Deserialize;

/// Master-key options shared by the commands that encrypt or decrypt.
#[derive(clap::Args, Debug, Clone, Default)]
pub(crate) struct KeyArgs {
    /// RSA public key (PEM) to encrypt with.
    #[arg(long, value_name = "FILE")]
    pub rsa_public_key: Option<PathBuf>,
    /// RSA private key (PEM) to decrypt with.
    #[arg(long, value_name = "FILE")]
    pub rsa_private_key: Option<PathBuf>,
    /// Material description of the encrypting key, a JSON object of strings.
    #[arg(long, value_name = "JSON")]
    pub matdesc: Option<String>,
    /// A further private key that only decrypts, with its material description (repeatable).
    #[arg(long = "decrypt-key", value_name = "FILE=MATDESC_JSON")]
    pub decrypt_keys: Vec<String>,
    /// KMS CMK to encrypt with, instead of an RSA key.
    #[arg(long, value_name = "ID")]
    pub kms_key_id: Option<String>,
    /// Region of the KMS endpoint (`kms.<region>.aliyuncs.com`).
    #[arg(long, env = "OSS_CSE_KMS_REGION", value_name = "REGION")]
    pub kms_region: Option<String>,
    /// Any KMS endpoint URL (a dedicated instance, or an emulator).
    #[arg(long, env = "OSS_CSE_KMS_ENDPOINT", value_name = "URL")]
    pub kms_endpoint: Option<String>,
    /// Write the Go/Java SDKs' KMS layout instead of oss2's (the KMS half of
    /// `--compat go` or `--compat java`).
    #[arg(long)]
    pub kms_go_java_layout: bool,
    /// Which SDK family new envelopes are written for: oss2 (the default:
    /// read by oss2, py-v2, Java, C++), py-v2 (the same readers), go (Go v1
    /// and v2, which match the matdesc as raw text, and all the others),
    /// java, or cpp. Sets the matdesc text style and the KMS layout (oss2's
    /// for oss2, the Go/Java layout for go and java); py-v2 and cpp have no
    /// KMS master key, so a KMS key with them is refused. Objects without a
    /// matdesc are read by every SDK whatever the choice.
    #[arg(long, value_name = "SDK")]
    pub compat: Option<Compat>,
    /// Try only the keys whose material description matches the object's
    /// exactly. By default the matdesc is a hint: matching keys first, then
    /// every other key (one error if none opens the object).
    #[arg(long)]
    pub strict_matdesc: bool,
    /// How KMS requests are signed: v3 (ACS3-HMAC-SHA256), or rpc (the
    /// discontinued HMAC-SHA1 method, for private endpoints that still want it).
    #[arg(long, value_enum, default_value_t = KmsSigning::V3, env = "OSS_CSE_KMS_SIGNATURE")]
    pub kms_signature: KmsSigning,
    /// A TOML key ring file holding the same (see the README).
    #[arg(long, value_name = "FILE")]
    pub keyring: Option<PathBuf>,
}

/// `--kms-signature`.
#[derive(clap::ValueEnum, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum KmsSigning {
    #[default]
    V3,
    Rpc,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct KeySpec {
    rsa_public_key: Option<PathBuf>,
    rsa_private_key: Option<PathBuf>,
    matdesc: Option<BTreeMap<String, String>>,
    kms_key_id: Option<String>,
    kms_region: Option<String>,
    kms_endpoint: Option<String>,
    #[serde(default)]
    kms_go_java_layout: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct KeyRingFile {
    compat: Option<String>,
    encrypt: Option<KeySpec>,
    #[serde(default)]
    decrypt: Vec<KeySpec>,
}

fn read(path: &Path, what: &str) -> anyhow::Result<String> {
    crate::files::read_bounded(path, what, crate::files::MAX_KEY_FILE)
}

fn matdesc_from_json(text: &str) -> anyhow::Result<MaterialDescription> {
    MaterialDescription::from_json(text).with_context(|| format!("--matdesc {text:?}"))
}

fn kms_client(
    region: Option<&str>,
    endpoint: Option<&str>,
    credentials: &CredentialsProvider,
    signing: KmsSigning,
) -> anyhow::Result<KmsClient> {
    let endpoint = match (endpoint, region) {
        (Some(url), _) => KmsEndpoint::Url(url.to_owned()),
        (None, Some(region)) => KmsEndpoint::Region(region.to_owned()),
        (None, None) => bail!("a KMS key needs --kms-region or --kms-endpoint"),
    };
    let signature = match signing {
        KmsSigning::V3 => KmsSignature::V3,
        KmsSigning::Rpc => KmsSignature::Rpc,
    };
    let mut config = KmsConfig::new(endpoint, credentials.clone()).signature(signature);
    if let Some(proxy) = KMS_PROXY.get() {
        config = config.proxy(proxy.clone());
    }
    Ok(KmsClient::new(config)?)
}

/// `--proxy`, for KMS clients too (set once, when the command line is read).
pub(crate) static KMS_PROXY: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// The keys the options describe, and how envelopes are written and matched.
pub(crate) struct Keys {
    pub ring: KeyRing,
    pub compat: Compat,
    pub matching: MatdescMatch,
}

impl Keys {
    /// `options` with this compat choice and matdesc matching.
    pub(crate) fn options(&self, options: EncryptionOptions) -> EncryptionOptions {
        EncryptionOptions { compat: self.compat, matdesc_match: self.matching, ..options }
    }
}

fn build(
    spec: &KeySpec,
    base: &Path,
    credentials: &CredentialsProvider,
    decrypt_only: bool,
    signing: KmsSigning,
    compat: Compat,
) -> anyhow::Result<Arc<dyn MasterKey>> {
    let matdesc = spec.matdesc.clone().map(|m| m.into_iter().collect::<MaterialDescription>());
    if let Some(key_id) = &spec.kms_key_id {
        if spec.rsa_public_key.is_some() || spec.rsa_private_key.is_some() {
            bail!("a key is either KMS or RSA, not both");
        }
        let client = kms_client(spec.kms_region.as_deref(), spec.kms_endpoint.as_deref(), credentials, signing)?;
        let mut key = KmsMasterKey::new(client, key_id);
        // Only a key that writes needs a layout: reading finds it out.
        if !decrypt_only {
            key = key.with_compat(compat)?;
        }
        if spec.kms_go_java_layout {
            key = key.with_go_java_layout();
        }
        if let Some(md) = matdesc {
            key = key.with_material_description(md);
        }
        return Ok(Arc::new(key));
    }
    let resolve = |p: &PathBuf| if p.is_absolute() { p.clone() } else { base.join(p) };
    let public = match (&spec.rsa_public_key, decrypt_only) {
        (Some(path), _) => Some(read(&resolve(path), "RSA public key")?),
        (None, _) => None,
    };
    let private = spec.rsa_private_key.as_ref().map(|p| read(&resolve(p), "RSA private key")).transpose()?;
    if public.is_none() && private.is_none() {
        bail!("a key needs rsa_public_key / rsa_private_key, or kms_key_id");
    }
    let key = RsaMasterKey::from_pem(public.as_deref(), private.as_deref())?;
    Ok(Arc::new(match matdesc {
        Some(md) => key.with_material_description(md),
        None => key,
    }))
}

impl KeyArgs {
    /// The key ring these options describe.
    pub(crate) fn keyring(&self, credentials: &CredentialsProvider) -> anyhow::Result<KeyRing> {
        self.keys(credentials).map(|keys| keys.ring)
    }

    /// The key ring, compat choice and matching these options describe.
    pub(crate) fn keys(&self, credentials: &CredentialsProvider) -> anyhow::Result<Keys> {
        let mut file = match &self.keyring {
            Some(path) => {
                let text = crate::files::read_bounded(path, "key ring", crate::files::MAX_SMALL_FILE)?;
                toml::from_str::<KeyRingFile>(&text).map_err(|e| {
                    let line = e.span().map(|span| text[..span.start.min(text.len())].lines().count().max(1));
                    let at = line.map(|l| format!(" (line {l})")).unwrap_or_default();
                    anyhow::anyhow!("key ring {}: {}{at}", path.display(), e.message().trim())
                })?
            }
            None => KeyRingFile::default(),
        };
        let base = self.keyring.as_ref().and_then(|p| p.parent().map(Path::to_owned)).unwrap_or_default();
        let from_file = file.compat.as_deref().map(str::parse::<Compat>).transpose().map_err(|e| {
            anyhow::anyhow!("key ring {}: compat: {e}", self.keyring.as_deref().unwrap_or(Path::new("")).display())
        })?;
        let compat = self.compat.or(from_file).unwrap_or_default();
        let command_line = KeySpec {
            rsa_public_key: self.rsa_public_key.clone(),
            rsa_private_key: self.rsa_private_key.clone(),
            matdesc: self
                .matdesc
                .as_deref()
                .map(matdesc_from_json)
                .transpose()?
                .map(|m| m.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect()),
            kms_key_id: self.kms_key_id.clone(),
            kms_region: self.kms_region.clone(),
            kms_endpoint: self.kms_endpoint.clone(),
            kms_go_java_layout: self.kms_go_java_layout,
        };
        if command_line.rsa_public_key.is_some()
            || command_line.rsa_private_key.is_some()
            || command_line.kms_key_id.is_some()
        {
            if file.encrypt.is_some() {
                bail!("give the encrypting key on the command line or in --keyring, not both");
            }
            file.encrypt = Some(command_line);
        } else if self.matdesc.is_some() {
            bail!("--matdesc needs a key: --rsa-public-key, --rsa-private-key or --kms-key-id");
        }
        for entry in &self.decrypt_keys {
            let (path, matdesc) = entry.split_once('=').unwrap_or((entry.as_str(), ""));
            let matdesc = if matdesc.trim().is_empty() { None } else { Some(matdesc_from_json(matdesc)?) };
            file.decrypt.push(KeySpec {
                rsa_private_key: Some(path.into()),
                matdesc: matdesc.map(|m| m.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect()),
                ..KeySpec::default()
            });
        }
        let mut ring = match &file.encrypt {
            Some(spec) => KeyRing::from_shared(build(spec, &base, credentials, false, self.kms_signature, compat)?),
            None => KeyRing::decrypt_only(),
        };
        for spec in &file.decrypt {
            ring = ring.with_shared_decrypting_key(build(spec, &base, credentials, true, self.kms_signature, compat)?);
        }
        if ring.keys().next().is_none() {
            bail!("no master key: give --rsa-public-key/--rsa-private-key, --kms-key-id, --decrypt-key or --keyring");
        }
        let matching = if self.strict_matdesc { MatdescMatch::Exact } else { MatdescMatch::Hint };
        Ok(Keys { ring, compat, matching })
    }
}
