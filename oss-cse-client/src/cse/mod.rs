//! The client-side encryption layer, built on [`crate::oss`]: the
//! encryption client, authenticated objects, multipart uploads, whole-file
//! and stream transfers, re-uploads, rewrap and SSE conversion, and key ring
//! files.

pub(crate) mod abort;
pub(crate) mod authentication;
pub(crate) mod content_md5;
pub(crate) mod copy;
pub(crate) mod decrypting;
pub(crate) mod encryption;
#[cfg(feature = "keyring-file")]
pub mod keyring_file;
pub(crate) mod material_cache;
pub(crate) mod multipart;
pub(crate) mod options;
pub(crate) mod plaintext_crc;
pub(crate) mod reupload;
pub(crate) mod rewrap;
pub(crate) mod spool;
pub(crate) mod sse_convert;
pub(crate) mod transfer;
