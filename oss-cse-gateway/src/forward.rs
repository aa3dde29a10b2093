//! Operations that carry no object content (bucket operations, listings,
//! deletes, tags, ACLs) go to OSS as the client asked, signed with the
//! gateway's credentials; OSS's reply comes back as it is, errors included
//! (code, message, EC and request id kept).

use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode};
use futures_util::StreamExt;
use oss_cse_client::{EncryptionClient, OssRequest};

use crate::reply::{OssError, shown};

/// The largest request body passed on (a DeleteMultipleObjects list of
/// 1,000 keys, a tagging or lifecycle document).
const MAX_BODY: usize = 1 << 20;

/// Query parameters of the client's own signature, which are not passed on.
const SIGNATURE_PARAMETERS: [&str; 10] = [
    "OSSAccessKeyId",
    "Expires",
    "Signature",
    "security-token",
    "x-oss-signature",
    "x-oss-signature-version",
    "x-oss-credential",
    "x-oss-date",
    "x-oss-expires",
    "x-oss-additional-headers",
];

/// Request headers passed on: the client's, but for its signature and what
/// the HTTP client sets itself.
fn passed_on(name: &str) -> bool {
    !matches!(
        name,
        "authorization"
            | "date"
            | "host"
            | "content-length"
            | "connection"
            | "transfer-encoding"
            | "expect"
            | "x-oss-date"
            | "x-oss-security-token"
            | "x-oss-content-sha256"
            | "x-oss-additional-headers"
            | "user-agent"
            | "accept-encoding"
    )
}

/// A client's request to pass on.
pub(crate) struct Forwarding {
    pub operation: &'static str,
    pub method: http::Method,
    pub bucket: Option<String>,
    pub key: Option<String>,
    pub query: Vec<(String, Option<String>)>,
    pub headers: Vec<(String, String)>,
}

pub(crate) async fn forward(
    client: &EncryptionClient,
    request: Forwarding,
    body: Body,
) -> Result<Response<Body>, OssError> {
    let body = axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| OssError::new(400, "InvalidArgument", format!("a request body over {MAX_BODY} bytes")))?;
    let forwarded = OssRequest {
        operation: request.operation,
        method: request.method,
        bucket: request.bucket,
        key: request.key,
        query: request.query.into_iter().filter(|(name, _)| !SIGNATURE_PARAMETERS.contains(&name.as_str())).collect(),
        headers: request.headers.into_iter().filter(|(name, _)| passed_on(name)).collect(),
    };
    let reply = client.oss().forward(forwarded, body).await.map_err(|error| OssError::from(&error))?;
    let status = StatusCode::from_u16(reply.status().as_u16()).unwrap_or(StatusCode::OK);
    let mut headers = Vec::new();
    for (name, value) in reply.headers() {
        // The reply's body comes through as it is, so its length stands.
        if shown(name.as_str()) || name == "content-length" {
            if let Ok(value) = HeaderValue::from_bytes(value.as_bytes()) {
                headers.push((name.clone(), value));
            }
        }
    }
    let stream = reply.bytes_stream().map(|chunk| chunk.map_err(std::io::Error::other));
    let mut response = Response::new(Body::from_stream(stream));
    *response.status_mut() = status;
    for (name, value) in headers {
        response.headers_mut().append(name, value);
    }
    Ok(response)
}
