//! "How do I keep the data keys under a KMS CMK instead of my own RSA key?"
//!
//! `cargo run -p oss-cse-client --example kms`

mod common;

use std::time::Duration;

use oss_cse_client::envelope::KeyRing;
use oss_cse_client::kms::{KmsClient, KmsConfig, KmsEndpoint, KmsMasterKey};
use oss_cse_client::{EncryptionClient, PutOptions};

#[tokio::main]
async fn main() -> common::BoxResult<()> {
    let local = common::local_oss().await?;
    // On Alibaba Cloud: KmsEndpoint::Region("cn-hangzhou".into()), and the
    // same credentials as OSS (CredentialChain::new().resolve()?).
    let kms = KmsClient::new(KmsConfig::new(KmsEndpoint::Url(local.emulator.kms_endpoint()), local.credentials()))?;
    // One GenerateDataKey per object written; Decrypt results are cached
    // (five minutes by default) so that reading many objects costs one call.
    let cmk = KmsMasterKey::new(kms, "alias/records").with_cache_lifetime(Duration::from_secs(60));
    let client = EncryptionClient::new(local.oss.clone(), KeyRing::new(cmk));

    client.put_object("records", "lab/7.csv", b"sample,result\n7,negative\n".to_vec(), &PutOptions::default()).await?;
    let got = client.get_object("records", "lab/7.csv", None).await?;
    let envelope = got.envelope.clone().ok_or("not encrypted")?;
    println!("wrapped by {} ({} bytes of wrapped key)", envelope.wrapped.algorithm, envelope.wrapped.wrapped_key.len());
    assert_eq!(got.body.collect().await?, b"sample,result\n7,negative\n");
    local.emulator.shutdown().await;
    Ok(())
}

#[cfg(test)]
#[test]
fn example_runs() {
    main().unwrap_or_else(|e| panic!("{e}"));
}
