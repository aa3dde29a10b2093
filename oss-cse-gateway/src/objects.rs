//! The object content operations: PutObject encrypted as it streams (the
//! reply's CRC-64 is the plaintext's, computed on the way, so clients that
//! compare it with what they sent are satisfied), GetObject decrypted as it
//! streams (a range costs only its own bytes: CTR decrypts from any byte),
//! HeadObject with the envelope left out. A whole GET carries the
//! plaintext's CRC-64, derived from the stored one (CRC-64 is affine).

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode};
use futures_util::StreamExt;
use oss_cse_client::{ByteRange, Crc64, EncryptionClient, GetOptions, PutOptions};
use tokio::io::{AsyncRead, ReadBuf};

use crate::reply::{OssError, shown};

/// A request's parts the object operations read.
pub(crate) struct ObjectRequest<'a> {
    pub bucket: &'a str,
    pub key: &'a str,
    pub headers: &'a [(String, String)],
    pub query: &'a [(String, Option<String>)],
}

impl ObjectRequest<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// Request headers stored with an object (content headers, user metadata,
/// tags, ACL, storage class, server-side encryption): what PutObject keeps.
pub(crate) fn stored_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    const KEPT: [&str; 6] =
        ["content-type", "content-disposition", "content-encoding", "content-language", "cache-control", "expires"];
    headers
        .iter()
        .filter(|(name, _)| {
            KEPT.contains(&name.as_str())
                || (name.starts_with("x-oss-")
                    && !matches!(name.as_str(), "x-oss-date" | "x-oss-security-token" | "x-oss-content-sha256"))
        })
        .cloned()
        .collect()
}

/// A reader that takes the CRC-64 of what passes through it (the
/// plaintext's, which the reply carries).
pub(crate) struct Crc64Reading<R> {
    inner: R,
    crc: Arc<Mutex<Crc64>>,
}

impl<R> Crc64Reading<R> {
    pub(crate) fn new(inner: R, crc: Arc<Mutex<Crc64>>) -> Self {
        Self { inner, crc }
    }
}

impl<R: AsyncRead + Unpin> AsyncRead for Crc64Reading<R> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = &polled {
            let fresh = &buf.filled()[before..];
            if let Ok(mut crc) = self.crc.lock() {
                crc.update(fresh);
            }
        }
        polled
    }
}

/// The CRC-64 taken by a [`Crc64Reading`].
pub(crate) fn crc_value(crc: &Mutex<Crc64>) -> Result<u64, OssError> {
    crc.lock().map(|crc| crc.value()).map_err(|_| OssError::new(500, "InternalError", "a digest was poisoned"))
}

/// A client's `Content-MD5`, which OSS takes only as the base64 of 16 bytes
/// (the engine also reads hex, as oss2's CryptoBucket stores it; a plain
/// client talking to OSS could not send that).
pub(crate) fn given_md5(headers: &[(String, String)]) -> Result<Option<&str>, OssError> {
    let Some(given) = headers.iter().find(|(k, _)| k == "content-md5").map(|(_, v)| v.trim()) else {
        return Ok(None);
    };
    match base64::Engine::decode(&base64::engine::general_purpose::STANDARD, given) {
        Ok(digest) if digest.len() == 16 => Ok(Some(given)),
        _ => Err(crate::reply::invalid_digest()),
    }
}

/// A client's body, cut off when it sends nothing for `idle`: a slow client
/// cannot hold an upload (and what it keeps open upstream or in the spool)
/// for ever. `stalled` is set when that happened.
pub(crate) fn idle_limited(
    body: Body,
    idle: std::time::Duration,
    stalled: Arc<std::sync::atomic::AtomicBool>,
) -> impl futures_util::Stream<Item = std::io::Result<bytes::Bytes>> + Send + 'static {
    futures_util::stream::unfold(Some(body.into_data_stream()), move |stream| {
        let stalled = stalled.clone();
        async move {
            let mut stream = stream?;
            match tokio::time::timeout(idle, stream.next()).await {
                Ok(Some(Ok(chunk))) => Some((Ok(chunk), Some(stream))),
                Ok(Some(Err(error))) => Some((Err(std::io::Error::other(error)), None)),
                Ok(None) => None,
                Err(_) => {
                    stalled.store(true, std::sync::atomic::Ordering::Relaxed);
                    Some((Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "the client stopped sending")), None))
                }
            }
        }
    })
}

/// OSS's answer to a body that stopped arriving.
pub(crate) fn request_timeout() -> OssError {
    OssError::new(
        400,
        "RequestTimeout",
        "Your socket connection to the server was not read from or written to within the timeout period.",
    )
}

/// PutObject: the client's body, encrypted as it streams to OSS.
pub(crate) async fn put(
    client: &EncryptionClient,
    request: &ObjectRequest<'_>,
    (body, idle): (Body, std::time::Duration),
) -> Result<Response<Body>, OssError> {
    // Without a Content-Length (a chunked body) the unknown-length rule of
    // the engine applies: a body longer than one part is spooled as
    // ciphertext first, since OSS must know an encrypted upload's size.
    let length = request.header("content-length").and_then(|l| l.trim().parse::<u64>().ok());
    let chunked = request.header("transfer-encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
    if length.is_none() && !chunked {
        return Err(OssError::new(411, "MissingContentLength", "You must provide the Content-Length HTTP header."));
    }
    let given_md5 = given_md5(request.headers)?;
    let stalled = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stream = Box::pin(idle_limited(body, idle, stalled.clone()));
    let crc = Arc::new(Mutex::new(Crc64::new()));
    let reader = Crc64Reading::new(tokio_util::io::StreamReader::new(stream), crc.clone());
    // The engine checks a Content-MD5 against the plaintext before it
    // commits the object, so a wrong one leaves an earlier version as it was.
    // It is kept as the envelope's plaintext MD5, as oss2's CryptoBucket keeps it.
    let mut headers = stored_headers(request.headers);
    headers.extend(given_md5.map(|given| ("content-md5".to_owned(), given.to_owned())));
    let options = PutOptions { expected_size: length, headers, ..PutOptions::default() };
    let written = client.put_stream(request.bucket, request.key, reader, &options).await;
    let written = written.map_err(|error| match stalled.load(std::sync::atomic::Ordering::Relaxed) {
        true => request_timeout(),
        false => OssError::from(&error),
    })?;
    let crc = crc_value(&crc)?;
    let mut response = Response::new(Body::empty());
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&format!("\"{}\"", written.etag)) {
        headers.insert("etag", value);
    }
    headers.insert("x-oss-hash-crc64ecma", HeaderValue::from(crc));
    if let Some(Ok(value)) = given_md5.map(HeaderValue::from_str) {
        headers.insert("content-md5", value);
    }
    if let Some(Ok(value)) = written.request_id.as_deref().map(HeaderValue::from_str) {
        headers.insert("x-oss-request-id", value);
    }
    Ok(response)
}

/// A `Range: bytes=...` header as the engine takes it; anything else reads
/// the whole object, as OSS does with a range it cannot parse.
pub(crate) fn parse_range(header: Option<&str>) -> Option<ByteRange> {
    let spec = header?.trim().strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    match (first.trim().parse::<u64>().ok(), last.trim().parse::<u64>().ok()) {
        (Some(start), Some(end)) if end >= start => Some(ByteRange::Inclusive { start, end }),
        (Some(start), None) if last.trim().is_empty() => Some(ByteRange::From { start }),
        (None, Some(len)) if first.trim().is_empty() && len > 0 => Some(ByteRange::Suffix { len }),
        _ => None,
    }
}

/// The reply headers a GET may override with `response-<header>=value`.
const RESPONSE_OVERRIDES: [&str; 6] =
    ["content-type", "content-language", "expires", "cache-control", "content-disposition", "content-encoding"];

fn conditions(request: &ObjectRequest<'_>) -> GetOptions {
    let time = |name| {
        request
            .header(name)
            .and_then(|text| jiff::fmt::rfc2822::parse(text.trim()).ok())
            .map(|t| std::time::UNIX_EPOCH + std::time::Duration::from_secs(t.timestamp().as_second().max(0) as u64))
    };
    GetOptions {
        range: parse_range(request.header("range")),
        if_match: request.header("if-match").map(|e| e.trim().to_owned()),
        if_none_match: request.header("if-none-match").map(|e| e.trim().to_owned()),
        if_modified_since: time("if-modified-since"),
        if_unmodified_since: time("if-unmodified-since"),
    }
}

fn with_headers(response: &mut Response<Body>, headers: &[(String, String)]) {
    for (name, value) in headers.iter().filter(|(name, _)| shown(name)) {
        if let (Ok(name), Ok(value)) = (http::HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) {
            response.headers_mut().append(name, value);
        }
    }
}

/// GetObject: decrypted as it streams; a range is answered 206 with the
/// plaintext's Content-Range.
pub(crate) async fn get(client: &EncryptionClient, request: &ObjectRequest<'_>) -> Result<Response<Body>, OssError> {
    let options = conditions(request);
    let object = client.get_object_with(request.bucket, request.key, &options).await;
    let object = object.map_err(|error| OssError::from(&error))?;
    let (first, last) = object.range.unwrap_or((0, object.size.saturating_sub(1)));
    let length = if object.size == 0 { 0 } else { last + 1 - first };
    // A whole read says the plaintext's CRC-64 (found from the stored one
    // without reading the object), which clients compare with what arrives.
    let crc = match object.range {
        None => client
            .plaintext_crc64((request.bucket, request.key), &object.meta, object.envelope.as_ref())
            .await
            .map_err(|error| OssError::from(&error))?,
        Some(_) => None,
    };
    // An error after the headers went out (a CRC or tag that does not check
    // out at the end) cuts the connection: the client sees a short body.
    let body = Body::from_stream(object.body.map(|chunk| chunk.map_err(|e| std::io::Error::other(e.to_string()))));
    let mut response = Response::new(body);
    with_headers(&mut response, &object.meta.headers);
    response.headers_mut().insert("content-length", HeaderValue::from(length));
    if let Some(crc) = crc {
        response.headers_mut().insert("x-oss-hash-crc64ecma", HeaderValue::from(crc));
    }
    // response-content-type=... and its kind set the reply's headers, as OSS does.
    for (name, value) in request.query {
        let header = name.strip_prefix("response-").filter(|h| RESPONSE_OVERRIDES.contains(h));
        if let (Some(header), Some(Ok(value))) = (header, value.as_deref().map(HeaderValue::from_str)) {
            if let Ok(name) = http::HeaderName::from_bytes(header.as_bytes()) {
                response.headers_mut().insert(name, value);
            }
        }
    }
    if object.range.is_some() {
        *response.status_mut() = StatusCode::PARTIAL_CONTENT;
        if let Ok(value) = HeaderValue::from_str(&format!("bytes {first}-{last}/{}", object.size)) {
            response.headers_mut().insert("content-range", value);
        }
    }
    Ok(response)
}

/// CopyObject: `x-oss-copy-source` (`/bucket/key`, URL-encoded) copied with
/// its stored bytes and envelope, by OSS or, above the copy limit, by a
/// checked re-upload; `x-oss-tagging-directive: REPLACE` gives it the
/// request's tags. New metadata (`x-oss-metadata-directive: REPLACE`),
/// which OSS will not set on an encrypted object by a copy, is written by
/// the engine's metadata update: a re-upload of the copy's ciphertext.
pub(crate) async fn copy(client: &EncryptionClient, request: &ObjectRequest<'_>) -> Result<Response<Body>, OssError> {
    let bad = |message: &str| OssError::new(400, "InvalidArgument", message);
    let source = request.header("x-oss-copy-source").unwrap_or_default();
    let source = oss_cse_auth::verify::decode(source.split('?').next().unwrap_or_default());
    let (source_bucket, source_key) = source
        .trim_start_matches('/')
        .split_once('/')
        .filter(|(bucket, key)| !bucket.is_empty() && !key.is_empty())
        .ok_or_else(|| bad("x-oss-copy-source is not /bucket/key"))?;
    let replace = |name: &str| request.header(name).is_some_and(|d| d.trim().eq_ignore_ascii_case("REPLACE"));
    let (new_metadata, new_tags) = (replace("x-oss-metadata-directive"), replace("x-oss-tagging-directive"));
    let onto_itself = (source_bucket, source_key) == (request.bucket, request.key);
    let tagging = new_tags.then(|| request.header("x-oss-tagging").unwrap_or_default().to_owned());
    let forbid_overwrite = request.header("x-oss-forbid-overwrite").is_some_and(|v| v.trim() == "true");
    let engine = |error: oss_cse_client::Error| OssError::from(&error);
    let written = match (new_metadata, onto_itself) {
        // Onto itself, only the metadata changes.
        (true, true) if tagging.is_some() => {
            return Err(OssError::new(
                501,
                "NotImplemented",
                "new metadata and new tags at once on an encrypted object",
            ));
        }
        (true, true) => {
            client.update_metadata(request.bucket, request.key, metadata(request.headers)).await.map_err(engine)?
        }
        (_, _) => {
            let options = oss_cse_client::CopyOptions { forbid_overwrite, tagging, progress: None };
            let copy = client.copy_object_with(source_bucket, source_key, request.bucket, request.key, &options);
            let copied = copy.await.map_err(engine)?.written;
            match new_metadata {
                true => client.update_metadata(request.bucket, request.key, metadata(request.headers)).await,
                false => Ok(copied),
            }
            .map_err(engine)?
        }
    };
    let mut response = crate::reply::xml(format!(
        "<CopyObjectResult><ETag>\"{}\"</ETag><LastModified>{}</LastModified></CopyObjectResult>",
        crate::reply::escape(&written.etag),
        crate::reply::xml_now()
    ));
    if let Ok(value) = HeaderValue::from_str(&format!("\"{}\"", written.etag)) {
        response.headers_mut().insert("etag", value);
    }
    Ok(response)
}

/// The metadata a copy with `REPLACE` sets: the request's content headers
/// and user metadata (storage class, tags, ACL and server-side encryption
/// stay the object's).
fn metadata(headers: &[(String, String)]) -> Vec<(String, String)> {
    stored_headers(headers)
        .into_iter()
        .filter(|(name, _)| !name.starts_with("x-oss-") || name.starts_with("x-oss-meta-"))
        .collect()
}

/// HeadObject: OSS's answer without the envelope (the length is the
/// plaintext's: CTR keeps it).
pub(crate) async fn head(client: &EncryptionClient, request: &ObjectRequest<'_>) -> Result<Response<Body>, OssError> {
    let options = GetOptions { range: None, ..conditions(request) };
    let meta = client.oss().head_object_with(request.bucket, request.key, &options).await;
    let meta = meta.map_err(|error| OssError::from(&error))?;
    let mut response = Response::new(Body::empty());
    with_headers(&mut response, &meta.headers);
    response.headers_mut().insert("content-length", HeaderValue::from(meta.content_length));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_as_oss_reads_them() {
        assert_eq!(parse_range(Some("bytes=0-9")), Some(ByteRange::Inclusive { start: 0, end: 9 }));
        assert_eq!(parse_range(Some("bytes=10-")), Some(ByteRange::From { start: 10 }));
        assert_eq!(parse_range(Some("bytes=-5")), Some(ByteRange::Suffix { len: 5 }));
        for ignored in ["bytes=9-0", "bytes=0-1,4-5", "items=0-9", "bytes=-0", "bytes=a-b", "bytes=-"] {
            assert_eq!(parse_range(Some(ignored)), None, "{ignored}");
        }
        assert_eq!(parse_range(None), None);
    }

    #[test]
    fn what_a_put_keeps_of_the_request() {
        let headers: Vec<(String, String)> = [
            ("content-type", "text/csv"),
            ("x-oss-meta-owner", "ward 4"),
            ("x-oss-date", "20261206T000000Z"),
            ("authorization", "OSS a:b"),
            ("x-oss-storage-class", "IA"),
            ("host", "127.0.0.1"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let kept: Vec<String> = stored_headers(&headers).into_iter().map(|(k, _)| k).collect();
        assert_eq!(kept, ["content-type", "x-oss-meta-owner", "x-oss-storage-class"]);
    }
}
