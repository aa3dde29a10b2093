//! What a failure means to whoever must act on it: one classification of
//! the errors of this workspace's crates, which the CLI turns into its exit
//! statuses and the Python package into its exception classes, so that the
//! two never disagree.

use oss_cse_auth::Error as AuthError;
use oss_cse_envelope::Error as EnvelopeError;
use oss_cse_kms::{Error as KmsError, KmsErrorKind};

use crate::{Error, ErrorKind};

/// The kinds of failure a caller tells apart (the conventions' exit
/// statuses 2, 4, 5, 6 and 7, and the rest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// Bad usage or bad input: arguments, PEM, JSON, TOML, paths, a key that
    /// cannot be used as asked.
    BadInput,
    /// The object, bucket, upload, key or file does not exist.
    NotFound,
    /// Refused: credentials missing, expired or without the right.
    Denied,
    /// The network or the service was unavailable, after retries.
    Unavailable,
    /// The data or its envelope does not check out.
    Integrity,
    /// Anything else.
    Other,
}

impl Error {
    /// What this failure means to the caller.
    pub fn failure(&self) -> Failure {
        match self.kind() {
            ErrorKind::Service => match self.service_error() {
                Some(service) => match (service.status, service.code.as_str()) {
                    (404, _) => Failure::NotFound,
                    (401 | 403, _) | (_, "InvalidAccessKeyId" | "SignatureDoesNotMatch" | "SecurityTokenExpired") => {
                        Failure::Denied
                    }
                    (429 | 500.., _) => Failure::Unavailable,
                    (400, _) => Failure::BadInput,
                    _ => Failure::Other,
                },
                None => Failure::Other,
            },
            ErrorKind::Transport => Failure::Unavailable,
            ErrorKind::Credentials => Failure::Denied,
            ErrorKind::Integrity => Failure::Integrity,
            ErrorKind::InvalidArgument => Failure::BadInput,
            ErrorKind::Crypto => match self {
                Error::Envelope { source, .. } => envelope_failure(source),
                _ => Failure::Other,
            },
            ErrorKind::Io => match std::error::Error::source(self).and_then(|s| s.downcast_ref::<std::io::Error>()) {
                Some(io) => io_failure(io),
                None => Failure::Other,
            },
            _ => Failure::Other,
        }
    }
}

/// What an envelope or master-key error means.
pub fn envelope_failure(error: &EnvelopeError) -> Failure {
    match error {
        EnvelopeError::InvalidPem { .. }
        | EnvelopeError::InvalidMaterialDescription { .. }
        | EnvelopeError::NoMatchingMasterKey { .. }
        | EnvelopeError::NoEncryptingKey
        | EnvelopeError::MissingPublicKey { .. }
        | EnvelopeError::MissingPrivateKey { .. }
        | EnvelopeError::CompatWithoutKms { .. }
        | EnvelopeError::WrapAlgorithmNotInFormat { .. } => Failure::BadInput,
        EnvelopeError::Provider { source, .. } => match source.downcast_ref::<KmsError>() {
            Some(kms) => kms_failure(kms),
            None => Failure::Other,
        },
        EnvelopeError::KeyGeneration { .. } | EnvelopeError::RsaWrap { .. } => Failure::Other,
        // Everything else says the envelope is not one a key of ours wrote:
        // malformed, tampered, or for another key.
        _ => Failure::Integrity,
    }
}

/// What a KMS error means.
pub fn kms_failure(error: &KmsError) -> Failure {
    match error.kind() {
        KmsErrorKind::KeyNotFound => Failure::NotFound,
        KmsErrorKind::PermissionDenied | KmsErrorKind::Authentication => Failure::Denied,
        KmsErrorKind::Throttled | KmsErrorKind::ServerError | KmsErrorKind::Transport => Failure::Unavailable,
        KmsErrorKind::InvalidParameter => Failure::Integrity,
        _ => Failure::Other,
    }
}

/// Credentials that cannot be had are a refusal; a configuration that
/// cannot be used, a failure like any other.
pub fn auth_failure(error: &AuthError) -> Failure {
    match error {
        AuthError::InvalidConfig { .. } => Failure::Other,
        _ => Failure::Denied,
    }
}

/// What a local file error means.
pub fn io_failure(error: &std::io::Error) -> Failure {
    use std::io::ErrorKind as Io;
    match error.kind() {
        Io::NotFound => Failure::NotFound,
        // A path given that cannot be used as asked (an unreadable key
        // file, a directory where a file must be): bad input.
        Io::PermissionDenied | Io::IsADirectory | Io::NotADirectory => Failure::BadInput,
        _ => Failure::Other,
    }
}

/// An error and its causes, on one line (`error: cause: cause`).
pub fn one_line(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
