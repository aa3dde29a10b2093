//! OSS's error replies, and the one place store errors become them.

use super::*;
use crate::store::StoreError;

/// An OSS error reply.
#[derive(Debug, Clone)]
pub(crate) struct OssError {
    status: u16,
    pub(crate) code: String,
    message: String,
    ec: Option<String>,
    /// Sent as `x-oss-next-append-position` (AppendObject at a wrong position).
    pub(super) next_append_position: Option<u64>,
}

impl OssError {
    pub(crate) fn new(status: u16, code: &str, message: &str) -> Self {
        Self { status, code: code.to_owned(), message: message.to_owned(), ec: None, next_append_position: None }
    }

    pub(crate) fn with_ec(mut self, ec: &str) -> Self {
        self.ec = Some(ec.to_owned());
        self
    }

    pub(super) fn into_response(self, request_id: &str, head: bool) -> Response {
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

impl From<StoreError> for OssError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NoSuchBucket(_) => Self::new(404, "NoSuchBucket", "The specified bucket does not exist."),
            StoreError::BucketNotEmpty(_) => {
                Self::new(409, "BucketNotEmpty", "The bucket you tried to delete is not empty.")
            }
            StoreError::NoSuchKey { .. } => {
                Self::new(404, "NoSuchKey", "The specified key does not exist.").with_ec("0026-00000001")
            }
            StoreError::NoSuchUpload(_) => Self::new(
                404,
                "NoSuchUpload",
                "The specified upload does not exist. The upload ID may be invalid, or the upload may have been \
                 aborted or completed.",
            ),
            StoreError::Internal { .. } => Self::new(500, "InternalError", &error.to_string()),
        }
    }
}
