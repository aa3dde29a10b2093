//! `oss-cse encrypt`: a local file encrypted offline, its envelope written
//! to a JSON file of `x-oss-meta-*` headers.

use std::path::Path;

use anyhow::Context;
use oss_cse_client::core::ContentMaterial;
use oss_cse_client::envelope::{Envelope, Format};
use serde_json::json;

use crate::files::{self, Output, open_input, refuse_shared_meta, transform};
use crate::keys::KeyArgs;
use crate::session::Session;

pub(crate) async fn encrypt(
    session: &Session,
    input: &str,
    output: &str,
    meta_out: &Path,
    v1: bool,
    keys: &KeyArgs,
) -> anyhow::Result<()> {
    refuse_shared_meta(input, output, meta_out, "--meta-out")?;
    let keys = session.keys(keys, &session.credentials()?)?;
    let key =
        keys.ring.encrypting_key().context("encrypt needs a key to encrypt with: --rsa-public-key or --kms-key-id")?;
    let format = if v1 { Format::V1 } else { Format::V2 };
    let fresh = ContentMaterial::generate(&mut rand_rng());
    let (material, wrapped) = key.new_material(fresh, format).await?;
    let (mut reader, len) = open_input(input).await?;
    let mut envelope = Envelope::new(format, wrapped);
    envelope.material_description =
        key.material_description().map(|md| md.clone().in_style(keys.compat.matdesc_style()));
    envelope.unencrypted_content_length = len;
    // The ciphertext goes to a temporary file (in-place encryption reads the
    // whole input before anything replaces it); the envelope is made durable
    // before the ciphertext is renamed into place, so no failure leaves a
    // ciphertext without its key.
    let mut out = Output::create(output)?;
    let written = transform(reader.as_mut(), &mut out, &mut material.cipher(), None).await?;
    out.sync().await?;
    let headers: serde_json::Map<String, serde_json::Value> =
        envelope.to_headers()?.into_iter().map(|(k, v)| (k.to_owned(), serde_json::Value::String(v))).collect();
    files::write_atomically(meta_out, serde_json::to_string_pretty(&headers)?.as_bytes())?;
    if let Err(error) = out.persist() {
        let _ = std::fs::remove_file(meta_out);
        return Err(error);
    }
    if output != "-" {
        session.print(
            json!({"bytes": written, "meta": meta_out}),
            &format!("encrypted {written} bytes; envelope in {}", meta_out.display()),
        )?;
    }
    Ok(())
}

/// The operating system's generator, which data keys and IVs come from.
fn rand_rng() -> impl oss_cse_client::core::rand_core::CryptoRng {
    oss_cse_client::core::rand_core::UnwrapErr(oss_cse_client::SysRng)
}
