#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod client;
mod error;
mod master_key;

pub use client::{GeneratedDataKey, KmsClient, KmsConfig, KmsEndpoint, KmsRetry, KmsSignature, SignedRequest};
pub use error::{Error, KmsErrorKind, KmsServiceError, Result};
pub use master_key::{DEFAULT_CACHE_LIFETIME, KmsLayout, KmsMasterKey};
