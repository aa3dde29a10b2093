//! What the gateway answers: OSS's XML errors (upstream's kept as they came,
//! code and request id included) and the headers a client may see (never
//! the envelope, never the ciphertext's CRC as if it were the content's).

use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode};
use oss_cse_client::envelope::consts::is_envelope_header;
use oss_cse_client::{Error as ClientError, ErrorKind, one_line};

/// An error reply in OSS's shape.
#[derive(Debug, Clone)]
pub(crate) struct OssError {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub request_id: String,
    pub ec: Option<String>,
}

impl OssError {
    pub(crate) fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        Self { status, code: code.to_owned(), message: message.into(), request_id: String::new(), ec: None }
    }

    /// The reply (no body for HEAD, as OSS answers).
    pub(crate) fn response(&self, request_id: &str, head: bool) -> Response<Body> {
        let id = if self.request_id.is_empty() { request_id } else { &self.request_id };
        let ec = self.ec.as_deref().map(|ec| format!("<EC>{}</EC>", escape(ec))).unwrap_or_default();
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{}</Code><Message>{}</Message><RequestId>{}</RequestId><HostId>oss-cse-gateway</HostId>{ec}</Error>",
            escape(&self.code),
            escape(&self.message),
            escape(id)
        );
        // A HEAD reply has no body: OSS sends the error document base64-encoded
        // in x-oss-err, so SDKs still tell NoSuchBucket from NoSuchKey.
        let encoded = head.then(|| base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &xml));
        let mut response = Response::new(if head { Body::empty() } else { Body::from(xml) });
        *response.status_mut() = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        headers.insert("content-type", HeaderValue::from_static("application/xml"));
        if let Ok(value) = HeaderValue::from_str(id) {
            headers.insert("x-oss-request-id", value);
        }
        if let Some(Ok(value)) = self.ec.as_deref().map(HeaderValue::from_str) {
            headers.insert("x-oss-ec", value);
        }
        if let Some(Ok(value)) = encoded.as_deref().map(HeaderValue::from_str) {
            headers.insert("x-oss-err", value);
        }
        response
    }
}

/// The reply for an engine error: OSS's own refusal as it came (status,
/// code, message, EC, request id), else what the failure was in OSS's terms.
/// Messages are the engine's one-line texts, which never hold a secret.
impl From<&ClientError> for OssError {
    fn from(error: &ClientError) -> Self {
        if let Some(service) = error.service_error() {
            return Self {
                status: service.status,
                code: service.code.clone(),
                message: service.message.clone(),
                request_id: service.request_id.clone(),
                ec: service.ec.clone(),
            };
        }
        let (status, code) = match (error, error.kind()) {
            (ClientError::ContentMd5Mismatch { .. }, _) => return digest_mismatch(),
            (ClientError::NotEncrypted { .. }, _) => (403, "AccessDenied"),
            (ClientError::InvalidArgument { .. } | ClientError::Refused { .. }, _) => (400, "InvalidArgument"),
            (_, ErrorKind::Integrity | ErrorKind::Crypto) => (502, "BadGateway"),
            (_, ErrorKind::Transport) => (503, "ServiceUnavailable"),
            _ => (500, "InternalError"),
        };
        Self::new(status, code, one_line(error))
    }
}

/// An XML reply of OSS's shape (`body` is the document's root element).
pub(crate) fn xml(body: String) -> Response<Body> {
    let mut response = Response::new(Body::from(format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{body}")));
    response.headers_mut().insert("content-type", HeaderValue::from_static("application/xml"));
    response
}

/// Now, as OSS writes times in XML replies.
pub(crate) fn xml_now() -> String {
    jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%S.000Z").to_string()
}

/// OSS's answer to a Content-MD5 that is not the base64 of an MD5.
pub(crate) fn invalid_digest() -> OssError {
    OssError::new(400, "InvalidDigest", "The Content-MD5 you specified is not valid.")
}

/// OSS's answer to a body that does not match its Content-MD5.
pub(crate) fn digest_mismatch() -> OssError {
    OssError::new(400, "InvalidDigest", "The Content-MD5 you specified did not match what we received.")
}

/// Whether a header of OSS's reply is shown to clients: not the envelope,
/// not the stored (ciphertext) CRC-64 or MD5, not the lengths the gateway
/// sets itself.
pub(crate) fn shown(name: &str) -> bool {
    !is_envelope_header(name)
        && !matches!(
            name,
            "x-oss-hash-crc64ecma"
                | "content-md5"
                | "content-length"
                | "content-range"
                | "transfer-encoding"
                | "connection"
        )
}

/// XML text escaping.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_envelope_and_the_stored_checksums_are_never_shown() {
        for hidden in [
            "x-oss-meta-client-side-encryption-key",
            "x-oss-meta-client-side-encryption-start",
            "x-oss-meta-client-side-encryption-matdesc",
            "x-oss-hash-crc64ecma",
            "content-md5",
        ] {
            assert!(!shown(hidden), "{hidden}");
        }
        for kept in ["etag", "last-modified", "content-type", "x-oss-meta-owner", "x-oss-request-id"] {
            assert!(shown(kept), "{kept}");
        }
    }

    #[test]
    fn errors_are_oss_xml() {
        let response = OssError::new(403, "SignatureDoesNotMatch", "a <bad> one").response("GW1", false);
        assert_eq!(response.status(), 403);
        assert_eq!(response.headers()["x-oss-request-id"], "GW1");
        let head = OssError::new(404, "NoSuchBucket", "gone").response("GW2", true);
        let encoded = head.headers()["x-oss-err"].to_str().unwrap();
        let decoded = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, encoded).unwrap();
        assert!(String::from_utf8(decoded).unwrap().contains("<Code>NoSuchBucket</Code>"), "HEAD carries its error");
    }
}
