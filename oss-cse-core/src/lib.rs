//! Sans-I/O core of `oss-cse`: the seekable streaming AES-256-CTR cipher used by
//! Alibaba Cloud OSS client-side encryption, the counter and part/range offset
//! math, and the zeroized data-key material.
//!
//! This crate deliberately does no I/O: no networking, no files, no clock and
//! no async runtime. Randomness is passed in by the caller as a
//! [`rand_core::CryptoRng`], so the crate can be driven deterministically in
//! tests and from any environment. The layers above (`oss-cse-envelope`,
//! `oss-cse-client`) own headers, keys and transport.
//!
//! # The content cipher
//!
//! Every official OSS SDK encrypts object content with AES-256 in CTR mode
//! whose 16-byte counter block is the IV read as one 128-bit big-endian
//! integer, incremented once per 16-byte block and wrapping at 2^128.
//! [`Aes256Ctr`] implements exactly that, can start at any byte offset
//! (aligned or not) without touching the bytes before it, and processes data
//! in place, chunk by chunk, so no caller ever needs a whole-object buffer.
//!
//! # Hazmat
//!
//! CTR mode provides confidentiality only. There is no authentication tag in
//! the OSS client-side encryption format: a flipped ciphertext bit flips the
//! same plaintext bit, and a wrong data key decrypts to garbage without an
//! error. Integrity comes from the CRC-64 that OSS keeps over the ciphertext
//! and from the optional plaintext length/MD5 recorded in the envelope; both
//! are checked by the client crate, not here.
//!
//! # Backend
//!
//! The AES-CTR keystream comes from `aws-lc-rs` (AWS-LC's `AES_ctr128_encrypt`,
//! hardware AES with a pipelined counter), chosen because it runs within a few
//! percent of OpenSSL's EVP figure on this project's machines, where RustCrypto's
//! `aes` + `ctr` reached about 73% of it. The expanded AES key inside
//! `aws-lc-rs` is zeroized when the cipher is dropped.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod cipher;
mod error;
mod material;
pub mod offset;
pub mod plan;

pub use cipher::Aes256Ctr;
pub use error::Error;
pub use material::{ContentMaterial, DATA_KEY_LEN, DataKey, IV_LEN, Iv};
pub use offset::{BLOCK_LEN, ByteRange, FetchPlan, Part, PartPlan};
pub use plan::{DownloadPlan, FetchRange, ReplyPlan};

/// Re-exported so callers name the randomness trait this crate takes
/// without adding their own dependency on `rand_core`.
pub use rand_core;
