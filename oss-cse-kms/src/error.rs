//! The one error type of `oss-cse-kms`.

use std::time::Duration;

/// A KMS error reply (the shape of every ACS API's).
pub type KmsServiceError = oss_cse_auth::ServiceReply;

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

/// Everything that can go wrong talking to KMS.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// KMS answered with an error.
    #[error("KMS {action}: {error}")]
    Service {
        /// The action, e.g. `Decrypt`.
        action: &'static str,
        /// The reply.
        error: Box<KmsServiceError>,
    },
    /// The request could not be sent or its reply not read.
    #[error("KMS {action}: transport failure")]
    Transport {
        /// The action.
        action: &'static str,
        /// The underlying failure.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// No reply in time.
    #[error("KMS {action}: timed out after {after:?}")]
    Timeout {
        /// The action.
        action: &'static str,
        /// The timeout.
        after: Duration,
    },
    /// A reply that is not the JSON KMS sends.
    #[error("KMS {action}: invalid response: {reason}")]
    InvalidResponse {
        /// The action.
        action: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// No credentials to sign the call with (their source refused, did not
    /// answer, or is misconfigured); nothing was sent to KMS.
    #[error(transparent)]
    Credentials(#[from] oss_cse_auth::Error),
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
            Self::Credentials(_) => KmsErrorKind::Authentication,
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
