//! The plain OSS layer: the HTTP client and its operations, listings, batch
//! deletes, inventory reports, and the parsing of replies. It knows nothing
//! of client-side encryption, and never imports from [`crate::cse`]: the
//! encryption layer is built on it, not the reverse (a unit test below reads
//! this folder's imports to keep it so).

pub(crate) mod body;
pub(crate) mod cleanup;
pub(crate) mod client;
pub(crate) mod config;
pub(crate) mod crc;
pub(crate) mod inventory;
pub(crate) mod listing;
pub(crate) mod reply;
pub mod types;
pub(crate) mod xml;

/// How errors and logs name an object: `oss://bucket/key`.
pub(crate) fn resource(bucket: &str, key: &str) -> String {
    format!("oss://{bucket}/{key}")
}

#[cfg(test)]
mod layering_tests;
