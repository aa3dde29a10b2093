#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod authentication;
#[cfg(feature = "blocking")]
pub mod blocking;
mod body;
pub mod bulk;
mod cleanup;
mod client;
mod config;
mod crc;
mod encryption;
mod error;
pub mod fuzzing;
#[cfg(feature = "keyring-file")]
pub mod keyring_file;
mod local;
mod multipart;
mod parallel;
mod private;
mod reply;
mod reupload;
mod rewrap;
/// OSS request signing (V1 and V4), as pure functions: `oss-cse-auth`'s.
pub use oss_cse_auth::sign::oss as sign;
mod spool;
mod sse_convert;
mod transfer;
pub mod types;
mod xml;

pub use authentication::{Authentication, check_authentication_headers, check_content_tag};
pub use body::{Body, ObjectBody};
pub use cleanup::Cleanup;
pub use client::{ByteRange, GetObjectOutput, GetOptions, ListObjectsRequest, MAX_DELETE_KEYS, OssClient};
pub use config::{Addressing, ClientConfig, ProxySetting, RetryPolicy, SignatureVersion};
pub use crc::Crc64;
pub use encryption::{
    DecryptedObject, DecryptingBody, EncryptionClient, EncryptionOptions, PlaintextPolicy, Progress, PutOptions,
    UNVERIFIED_TARGET, seal_in_place,
};
pub use error::{Error, ErrorKind, Result, ServiceError};
pub use local::resolve_path;
pub use multipart::MultipartUpload;
pub use oss_cse_auth::{CredentialChain, Credentials, CredentialsProvider};
pub use private::prepare_checkpoint_folder;
/// The operating system's CSPRNG, the randomness the client draws keys from.
pub use rand::rngs::SysRng;
pub use reupload::ReuploadLayout;
pub use rewrap::{RewrapCost, RewrapOptions};
pub use transfer::{DownloadOptions, UploadOptions};
pub use types::{MetadataDirective, ObjectMeta, ServerSideEncryption};

pub use oss_cse_auth as auth;
/// The sans-I/O layers, re-exported so one dependency is enough.
pub use oss_cse_core as core;
pub use oss_cse_envelope as envelope;
pub use oss_cse_kms as kms;

/// The repository README's examples, compiled (and, unless marked
/// `no_run`, run) as doctests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
