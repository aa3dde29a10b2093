//! Alibaba Cloud KMS for `oss-cse`: a client for the KMS 2016-01-20 API
//! (`GenerateDataKey`, `Encrypt`, `Decrypt`) and [`KmsMasterKey`], the master
//! key that keeps data keys wrapped by a CMK and plugs into the envelope's
//! [`MasterKey`](oss_cse_envelope::MasterKey) trait and key ring.
//!
//! Cost and rate: every KMS call costs money and counts against a QPS quota.
//! The master key is called once per object (or per multipart upload, never
//! per part) to wrap, and caches Decrypt results for a configurable lifetime
//! so reading many objects wrapped with the same blob calls KMS once.
//!
//! Requests are signed with the RPC signature (HMAC-SHA1, RFC 3986 encoding,
//! nonce, timestamp, `SecurityToken` for STS credentials) by the pure
//! functions in [`sign`]. Throttling, 5xx and transport failures are retried
//! with jittered exponential backoff; permission, key and parameter errors
//! are not.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod client;
mod credentials;
mod error;
mod master_key;
mod retry;
pub mod sign;

pub use client::{GeneratedDataKey, KmsClient, KmsConfig, KmsEndpoint, KmsRetry, KmsSignature, SignedRequest};
pub use credentials::{CredentialChain, Credentials, CredentialsProvider, MissingCredentials};
pub use error::{Error, KmsErrorKind, KmsServiceError, Result};
pub use master_key::{DEFAULT_CACHE_LIFETIME, KmsLayout, KmsMasterKey};
pub use retry::RetryPolicy;
