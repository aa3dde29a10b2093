//! The OSS HTTP client of `oss-cse` and, on top of it, the client-side
//! encryption client.
//!
//! The OSS layer signs (V1 and V4), addresses (virtual-hosted, path-style,
//! CNAME), streams bodies both ways, verifies the CRC-64 OSS keeps over
//! stored bytes, retries what is safe to retry and parses OSS XML errors into
//! [`ServiceError`]. Requests are planned and signed by pure functions
//! ([`sign`]); one thin async function sends them.
//!
//! Server-side encryption (SSE: AES256, SM4, KMS) is configured per bucket or
//! per object with [`ServerSideEncryption`], validated before any request.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "blocking")]
pub mod blocking;
mod body;
mod client;
mod config;
mod crc;
mod encryption;
mod error;
pub mod fuzzing;
mod local;
mod reply;
mod reupload;
pub mod sign;
mod spool;
mod transfer;
pub mod types;
mod xml;

pub use body::{Body, ObjectBody};
pub use client::{ByteRange, GetObjectOutput, GetOptions, OssClient};
pub use config::{Addressing, ClientConfig, RetryPolicy, SignatureVersion};
pub use crc::Crc64;
pub use encryption::{
    DecryptedObject, DecryptingBody, EncryptionClient, EncryptionOptions, MultipartUpload, PlaintextPolicy, Progress,
    PutOptions, UNVERIFIED_TARGET, seal_in_place,
};
pub use error::{Error, ErrorKind, Result, ServiceError};
pub use oss_cse_kms::Credentials;
/// The operating system's CSPRNG, the randomness the client draws keys from.
pub use rand::rngs::SysRng;
pub use transfer::{DownloadOptions, UploadOptions};
pub use types::{MetadataDirective, ObjectMeta, ServerSideEncryption};

/// The sans-I/O layers, re-exported so one dependency is enough.
pub use oss_cse_core as core;
pub use oss_cse_envelope as envelope;
pub use oss_cse_kms as kms;
