//! Object operations: put, get (ranges, conditions, overrides), copy.

use std::path::Path;

use axum::body::Body;
use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use quick_xml::escape::escape;

use super::{
    App, CHUNK, Ctx, bad, check_object_name, commit, copy_source, finish_data, kept_headers, parse_range, pipe_stored,
    receive, requested_sse, status, xml,
};
use crate::cse_rules;
use crate::error::{OssError, insert};
use crate::faults::Fault;
use crate::store::{AtRest, ObjectRecord};
use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _};

pub(super) async fn put_object(app: &App, ctx: &Ctx, body: Body) -> Result<Response, OssError> {
    let bucket = app.store.bucket(ctx.bucket()).await?;
    check_object_name(ctx.key())?;
    cse_rules::check_headers(cse_rules::Upload::Put, &ctx.headers)?;
    let headers = kept_headers(ctx)?;
    let tags = super::tagging::from_header(ctx)?;
    let (acl, storage_class) = (super::acl::object_acl(ctx)?, super::acl::storage_class(ctx)?);
    let sse = requested_sse(app, ctx, &bucket)?;
    let at_rest = sse.as_ref().map(|s| app.store.new_at_rest(s)).transpose()?;
    let received = receive(app, ctx, body, at_rest.as_ref()).await?;
    let content_type = ctx.header("content-type").unwrap_or("application/octet-stream").to_owned();
    let etag = hex::encode_upper(received.md5);
    let mut record =
        ObjectRecord::new(ctx.key(), received.size, etag.clone(), received.crc64, content_type, headers, at_rest);
    record.tags = tags;
    record.acl = acl;
    record.storage_class = storage_class;
    commit(app, ctx, record, &received.path).await?;
    let mut response = status(200);
    let h = response.headers_mut();
    insert(h, "etag", &format!("\"{etag}\""));
    insert(h, "x-oss-hash-crc64ecma", &received.crc64.to_string());
    insert(h, "content-md5", &STANDARD.encode(received.md5));
    for (k, v) in sse.map(|s| s.headers()).unwrap_or_default() {
        insert(h, &k, &v);
    }
    Ok(response)
}

pub(super) async fn get_object(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    // The data is opened before the reply starts: an overwrite that removes
    // the old data file then cannot cut a GET already answered.
    let (record, data) = open_current(app, ctx).await?;
    if let Some(not_modified) = preconditions(ctx, &record)? {
        return Ok(not_modified);
    }
    let standard = ctx.header("x-oss-range-behavior").is_some_and(|v| v.eq_ignore_ascii_case("standard"));
    let range = match ctx.header("range") {
        Some(value) => parse_range(value, record.size, standard)?,
        None => None,
    };
    let (start, len) = match range {
        Some((s, e)) => (s, e - s + 1),
        None => (0, record.size),
    };
    let mut response = if ctx.method == "HEAD" {
        Response::new(Body::empty())
    } else {
        super::acl::check_readable(&record)?;
        let cipher = record.at_rest.as_ref().map(|a| app.store.at_rest_cipher(a)).transpose()?;
        let truncate = match ctx.fault {
            Some(Fault::TruncateBody { after }) => Some(after),
            _ => None,
        };
        Response::new(stream_file(data, cipher, start, len, truncate))
    };
    if range.is_some() {
        *response.status_mut() = StatusCode::PARTIAL_CONTENT;
    }
    let h = response.headers_mut();
    insert(h, "content-length", &len.to_string());
    if let Some((s, e)) = range {
        let shift = if matches!(ctx.fault, Some(Fault::WrongContentRange)) { 16 } else { 0 };
        insert(h, "content-range", &format!("bytes {}-{}/{}", s + shift, e + shift, record.size + shift));
    }
    insert(h, "content-type", &record.content_type);
    insert(h, "etag", &format!("\"{}\"", record.etag));
    insert(h, "last-modified", &record.last_modified);
    insert(h, "accept-ranges", "bytes");
    insert(h, "x-oss-hash-crc64ecma", &record.crc64.to_string());
    let object_type = match (record.appendable, record.multipart) {
        (true, _) => "Appendable",
        (false, true) => "Multipart",
        (false, false) => "Normal",
    };
    insert(h, "x-oss-object-type", object_type);
    if record.appendable {
        insert(h, "x-oss-next-append-position", &record.size.to_string());
    }
    insert(h, "x-oss-storage-class", &record.storage_class);
    if !record.tags.is_empty() {
        insert(h, "x-oss-tagging-count", &record.tags.len().to_string());
    }
    for (k, v) in &record.headers {
        insert(h, k, v);
    }
    for (k, v) in record.at_rest.as_ref().map(|a| a.sse.headers()).unwrap_or_default() {
        insert(h, &k, &v);
    }
    for (parameter, header) in RESPONSE_OVERRIDES {
        if let Some(value) = ctx.query(parameter) {
            insert(h, header, value);
        }
    }
    if ctx.method == "GET" && range.is_none() && super::compress::wanted(ctx, &record) {
        super::compress::apply(&mut response);
    }
    Ok(response)
}

/// The conditional headers of a GET or HEAD, in HTTP's order: If-Match and
/// If-Unmodified-Since fail with 412; If-None-Match and If-Modified-Since
/// answer 304 Not Modified (returned as `Some`).
pub(super) fn preconditions(ctx: &Ctx, record: &ObjectRecord) -> Result<Option<Response>, OssError> {
    let failed =
        || OssError::new(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold.");
    let etag_in = |list: &str| {
        list.split(',').any(|e| matches!(e.trim().trim_matches('"'), "*") || e.trim().trim_matches('"') == record.etag)
    };
    let date = |name: &str| ctx.header(name).and_then(|d| jiff::fmt::rfc2822::parse(d).ok()).map(|z| z.timestamp());
    let modified = jiff::fmt::rfc2822::parse(&record.last_modified).map(|z| z.timestamp()).ok();
    if ctx.header("if-match").is_some_and(|list| !etag_in(list)) {
        return Err(failed());
    }
    if let (Some(since), Some(modified)) = (date("if-unmodified-since"), modified) {
        if modified > since {
            return Err(failed());
        }
    }
    let not_modified = match ctx.header("if-none-match") {
        Some(list) => etag_in(list),
        None => matches!((date("if-modified-since"), modified), (Some(since), Some(modified)) if modified <= since),
    };
    if !not_modified {
        return Ok(None);
    }
    let mut response = status(304);
    insert(response.headers_mut(), "etag", &format!("\"{}\"", record.etag));
    insert(response.headers_mut(), "last-modified", &record.last_modified);
    Ok(Some(response))
}

/// GetObject's `response-*` parameters and the reply headers they set.
pub(super) const RESPONSE_OVERRIDES: [(&str, &str); 6] = [
    ("response-content-type", "content-type"),
    ("response-content-language", "content-language"),
    ("response-expires", "expires"),
    ("response-cache-control", "cache-control"),
    ("response-content-disposition", "content-disposition"),
    ("response-content-encoding", "content-encoding"),
];

/// An object's record and its data file, opened together: a commit that
/// replaces the object between the two (and removes the old file) is seen
/// as NotFound on the open, and the current version is read again.
pub(super) async fn open_current(
    app: &App,
    ctx: &Ctx,
) -> Result<(crate::store::ObjectRecord, tokio::fs::File), OssError> {
    let mut tries = 0;
    loop {
        let record = app.store.object(ctx.bucket(), ctx.key()).await?;
        match tokio::fs::File::open(app.store.object_data(ctx.bucket(), &record)).await {
            Ok(file) => return Ok((record, file)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && tries < 5 => tries += 1,
            Err(e) => return Err(OssError::new(500, "InternalError", &format!("object data: {e}"))),
        }
    }
}

/// Streams `len` stored bytes from `start` of an open data file, decrypting
/// at rest; breaks the stream after `truncate` bytes when a fault asks for it.
pub(super) fn stream_file(
    file: tokio::fs::File,
    cipher: Option<crate::store::AtRestCipher>,
    start: u64,
    len: u64,
    truncate: Option<u64>,
) -> Body {
    struct State {
        file: Option<tokio::fs::File>,
        seeked: bool,
        cipher: Option<crate::store::AtRestCipher>,
        position: u64,
        remaining: u64,
        sent: u64,
        truncate: Option<u64>,
    }
    let state = State { file: Some(file), seeked: false, cipher, position: start, remaining: len, sent: 0, truncate };
    let stream = futures_util::stream::try_unfold(state, |mut s| async move {
        if s.remaining == 0 {
            return Ok(None);
        }
        if s.truncate.is_some_and(|t| s.sent >= t) {
            // Pending for a moment first, so that hyper flushes the headers
            // and bytes it holds: an error at once can drop them unsent and
            // the client would see no reply at all, not a truncated one.
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            return Err(std::io::Error::other("injected truncation"));
        }
        if !s.seeked {
            let file = s.file.as_mut().ok_or_else(|| std::io::Error::other("file closed"))?;
            file.seek(std::io::SeekFrom::Start(s.position)).await?;
            if let Some(c) = s.cipher.as_mut() {
                c.seek(s.position);
            }
            s.seeked = true;
        }
        let mut want = s.remaining.min(CHUNK as u64);
        if let Some(t) = s.truncate {
            want = want.min(t - s.sent).max(1);
        }
        let mut buf = vec![0u8; want as usize];
        let file = s.file.as_mut().ok_or_else(|| std::io::Error::other("file closed"))?;
        file.read_exact(&mut buf).await?;
        if let Some(c) = s.cipher.as_mut() {
            c.apply(&mut buf);
        }
        s.position += want;
        s.remaining -= want;
        s.sent += want;
        Ok(Some((Bytes::from(buf), s)))
    });
    Body::from_stream(stream)
}

pub(super) async fn copy_object(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    check_object_name(ctx.key())?;
    let (source_bucket, source_key) = copy_source(ctx)?;
    let (source_bucket, source_key) = (source_bucket.as_str(), source_key.as_str());
    let record = app.store.object(source_bucket, source_key).await?;
    super::acl::check_readable(&record)?;
    if record.size > app.copy_limit {
        // OSS copies objects up to 1 GB; larger ones take UploadPartCopy.
        return Err(bad(
            "InvalidArgument",
            "The source object is larger than CopyObject copies (1 GB); use UploadPartCopy.",
        ));
    }
    let bucket = app.store.bucket(ctx.bucket()).await?;
    let replace = ctx.header("x-oss-metadata-directive").is_some_and(|d| d.eq_ignore_ascii_case("REPLACE"));
    let rewrites = ctx.header("x-oss-server-side-encryption").is_some() || ctx.header("x-oss-storage-class").is_some();
    let onto_itself = (source_bucket, source_key) == (ctx.bucket(), ctx.key());
    if cse_rules::is_cse(&record.headers) && (replace || (app.strict_cse_copy && onto_itself && rewrites)) {
        return Err(bad("InvalidArgument", "The metadata of a client-side encrypted object cannot be modified.")
            .with_ec("0005-00000421"));
    }
    let (headers, content_type) = if replace {
        (kept_headers(ctx)?, ctx.header("content-type").unwrap_or("application/octet-stream").to_owned())
    } else {
        (record.headers.clone(), record.content_type.clone())
    };
    // The ACL is the request's (default without one); the storage class the
    // request's, or the source's; tags the source's unless replaced. All
    // checked before any byte is copied.
    let acl = super::acl::object_acl(ctx)?;
    let storage_class = match ctx.header("x-oss-storage-class") {
        Some(_) => super::acl::storage_class(ctx)?,
        None => record.storage_class.clone(),
    };
    let tags = match ctx.header("x-oss-tagging-directive") {
        Some(d) if d.eq_ignore_ascii_case("REPLACE") => super::tagging::from_header(ctx)?,
        _ => record.tags.clone(),
    };
    let sse = requested_sse(app, ctx, &bucket)?;
    let at_rest = sse.as_ref().map(|s| app.store.new_at_rest(s)).transpose()?;
    // Re-encrypt: read the source's plaintext, write under the new at-rest key.
    let path = app.store.new_data_path(ctx.bucket()).await?;
    let copied = copy_data(
        app,
        &app.store.object_data(source_bucket, &record),
        record.at_rest.as_ref(),
        &path,
        at_rest.as_ref(),
    )
    .await;
    if let Err(error) = copied {
        let _ = tokio::fs::remove_file(&path).await;
        return Err(error);
    }
    let mut copy =
        ObjectRecord::new(ctx.key(), record.size, record.etag.clone(), record.crc64, content_type, headers, at_rest);
    copy.multipart = record.multipart;
    (copy.acl, copy.storage_class, copy.tags) = (acl, storage_class, tags);
    let last_modified = copy.last_modified.clone();
    commit(app, ctx, copy, &path).await?;
    let mut response = xml(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CopyObjectResult><ETag>\"{}\"</ETag><LastModified>{}</LastModified></CopyObjectResult>",
        record.etag,
        escape(last_modified.as_str())
    ));
    insert(response.headers_mut(), "x-oss-hash-crc64ecma", &record.crc64.to_string());
    insert(response.headers_mut(), "etag", &format!("\"{}\"", record.etag));
    for (k, v) in sse.map(|s| s.headers()).unwrap_or_default() {
        insert(response.headers_mut(), &k, &v);
    }
    Ok(response)
}

/// Copies stored bytes from one at-rest encoding to another.
pub(super) async fn copy_data(
    app: &App,
    from: &Path,
    from_rest: Option<&AtRest>,
    to: &Path,
    to_rest: Option<&AtRest>,
) -> Result<(), OssError> {
    let decrypt = from_rest.map(|a| app.store.at_rest_cipher(a)).transpose()?;
    let mut encrypt = to_rest.map(|a| app.store.at_rest_cipher(a)).transpose()?;
    let mut output =
        tokio::fs::File::create(to).await.map_err(|e| OssError::new(500, "InternalError", &e.to_string()))?;
    pipe_stored(from, decrypt, &mut output, &mut encrypt, None).await?;
    finish_data(app, &mut output).await
}
