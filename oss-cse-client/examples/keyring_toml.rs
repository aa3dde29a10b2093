//! "My keys are described in a file (the one `oss-cse --keyring` reads):
//! how do I load the same key ring in my program?" With the `keyring-file`
//! feature.
//!
//! `cargo run -p oss-cse-client --features keyring-file --example keyring_toml`

mod common;

use oss_cse_client::envelope::{Compat, RsaMasterKey};
use oss_cse_client::keyring_file::{KeyRingFile, KmsSettings};
use oss_cse_client::{EncryptionClient, PutOptions};

#[tokio::main]
async fn main() -> common::BoxResult<()> {
    let local = common::local_oss().await?;
    let dir = local.dir.path();
    // Two key pairs: this year's encrypts, last year's still decrypts.
    for name in ["key-2026", "key-2025"] {
        let (_, public, private) = RsaMasterKey::generate(2048)?;
        std::fs::write(dir.join(format!("{name}.pub.pem")), public)?;
        std::fs::write(dir.join(format!("{name}.pem")), private.as_bytes())?;
    }
    let ring_path = dir.join("keyring.toml");
    std::fs::write(
        &ring_path,
        format!(
            r#"compat = "oss2"

[encrypt]
rsa_public_key = "key-2026.pub.pem"
rsa_private_key = "key-2026.pem"
matdesc = {{ desc = "key-2026" }}

[[decrypt]]
rsa_private_key = "key-2025.pem"
matdesc = {{ desc = "key-2025" }}

[[decrypt]]
kms_key_id = "alias/archive"
kms_endpoint = "{}"
"#,
            local.emulator.kms_endpoint()
        ),
    )?;

    let file = KeyRingFile::load(&ring_path)?;
    let compat = file.compat()?.unwrap_or(Compat::Oss2);
    let ring = file.key_ring(&KmsSettings::new(local.credentials()), compat)?;
    println!("{} keys loaded from {}", ring.keys().count(), ring_path.display());

    let client = EncryptionClient::new(local.oss.clone(), ring);
    client.put_object("records", "2026/a.txt", b"written with key-2026".to_vec(), &PutOptions::default()).await?;
    let got = client.get_object("records", "2026/a.txt", None).await?;
    let matdesc = got.envelope.as_ref().and_then(|e| e.material_description.clone()).unwrap_or_default();
    println!("matdesc {}", matdesc.to_json());
    assert_eq!(got.body.collect().await?, b"written with key-2026");
    local.emulator.shutdown().await;
    Ok(())
}

#[cfg(test)]
#[test]
fn example_runs() {
    main().unwrap_or_else(|e| panic!("{e}"));
}
