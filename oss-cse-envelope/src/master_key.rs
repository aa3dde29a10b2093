//! The master-key trait: what the encryption client needs from anything that
//! wraps data keys (a local RSA key pair, a KMS CMK, an HSM, ...).

use std::fmt;

use async_trait::async_trait;
use oss_cse_core::{ContentMaterial, DataKey, Iv};

use crate::{Envelope, Error, Format, MaterialDescription, WrapAlgorithm, WrappedMaterial, WrappedValue};

/// A key that wraps and unwraps the per-object data key and IV.
///
/// Implementations are `Send + Sync` and cheap to share behind an `Arc`: the
/// client calls them from many parallel transfers. `Debug` must not print
/// key material.
#[async_trait]
pub trait MasterKey: Send + Sync + fmt::Debug {
    /// The algorithm this key writes into new envelopes.
    fn wrap_algorithm(&self) -> WrapAlgorithm;

    /// The description stored with objects this key wraps, used to pick the
    /// key again when reading.
    fn material_description(&self) -> Option<&MaterialDescription>;

    /// A stable, non-secret identity of the key that wraps (a digest of an
    /// RSA public key, a KMS key id), so that work begun with one key is
    /// never finished with another (a resumed rewrap). `None` (the default):
    /// no identity, so such work is never resumed.
    fn fingerprint(&self) -> Option<String> {
        None
    }

    /// Whether this key can unwrap envelopes written with `algorithm`.
    fn can_unwrap(&self, algorithm: WrapAlgorithm) -> bool {
        algorithm == self.wrap_algorithm()
    }

    /// Wraps the data key and the start value of `format` (the IV in V2, the
    /// counter as decimal text in V1).
    async fn wrap(&self, material: &ContentMaterial, format: Format) -> Result<WrappedMaterial, Error>;

    /// Unwraps an envelope's data key and start value.
    async fn unwrap(&self, envelope: &Envelope) -> Result<ContentMaterial, Error>;

    /// Content material for a new object, with its wrapped form.
    ///
    /// `fresh` was just drawn from a CSPRNG by the caller. The default wraps
    /// it; a provider that generates data keys itself (KMS `GenerateDataKey`)
    /// may return its own key instead.
    async fn new_material(
        &self,
        fresh: ContentMaterial,
        format: Format,
    ) -> Result<(ContentMaterial, WrappedMaterial), Error> {
        let wrapped = self.wrap(&fresh, format).await?;
        Ok((fresh, wrapped))
    }
}

/// The start value to wrap for `format`: the raw IV in V2, its decimal text
/// in V1 (which stored a counter, not an IV).
pub fn start_plaintext(iv: &Iv, format: Format) -> zeroize::Zeroizing<Vec<u8>> {
    match format {
        Format::V2 => zeroize::Zeroizing::new(iv.expose_secret().to_vec()),
        Format::V1 => zeroize::Zeroizing::new(iv.to_v1_counter_text().as_bytes().to_vec()),
    }
}

/// Rebuilds content material from unwrapped plaintexts, checking their shape:
/// a 32-byte key, and a 16-byte IV (V2) or a decimal counter (V1).
///
/// # Errors
/// [`Error::MalformedUnwrap`] naming the value of the wrong shape.
pub fn material_from_unwrapped(key: &[u8], start: &[u8], format: Format) -> Result<ContentMaterial, Error> {
    let key =
        DataKey::from_slice(key).map_err(|source| Error::MalformedUnwrap { what: WrappedValue::DataKey, source })?;
    let iv = match format {
        Format::V2 => Iv::from_slice(start),
        Format::V1 => Iv::from_v1_counter_text(start),
    }
    .map_err(|source| Error::MalformedUnwrap { what: WrappedValue::Start, source })?;
    Ok(ContentMaterial::new(key, iv))
}
