//! This crate's errors, and how the client's errors become
//! `object_store::Error`s (the variants readers and writers branch on:
//! not found, precondition, not modified, already exists).

use oss_cse_client::ErrorKind;

/// The name this store gives `object_store` in its errors.
pub(crate) const STORE: &str = "OssCse";

/// Failures of this crate's own making; each reaches the caller inside an
/// `object_store::Error` (as its source).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A listed key that is not a valid `object_store` path.
    #[error("oss://{bucket}/{key}: the key is not a valid object_store path: {source}")]
    InvalidKey {
        /// Bucket.
        bucket: String,
        /// The key as listed.
        key: String,
        /// Why it is not a path.
        source: object_store::path::Error,
    },
    /// A time OSS sent that does not parse.
    #[error("oss://{bucket}/{key}: unreadable {header} {value:?}")]
    InvalidTime {
        /// Bucket.
        bucket: String,
        /// Object key.
        key: String,
        /// Where the time came from (`Last-Modified`, `LastModified`).
        header: &'static str,
        /// What was sent.
        value: String,
    },
    /// A range `object_store` considers invalid (empty or reversed).
    #[error("oss://{bucket}/{key}: invalid range: {reason}")]
    InvalidRange {
        /// Bucket.
        bucket: String,
        /// Object key.
        key: String,
        /// Why.
        reason: String,
    },
    /// The task uploading a multipart writer's stream panicked or was cancelled.
    #[error("oss://{bucket}/{key}: the upload task failed: {source}")]
    UploadTask {
        /// Bucket.
        bucket: String,
        /// Object key.
        key: String,
        /// What tokio reported.
        source: tokio::task::JoinError,
    },
    /// Reading a version: this store does not address object versions.
    #[error("oss://{bucket}/{key}: reading version {version:?} is not supported")]
    VersionNotSupported {
        /// Bucket.
        bucket: String,
        /// Object key.
        key: String,
        /// The version asked for.
        version: String,
    },
    /// A multipart upload dropped, or aborted, before `complete`: nothing
    /// is stored.
    #[error("oss://{bucket}/{key}: the upload was {how} before complete; nothing was stored")]
    UploadAbandoned {
        /// Bucket.
        bucket: String,
        /// Object key.
        key: String,
        /// `aborted` or `dropped`.
        how: &'static str,
    },
    /// A part given to a multipart upload that had already failed.
    #[error("oss://{bucket}/{key}: the upload failed; `complete` reports why")]
    UploadFailed {
        /// Bucket.
        bucket: String,
        /// Object key.
        key: String,
    },
    /// The encryption client refused or failed.
    #[error(transparent)]
    Client(#[from] oss_cse_client::Error),
}

/// The `object_store` error for a client error about `path`.
pub(crate) fn from_client(error: oss_cse_client::Error, path: &str) -> object_store::Error {
    let path = path.to_owned();
    let status = error.service_error().map(|s| (s.status, s.code.clone()));
    let credentials = error.kind() == ErrorKind::Credentials;
    let source: Box<dyn std::error::Error + Send + Sync> = Box::new(Error::Client(error));
    match status {
        Some((404, _)) => object_store::Error::NotFound { path, source },
        Some((412, _)) => object_store::Error::Precondition { path, source },
        Some((304, _)) => object_store::Error::NotModified { path, source },
        Some((409, code)) if code == "FileAlreadyExists" => object_store::Error::AlreadyExists { path, source },
        Some((403, _)) => object_store::Error::PermissionDenied { path, source },
        _ if credentials => object_store::Error::Unauthenticated { path, source },
        _ => object_store::Error::Generic { store: STORE, source },
    }
}

/// The `object_store` error for one of ours.
pub(crate) fn generic(error: Error) -> object_store::Error {
    match error {
        Error::Client(client) => object_store::Error::Generic { store: STORE, source: Box::new(Error::Client(client)) },
        Error::VersionNotSupported { .. } => object_store::Error::NotSupported { source: Box::new(error) },
        other => object_store::Error::Generic { store: STORE, source: Box::new(other) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oss_cse_client::ServiceError;

    fn service(status: u16, code: &str) -> oss_cse_client::Error {
        oss_cse_client::Error::Service {
            operation: "GetObject",
            resource: "oss://b/k".into(),
            error: Box::new(ServiceError {
                status,
                code: code.into(),
                message: String::new(),
                request_id: "r".into(),
                ec: None,
            }),
        }
    }

    #[test]
    fn statuses_become_the_variants_callers_branch_on() {
        use object_store::Error as E;
        assert!(matches!(from_client(service(404, "NoSuchKey"), "k"), E::NotFound { path, .. } if path == "k"));
        assert!(matches!(from_client(service(412, "PreconditionFailed"), "k"), E::Precondition { .. }));
        assert!(matches!(from_client(service(304, ""), "k"), E::NotModified { .. }));
        assert!(matches!(from_client(service(409, "FileAlreadyExists"), "k"), E::AlreadyExists { .. }));
        assert!(matches!(from_client(service(409, "BucketNotEmpty"), "k"), E::Generic { .. }));
        assert!(matches!(from_client(service(403, "AccessDenied"), "k"), E::PermissionDenied { .. }));
        assert!(matches!(from_client(service(500, "InternalError"), "k"), E::Generic { store: STORE, .. }));
    }

    #[test]
    fn the_message_names_the_object_and_the_reply() {
        let error = from_client(service(500, "InternalError"), "dir/k");
        let text = error.to_string();
        assert!(text.contains("oss://b/k") && text.contains("InternalError"), "{text}");
    }
}
