//! A request sent as given: for a server in front of OSS (the gateway) that
//! passes on the operations which carry no object content (bucket settings,
//! listings, deletes, tags, ACLs), signed with this client's credentials.

use bytes::Bytes;

use super::{OssClient, Request};
use crate::{Body, Result};

impl OssClient {
    /// Sends `request` with `body`, signed with this client's credentials,
    /// retried where safe (the body is in memory), and returns OSS's
    /// successful reply as it came (its body unread).
    ///
    /// # Errors
    /// OSS's refusal as [`crate::Error::Service`] (code, message, EC and
    /// request id kept); transport errors.
    pub async fn forward(&self, request: Request, body: Bytes) -> Result<reqwest::Response> {
        self.execute(&request, Body::from(body)).await
    }
}
