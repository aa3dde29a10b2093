#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod auth;
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
