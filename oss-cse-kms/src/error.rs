//! The one error type of `oss-cse-kms`.

use std::time::Duration;

/// A KMS error reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KmsServiceError {
    /// HTTP status.
    pub status: u16,
    /// KMS error code, e.g. `Forbidden.KeyNotFound`.
    pub code: String,
    /// KMS message.
    pub message: String,
    /// Request id, for Alibaba Cloud support.
    pub request_id: String,
}

impl std::fmt::Display for KmsServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {} {}: {} (request id {})", self.status, self.code, self.message, self.request_id)
    }
}

/// What a KMS failure means for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KmsErrorKind {
    /// The CMK does not exist (`Forbidden.KeyNotFound`).
    KeyNotFound,
    /// The caller may not use the key (`Forbidden.NoPermission` and other `Forbidden.*`).
    PermissionDenied,
    /// Too many requests (`Rejected.Throttling`).
    Throttled,
    /// A parameter KMS refused (`InvalidParameter`, a ciphertext of another key or context).
    InvalidParameter,
    /// The signature or the AccessKey was refused.
    Authentication,
    /// KMS failed on its side (5xx).
    ServerError,
    /// The connection failed or timed out.
    Transport,
    /// Anything else.
    Other,
}

/// The service an action belongs to, as the start of a message: this crate
/// also calls STS and the ECS metadata service for credentials, and a
/// failure there must not read as a KMS one.
fn service_of(action: &str) -> &'static str {
    match action {
        "AssumeRole" | "AssumeRoleWithOIDC" => "STS ",
        // The action names its service ("ECS metadata").
        "ECS metadata" => "",
        _ => "KMS ",
    }
}

/// Everything that can go wrong talking to KMS.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// KMS answered with an error.
    #[error("{}{action}: {error}", service_of(action))]
    Service {
        /// The action, e.g. `Decrypt`.
        action: &'static str,
        /// The reply.
        error: Box<KmsServiceError>,
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
    /// A reply that is not the JSON KMS sends.
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
    /// A configuration refused before any request.
    #[error("invalid KMS configuration: {reason}")]
    InvalidConfig {
        /// What is wrong.
        reason: String,
    },
}

impl Error {
    /// The broad kind of the failure.
    pub fn kind(&self) -> KmsErrorKind {
        match self {
            Self::Service { error, .. } => {
                let code = error.code.as_str();
                if code == "Forbidden.KeyNotFound" || code.ends_with("NotFound") && code.contains("Key") {
                    KmsErrorKind::KeyNotFound
                } else if code.starts_with("Forbidden") {
                    KmsErrorKind::PermissionDenied
                } else if code.contains("Throttling") {
                    KmsErrorKind::Throttled
                } else if code.starts_with("InvalidParameter") || code.starts_with("MissingParameter") {
                    KmsErrorKind::InvalidParameter
                } else if code.starts_with("InvalidAccessKeyId")
                    || code.starts_with("InvalidSecurityToken")
                    || code.contains("Signature")
                {
                    KmsErrorKind::Authentication
                } else if error.status >= 500 {
                    KmsErrorKind::ServerError
                } else {
                    KmsErrorKind::Other
                }
            }
            Self::Transport { .. } | Self::Timeout { .. } => KmsErrorKind::Transport,
            Self::Credentials { .. } => KmsErrorKind::Authentication,
            Self::InvalidResponse { .. } | Self::InvalidConfig { .. } => KmsErrorKind::Other,
        }
    }

    /// Whether a later retry may succeed: throttling, server and transport
    /// failures; never permission, key or parameter errors.
    pub fn is_retryable(&self) -> bool {
        matches!(self.kind(), KmsErrorKind::Throttled | KmsErrorKind::ServerError | KmsErrorKind::Transport)
    }

    /// The KMS request id, when KMS answered.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Service { error, .. } => Some(&error.request_id),
            _ => None,
        }
    }
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
