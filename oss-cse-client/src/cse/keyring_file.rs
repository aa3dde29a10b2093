//! Key rings described in a TOML file (feature `keyring-file`): the key new
//! objects are encrypted with and the keys that only decrypt, each an RSA key
//! pair in PEM files or a KMS CMK, with its material description. The format
//! `oss-cse --keyring` reads:
//!
//! ```toml
//! compat = "oss2"                 # which SDK family envelopes are shaped for (optional)
//!
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
//! kms_region = "cn-hangzhou"      # or kms_endpoint = "https://..."
//!
//! [authentication]                # optional: authentication tags (docs/format.md section 11)
//! write_tags = true               # tag every upload
//! require_tags = true             # refuse objects without a tag
//! sign_key = "writer.pem"         # Ed25519 PKCS#8 PEM: sign the tags written
//! sign_names = false              # signatures also cover bucket and key
//! trusted_signers = ["writer.pub.pem"]   # refuse objects not signed by one of these
//! require_signed_names = false    # trusted signatures must also cover bucket and key
//! ```

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use oss_cse_auth::CredentialsProvider;
use oss_cse_envelope::{Compat, KeyRing, MasterKey, MaterialDescription, RsaMasterKey};
use oss_cse_kms::{KmsClient, KmsConfig, KmsEndpoint, KmsMasterKey, KmsSignature};
use serde::Deserialize;

use crate::{Error, Result};

/// Largest key ring file read.
const MAX_KEYRING_FILE: u64 = 1 << 20;
/// Largest PEM key file read.
const MAX_KEY_FILE: u64 = 64 << 10;

/// One key of a key ring file: RSA PEM files, or a KMS CMK.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct KeySpec {
    /// RSA public key (PEM) file, to encrypt with.
    pub rsa_public_key: Option<PathBuf>,
    /// RSA private key (PEM) file, to decrypt with.
    pub rsa_private_key: Option<PathBuf>,
    /// Material description stored with (and matched against) objects.
    pub matdesc: Option<BTreeMap<String, String>>,
    /// KMS CMK id or alias, instead of an RSA key.
    pub kms_key_id: Option<String>,
    /// Region of the KMS endpoint (`kms.<region>.aliyuncs.com`).
    pub kms_region: Option<String>,
    /// Any KMS endpoint URL (a dedicated instance, or an emulator).
    pub kms_endpoint: Option<String>,
    /// Write the Go/Java SDKs' KMS layout instead of oss2's.
    #[serde(default)]
    pub kms_go_java_layout: bool,
}

impl KeySpec {
    /// An RSA key from PEM files (either may be absent, not both).
    pub fn rsa(public: Option<PathBuf>, private: Option<PathBuf>, matdesc: Option<MaterialDescription>) -> Self {
        Self { rsa_public_key: public, rsa_private_key: private, ..Self::default() }.with_matdesc(matdesc)
    }

    /// A KMS CMK, reached through `region` or `endpoint`.
    pub fn kms(key_id: String, region: Option<String>, endpoint: Option<String>, go_java_layout: bool) -> Self {
        Self {
            kms_key_id: Some(key_id),
            kms_region: region,
            kms_endpoint: endpoint,
            kms_go_java_layout: go_java_layout,
            ..Self::default()
        }
    }

    /// This spec with a material description.
    pub fn with_matdesc(mut self, matdesc: Option<MaterialDescription>) -> Self {
        self.matdesc = matdesc.map(|m| m.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect());
        self
    }

    /// Whether it names any key at all.
    pub fn is_empty(&self) -> bool {
        self.rsa_public_key.is_none() && self.rsa_private_key.is_none() && self.kms_key_id.is_none()
    }
}

/// The `[authentication]` table of a key ring file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AuthenticationSpec {
    /// Tag every upload.
    #[serde(default)]
    pub write_tags: bool,
    /// Refuse objects without a tag.
    #[serde(default)]
    pub require_tags: bool,
    /// Ed25519 private key (PKCS#8 PEM) file that signs the tags written.
    pub sign_key: Option<PathBuf>,
    /// Signatures also cover the bucket and key.
    #[serde(default)]
    pub sign_names: bool,
    /// Ed25519 public key (SPKI PEM) files of the writers trusted.
    #[serde(default)]
    pub trusted_signers: Vec<PathBuf>,
    /// Trusted signatures must cover the bucket and key.
    #[serde(default)]
    pub require_signed_names: bool,
}

impl AuthenticationSpec {
    /// The client settings this table describes, its key files read
    /// (relative paths from `base`). A signing key implies writing tags;
    /// trusted signers imply requiring them.
    ///
    /// # Errors
    /// [`Error::Io`] for a key file that cannot be read; [`Error::KeyRing`]
    /// naming a file that is not an Ed25519 key.
    pub fn load(&self, base: &Path) -> Result<crate::Authentication> {
        use oss_cse_envelope::auth::{SigningKey, VerifyingKey};
        let resolve = |path: &PathBuf| if path.is_absolute() { path.clone() } else { base.join(path) };
        let refused =
            |path: &Path, e: &dyn std::fmt::Display| Error::KeyRing { path: path.to_owned(), reason: e.to_string() };
        let signer = match &self.sign_key {
            Some(path) => {
                let path = resolve(path);
                let pem = zeroize::Zeroizing::new(read_bounded(&path, "Ed25519 signing key", MAX_KEY_FILE)?);
                Some(Arc::new(SigningKey::from_pem(&pem).map_err(|e| refused(&path, &e))?))
            }
            None => None,
        };
        let trusted_signers = self
            .trusted_signers
            .iter()
            .map(|path| {
                let path = resolve(path);
                let pem = read_bounded(&path, "Ed25519 verifying key", MAX_KEY_FILE)?;
                VerifyingKey::from_pem(&pem).map_err(|e| refused(&path, &e))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(crate::Authentication {
            write_tags: self.write_tags || signer.is_some(),
            require_tags: self.require_tags || !trusted_signers.is_empty(),
            signer,
            sign_names: self.sign_names,
            trusted_signers,
            require_signed_names: self.require_signed_names,
        })
    }
}

/// A key ring file, parsed: see the [module docs](self) for its format.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct KeyRingFile {
    /// `compat = "go"` (or `oss2`, `py-v2`, `java`, `cpp`).
    pub compat: Option<String>,
    /// The key new objects are encrypted with.
    pub encrypt: Option<KeySpec>,
    /// Further keys that only decrypt.
    #[serde(default)]
    pub decrypt: Vec<KeySpec>,
    /// Authentication tags: written, required, signed, trusted.
    #[serde(default)]
    pub authentication: AuthenticationSpec,
    /// Where relative key paths are resolved, and the name errors give.
    #[serde(skip)]
    source: PathBuf,
}

/// How the KMS keys of a key ring reach KMS.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct KmsSettings {
    /// Credentials for KMS calls.
    pub credentials: CredentialsProvider,
    /// How KMS requests are signed.
    pub signature: KmsSignature,
    /// A proxy for KMS requests.
    pub proxy: Option<String>,
}

impl KmsSettings {
    /// KMS reached with `credentials`, signed with ACS3-HMAC-SHA256, no proxy.
    pub fn new(credentials: impl Into<CredentialsProvider>) -> Self {
        Self { credentials: credentials.into(), signature: KmsSignature::V3, proxy: None }
    }

    /// Signs KMS requests with `signature`.
    pub fn signature(mut self, signature: KmsSignature) -> Self {
        self.signature = signature;
        self
    }

    /// Sends KMS requests through `proxy`.
    pub fn proxy(mut self, proxy: Option<String>) -> Self {
        self.proxy = proxy;
        self
    }
}

/// Reads at most `max` bytes of a text file; a longer one is an error.
fn read_bounded(path: &Path, what: &str, max: u64) -> Result<String> {
    let io = |source| Error::Io { action: "reading", path: path.to_owned(), source };
    let mut text = String::new();
    std::fs::File::open(path).map_err(io)?.take(max + 1).read_to_string(&mut text).map_err(io)?;
    if text.len() as u64 > max {
        return Err(Error::KeyRing {
            path: path.to_owned(),
            reason: format!("the {what} is larger than {max} bytes; is it the right file?"),
        });
    }
    Ok(text)
}

impl KeyRingFile {
    /// Reads and parses the key ring file at `path` (at most 1 MiB).
    ///
    /// # Errors
    /// [`Error::Io`] if it cannot be read; [`Error::KeyRing`] naming the
    /// line for TOML it cannot use.
    pub fn load(path: &Path) -> Result<Self> {
        let text = read_bounded(path, "key ring", MAX_KEYRING_FILE)?;
        Self::parse(&text, path)
    }

    /// Parses key ring TOML; `source` names it in errors, and key paths are
    /// relative to its directory.
    ///
    /// # Errors
    /// [`Error::KeyRing`] naming the line for TOML it cannot use.
    pub fn parse(text: &str, source: &Path) -> Result<Self> {
        let mut file = toml::from_str::<Self>(text).map_err(|e| {
            // Lines before the error's first byte, plus its own.
            let line = e
                .span()
                .map(|span| text.as_bytes()[..span.start.min(text.len())].iter().filter(|b| **b == b'\n').count() + 1);
            let at = line.map(|l| format!(" (line {l})")).unwrap_or_default();
            Error::KeyRing { path: source.to_owned(), reason: format!("{}{at}", e.message().trim()) }
        })?;
        file.source = source.to_owned();
        Ok(file)
    }

    /// The file's `compat`, if it has one.
    ///
    /// # Errors
    /// [`Error::KeyRing`] for an SDK family that does not exist.
    pub fn compat(&self) -> Result<Option<Compat>> {
        let refused = |e: oss_cse_envelope::UnknownCompat| self.error(format!("compat: {e}"));
        self.compat.as_deref().map(str::parse::<Compat>).transpose().map_err(refused)
    }

    /// The key ring the file describes, with KMS keys reached through `kms`
    /// and envelopes shaped for `compat`.
    ///
    /// # Errors
    /// [`Error::KeyRing`] for a key that names both RSA and KMS, or neither,
    /// a KMS key without a region or endpoint, or no key at all;
    /// [`Error::Io`] for a key file that cannot be read; the PEM and KMS
    /// errors of the key, as [`Error::KeyRing`].
    pub fn key_ring(&self, kms: &KmsSettings, compat: Compat) -> Result<KeyRing> {
        let mut ring = match &self.encrypt {
            Some(spec) => KeyRing::from_shared(self.build(spec, kms, false, compat)?),
            None => KeyRing::decrypt_only(),
        };
        for spec in &self.decrypt {
            ring = ring.with_shared_decrypting_key(self.build(spec, kms, true, compat)?);
        }
        if ring.keys().next().is_none() {
            return Err(self.error("no master key: no [encrypt] key and no [[decrypt]] key".into()));
        }
        Ok(ring)
    }

    /// The `[authentication]` settings, key files read (relative paths are
    /// the file's).
    ///
    /// # Errors
    /// As [`AuthenticationSpec::load`].
    pub fn authentication(&self) -> Result<crate::Authentication> {
        self.authentication.load(self.source.parent().unwrap_or_else(|| Path::new(""))).map_err(|e| match e {
            Error::KeyRing { reason, .. } => self.error(reason),
            other => other,
        })
    }

    /// `path`, relative to the file's directory unless absolute.
    fn resolve(&self, path: &Path) -> PathBuf {
        let base = self.source.parent().unwrap_or_else(|| Path::new(""));
        if path.is_absolute() { path.to_owned() } else { base.join(path) }
    }

    fn error(&self, reason: String) -> Error {
        Error::KeyRing { path: self.source.clone(), reason }
    }

    fn build(
        &self,
        spec: &KeySpec,
        kms: &KmsSettings,
        decrypt_only: bool,
        compat: Compat,
    ) -> Result<Arc<dyn MasterKey>> {
        let matdesc = spec.matdesc.clone().map(|m| m.into_iter().collect::<MaterialDescription>());
        let refused = |e: &dyn std::fmt::Display| self.error(e.to_string());
        if let Some(key_id) = &spec.kms_key_id {
            if spec.rsa_public_key.is_some() || spec.rsa_private_key.is_some() {
                return Err(self.error("a key is either KMS or RSA, not both".into()));
            }
            let endpoint = match (&spec.kms_endpoint, &spec.kms_region) {
                (Some(url), _) => KmsEndpoint::Url(url.clone()),
                (None, Some(region)) => KmsEndpoint::Region(region.clone()),
                (None, None) => return Err(self.error(format!("KMS key {key_id} needs kms_region or kms_endpoint"))),
            };
            let mut config = KmsConfig::new(endpoint, kms.credentials.clone()).signature(kms.signature);
            if let Some(proxy) = &kms.proxy {
                config = config.proxy(proxy.clone());
            }
            let mut key = KmsMasterKey::new(KmsClient::new(config).map_err(|e| refused(&e))?, key_id);
            // Only a key that writes needs a layout: reading finds it out.
            if !decrypt_only {
                key = key.with_compat(compat).map_err(|e| refused(&e))?;
            }
            if spec.kms_go_java_layout {
                key = key.with_go_java_layout();
            }
            if let Some(md) = matdesc {
                key = key.with_material_description(md);
            }
            return Ok(Arc::new(key));
        }
        let read = |path: &PathBuf, what: &str| read_bounded(&self.resolve(path), what, MAX_KEY_FILE);
        let public = spec.rsa_public_key.as_ref().map(|p| read(p, "RSA public key")).transpose()?;
        let private = spec.rsa_private_key.as_ref().map(|p| read(p, "RSA private key")).transpose()?;
        if public.is_none() && private.is_none() {
            return Err(self.error("a key needs rsa_public_key / rsa_private_key, or kms_key_id".into()));
        }
        let key = RsaMasterKey::from_pem(public.as_deref(), private.as_deref()).map_err(|e| {
            // Name the file the fault is in.
            let file = match &e {
                oss_cse_envelope::Error::InvalidPem { what, .. } if what.contains("public") => {
                    spec.rsa_public_key.as_ref()
                }
                oss_cse_envelope::Error::InvalidPem { what, .. } if what.contains("private") => {
                    spec.rsa_private_key.as_ref()
                }
                _ => None,
            };
            match file {
                Some(path) => self.error(format!("{}: {e}", self.resolve(path).display())),
                None => refused(&e),
            }
        })?;
        Ok(Arc::new(match matdesc {
            Some(md) => key.with_material_description(md),
            None => key,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_file_and_line() {
        let source = Path::new("/etc/ring.toml");
        let bad = KeyRingFile::parse("[encrypt]\nrsa_public_key = \"a.pem\"\ncolour = \"blue\"\n", source);
        match bad {
            Err(Error::KeyRing { path, reason }) => {
                assert_eq!(path, source);
                assert!(reason.contains("colour") && reason.contains("line 3"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        let file = KeyRingFile::parse("compat = \"cobol\"\n", source).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(file.compat(), Err(Error::KeyRing { .. })));
        let empty = KeyRingFile::parse("", source).unwrap_or_else(|e| panic!("{e}"));
        let kms = KmsSettings::new(oss_cse_auth::Credentials::new("id", "secret"));
        assert!(matches!(empty.key_ring(&kms, Compat::default()), Err(Error::KeyRing { .. })));
    }

    #[test]
    fn keys_load_relative_to_the_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let (_, public, private) = RsaMasterKey::generate(2048).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("pub.pem"), &public).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("priv.pem"), private.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("ring.toml");
        let text = "[encrypt]\nrsa_public_key = \"pub.pem\"\nrsa_private_key = \"priv.pem\"\nmatdesc = { desc = \"k1\" }\n\
                    [[decrypt]]\nkms_key_id = \"alias/old\"\nkms_endpoint = \"http://127.0.0.1:9\"\n";
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        let file = KeyRingFile::load(&path).unwrap_or_else(|e| panic!("{e}"));
        let kms = KmsSettings::new(oss_cse_auth::Credentials::new("id", "secret"));
        let ring = file.key_ring(&kms, Compat::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ring.keys().count(), 2);
        let key = ring.encrypting_key().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(key.material_description().and_then(|m| m.get("desc")), Some("k1"));
    }
}
