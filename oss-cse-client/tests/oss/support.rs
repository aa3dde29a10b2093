use oss_cse_client::{ClientConfig, Credentials, OssClient, RetryPolicy};
use oss_cse_emulator::{Emulator, EmulatorConfig};

pub struct Harness {
    pub emulator: Emulator,
    pub client: OssClient,
    pub _dir: tempfile::TempDir,
}

pub const BUCKET: &str = "test-bucket";

pub async fn start() -> Harness {
    start_with(|config| config).await
}

pub async fn start_with(adjust: impl FnOnce(ClientConfig) -> ClientConfig) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let emulator = Emulator::start(EmulatorConfig::new(dir.path())).await.unwrap();
    let config = ClientConfig::new(
        &emulator.endpoint(),
        Credentials::new(emulator.access_key_id(), emulator.access_key_secret()),
    )
    .unwrap()
    .retry(RetryPolicy { base_delay: std::time::Duration::from_millis(5), ..RetryPolicy::default() });
    let client = OssClient::new(adjust(config)).unwrap();
    client.put_bucket(BUCKET).await.unwrap();
    Harness { emulator, client, _dir: dir }
}

/// Deterministic test bytes.
pub fn data(len: usize, seed: u8) -> Vec<u8> {
    (0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed) ^ (i >> 8) as u8).collect()
}
