//! "Two teams encrypt with their own keys; how does one reader open both
//! teams' objects, and how is the right key found?" By the material
//! description (matdesc) stored with each object.
//!
//! `cargo run -p oss-cse-client --example several_keys`

mod common;

use std::sync::Arc;

use oss_cse_client::envelope::{KeyRing, MasterKey, MaterialDescription, RsaMasterKey};
use oss_cse_client::{EncryptionClient, PutOptions};

/// A team's key pair, labelled with the team's name. Shared (`Arc`) so that
/// one key can sit in several rings.
fn team_key(team: &str) -> common::BoxResult<Arc<dyn MasterKey>> {
    let (key, _, _) = RsaMasterKey::generate(2048)?;
    Ok(Arc::new(key.with_material_description(MaterialDescription::new().with("team", team))))
}

#[tokio::main]
async fn main() -> common::BoxResult<()> {
    let local = common::local_oss().await?;
    let (cardiology, oncology) = (team_key("cardiology")?, team_key("oncology")?);

    // Each team writes with its own key...
    let writer_a = EncryptionClient::new(local.oss.clone(), KeyRing::from_shared(cardiology.clone()));
    let writer_b = EncryptionClient::new(local.oss.clone(), KeyRing::from_shared(oncology.clone()));
    writer_a.put_object("records", "cardiology/1", b"ECG normal".to_vec(), &PutOptions::default()).await?;
    writer_b.put_object("records", "oncology/1", b"scan clear".to_vec(), &PutOptions::default()).await?;

    // ...and an auditor holding both reads either: the ring tries the key
    // whose matdesc matches the object's first.
    let auditor_ring = KeyRing::from_shared(cardiology.clone()).with_shared_decrypting_key(oncology);
    let auditor = EncryptionClient::new(local.oss.clone(), auditor_ring);
    for key in ["cardiology/1", "oncology/1"] {
        let got = auditor.get_object("records", key, None).await?;
        let matdesc = got.envelope.as_ref().and_then(|e| e.material_description.clone()).unwrap_or_default();
        println!("{key}: matdesc {} -> {:?}", matdesc.to_json(), String::from_utf8(got.body.collect().await?)?);
    }

    // A reader with only one team's key cannot open the other's objects.
    let only_a = EncryptionClient::new(local.oss.clone(), KeyRing::from_shared(cardiology));
    assert!(only_a.get_object("records", "cardiology/1", None).await.is_ok());
    assert!(only_a.get_object("records", "oncology/1", None).await.is_err());
    local.emulator.shutdown().await;
    Ok(())
}

#[cfg(test)]
#[test]
fn example_runs() {
    main().unwrap_or_else(|e| panic!("{e}"));
}
