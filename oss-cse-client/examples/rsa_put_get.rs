//! "How do I encrypt an object with my own RSA key pair, and read it back?"
//!
//! `cargo run -p oss-cse-client --example rsa_put_get`

mod common;

use oss_cse_client::envelope::{KeyRing, RsaMasterKey};
use oss_cse_client::{EncryptionClient, PutOptions};

#[tokio::main]
async fn main() -> common::BoxResult<()> {
    let local = common::local_oss().await?;
    // Your key pair, as PEM files (`oss-cse keygen --out records` writes one).
    let (_, public_pem, private_pem) = RsaMasterKey::generate(2048)?;
    let key = RsaMasterKey::from_pem(Some(&public_pem), Some(&private_pem))?;
    let client = EncryptionClient::new(local.oss.clone(), KeyRing::new(key));

    let record = br#"{"patient": 42, "blood": "AB-"}"#;
    client.put_object("records", "patients/42.json", record.to_vec(), &PutOptions::default()).await?;

    // What OSS holds is ciphertext, with the wrapped key in its metadata.
    let stored = local.oss.get_object("records", "patients/42.json", &Default::default()).await?;
    assert!(stored.meta.envelope()?.is_some(), "the wrapped key and IV are in the object's metadata");
    assert_ne!(stored.body.collect().await?, record, "OSS holds only ciphertext");

    let got = client.get_object("records", "patients/42.json", None).await?;
    assert_eq!(got.body.collect().await?, record);
    println!("decrypted: {}", String::from_utf8_lossy(record));
    local.emulator.shutdown().await;
    Ok(())
}

#[cfg(test)]
#[test]
fn example_runs() {
    main().unwrap_or_else(|e| panic!("{e}"));
}
