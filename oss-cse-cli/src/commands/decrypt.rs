//! `oss-cse decrypt`: a ciphertext fetched by any tool decrypted offline,
//! given its `x-oss-meta-*` headers as JSON; the key ring's authentication
//! applies as to a download.

use std::path::Path;

use anyhow::{Context, bail};
use oss_cse_client::envelope::Envelope;
use serde_json::json;

use crate::files::{self, Output, open_input, refuse_shared_meta, transform};
use crate::keys::KeyArgs;
use crate::session::Session;

pub(crate) async fn decrypt(
    session: &Session,
    input: &str,
    output: &str,
    meta: &Path,
    keys: &KeyArgs,
) -> anyhow::Result<()> {
    refuse_shared_meta(input, output, meta, "--meta")?;
    let text = files::read_bounded(meta, "envelope file", files::MAX_SMALL_FILE)?;
    let headers: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).with_context(|| format!("{} is not a JSON object of headers", meta.display()))?;
    let pairs: Vec<(String, String)> = headers
        .into_iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(v) => Ok((k, v)),
            _ => bail!("{}: header {k} is not a string", meta.display()),
        })
        .collect::<anyhow::Result<_>>()?;
    let envelope = Envelope::from_headers(pairs.iter().map(|(k, v)| (k.as_str(), v.as_bytes())))?
        .with_context(|| format!("{} holds no client-side encryption headers", meta.display()))?;
    let keys = session.keys(keys, &session.credentials_or_none())?;
    // The key ring's [authentication] applies here as to a whole GET (the
    // object's name is not known offline: a name-bound signature fails).
    oss_cse_client::check_authentication_headers(&keys.authentication, input, ("", ""), Some(&envelope))?;
    let material = keys.ring.open(&envelope, keys.matching).await?;
    let (mut reader, len) = open_input(input).await?;
    if let (Some(len), Some(expected)) = (len, envelope.unencrypted_content_length) {
        if len != expected {
            bail!("{input} is {len} bytes but the envelope records {expected}");
        }
    }
    let mut out = Output::create(output)?;
    let mut hasher = envelope.auth_tag.as_ref().map(|_| oss_cse_client::core::auth::ChunkHasher::new(0));
    let written = transform(reader.as_mut(), &mut out, &mut material.cipher(), hasher.as_mut()).await?;
    if let Some(hasher) = hasher {
        // Checked before the output file appears (standard output has had the bytes).
        oss_cse_client::check_content_tag(input, &material, &envelope, written, hasher)?;
    }
    out.sync().await?;
    out.persist()?;
    if output != "-" {
        session.print(json!({"bytes": written}), &format!("decrypted {written} bytes"))?;
    }
    Ok(())
}
