#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod auth;
mod beside;
mod compat;
pub mod consts;
mod envelope;
mod error;
mod keyring;
pub mod kms_layout;
mod master_key;
mod matdesc;
mod rsa;

pub use compat::{Compat, UnknownCompat};
pub use envelope::{Envelope, Format, WrapAlgorithm, WrappedMaterial};
pub use error::{BoxError, Error, WrappedValue};
pub use keyring::{KeyRing, MatdescMatch};
pub use master_key::{MasterKey, material_from_unwrapped, start_plaintext};
pub use matdesc::{MatdescStyle, MaterialDescription};
pub use rsa::RsaMasterKey;

/// Re-exported so users of this crate need no direct dependency on the core.
pub use oss_cse_core as core;

/// Entry points shared by the fuzz targets and the corpus replay test (not
/// part of the API).
#[doc(hidden)]
pub mod fuzzing {
    use crate::{Envelope, MatdescStyle, MaterialDescription};

    /// The envelope decoder on arbitrary bytes: one header per line,
    /// `name:value` (names that are not UTF-8 are skipped, as HTTP header
    /// names are ASCII; values stay raw bytes). It must return a typed
    /// result, never panic, and whatever it accepts must re-encode and decode
    /// to the same envelope; the same holds for a matdesc JSON.
    ///
    /// # Panics
    /// When a property fails: that is what the fuzzer looks for.
    #[allow(clippy::panic)]
    pub fn envelope_decoder(data: &[u8]) {
        let headers: Vec<(&str, &[u8])> = data
            .split(|b| *b == b'\n')
            .filter_map(|line| {
                let colon = line.iter().position(|b| *b == b':')?;
                let name = std::str::from_utf8(&line[..colon]).ok()?;
                Some((name, &line[colon + 1..]))
            })
            .collect();
        if let Ok(Some(envelope)) = Envelope::from_headers(headers.iter().copied()) {
            if let Ok(encoded) = envelope.to_headers() {
                let again = Envelope::from_headers(encoded.iter().map(|(k, v)| (*k, v.as_bytes())));
                assert_eq!(again.ok().flatten().as_ref(), Some(&envelope), "re-encoding changed the envelope");
            }
        }
        if let Ok(text) = std::str::from_utf8(data) {
            if let Ok(description) = MaterialDescription::from_json(text) {
                for style in [MatdescStyle::Python, MatdescStyle::Go, MatdescStyle::Java, MatdescStyle::Cpp] {
                    let again = MaterialDescription::from_json(&description.to_json_in(style)).ok();
                    assert_eq!(again.as_ref(), Some(&description), "re-encoding in {style:?} changed the matdesc");
                }
            }
        }
    }
}
