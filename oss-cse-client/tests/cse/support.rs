use std::path::PathBuf;

use oss_cse_client::envelope::{KeyRing, MaterialDescription, RsaMasterKey};
use oss_cse_client::{ClientConfig, Credentials, EncryptionClient, EncryptionOptions, OssClient, RetryPolicy};
use oss_cse_emulator::{Emulator, EmulatorConfig};

pub const BUCKET: &str = "cse-bucket";

pub struct Harness {
    pub emulator: Emulator,
    pub oss: OssClient,
    pub _dir: tempfile::TempDir,
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn pem(name: &str) -> String {
    std::fs::read_to_string(repo().join("vectors/keys").join(name)).unwrap()
}

/// RSA key `key1`/`key2` of the vectors, both halves.
pub fn rsa(name: &str, matdesc: Option<&str>) -> RsaMasterKey {
    let key = RsaMasterKey::from_pem(
        Some(&pem(&format!("{name}_public_spki.pem"))),
        Some(&pem(&format!("{name}_private_pkcs1.pem"))),
    )
    .unwrap();
    match matdesc {
        Some(desc) => key.with_material_description(MaterialDescription::new().with("desc", desc)),
        None => key,
    }
}

pub async fn start() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let emulator = Emulator::start(EmulatorConfig::new(&dir.path().join("emulator"))).await.unwrap();
    let config = ClientConfig::new(
        &emulator.endpoint(),
        Credentials::new(emulator.access_key_id(), emulator.access_key_secret()),
    )
    .unwrap()
    .retry(RetryPolicy { base_delay: std::time::Duration::from_millis(2), ..RetryPolicy::default() });
    let oss = OssClient::new(config).unwrap();
    oss.put_bucket(BUCKET).await.unwrap();
    Harness { emulator, oss, _dir: dir }
}

impl Harness {
    pub fn client(&self, ring: KeyRing) -> EncryptionClient {
        EncryptionClient::new(self.oss.clone(), ring)
    }

    pub fn client_with(&self, ring: KeyRing, options: EncryptionOptions) -> EncryptionClient {
        EncryptionClient::new(self.oss.clone(), ring).with_options(options).unwrap()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self._dir.path().join(name)
    }
}

/// The vectors' plaintext generator.
pub fn mod251(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

pub fn small_parts() -> EncryptionOptions {
    EncryptionOptions {
        part_size: 100 * 1024,
        parallel: 3,
        multipart_threshold: 200 * 1024,
        ..EncryptionOptions::default()
    }
}
