//! What the examples share: an OSS + KMS emulator started in this process,
//! standing in for Alibaba Cloud, with a bucket named `records`. In an
//! application the endpoint is `ClientConfig::for_region("cn-hangzhou", ...)`
//! and the credentials come from `CredentialChain::new().resolve()?`.

// Each example uses part of this.
#![allow(dead_code)]

use oss_cse_client::{ClientConfig, Credentials, OssClient};
use oss_cse_emulator::{Emulator, EmulatorConfig};

pub type BoxResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// The emulator, a plain client of it, and its scratch directory.
pub struct LocalOss {
    pub emulator: Emulator,
    pub oss: OssClient,
    pub dir: tempfile::TempDir,
}

impl LocalOss {
    /// The credentials the emulator accepts.
    pub fn credentials(&self) -> Credentials {
        Credentials::new(self.emulator.access_key_id(), self.emulator.access_key_secret())
    }
}

/// Starts the emulator and creates the bucket `records`.
pub async fn local_oss() -> BoxResult<LocalOss> {
    let dir = tempfile::tempdir()?;
    let emulator = Emulator::start(EmulatorConfig::new(&dir.path().join("oss"))).await?;
    let credentials = Credentials::new(emulator.access_key_id(), emulator.access_key_secret());
    let oss = OssClient::new(ClientConfig::new(&emulator.endpoint(), credentials)?)?;
    oss.put_bucket("records").await?;
    Ok(LocalOss { emulator, oss, dir })
}
