//! A store over a fresh emulator bucket, with the vectors' RSA key pair.
#![allow(dead_code)]

pub mod counting;
pub mod counting_key;

use std::path::PathBuf;
use std::sync::Arc;

use object_store::ObjectStore;
use oss_cse_client::envelope::{KeyRing, RsaMasterKey};
use oss_cse_client::{ClientConfig, Credentials, EncryptionClient, EncryptionOptions, OssClient, RetryPolicy};
use oss_cse_emulator::{Emulator, EmulatorConfig};
use oss_cse_object_store::OssCseStore;

pub const BUCKET: &str = "store-bucket";

#[allow(dead_code, missing_debug_implementations)]
pub struct Harness {
    pub emulator: Emulator,
    pub oss: OssClient,
    pub store: OssCseStore,
    pub dir: tempfile::TempDir,
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn key_ring() -> KeyRing {
    KeyRing::new(rsa_key())
}

/// The vectors' key pair `key1`.
pub fn rsa_key() -> RsaMasterKey {
    let pem = |name: &str| std::fs::read_to_string(repo().join("vectors/keys").join(name)).unwrap();
    RsaMasterKey::from_pem(Some(&pem("key1_public_spki.pem")), Some(&pem("key1_private_pkcs1.pem"))).unwrap()
}

pub async fn start() -> Harness {
    start_with(EncryptionOptions::default()).await
}

pub async fn start_with(options: EncryptionOptions) -> Harness {
    start_with_ring(options, key_ring()).await
}

pub async fn start_with_ring(options: EncryptionOptions, ring: KeyRing) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    // As strict as OSS about encrypted objects: no metadata change by
    // CopyObject (0005-00000421), parts carrying the envelope.
    let config = EmulatorConfig::new(&dir.path().join("emulator")).strict_upload_part(true).strict_cse_copy(true);
    let emulator = Emulator::start(config).await.unwrap();
    let config = ClientConfig::new(
        &emulator.endpoint(),
        Credentials::new(emulator.access_key_id(), emulator.access_key_secret()),
    )
    .unwrap()
    .retry(RetryPolicy { base_delay: std::time::Duration::from_millis(2), ..RetryPolicy::default() });
    let oss = OssClient::new(config).unwrap();
    oss.put_bucket(BUCKET).await.unwrap();
    let client = EncryptionClient::new(oss.clone(), ring).with_options(options).unwrap();
    let store = OssCseStore::new(client, BUCKET);
    Harness { emulator, oss, store, dir }
}

impl Harness {
    pub fn dyn_store(&self) -> Arc<dyn ObjectStore> {
        Arc::new(self.store.clone())
    }
}
