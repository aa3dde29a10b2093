//! AppendObject: an appendable object grows by appends at its current end.
//!
//! Client-side encryption and appends: OSS publishes no rule (open question
//! 7 of `oss-server-rules.md`), and oss2 refuses appends client-side. The
//! emulator takes the stricter reading and refuses an append that carries
//! CSE headers or targets a CSE object (no EC code is invented for it).

use std::path::Path;

use axum::body::Body;
use axum::response::Response;
use crc_fast::CrcAlgorithm;
use md5::{Digest as _, Md5};

use super::{
    App, Ctx, Received, bad, check_object_name, finish_data, kept_headers, pipe_stored, receive, requested_sse, status,
};
use crate::cse_rules;
use crate::error::{OssError, insert};
use crate::store::{AtRest, BucketRecord, ObjectRecord, Sse};

pub(super) async fn append_object(app: &App, ctx: &Ctx, body: Body) -> Result<Response, OssError> {
    let bucket = app.store.bucket(ctx.bucket()).await?;
    check_object_name(ctx.key())?;
    let position: u64 = ctx
        .query("position")
        .and_then(|p| p.parse().ok())
        .ok_or_else(|| bad("InvalidArgument", "position must be an integer."))?;
    if cse_rules::is_cse(&ctx.headers) {
        return Err(bad("InvalidArgument", "AppendObject does not take client-side encryption headers."));
    }
    // OSS: appendable objects cannot be encrypted with a specific CMK.
    if ctx.header("x-oss-server-side-encryption-key-id").is_some() {
        return Err(bad("InvalidArgument", "An appendable object cannot be encrypted with a specified CMK."));
    }
    // The appended bytes first, as sent; then the object rebuilt under the lock.
    let received = receive(app, ctx, body, None).await?;
    let result = append_locked(app, ctx, &bucket, position, &received).await;
    let _ = tokio::fs::remove_file(&received.path).await;
    let (size, crc, sse) = result?;
    let mut response = status(200);
    insert(response.headers_mut(), "x-oss-next-append-position", &size.to_string());
    insert(response.headers_mut(), "x-oss-hash-crc64ecma", &crc.to_string());
    for (k, v) in sse.map(|s| s.headers()).unwrap_or_default() {
        insert(response.headers_mut(), &k, &v);
    }
    Ok(response)
}

/// Checks the position against the object's length and writes the object
/// anew: its old bytes, then the appended ones. Returns the new size, CRC
/// and server-side encryption (the first append's: later ones keep it).
async fn append_locked(
    app: &App,
    ctx: &Ctx,
    bucket: &BucketRecord,
    position: u64,
    received: &Received,
) -> Result<(u64, u64, Option<Sse>), OssError> {
    let _guard = app.store.lock.lock().await;
    let existing = app.store.object(ctx.bucket(), ctx.key()).await.ok();
    let current = existing.as_ref().map_or(0, |r| r.size);
    if let Some(record) = &existing {
        if !record.appendable {
            return Err(OssError::new(409, "ObjectNotAppendable", "The object is not appendable."));
        }
        if cse_rules::is_cse(&record.headers) {
            return Err(bad("InvalidArgument", "A client-side encrypted object cannot be appended to."));
        }
    }
    if position != current {
        let mut error = OssError::new(409, "PositionNotEqualToLength", "Position is not equal to file length.");
        error.next_append_position = Some(current);
        return Err(error);
    }
    // The first append sets what the object keeps; later ones keep it.
    let (headers, content_type, at_rest, tags, acl, class) = match &existing {
        Some(r) => (
            r.headers.clone(),
            r.content_type.clone(),
            r.at_rest.clone(),
            r.tags.clone(),
            r.acl.clone(),
            r.storage_class.clone(),
        ),
        None => {
            let sse = requested_sse(app, ctx, bucket)?;
            let at_rest = sse.as_ref().map(|s| app.store.new_at_rest(s)).transpose()?;
            let content_type = ctx.header("content-type").unwrap_or("application/octet-stream").to_owned();
            let tags = super::tagging::from_header(ctx)?;
            let (acl, class) = (super::acl::object_acl(ctx)?, super::acl::storage_class(ctx)?);
            (kept_headers(ctx)?, content_type, at_rest, tags, acl, class)
        }
    };
    let path = app.store.new_data_path(ctx.bucket()).await?;
    let written = rewrite(app, ctx, existing.as_ref(), received, at_rest.as_ref(), &path).await;
    let md5 = match written {
        Ok(md5) => md5,
        Err(error) => {
            let _ = tokio::fs::remove_file(&path).await;
            return Err(error);
        }
    };
    let size = current + received.size;
    let crc = match &existing {
        Some(r) => crc_fast::checksum_combine(CrcAlgorithm::Crc64Xz, r.crc64, received.crc64, received.size),
        None => received.crc64,
    };
    let sse = at_rest.as_ref().map(|a| a.sse.clone());
    let mut record = ObjectRecord::new(ctx.key(), size, hex::encode_upper(md5), crc, content_type, headers, at_rest);
    record.appendable = true;
    record.tags = tags;
    record.acl = acl;
    record.storage_class = class;
    app.store.commit_object(ctx.bucket(), record, &path).await?;
    Ok((size, crc, sse))
}

/// Writes the old object's bytes (decrypted from their at-rest key) and
/// the appended ones to `to`, encrypted under `at_rest`; returns the MD5 of
/// the whole.
async fn rewrite(
    app: &App,
    ctx: &Ctx,
    existing: Option<&ObjectRecord>,
    received: &Received,
    at_rest: Option<&AtRest>,
    to: &Path,
) -> Result<[u8; 16], OssError> {
    let internal = |e: std::io::Error| OssError::new(500, "InternalError", &e.to_string());
    let mut output = tokio::fs::File::create(to).await.map_err(internal)?;
    let mut encrypt = at_rest.map(|a| app.store.at_rest_cipher(a)).transpose()?;
    let mut md5 = Md5::new();
    if let Some(record) = existing {
        let decrypt = record.at_rest.as_ref().map(|a| app.store.at_rest_cipher(a)).transpose()?;
        let old = app.store.object_data(ctx.bucket(), record);
        pipe_stored(&old, decrypt, &mut output, &mut encrypt, Some(&mut md5)).await?;
    }
    pipe_stored(&received.path, None, &mut output, &mut encrypt, Some(&mut md5)).await?;
    finish_data(app, &mut output).await?;
    Ok(md5.finalize().into())
}
