//! What the writes share: receiving a body (hashed, sized, encrypted at
//! rest), the headers kept, the SSE asked for, object names, ranges, copy
//! sources, and the commit that honours x-oss-forbid-overwrite.

use std::path::{Path, PathBuf};

use axum::body::Body;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use crc_fast::{CrcAlgorithm, Digest as Crc};
use futures_util::StreamExt as _;
use md5::{Digest as _, Md5};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use super::{App, CHUNK, Ctx, KEPT_HEADERS, MAX_USER_METADATA, bad, decode};
use crate::error::OssError;
use crate::store::{AtRest, BucketRecord, ObjectRecord, Sse};

/// The SSE a write asks for, else the bucket default.
pub(super) fn requested_sse(app: &App, ctx: &Ctx, bucket: &BucketRecord) -> Result<Option<Sse>, OssError> {
    let coded = |ec: &str, message: &str| bad("InvalidArgument", message).with_ec(ec);
    let key_id = ctx.header("x-oss-server-side-encryption-key-id");
    if let Some(context) = ctx.header("x-oss-server-side-encryption-context") {
        if key_id.is_none_or(str::is_empty) {
            return Err(coded("0005-00000228", "An encryption context needs x-oss-server-side-encryption-key-id."));
        }
        let decoded = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, context.trim()).ok();
        let json = |bytes: &[u8]| serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(bytes).is_ok();
        if !json(context.as_bytes()) && !decoded.is_some_and(|d| json(&d)) {
            return Err(coded("0005-00000230", "x-oss-server-side-encryption-context is not valid JSON."));
        }
    }
    match ctx.header("x-oss-server-side-encryption") {
        Some(algorithm) => {
            if algorithm.eq_ignore_ascii_case("KMS") {
                match key_id {
                    Some(id) if id.trim().is_empty() => {
                        return Err(coded("0005-00000205", "x-oss-server-side-encryption-key-id is empty."));
                    }
                    Some(id) if app.kms.key_missing(id) => {
                        return Err(coded("0005-00000208", "The specified KMS key does not exist."));
                    }
                    _ => {}
                }
            }
            let sse = Sse::parse(algorithm, key_id, ctx.header("x-oss-server-side-data-encryption"));
            Ok(Some(sse.map_err(|why| bad("InvalidArgument", why))?))
        }
        // A key id alone is refused; SM4 data encryption alone is ignored,
        // as oss2's own suite (run against OSS) expects.
        None if ctx.header("x-oss-server-side-encryption-key-id").is_some() => {
            Err(bad("InvalidArgument", "Server-side encryption options need x-oss-server-side-encryption: KMS."))
        }
        None => Ok(bucket.encryption.clone()),
    }
}

/// The headers OSS keeps with an object, checked for size.
pub(super) fn kept_headers(ctx: &Ctx) -> Result<Vec<(String, String)>, OssError> {
    let kept: Vec<(String, String)> = ctx
        .headers
        .iter()
        .filter(|(k, _)| k.starts_with("x-oss-meta-") || KEPT_HEADERS.contains(&k.as_str()))
        .cloned()
        .collect();
    let user: usize = kept.iter().filter(|(k, _)| k.starts_with("x-oss-meta-")).map(|(k, v)| k.len() + v.len()).sum();
    if user > MAX_USER_METADATA {
        return Err(bad("MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size."));
    }
    Ok(kept)
}

/// What `receive` measured of a body it stored.
pub(super) struct Received {
    pub(super) path: PathBuf,
    pub(super) size: u64,
    pub(super) md5: [u8; 16],
    pub(super) crc64: u64,
}

/// Streams a request body to a new data file, hashing the bytes as sent and
/// encrypting them at rest when asked. Checks Content-Length and Content-MD5.
pub(super) async fn receive(app: &App, ctx: &Ctx, body: Body, at_rest: Option<&AtRest>) -> Result<Received, OssError> {
    let path = app.store.new_data_path(ctx.bucket()).await?;
    let result = receive_into(app, ctx, body, at_rest, &path).await;
    if result.is_err() {
        let _ = tokio::fs::remove_file(&path).await;
    }
    result.map(|(size, md5, crc64)| Received { path, size, md5, crc64 })
}

pub(super) async fn receive_into(
    app: &App,
    ctx: &Ctx,
    body: Body,
    at_rest: Option<&AtRest>,
    path: &Path,
) -> Result<(u64, [u8; 16], u64), OssError> {
    let internal = |e: std::io::Error| OssError::new(500, "InternalError", &e.to_string());
    let mut file = tokio::fs::File::create(path).await.map_err(internal)?;
    let mut cipher = at_rest.map(|a| app.store.at_rest_cipher(a)).transpose()?;
    let mut md5 = Md5::new();
    // In benchmark mode only a Content-MD5 to check is worth an MD5 pass.
    let hash_md5 = app.store.durable || ctx.header("content-md5").is_some();
    let mut crc = Crc::new(CrcAlgorithm::Crc64Xz);
    let mut size = 0u64;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| bad("IncompleteBody", "The request body terminated unexpectedly."))?;
        if hash_md5 {
            md5.update(&chunk);
        }
        crc.update(&chunk);
        size += chunk.len() as u64;
        match cipher.as_mut() {
            Some(cipher) => {
                let mut stored = chunk.to_vec();
                cipher.apply(&mut stored);
                file.write_all(&stored).await.map_err(internal)?;
            }
            None => file.write_all(&chunk).await.map_err(internal)?,
        }
    }
    // The flush reports an error of the last buffered write (a full disk).
    file.flush().await.map_err(internal)?;
    if app.store.durable {
        file.sync_all().await.map_err(internal)?;
    }
    if let Some(expected) = ctx.header("content-length").and_then(|v| v.parse::<u64>().ok()) {
        if expected != size {
            return Err(bad("IncompleteBody", "The request body size does not match Content-Length."));
        }
    }
    let crc = crc.finalize();
    let md5: [u8; 16] = if hash_md5 {
        md5.finalize().into()
    } else {
        let half = crc.to_be_bytes();
        std::array::from_fn(|i| half[i % 8] ^ (i / 8) as u8)
    };
    if let Some(given) = ctx.header("content-md5") {
        if STANDARD.decode(given.trim()).ok().as_deref() != Some(md5.as_slice()) {
            return Err(bad("InvalidDigest", "The Content-MD5 you specified did not match what we received."));
        }
    }
    Ok((size, md5, crc))
}

/// Parses a Range header against an object size: `Ok(None)` = whole object.
pub(super) fn parse_range(value: &str, size: u64, standard: bool) -> Result<Option<(u64, u64)>, OssError> {
    let not_satisfiable = || OssError::new(416, "InvalidRange", "The requested range is not satisfiable.");
    let Some(spec) = value.trim().strip_prefix("bytes=") else {
        return if standard { Err(not_satisfiable()) } else { Ok(None) };
    };
    let parsed = spec.split_once('-').and_then(|(s, e)| {
        let s = s.trim();
        let e = e.trim();
        match (s.is_empty(), e.is_empty()) {
            (true, false) => e.parse::<u64>().ok().map(|n| (size.saturating_sub(n), size.checked_sub(1), n == 0)),
            (false, _) => {
                let start = s.parse::<u64>().ok()?;
                let end = if e.is_empty() {
                    size.checked_sub(1)
                } else {
                    Some(e.parse::<u64>().ok()?.min(size.saturating_sub(1)))
                };
                let invalid = !e.is_empty() && e.parse::<u64>().ok()? < start;
                Some((start, end, invalid))
            }
            _ => None,
        }
    });
    match parsed {
        Some((start, Some(end), false)) if start < size && start <= end => Ok(Some((start, end))),
        // OSS without standard behaviour ignores a range it cannot serve.
        _ if !standard => Ok(None),
        _ => Err(not_satisfiable()),
    }
}

/// OSS's rules for the name of an object being written: at most 1,023 bytes,
/// not beginning with a backslash (a leading '/' never reaches the key: it
/// is the path's own).
pub(super) fn check_object_name(key: &str) -> Result<(), OssError> {
    if key.len() > 1023 {
        return Err(bad("KeyTooLong", "Your key is too long."));
    }
    if key.starts_with('\\') {
        return Err(bad("InvalidObjectName", "The specified object name is not valid."));
    }
    Ok(())
}

/// Makes `record` (data at `path`) the object, unless the request says
/// `x-oss-forbid-overwrite: true` and the key exists: then 409
/// FileAlreadyExists and the new data is removed. Checked and committed under
/// the store lock, so two such writes cannot both win.
pub(super) async fn commit(app: &App, ctx: &Ctx, record: ObjectRecord, path: &Path) -> Result<(), OssError> {
    let _guard = app.store.lock.lock().await;
    commit_locked(app, ctx, record, path).await
}

/// [`commit`] for a caller that holds the store lock.
pub(super) async fn commit_locked(app: &App, ctx: &Ctx, record: ObjectRecord, path: &Path) -> Result<(), OssError> {
    if let Err(refused) = check_overwrite(app, ctx, &record.key).await {
        let _ = tokio::fs::remove_file(path).await;
        return Err(refused);
    }
    Ok(app.store.commit_object(ctx.bucket(), record, path).await?)
}

/// 409 FileAlreadyExists when the request says `x-oss-forbid-overwrite:
/// true` and `key` exists. PutObject, CopyObject, CompleteMultipartUpload
/// and InitiateMultipartUpload take the header
/// (<https://www.alibabacloud.com/help/en/oss/developer-reference/initiatemultipartupload>).
pub(super) async fn check_overwrite(app: &App, ctx: &Ctx, key: &str) -> Result<(), OssError> {
    let forbid = ctx.header("x-oss-forbid-overwrite").is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    if forbid && app.store.object(ctx.bucket(), key).await.is_ok() {
        return Err(OssError::new(
            409,
            "FileAlreadyExists",
            "The object you specified already exists and can not be overwritten.",
        ));
    }
    Ok(())
}

/// The bucket and key `x-oss-copy-source` names.
pub(super) fn copy_source(ctx: &Ctx) -> Result<(String, String), OssError> {
    let source = decode(ctx.header("x-oss-copy-source").unwrap_or_default().trim_start_matches('/'));
    source
        .split_once('/')
        .map(|(b, k)| (b.to_owned(), k.to_owned()))
        .ok_or_else(|| bad("InvalidArgument", "x-oss-copy-source is not /bucket/key."))
}

/// Appends the bytes stored at `from` to `output`: decrypted from their
/// at-rest key (`decrypt`), fed to `md5` when given, then encrypted under
/// `encrypt` (whose keystream continues from call to call). What copies,
/// Complete and appends share.
pub(super) async fn pipe_stored(
    from: &Path,
    mut decrypt: Option<crate::store::AtRestCipher>,
    output: &mut tokio::fs::File,
    encrypt: &mut Option<crate::store::AtRestCipher>,
    mut md5: Option<&mut Md5>,
) -> Result<(), OssError> {
    let internal = |e: std::io::Error| OssError::new(500, "InternalError", &e.to_string());
    let mut input = tokio::fs::File::open(from).await.map_err(internal)?;
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = input.read(&mut buf).await.map_err(internal)?;
        if n == 0 {
            return Ok(());
        }
        if let Some(c) = decrypt.as_mut() {
            c.apply(&mut buf[..n]);
        }
        if let Some(md5) = md5.as_deref_mut() {
            md5.update(&buf[..n]);
        }
        if let Some(c) = encrypt.as_mut() {
            c.apply(&mut buf[..n]);
        }
        output.write_all(&buf[..n]).await.map_err(internal)?;
    }
}

/// Makes a written data file durable. The flush reports an error of the
/// last buffered write (a full disk), which `sync_all` alone would not.
pub(super) async fn finish_data(app: &App, output: &mut tokio::fs::File) -> Result<(), OssError> {
    let internal = |e: std::io::Error| OssError::new(500, "InternalError", &e.to_string());
    output.flush().await.map_err(internal)?;
    if app.store.durable {
        output.sync_all().await.map_err(internal)?;
    }
    Ok(())
}

/// Writes the concatenation of the files `parts` to the new file `output`
/// with the kernel's file-to-file copy (`copy_file_range` on Linux: no trip
/// through user space), for data that is stored as received.
pub(super) async fn concatenate(app: &App, parts: Vec<PathBuf>, output: &Path) -> Result<(), OssError> {
    let internal = |e: std::io::Error| OssError::new(500, "InternalError", &e.to_string());
    let (output, durable) = (output.to_owned(), app.store.durable);
    let copied = tokio::task::spawn_blocking(move || {
        let mut out = std::fs::File::create(&output)?;
        for part in parts {
            std::io::copy(&mut std::fs::File::open(part)?, &mut out)?;
        }
        if durable { out.sync_all() } else { Ok(()) }
    })
    .await
    .map_err(|e| OssError::new(500, "InternalError", &e.to_string()))?;
    copied.map_err(internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_as_oss_reads_them() {
        let range = |value: &str, standard: bool| parse_range(value, 1000, standard).map_err(|e| e.code);
        assert_eq!(range("bytes=0-99", false), Ok(Some((0, 99))));
        assert_eq!(range("bytes=990-", false), Ok(Some((990, 999))));
        assert_eq!(range("bytes=-10", false), Ok(Some((990, 999))));
        assert_eq!(range("bytes=500-5000", false), Ok(Some((500, 999))), "the end is clamped");
        // Without standard behaviour OSS serves the whole object for a range
        // it cannot satisfy or read; with it, 416.
        for bad in ["bytes=1000-", "bytes=9-3", "bytes=x-y", "items=0-1", "bytes=-0"] {
            assert_eq!(range(bad, false), Ok(None), "{bad}");
            assert_eq!(range(bad, true), Err("InvalidRange".to_owned()), "{bad}");
        }
        assert_eq!(parse_range("bytes=0-0", 0, true).map_err(|e| e.code), Err("InvalidRange".to_owned()));
    }
}
