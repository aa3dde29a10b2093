//! `oss-cse stat`: an object's size, envelope and encryption, no secrets.

use anyhow::Context;
use serde_json::json;

use crate::session::Session;
use crate::target::parse_object;

pub(crate) async fn stat(session: &Session, url: &str) -> anyhow::Result<()> {
    let (bucket, key) = parse_object(url)?;
    let meta = session.oss_client()?.head_object(&bucket, &key).await?;
    let envelope = meta.envelope().with_context(|| format!("{url}: malformed envelope"))?;
    let encryption = envelope.as_ref().map(|e| {
        json!({
            "format": e.format.to_string(),
            "content_algorithm": "AES/CTR/NoPadding",
            "wrap_algorithm": e.wrapped.algorithm.to_string(),
            "matdesc": e.material_description.as_ref().map(|m| m.to_json()),
            "wrapped_key_bytes": e.wrapped.wrapped_key.len(),
            "unencrypted_content_length": e.unencrypted_content_length,
            "unencrypted_content_md5": e.unencrypted_content_md5,
            "data_size": e.data_size,
            "part_size": e.part_size,
        })
    });
    let value = json!({
        "url": url,
        "size": meta.content_length,
        "etag": meta.etag,
        "crc64": meta.crc64.map(|c| c.to_string()),
        "last_modified": meta.last_modified,
        "server_side_encryption": meta.server_side_encryption.as_ref().map(ToString::to_string),
        "client_side_encryption": encryption,
    });
    let mut text = format!("{url}\n  size: {} bytes\n  etag: {}\n", meta.content_length, meta.etag.unwrap_or_default());
    match &envelope {
        Some(e) => {
            text.push_str(&format!(
                "  client-side encryption: format {}, AES/CTR/NoPadding, key wrapped with {}\n",
                e.format, e.wrapped.algorithm
            ));
            text.push_str(&format!(
                "  matdesc: {}\n",
                oss_cse_client::envelope::MaterialDescription::describe(e.material_description.as_ref())
            ));
            if let Some(len) = e.unencrypted_content_length {
                text.push_str(&format!("  plaintext length: {len}\n"));
            }
            if let (Some(data), Some(part)) = (e.data_size, e.part_size) {
                text.push_str(&format!("  multipart: {data} bytes in parts of {part}\n"));
            }
        }
        None => text.push_str("  client-side encryption: none\n"),
    }
    text.push_str(&format!(
        "  server-side encryption: {}",
        meta.server_side_encryption.map_or("none".into(), |s| s.to_string())
    ));
    session.print(value, &text)
}
