//! A client built from the settings the CLI reads: where OSS is (endpoint or
//! region, else the profile's), the credential chain (or keys given), and
//! the key ring (a key ring file, or RSA key files).

use std::path::PathBuf;

use oss_cse_client::envelope::{KeyRing, MaterialDescription, RsaMasterKey};
use oss_cse_client::keyring_file::{KeyRingFile, KeySpec, KmsSettings};
use oss_cse_client::{
    ClientConfig, CredentialChain, Credentials, CredentialsProvider, EncryptionClient, EncryptionOptions, OssClient,
    PlaintextPolicy,
};
use pyo3::PyResult;

use crate::errors::{auth_to_py, invalid, to_py};

/// What `oss_cse.Client(...)` was given.
#[derive(Debug, Default)]
pub(crate) struct Settings {
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub access_key_secret: Option<String>,
    pub security_token: Option<String>,
    pub profile: Option<String>,
    pub keyring: Option<PathBuf>,
    pub rsa_public_key: Option<PathBuf>,
    pub rsa_private_key: Option<PathBuf>,
    pub matdesc: Option<Vec<(String, String)>>,
    /// RSA keys as PEM text, each with its matdesc: the first encrypts,
    /// all decrypt (oss2's `RsaProvider` and its added materials).
    pub pem_keys: Vec<PemKey>,
    /// A KMS CMK, reached through `kms_region` or `kms_endpoint`.
    pub kms_key_id: Option<String>,
    pub kms_region: Option<String>,
    pub kms_endpoint: Option<String>,
    pub allow_plaintext: bool,
    pub parallel: usize,
    pub part_size: u64,
    pub multipart_threshold: u64,
}

impl Settings {
    fn chain(&self) -> CredentialChain {
        match &self.profile {
            Some(profile) => CredentialChain::new().profile(profile),
            None => CredentialChain::new(),
        }
    }

    fn credentials(&self) -> PyResult<CredentialsProvider> {
        match (&self.access_key_id, &self.access_key_secret) {
            (Some(id), Some(secret)) => {
                let credentials = Credentials::new(id.as_str(), secret.as_str());
                Ok(match &self.security_token {
                    Some(token) => credentials.with_security_token(token.as_str()),
                    None => credentials,
                }
                .into())
            }
            (None, None) => self.chain().resolve().map_err(|e| auth_to_py(&e)),
            _ => Err(invalid("give both access_key_id and access_key_secret, or neither (the credential chain)")),
        }
    }

    /// The plain OSS client: `endpoint` (with `region`, V4), `region` alone,
    /// or the profile's endpoint or region.
    fn oss(&self, credentials: CredentialsProvider) -> PyResult<OssClient> {
        let (endpoint, region) = match (&self.endpoint, &self.region) {
            (None, None) => match self.chain().profile_place().map_err(|e| auth_to_py(&e))? {
                Some(place) => (place.endpoint.map(|e| with_scheme(&e)), place.region),
                None => (None, None),
            },
            (endpoint, region) => (endpoint.clone(), region.clone()),
        };
        let config = match (endpoint, region) {
            (Some(endpoint), region) => {
                let config = ClientConfig::new(&endpoint, credentials).map_err(|e| to_py(&e))?;
                match region {
                    Some(region) => config.region(region),
                    None => config,
                }
            }
            (None, Some(region)) => ClientConfig::for_region(&region, false, credentials).map_err(|e| to_py(&e))?,
            (None, None) => {
                return Err(invalid(
                    "no endpoint: give endpoint= or region= (or OSS_ENDPOINT/OSS_REGION through your own code, or an \
                     endpoint in the profile of ~/.ossutilconfig or ~/.aliyun/config.json)",
                ));
            }
        };
        OssClient::new(config).map_err(|e| to_py(&e))
    }

    /// The encryption client these settings describe.
    pub(crate) fn build(&self) -> PyResult<EncryptionClient> {
        let credentials = self.credentials()?;
        let oss = self.oss(credentials.clone())?;
        let mut file = match &self.keyring {
            Some(path) => KeyRingFile::load(path).map_err(|e| to_py(&e))?,
            None => KeyRingFile::default(),
        };
        if self.rsa_public_key.is_some() || self.rsa_private_key.is_some() {
            if file.encrypt.is_some() {
                return Err(invalid(
                    "give the encrypting key as rsa_public_key/rsa_private_key or in keyring, not both",
                ));
            }
            let matdesc = self.matdesc.as_ref().map(|pairs| pairs.iter().cloned().collect::<MaterialDescription>());
            file.encrypt = Some(KeySpec::rsa(self.rsa_public_key.clone(), self.rsa_private_key.clone(), matdesc));
        }
        if let Some(key_id) = &self.kms_key_id {
            if file.encrypt.is_some() {
                return Err(invalid("give one encrypting key: RSA or KMS, not both"));
            }
            let spec = KeySpec::kms(key_id.clone(), self.kms_region.clone(), self.kms_endpoint.clone(), false);
            let matdesc = self.matdesc.as_ref().map(|pairs| pairs.iter().cloned().collect::<MaterialDescription>());
            file.encrypt = Some(spec.with_matdesc(matdesc));
        }
        let pem = !self.pem_keys.is_empty();
        if pem && file.encrypt.is_some() {
            return Err(invalid("give RSA keys as PEM text or as files, not both"));
        }
        if !pem && file.encrypt.is_none() && file.decrypt.is_empty() && !self.allow_plaintext {
            return Err(invalid("no master key: give keyring=, or rsa_public_key= / rsa_private_key="));
        }
        let compat = file.compat().map_err(|e| to_py(&e))?.unwrap_or_default();
        let ring = if pem {
            pem_ring(&self.pem_keys)?
        } else if file.encrypt.is_none() && file.decrypt.is_empty() {
            // Plaintext objects only: a key is asked for when one is encrypted.
            KeyRing::decrypt_only()
        } else {
            file.key_ring(&KmsSettings::new(credentials), compat).map_err(|e| to_py(&e))?
        };
        let options = EncryptionOptions {
            plaintext_policy: if self.allow_plaintext { PlaintextPolicy::PassThrough } else { PlaintextPolicy::Refuse },
            parallel: self.parallel,
            part_size: self.part_size,
            multipart_threshold: self.multipart_threshold,
            compat,
            authentication: file.authentication().map_err(|e| to_py(&e))?,
            ..EncryptionOptions::default()
        };
        EncryptionClient::new(oss, ring).with_options(options).map_err(|e| to_py(&e))
    }
}

/// An RSA key given as PEM text.
#[derive(Debug, Default)]
pub(crate) struct PemKey {
    pub public: Option<String>,
    pub private: Option<zeroize::Zeroizing<String>>,
    pub matdesc: Option<Vec<(String, String)>>,
}

impl PemKey {
    fn master_key(&self) -> PyResult<RsaMasterKey> {
        let key = RsaMasterKey::from_pem(self.public.as_deref(), self.private.as_deref().map(String::as_str))
            .map_err(|source| to_py(&oss_cse_client::Error::Envelope { resource: "an RSA key".into(), source }))?;
        Ok(match &self.matdesc {
            Some(pairs) => key.with_material_description(pairs.iter().cloned().collect()),
            None => key,
        })
    }
}

/// The ring of PEM keys: the first encrypts, every one decrypts.
fn pem_ring(keys: &[PemKey]) -> PyResult<KeyRing> {
    let mut keys = keys.iter();
    let first = keys.next().ok_or_else(|| invalid("no RSA key"))?;
    let mut ring = KeyRing::new(first.master_key()?);
    for key in keys {
        ring = ring.with_decrypting_key(key.master_key()?);
    }
    Ok(ring)
}

/// ossutil writes endpoints without a scheme.
fn with_scheme(endpoint: &str) -> String {
    if endpoint.contains("://") { endpoint.to_owned() } else { format!("https://{endpoint}") }
}
