#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "blocking")]
pub mod blocking;
pub mod bulk;
mod checkpoint;
mod cse;
mod error;
mod failure;
pub mod fuzzing;
mod local;
pub mod mtime;
mod oss;
mod parallel;
mod private;
/// OSS request signing (V1 and V4), as pure functions: `oss-cse-auth`'s.
pub use oss_cse_auth::sign::oss as sign;

pub use cse::authentication::{Authentication, check_authentication_headers, check_content_tag};
pub use cse::copy::{CopyOptions, CopyOutput, DEFAULT_COPY_LIMIT};
pub use cse::decrypting::{DecryptedObject, DecryptingBody};
pub use cse::encryption::{EncryptionClient, seal_in_place};
#[cfg(feature = "keyring-file")]
pub use cse::keyring_file;
pub use cse::multipart::MultipartUpload;
pub use cse::options::{EncryptionOptions, PlaintextPolicy, Progress, PutOptions, UNVERIFIED_TARGET};
pub use cse::reupload::ReuploadLayout;
pub use cse::rewrap::{RewrapCost, RewrapOptions};
pub use cse::transfer::{DownloadOptions, UploadOptions};
pub use error::{Error, ErrorKind, Result, ServiceError};
pub use failure::{Failure, auth_failure, envelope_failure, io_failure, kms_failure, one_line};
pub use local::resolve_path;
pub use oss::body::{Body, ObjectBody};
pub use oss::cleanup::Cleanup;
pub use oss::client::Request as OssRequest;
pub use oss::client::{ByteRange, GetObjectOutput, GetOptions, ListObjectsRequest, MAX_DELETE_KEYS, OssClient};
pub use oss::config::{Addressing, ClientConfig, ProxySetting, RetryPolicy, SignatureVersion};
pub use oss::crc::Crc64;
pub use oss::types::{self, MetadataDirective, ObjectMeta, ServerSideEncryption};
pub use oss_cse_auth::{CredentialChain, Credentials, CredentialsProvider};
pub use private::prepare_checkpoint_folder;
/// The operating system's CSPRNG, the randomness the client draws keys from.
pub use rand::rngs::SysRng;

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
