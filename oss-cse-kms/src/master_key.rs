//! The KMS master key: wraps data keys with a CMK in Alibaba Cloud KMS, in
//! the header layout of oss2 (default) or of the Go/Java SDKs.
//!
//! | written with | read by |
//! |---|---|
//! | [`KmsLayout::Oss2`] (default) | oss2 (Python), and this library |
//! | [`KmsLayout::BlobText`] | the Go and Java SDKs, and this library |
//!
//! Reading needs no choice: each envelope says which layout it uses (see
//! [`oss_cse_envelope::kms_layout`]).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use oss_cse_core::{ContentMaterial, DataKey};
pub use oss_cse_envelope::kms_layout::KmsLayout;
use oss_cse_envelope::kms_layout::{ciphertext_blob, kms_plaintext, material_from_kms_plaintexts, wrapped_from_blob};
use oss_cse_envelope::{
    Compat, Envelope, Format, MasterKey, MaterialDescription, WrapAlgorithm, WrappedMaterial, WrappedValue,
};
use zeroize::Zeroizing;

use crate::KmsClient;

/// Default lifetime of cached Decrypt results.
pub const DEFAULT_CACHE_LIFETIME: Duration = Duration::from_secs(300);
/// Most cached Decrypt results kept.
const CACHE_CAPACITY: usize = 4096;

/// Decrypt results kept for a while, so reading many objects (or many
/// ranges of one) does not pay a KMS call, and its QPS quota, per read. The
/// plaintexts are zeroized when evicted or expired.
struct DecryptCache {
    lifetime: Duration,
    entries: Mutex<HashMap<CacheKey, (Zeroizing<String>, Instant)>>,
}

/// A cached Decrypt: the blob and the encryption context it was opened with.
type CacheKey = (String, String);

impl DecryptCache {
    fn get(&self, blob: &str, context: &str) -> Option<Zeroizing<String>> {
        let mut entries = self.entries.lock().ok()?;
        let key = (blob.to_owned(), context.to_owned());
        match entries.get(&key) {
            Some((plaintext, at)) if at.elapsed() < self.lifetime => Some(plaintext.clone()),
            Some(_) => {
                entries.remove(&key);
                None
            }
            None => None,
        }
    }

    fn put(&self, blob: &str, context: &str, plaintext: &Zeroizing<String>) {
        let Ok(mut entries) = self.entries.lock() else { return };
        let lifetime = self.lifetime;
        entries.retain(|_, (_, at)| at.elapsed() < lifetime);
        if entries.len() >= CACHE_CAPACITY {
            if let Some(oldest) = entries.iter().min_by_key(|(_, (_, at))| *at).map(|(k, _)| k.clone()) {
                entries.remove(&oldest);
            }
        }
        entries.insert((blob.to_owned(), context.to_owned()), (plaintext.clone(), Instant::now()));
    }
}

/// A master key that is a CMK in KMS.
pub struct KmsMasterKey {
    client: KmsClient,
    key_id: String,
    layout: KmsLayout,
    context: Zeroizing<String>,
    material_description: Option<MaterialDescription>,
    generate_data_key: bool,
    cache: Option<Arc<DecryptCache>>,
}

impl fmt::Debug for KmsMasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KmsMasterKey")
            .field("key_id", &self.key_id)
            .field("layout", &self.layout)
            .field("encryption_context", &(!self.context.is_empty()).then_some("<redacted>"))
            .field("material_description", &self.material_description)
            .field("generate_data_key", &self.generate_data_key)
            .field("cache", &self.cache.as_ref().map(|c| c.lifetime))
            .finish()
    }
}

impl KmsMasterKey {
    /// A master key for CMK `key_id`, writing oss2's layout with a
    /// GenerateDataKey per object as oss2 does, caching Decrypt results for
    /// five minutes.
    pub fn new(client: KmsClient, key_id: impl Into<String>) -> Self {
        Self {
            client,
            key_id: key_id.into(),
            layout: KmsLayout::Oss2,
            context: Zeroizing::new(String::new()),
            material_description: None,
            generate_data_key: true,
            cache: Some(Arc::new(DecryptCache { lifetime: DEFAULT_CACHE_LIFETIME, entries: Mutex::default() })),
        }
    }

    /// Writes the Go/Java layout instead (Encrypt for key and IV, the blob
    /// stored as is): objects the Go and Java SDKs can read, oss2 cannot.
    pub fn with_go_java_layout(mut self) -> Self {
        self.layout = KmsLayout::BlobText;
        self.generate_data_key = false;
        self
    }

    /// Writes the layout of the SDK family `compat`: oss2's for `oss2`, the
    /// Go/Java layout for `go` and `java`.
    ///
    /// # Errors
    /// [`oss_cse_envelope::Error::CompatWithoutKms`] for `py-v2` and `cpp`,
    /// which have no KMS master key to read the objects.
    pub fn with_compat(self, compat: Compat) -> Result<Self, oss_cse_envelope::Error> {
        Ok(match compat.kms_layout()? {
            KmsLayout::BlobText => self.with_go_java_layout(),
            KmsLayout::Oss2 => Self { layout: KmsLayout::Oss2, generate_data_key: true, ..self },
        })
    }

    /// Sends this encryption context with every call (sorted compact JSON).
    /// KMS refuses Decrypt when the context differs from the one used to
    /// encrypt, so the context is checked on every read.
    pub fn with_encryption_context(mut self, context: &BTreeMap<String, String>) -> Self {
        let json = if context.is_empty() { String::new() } else { serde_json::to_string(context).unwrap_or_default() };
        self.context = Zeroizing::new(json);
        self
    }

    /// oss2's passphrase form of the context: `{"x-passphrase":"<passphrase>"}`,
    /// built by concatenation exactly as oss2 does (no escaping).
    pub fn with_oss2_passphrase(mut self, passphrase: &str) -> Self {
        self.context = Zeroizing::new(format!("{{\"x-passphrase\":\"{passphrase}\"}}"));
        self
    }

    /// Sets the material description stored with, and matched against, objects.
    pub fn with_material_description(mut self, description: MaterialDescription) -> Self {
        self.material_description = (!description.is_empty()).then_some(description);
        self
    }

    /// Keeps Decrypt results for `lifetime` (zero disables the cache).
    pub fn with_cache_lifetime(mut self, lifetime: Duration) -> Self {
        self.cache = (!lifetime.is_zero()).then(|| Arc::new(DecryptCache { lifetime, entries: Mutex::default() }));
        self
    }

    /// The CMK id.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    fn provider_error(error: crate::Error) -> oss_cse_envelope::Error {
        oss_cse_envelope::Error::Provider { provider: "kms", retryable: error.is_retryable(), source: Box::new(error) }
    }

    async fn decrypt(&self, blob: &str) -> Result<Zeroizing<String>, oss_cse_envelope::Error> {
        if let Some(hit) = self.cache.as_ref().and_then(|c| c.get(blob, &self.context)) {
            return Ok(hit);
        }
        let plaintext = self.client.decrypt(blob, &self.context).await.map_err(Self::provider_error)?;
        if let Some(cache) = &self.cache {
            cache.put(blob, &self.context, &plaintext);
        }
        Ok(plaintext)
    }

    async fn encrypt(
        &self,
        plaintext: &str,
        layout: KmsLayout,
        what: WrappedValue,
    ) -> Result<Vec<u8>, oss_cse_envelope::Error> {
        let blob = self.client.encrypt(&self.key_id, plaintext, &self.context).await.map_err(Self::provider_error)?;
        wrapped_from_blob(&blob, layout, what)
    }

    /// V1 stored blobs as they are; V2 uses the configured layout.
    fn layout_for(&self, format: Format) -> KmsLayout {
        match format {
            Format::V1 => KmsLayout::BlobText,
            Format::V2 => self.layout,
        }
    }
}

#[async_trait]
impl MasterKey for KmsMasterKey {
    fn wrap_algorithm(&self) -> WrapAlgorithm {
        WrapAlgorithm::KmsAliCloud
    }

    fn material_description(&self) -> Option<&MaterialDescription> {
        self.material_description.as_ref()
    }

    fn fingerprint(&self) -> Option<String> {
        Some(format!("kms:{}:{:?}", self.key_id, self.layout))
    }

    async fn wrap(
        &self,
        material: &ContentMaterial,
        format: Format,
    ) -> Result<WrappedMaterial, oss_cse_envelope::Error> {
        let layout = self.layout_for(format);
        let key_text = kms_plaintext(material, WrappedValue::DataKey, format);
        let start_text = kms_plaintext(material, WrappedValue::Start, format);
        let (wrapped_key, wrapped_start) = futures_util::future::try_join(
            self.encrypt(&key_text, layout, WrappedValue::DataKey),
            self.encrypt(&start_text, layout, WrappedValue::Start),
        )
        .await?;
        Ok(WrappedMaterial { algorithm: WrapAlgorithm::KmsAliCloud, wrapped_key, wrapped_start })
    }

    async fn new_material(
        &self,
        fresh: ContentMaterial,
        format: Format,
    ) -> Result<(ContentMaterial, WrappedMaterial), oss_cse_envelope::Error> {
        if !self.generate_data_key {
            let wrapped = self.wrap(&fresh, format).await?;
            return Ok((fresh, wrapped));
        }
        // oss2's way: KMS makes the data key, Encrypt wraps the IV.
        let layout = self.layout_for(format);
        let generated =
            self.client.generate_data_key(&self.key_id, 32, &self.context).await.map_err(Self::provider_error)?;
        let raw = Zeroizing::new(
            STANDARD
                .decode(generated.plaintext.trim())
                .map_err(|_| oss_cse_envelope::Error::KmsPlaintextNotBase64 { what: WrappedValue::DataKey })?,
        );
        let key = DataKey::from_slice(&raw)
            .map_err(|source| oss_cse_envelope::Error::MalformedUnwrap { what: WrappedValue::DataKey, source })?;
        let wrapped_key = wrapped_from_blob(&generated.ciphertext_blob, layout, WrappedValue::DataKey)?;
        let material = ContentMaterial::new(
            key,
            oss_cse_core::Iv::from_slice(fresh.iv().expose_secret())
                .map_err(|source| oss_cse_envelope::Error::MalformedUnwrap { what: WrappedValue::Start, source })?,
        );
        let start_text = kms_plaintext(&material, WrappedValue::Start, format);
        let wrapped_start = self.encrypt(&start_text, layout, WrappedValue::Start).await?;
        Ok((material, WrappedMaterial { algorithm: WrapAlgorithm::KmsAliCloud, wrapped_key, wrapped_start }))
    }

    async fn unwrap(&self, envelope: &Envelope) -> Result<ContentMaterial, oss_cse_envelope::Error> {
        let algorithm = envelope.wrapped.algorithm;
        if algorithm != WrapAlgorithm::KmsAliCloud {
            return Err(oss_cse_envelope::Error::IncompatibleMasterKey { key: "KMS", algorithm });
        }
        let (key_blob, _) = ciphertext_blob(&envelope.wrapped.wrapped_key, WrappedValue::DataKey)?;
        let (start_blob, _) = ciphertext_blob(&envelope.wrapped.wrapped_start, WrappedValue::Start)?;
        let (key, start) = futures_util::future::try_join(self.decrypt(&key_blob), self.decrypt(&start_blob)).await?;
        material_from_kms_plaintexts(&key, &start, envelope.format)
    }
}
