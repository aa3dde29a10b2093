//! OSS's error replies. At the crate root: the signature checks, the CSE
//! rules and the store all answer with one, and none of them imports the
//! server for it.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use quick_xml::escape::escape;

/// Sets a reply header, skipping a name or value HTTP cannot carry.
pub(crate) fn insert(headers: &mut HeaderMap, name: &str, value: &str) {
    if let (Ok(name), Ok(value)) = (axum::http::HeaderName::try_from(name), HeaderValue::from_bytes(value.as_bytes())) {
        headers.insert(name, value);
    }
}

/// An OSS error reply.
#[derive(Debug, Clone)]
pub(crate) struct OssError {
    status: u16,
    pub(crate) code: String,
    message: String,
    ec: Option<String>,
    /// Sent as `x-oss-next-append-position` (AppendObject at a wrong position).
    pub(crate) next_append_position: Option<u64>,
}

impl From<oss_cse_auth::verify::Refusal> for OssError {
    fn from(refusal: oss_cse_auth::verify::Refusal) -> Self {
        let error = Self::new(refusal.status, refusal.code, refusal.message);
        match refusal.ec {
            Some(ec) => error.with_ec(ec),
            None => error,
        }
    }
}

impl OssError {
    pub(crate) fn new(status: u16, code: &str, message: &str) -> Self {
        Self { status, code: code.to_owned(), message: message.to_owned(), ec: None, next_append_position: None }
    }

    pub(crate) fn with_ec(mut self, ec: &str) -> Self {
        self.ec = Some(ec.to_owned());
        self
    }

    pub(crate) fn into_response(self, request_id: &str, head: bool) -> Response {
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>{}</Code>\n  <Message>{}</Message>\n  <RequestId>{request_id}</RequestId>\n  <HostId>oss-cse-emulator</HostId>\n{}</Error>\n",
            escape(self.code.as_str()),
            escape(self.message.as_str()),
            self.ec.as_ref().map(|ec| format!("  <EC>{ec}</EC>\n")).unwrap_or_default()
        );
        let encoded = head.then(|| base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &body));
        let mut response = if head { Response::new(Body::empty()) } else { Response::new(Body::from(body)) };
        *response.status_mut() = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        headers.insert("content-type", HeaderValue::from_static("application/xml"));
        insert(headers, "x-oss-request-id", request_id);
        if let Some(ec) = &self.ec {
            insert(headers, "x-oss-ec", ec);
        }
        if let Some(position) = self.next_append_position {
            insert(headers, "x-oss-next-append-position", &position.to_string());
        }
        // A HEAD reply has no body: OSS sends the error document base64-encoded
        // in x-oss-err, so SDKs can still tell NoSuchKey from AccessDenied.
        if let Some(encoded) = &encoded {
            insert(headers, "x-oss-err", encoded);
        }
        response
    }
}
