#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod client;
mod credentials;
mod error;
mod master_key;
mod redact;
mod retry;
pub mod sign;

pub use client::{GeneratedDataKey, KmsClient, KmsConfig, KmsEndpoint, KmsRetry, KmsSignature, SignedRequest};
pub use credentials::{CredentialChain, Credentials, CredentialsProvider, MissingCredentials};
pub use error::{Error, KmsErrorKind, KmsServiceError, Result};
pub use master_key::{DEFAULT_CACHE_LIFETIME, KmsLayout, KmsMasterKey};
pub use redact::{has_userinfo, redact_url};
pub use retry::RetryPolicy;
