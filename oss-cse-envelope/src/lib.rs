//! The vocabulary of OSS client-side encryption, without I/O: the V1/V2
//! metadata envelope and its codec, material descriptions, the
//! [`MasterKey`] trait, RSA master keys and a [`KeyRing`].
//!
//! This crate takes header names and values in and gives typed values out
//! (and the reverse); it never touches the network, files, a clock or a
//! runtime. The KMS master key lives in `oss-cse-kms` and the HTTP client in
//! `oss-cse-client`; both build on the types here.
//!
//! ```
//! use oss_cse_envelope::{Envelope, Format};
//!
//! // An object with no encryption headers is "not encrypted", not an error.
//! let plain = Envelope::from_headers([("content-type", "text/plain")]).unwrap();
//! assert!(plain.is_none());
//!
//! // A partial envelope is an error, never silently "plaintext".
//! let partial = Envelope::from_headers([("x-oss-meta-client-side-encryption-key", "AAAA")]);
//! assert!(partial.is_err());
//! # let _ = Format::V2;
//! ```
//!
//! The exact wire facts (header names, the V1 counter "start", the GCM label
//! on CTR data, KMS layouts) are documented beside each item; see also
//! `docs/format.md` in the repository.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod consts;
mod envelope;
mod error;
mod keyring;
pub mod kms_layout;
mod master_key;
mod matdesc;
mod rsa;

pub use envelope::{Envelope, Format, WrapAlgorithm, WrappedMaterial};
pub use error::{BoxError, Error, WrappedValue};
pub use keyring::KeyRing;
pub use master_key::{MasterKey, material_from_unwrapped, start_plaintext};
pub use matdesc::MaterialDescription;
pub use rsa::RsaMasterKey;

/// Re-exported so users of this crate need no direct dependency on the core.
pub use oss_cse_core as core;

/// The repository README's examples, compiled and run as doctests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
