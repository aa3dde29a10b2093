//! A request sent as given: for a server in front of OSS (the gateway) that
//! passes on the operations which carry no object content (bucket settings,
//! listings, deletes, tags, ACLs), signed with this client's credentials.

use bytes::Bytes;
use http::Method;

use super::{OssClient, Request};
use crate::{Body, Result};

/// What to send: method, address, query and headers, as a client asked.
#[derive(Debug, Clone)]
pub struct ForwardedRequest {
    /// The operation's name, for errors and logs.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The bucket (none: the service, as ListBuckets).
    pub bucket: Option<String>,
    /// The object key.
    pub key: Option<String>,
    /// Query parameters, decoded.
    pub query: Vec<(String, Option<String>)>,
    /// Headers to send (the signer adds its own: date, token, signature).
    pub headers: Vec<(String, String)>,
}

impl OssClient {
    /// Sends `request` with `body`, signed with this client's credentials,
    /// retried where safe (the body is in memory), and returns OSS's
    /// successful reply as it came (its body unread).
    ///
    /// # Errors
    /// OSS's refusal as [`crate::Error::Service`] (code, message, EC and
    /// request id kept); transport errors.
    pub async fn forward(&self, request: ForwardedRequest, body: Bytes) -> Result<reqwest::Response> {
        let ForwardedRequest { operation, method, bucket, key, query, headers } = request;
        let request = Request { operation, method, bucket, key, query, headers };
        self.execute(&request, Body::from(body)).await
    }
}
