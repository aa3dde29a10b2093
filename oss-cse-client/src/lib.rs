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
//!
//! # Design: the data path
//!
//! From a file to signed requests and back, each step owned by one module:
//!
//! 1. **Plan** (pure, in `oss-cse-core`): a multipart layout
//!    ([`core::PartPlan`]), a download's block-aligned ranges
//!    ([`core::DownloadPlan`]) or one ranged GET ([`core::FetchPlan`]) and
//!    what its reply contributes ([`core::ReplyPlan`]).
//! 2. **Seal** (`encryption`): a fresh data key and IV, wrapped by the key
//!    ring's master key into an envelope (`oss-cse-envelope`), and the
//!    streaming AES-256-CTR cipher positioned at each part's or range's
//!    counter.
//! 3. **Run a job** (`transfer/`, one module per job): `upload` (file, single
//!    or multipart, resumable), `download` (ranges decrypted into a temporary
//!    file that becomes the destination only when verified), `stream`
//!    (`AsyncRead` of known or unknown length, via a ciphertext spool), with
//!    `checkpoint` files and a part-buffer `pool`; parts and ranges run on
//!    one bounded-parallel driver. Rewriting an object's metadata without
//!    CopyObject (which OSS refuses for encrypted objects) is `reupload`.
//! 4. **Send** (`client`): a request is planned as a method, resource, query
//!    and headers, signed by pure functions ([`sign`]), sent once, retried
//!    where safe; bodies stream both ways with their CRC-64 checked.
//! 5. **Read the reply** (`reply`, `xml`): metadata and errors from `http`
//!    types, listings from bounded XML, each unit-tested on recorded replies
//!    and fuzzed.
//!
//! The blocking facade ([`blocking`], feature `blocking`) owns a runtime and
//! drives this same async code; it never copies it.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "blocking")]
pub mod blocking;
mod body;
pub mod bulk;
mod client;
mod config;
mod crc;
mod encryption;
mod error;
pub mod fuzzing;
mod local;
mod multipart;
mod parallel;
mod reply;
mod reupload;
mod rewrap;
pub mod sign;
mod spool;
mod sse_convert;
mod transfer;
pub mod types;
mod xml;

pub use body::{Body, ObjectBody};
pub use client::{ByteRange, GetObjectOutput, GetOptions, OssClient};
pub use config::{Addressing, ClientConfig, ProxySetting, RetryPolicy, SignatureVersion};
pub use crc::Crc64;
pub use encryption::{
    DecryptedObject, DecryptingBody, EncryptionClient, EncryptionOptions, PlaintextPolicy, Progress, PutOptions,
    UNVERIFIED_TARGET, seal_in_place,
};
pub use error::{Error, ErrorKind, Result, ServiceError};
pub use multipart::MultipartUpload;
pub use oss_cse_kms::{CredentialChain, Credentials, CredentialsProvider};
/// The operating system's CSPRNG, the randomness the client draws keys from.
pub use rand::rngs::SysRng;
pub use reupload::ReuploadLayout;
pub use rewrap::{RewrapCost, RewrapOptions};
pub use transfer::{DownloadOptions, UploadOptions};
pub use types::{MetadataDirective, ObjectMeta, ServerSideEncryption};

/// The sans-I/O layers, re-exported so one dependency is enough.
pub use oss_cse_core as core;
pub use oss_cse_envelope as envelope;
pub use oss_cse_kms as kms;
