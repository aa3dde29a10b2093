//! The one error type of `oss-cse-auth`: what can go wrong getting
//! credentials (a file, STS, the metadata service) or setting up a client.

use std::time::Duration;

/// An error reply of an ACS API (STS here; KMS's have the same shape).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceReply {
    /// HTTP status.
    pub status: u16,
    /// Error code, e.g. `NoPermission`.
    pub code: String,
    /// The service's message.
    pub message: String,
    /// Request id, for Alibaba Cloud support.
    pub request_id: String,
}

impl std::fmt::Display for ServiceReply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {} {}: {} (request id {})", self.status, self.code, self.message, self.request_id)
    }
}

/// The service an action belongs to, as the start of a message, so that a
/// failure of STS or the metadata service never reads as another's.
fn service_of(action: &str) -> &'static str {
    match action {
        "AssumeRole" | "AssumeRoleWithOIDC" => "STS ",
        // The action names its service ("ECS metadata").
        _ => "",
    }
}

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// STS (or another ACS API) answered with an error.
    #[error("{}{action}: {error}", service_of(action))]
    Service {
        /// The action, e.g. `AssumeRole`.
        action: &'static str,
        /// The reply.
        error: Box<ServiceReply>,
    },
    /// The request could not be sent or its reply not read.
    #[error("{}{action}: transport failure", service_of(action))]
    Transport {
        /// The action.
        action: &'static str,
        /// The underlying failure.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// No reply in time.
    #[error("{}{action}: timed out after {after:?}", service_of(action))]
    Timeout {
        /// The action.
        action: &'static str,
        /// The timeout.
        after: Duration,
    },
    /// A reply that is not what the service sends.
    #[error("{}{action}: invalid response: {reason}", service_of(action))]
    InvalidResponse {
        /// The action.
        action: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// No credentials could be had from their source: a file that cannot be
    /// used, a named profile that does not exist, or an STS or metadata
    /// service that refused or did not answer.
    #[error("credentials from {origin}: {reason}")]
    Credentials {
        /// Where they were to come from (never a secret).
        origin: String,
        /// What went wrong.
        reason: String,
    },
    /// A configuration refused before any request (a proxy or endpoint that
    /// is not a URL, an STS endpoint without TLS, a CA bundle that does not parse).
    #[error("invalid configuration: {reason}")]
    InvalidConfig {
        /// What is wrong.
        reason: String,
    },
}

impl Error {
    /// Whether a later retry may succeed: a transport failure or a timeout.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Transport { .. } | Self::Timeout { .. })
    }
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
