//! Master keys from the command line or a `--keyring` TOML file (read by
//! `oss_cse_client::keyring_file`, whose docs give the format). A
//! top-level `compat` in the file says which SDK family new envelopes are
//! shaped for, as `--compat` does (which wins).

use std::path::PathBuf;

use anyhow::{Context, bail};
use oss_cse_client::envelope::{Compat, KeyRing, MatdescMatch, MaterialDescription};
use oss_cse_client::keyring_file::{KeyRingFile, KeySpec, KmsSettings};
use oss_cse_client::kms::KmsSignature;
use oss_cse_client::{CredentialsProvider, EncryptionOptions};

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

fn matdesc_from_json(text: &str) -> anyhow::Result<MaterialDescription> {
    MaterialDescription::from_json(text).with_context(|| format!("--matdesc {text:?}"))
}

/// The keys the options describe, and how envelopes are written and matched.
pub(crate) struct Keys {
    pub ring: KeyRing,
    pub compat: Compat,
    pub matching: MatdescMatch,
    /// The key ring file's `[authentication]` settings.
    pub authentication: oss_cse_client::Authentication,
}

impl Keys {
    /// `options` with this compat choice and matdesc matching, and the key
    /// ring file's authentication settings added to those already in `options`
    /// (the command line's): either can turn a check on, neither turns one off.
    pub(crate) fn options(&self, options: EncryptionOptions) -> EncryptionOptions {
        let (flags, file) = (&options.authentication, &self.authentication);
        let mut trusted_signers = flags.trusted_signers.clone();
        trusted_signers.extend(file.trusted_signers.iter().cloned());
        let authentication = oss_cse_client::Authentication {
            write_tags: flags.write_tags || file.write_tags,
            require_tags: flags.require_tags || file.require_tags,
            signer: flags.signer.clone().or_else(|| file.signer.clone()),
            sign_names: flags.sign_names || file.sign_names,
            trusted_signers,
            require_signed_names: flags.require_signed_names || file.require_signed_names,
        };
        EncryptionOptions { compat: self.compat, matdesc_match: self.matching, authentication, ..options }
    }
}

impl KeyArgs {
    /// Whether no key (and no key ring) was given at all.
    pub(crate) fn none_given(&self) -> bool {
        self.keyring.is_none()
            && self.rsa_public_key.is_none()
            && self.rsa_private_key.is_none()
            && self.kms_key_id.is_none()
            && self.decrypt_keys.is_empty()
    }

    /// An empty key ring, with these options' compat and matching.
    pub(crate) fn without_keys(&self) -> Keys {
        let matching = if self.strict_matdesc { MatdescMatch::Exact } else { MatdescMatch::Hint };
        Keys {
            ring: KeyRing::decrypt_only(),
            compat: self.compat.unwrap_or_default(),
            matching,
            authentication: oss_cse_client::Authentication::default(),
        }
    }

    /// The key ring, compat choice and matching these options describe; KMS
    /// keys sign with `credentials` and go through `proxy` (`--proxy`).
    pub(crate) fn keys(&self, credentials: &CredentialsProvider, proxy: Option<&str>) -> anyhow::Result<Keys> {
        let mut file = match &self.keyring {
            Some(path) => KeyRingFile::load(path)?,
            None => KeyRingFile::default(),
        };
        let compat = self.compat.or(file.compat()?).unwrap_or_default();
        // Paths on the command line are the working directory's, not the
        // key ring file's (which resolves its own relative to itself).
        let absolute = |path: &PathBuf| std::path::absolute(path).unwrap_or_else(|_| path.clone());
        let (public, private) =
            (self.rsa_public_key.as_ref().map(absolute), self.rsa_private_key.as_ref().map(absolute));
        let command_line = match (&self.kms_key_id, &public, &private) {
            (Some(key_id), _, _) => Some(KeySpec::kms(
                key_id.clone(),
                self.kms_region.clone(),
                self.kms_endpoint.clone(),
                self.kms_go_java_layout,
            )),
            (None, None, None) => None,
            (None, public, private) => Some(KeySpec::rsa(public.clone(), private.clone(), None)),
        };
        let matdesc = self.matdesc.as_deref().map(matdesc_from_json).transpose()?;
        match command_line {
            Some(spec) => {
                if (self.rsa_public_key.is_some() || self.rsa_private_key.is_some()) && self.kms_key_id.is_some() {
                    bail!("a key is either KMS (--kms-key-id) or RSA (--rsa-public-key/--rsa-private-key), not both");
                }
                if spec.kms_key_id.is_some() && self.kms_region.is_none() && self.kms_endpoint.is_none() {
                    bail!("a KMS key needs --kms-region or --kms-endpoint");
                }
                if file.encrypt.is_some() {
                    bail!("give the encrypting key on the command line or in --keyring, not both");
                }
                file.encrypt = Some(spec.with_matdesc(matdesc));
            }
            None if matdesc.is_some() => {
                bail!("--matdesc needs a key: --rsa-public-key, --rsa-private-key or --kms-key-id")
            }
            None => {}
        }
        for entry in &self.decrypt_keys {
            let (path, matdesc) = entry.split_once('=').unwrap_or((entry.as_str(), ""));
            let matdesc = if matdesc.trim().is_empty() { None } else { Some(matdesc_from_json(matdesc)?) };
            file.decrypt.push(KeySpec::rsa(None, Some(absolute(&PathBuf::from(path))), matdesc));
        }
        if file.encrypt.is_none() && file.decrypt.is_empty() {
            bail!("no master key: give --rsa-public-key/--rsa-private-key, --kms-key-id, --decrypt-key or --keyring");
        }
        let signature = match self.kms_signature {
            KmsSigning::V3 => KmsSignature::V3,
            KmsSigning::Rpc => KmsSignature::Rpc,
        };
        let kms = KmsSettings::new(credentials.clone()).signature(signature).proxy(proxy.map(str::to_owned));
        let ring = file.key_ring(&kms, compat)?;
        let authentication = file.authentication()?;
        let matching = if self.strict_matdesc { MatdescMatch::Exact } else { MatdescMatch::Hint };
        Ok(Keys { ring, compat, matching, authentication })
    }
}
