//! How KMS-wrapped values sit in an envelope: the pure format facts a KMS
//! master key needs, kept here so they are tested against the official SDK's
//! vectors without any KMS client.
//!
//! KMS `Encrypt`/`Decrypt` speak base64 text: `Plaintext` is base64 of the
//! secret (or, for the V1 start counter, the decimal text itself) and
//! `CiphertextBlob` is base64 of an opaque blob. The SDKs store the blob in
//! two ways:
//!
//! | layout | writers | header value |
//! |---|---|---|
//! | [`KmsLayout::Oss2`] | oss2 (V2) | base64 of the blob *text* (base64 twice) |
//! | [`KmsLayout::BlobText`] | Go, Java (V2); oss2 2.5–2.10 (V1) | the blob text itself |
//!
//! Because an envelope keeps base64-decoded header values, the oss2 layout
//! decodes to printable base64 text while the other decodes to the binary
//! blob. A real KMS blob is random-looking bytes, so the chance that one is
//! entirely base64 characters is negligible: that is how we tell them apart.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use oss_cse_core::ContentMaterial;
use zeroize::Zeroizing;

use crate::master_key::material_from_unwrapped;
use crate::{Error, Format, WrappedValue};

/// Where a KMS `CiphertextBlob` is kept in the envelope header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KmsLayout {
    /// oss2: header = base64(blob text). Read by oss2 only.
    Oss2,
    /// Go/Java SDKs and format V1: header = blob text. Read by Go and Java
    /// (V2) or oss2 (V1).
    BlobText,
}

/// The `CiphertextBlob` to send to KMS `Decrypt` for a wrapped value as the
/// envelope holds it, and the layout it was found in.
///
/// # Errors
/// [`Error::InvalidKmsBlob`] for an empty wrapped value.
pub fn ciphertext_blob(wrapped: &[u8], what: WrappedValue) -> Result<(String, KmsLayout), Error> {
    if wrapped.is_empty() {
        return Err(Error::InvalidKmsBlob { what });
    }
    let looks_like_text = wrapped.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
    if looks_like_text && STANDARD.decode(wrapped).is_ok() {
        // Printable base64 text: oss2 stored the blob string itself, base64'd.
        let text = String::from_utf8(wrapped.to_vec()).map_err(|_| Error::InvalidKmsBlob { what })?;
        return Ok((text, KmsLayout::Oss2));
    }
    Ok((STANDARD.encode(wrapped), KmsLayout::BlobText))
}

/// The envelope bytes for a `CiphertextBlob` KMS returned, in `layout`.
///
/// # Errors
/// [`Error::InvalidKmsBlob`] if the blob is not base64 (a KMS reply we
/// cannot store faithfully).
pub fn wrapped_from_blob(blob: &str, layout: KmsLayout, what: WrappedValue) -> Result<Vec<u8>, Error> {
    // An empty blob decodes as base64, but no key could ever be recovered
    // from an object that stored it.
    if blob.trim().is_empty() {
        return Err(Error::InvalidKmsBlob { what });
    }
    match layout {
        KmsLayout::Oss2 => {
            // Still check it is base64, so that reading it back finds the same layout.
            STANDARD.decode(blob).map_err(|_| Error::InvalidKmsBlob { what })?;
            Ok(blob.as_bytes().to_vec())
        }
        KmsLayout::BlobText => STANDARD.decode(blob).map_err(|_| Error::InvalidKmsBlob { what }),
    }
}

/// The `Plaintext` to send to KMS `Encrypt` for one value: base64 of the
/// data key or IV, or for the V1 start the decimal counter text as is.
pub fn kms_plaintext(material: &ContentMaterial, what: WrappedValue, format: Format) -> Zeroizing<String> {
    match (what, format) {
        (WrappedValue::Start, Format::V1) => material.iv().to_v1_counter_text(),
        (WrappedValue::Start, Format::V2) => Zeroizing::new(STANDARD.encode(material.iv().expose_secret())),
        (WrappedValue::DataKey, _) => Zeroizing::new(STANDARD.encode(material.key().expose_secret())),
    }
}

/// Rebuilds content material from the `Plaintext`s KMS `Decrypt` returned.
///
/// # Errors
/// [`Error::KmsPlaintextNotBase64`] if a plaintext that should be base64 is
/// not; [`Error::MalformedUnwrap`] if a value decodes to the wrong length (or,
/// for the V1 start, is not a decimal counter).
pub fn material_from_kms_plaintexts(key: &str, start: &str, format: Format) -> Result<ContentMaterial, Error> {
    let not_base64 = |what| Error::KmsPlaintextNotBase64 { what };
    let key = Zeroizing::new(STANDARD.decode(key.trim()).map_err(|_| not_base64(WrappedValue::DataKey))?);
    let start = match format {
        Format::V1 => Zeroizing::new(start.trim().as_bytes().to_vec()),
        Format::V2 => Zeroizing::new(STANDARD.decode(start.trim()).map_err(|_| not_base64(WrappedValue::Start))?),
    };
    material_from_unwrapped(&key, &start, format)
}
