//! Reading OSS replies from `http` types: an object's metadata from the
//! headers, and an error from its status, headers and body (or, for a HEAD,
//! the base64 document OSS sends in `x-oss-err`). Pure, so each is tested on
//! recorded replies without a server.

use http::HeaderMap;

use crate::ServiceError;
use crate::oss::types::{ObjectMeta, ServerSideEncryption};
use crate::oss::xml;

/// Reply headers as lower-case pairs, and the fields read from them.
pub(crate) fn object_meta(headers: &HeaderMap) -> ObjectMeta {
    let headers: Vec<(String, String)> =
        headers.iter().map(|(k, v)| (k.as_str().to_ascii_lowercase(), header_text(v.as_bytes()))).collect();
    let get = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    ObjectMeta {
        content_length: get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0),
        etag: get("etag").map(|e| e.trim_matches('"').to_owned()),
        last_modified: get("last-modified"),
        content_type: get("content-type"),
        crc64: get("x-oss-hash-crc64ecma").and_then(|v| v.parse().ok()),
        server_side_encryption: ServerSideEncryption::from_headers(&headers),
        request_id: get("x-oss-request-id"),
        headers,
    }
}

/// A header value as text: UTF-8 when it is (Go writes the matdesc as raw
/// UTF-8), else one character per byte (ISO-8859-1, as HTTP/1.1 once
/// defined header bytes, and as the Java SDK sends them).
fn header_text(value: &[u8]) -> String {
    match std::str::from_utf8(value) {
        Ok(text) => text.to_owned(),
        Err(_) => value.iter().map(|b| char::from(*b)).collect(),
    }
}

/// The error an unsuccessful reply reports. `body` is what was read of it
/// (capped by the caller); an empty one falls back to `x-oss-err`, then to
/// a code named after the status.
pub(crate) fn service_error(status: u16, headers: &HeaderMap, body: &str) -> ServiceError {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let in_header = || {
        header("x-oss-err")
            .and_then(|b64| base64::Engine::decode(&base64::engine::general_purpose::STANDARD, b64.trim()).ok())
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .unwrap_or_default()
    };
    let document = if body.trim().is_empty() { in_header() } else { body.to_owned() };
    let parsed: xml::ErrorBody = xml::parse(&document, "Error").unwrap_or_default();
    let code = if parsed.code.is_empty() { status_code_name(status).to_owned() } else { parsed.code };
    let request_id =
        if parsed.request_id.is_empty() { header("x-oss-request-id").unwrap_or_default() } else { parsed.request_id };
    ServiceError { status, code, message: parsed.message, request_id, ec: parsed.ec.or_else(|| header("x-oss-ec")) }
}

fn status_code_name(status: u16) -> &'static str {
    match status {
        400 => "BadRequest",
        403 => "AccessDenied",
        404 => "NotFound",
        409 => "Conflict",
        412 => "PreconditionFailed",
        416 => "InvalidRange",
        429 => "TooManyRequests",
        500 => "InternalError",
        503 => "ServiceUnavailable",
        _ => "UnknownError",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap_or_else(|_| http::HeaderValue::from_static("")));
        }
        map
    }

    /// A 403 as OSS sends it, body and headers.
    #[test]
    fn an_error_document_is_read_whole() {
        let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>SignatureDoesNotMatch</Code>\n  <Message>The request signature we calculated does not match the signature you provided.</Message>\n  <RequestId>65467C42E001B4333337****</RequestId>\n  <HostId>examplebucket.oss-cn-hangzhou.aliyuncs.com</HostId>\n  <EC>0002-00000040</EC>\n</Error>\n";
        let replied = headers(&[("x-oss-request-id", "65467C42E001B4333337****"), ("x-oss-ec", "0002-00000040")]);
        let error = service_error(403, &replied, body);
        assert_eq!((error.status, error.code.as_str()), (403, "SignatureDoesNotMatch"));
        assert_eq!(
            (error.request_id.as_str(), error.ec.as_deref()),
            ("65467C42E001B4333337****", Some("0002-00000040"))
        );
        assert!(error.message.starts_with("The request signature"));
    }

    /// A failed HEAD has no body: the document comes base64 in x-oss-err.
    #[test]
    fn a_head_error_is_read_from_x_oss_err() {
        let document = "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>R1</RequestId><EC>0026-00000001</EC></Error>";
        let b64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, document);
        let error = service_error(404, &headers(&[("x-oss-err", &b64), ("x-oss-request-id", "R1")]), "");
        assert_eq!((error.code.as_str(), error.ec.as_deref()), ("NoSuchKey", Some("0026-00000001")));
    }

    /// A proxy's HTML, garbage in x-oss-err, or nothing at all: the status
    /// names the code, never a panic.
    #[test]
    fn replies_that_are_not_oss_documents_are_named_by_status() {
        let error = service_error(503, &headers(&[]), "<html><body>Service Unavailable</body></html>");
        assert_eq!((error.code.as_str(), error.message.as_str()), ("ServiceUnavailable", ""));
        let error = service_error(412, &headers(&[("x-oss-err", "%%%not base64"), ("x-oss-request-id", "R2")]), "");
        assert_eq!((error.code.as_str(), error.request_id.as_str()), ("PreconditionFailed", "R2"));
        assert_eq!(service_error(418, &headers(&[]), "").code, "UnknownError");
    }

    /// A GetObject reply of an SSE-KMS object with client-side encryption.
    #[test]
    fn object_metadata_from_reply_headers() {
        let meta = object_meta(&headers(&[
            ("content-length", "5000"),
            ("etag", "\"5B3C1A9C0F0D4C6F8E2B7A1D9E3F4A5B\""),
            ("last-modified", "Sun, 29 Nov 2026 12:00:00 GMT"),
            ("content-type", "text/csv"),
            ("x-oss-hash-crc64ecma", "1234567890123456789"),
            ("x-oss-request-id", "R3"),
            ("x-oss-server-side-encryption", "KMS"),
            ("x-oss-server-side-encryption-key-id", "key-1"),
            ("x-oss-meta-client-side-encryption-cek-alg", "AES/CTR/NoPadding"),
        ]));
        assert_eq!((meta.content_length, meta.etag.as_deref()), (5000, Some("5B3C1A9C0F0D4C6F8E2B7A1D9E3F4A5B")));
        assert_eq!((meta.crc64, meta.request_id.as_deref()), (Some(1_234_567_890_123_456_789), Some("R3")));
        assert_eq!(meta.content_type.as_deref(), Some("text/csv"));
        assert!(meta.server_side_encryption.is_some());
        assert_eq!(meta.header("x-oss-meta-client-side-encryption-cek-alg"), Some("AES/CTR/NoPadding"));
        let lying = object_meta(&headers(&[("content-length", "-1"), ("x-oss-hash-crc64ecma", "abc")]));
        assert_eq!((lying.content_length, lying.crc64), (0, None));
    }

    /// Go writes the matdesc as raw UTF-8 and Java's bytes are not always
    /// UTF-8: neither value may be dropped, or the envelope is lost.
    #[test]
    fn header_values_beyond_ascii_are_kept() {
        let mut map = HeaderMap::new();
        let go = "{\"desc\":\"clé 日本\"}";
        map.insert("x-oss-meta-client-side-encryption-matdesc", http::HeaderValue::from_bytes(go.as_bytes()).unwrap());
        map.insert("x-oss-meta-java", http::HeaderValue::from_bytes(b"cl\xc3?").unwrap());
        let meta = object_meta(&map);
        assert_eq!(meta.header("x-oss-meta-client-side-encryption-matdesc"), Some(go));
        assert_eq!(meta.header("x-oss-meta-java"), Some("cl\u{c3}?"));
    }
}
