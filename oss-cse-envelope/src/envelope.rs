//! The typed envelope and its codec: decode V1 or V2 metadata headers from a
//! case-insensitive header list, encode V2 (or V1 when asked).

use std::fmt;

use base64::Engine as _;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};

use crate::auth::{AuthTag, Signature};
use crate::consts::*;
use crate::error::clip;
use crate::{Error, MaterialDescription};

/// Which header layout an envelope uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `x-oss-meta-oss-crypto-*` (oss2 2.5–2.10, deprecated).
    V1,
    /// `x-oss-meta-client-side-encryption-*` (all current SDKs).
    V2,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::V1 => "V1",
            Self::V2 => "V2",
        })
    }
}

/// How the data key and IV are wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WrapAlgorithm {
    /// RSAES-PKCS1-v1_5 (`RSA/NONE/PKCS1Padding`), what every SDK writes.
    RsaPkcs1V15,
    /// RSAES-OAEP with SHA-1 and MGF1-SHA-1 (oss2 `LocalRsaProvider`, and V1 `rsa`).
    RsaOaepSha1,
    /// Alibaba Cloud KMS (`KMS/ALICLOUD`, V1 `kms`).
    KmsAliCloud,
}

impl WrapAlgorithm {
    /// The label stored in a V2 envelope.
    pub fn v2_label(self) -> &'static str {
        match self {
            Self::RsaPkcs1V15 => WRAP_RSA_PKCS1,
            Self::RsaOaepSha1 => WRAP_RSA_OAEP_SHA1,
            Self::KmsAliCloud => WRAP_KMS,
        }
    }

    /// The label stored in a V1 envelope, if V1 can express this algorithm.
    pub fn v1_label(self) -> Option<&'static str> {
        match self {
            Self::RsaPkcs1V15 => None,
            Self::RsaOaepSha1 => Some(WRAP_V1_RSA),
            Self::KmsAliCloud => Some(WRAP_V1_KMS),
        }
    }

    /// Whether this is one of the RSA algorithms.
    pub fn is_rsa(self) -> bool {
        matches!(self, Self::RsaPkcs1V15 | Self::RsaOaepSha1)
    }

    fn parse(format: Format, header: &'static str, value: &str) -> Result<Self, Error> {
        let known: &[(&str, Self)] = match format {
            Format::V2 => &[
                (WRAP_RSA_PKCS1, Self::RsaPkcs1V15),
                (WRAP_RSA_OAEP_SHA1, Self::RsaOaepSha1),
                (WRAP_KMS, Self::KmsAliCloud),
            ],
            // oss2 2.19.1 reads V1 `kms` as KMS and everything else as RSA-OAEP;
            // we accept the two labels V1 writers used and refuse the rest.
            Format::V1 => &[(WRAP_V1_RSA, Self::RsaOaepSha1), (WRAP_V1_KMS, Self::KmsAliCloud)],
        };
        // Java compares wrap labels case-insensitively; so do we.
        known
            .iter()
            .find(|(label, _)| label.eq_ignore_ascii_case(value))
            .map(|(_, algorithm)| *algorithm)
            .ok_or_else(|| Error::UnsupportedWrapAlgorithm { header, value: clip(value) })
    }
}

impl fmt::Display for WrapAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.v2_label())
    }
}

/// The wrapped data key and start value a master key produced, as raw bytes
/// (before the base64 of the header).
#[derive(Clone, PartialEq, Eq)]
pub struct WrappedMaterial {
    /// The wrap algorithm used.
    pub algorithm: WrapAlgorithm,
    /// The wrapped data key.
    pub wrapped_key: Vec<u8>,
    /// The wrapped IV (V2) or start counter text (V1).
    pub wrapped_start: Vec<u8>,
}

impl fmt::Debug for WrappedMaterial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WrappedMaterial")
            .field("algorithm", &self.algorithm)
            .field("wrapped_key_len", &self.wrapped_key.len())
            .field("wrapped_start_len", &self.wrapped_start.len())
            .finish()
    }
}

/// A decoded client-side encryption envelope: everything the object's
/// metadata says about how its content was encrypted.
///
/// The wrapped values are kept as the bytes their headers base64-encode:
/// RSA ciphertexts; for oss2's KMS layout the ASCII text of the KMS
/// `CiphertextBlob`; for the Go/Java and V1 KMS layouts the decoded blob.
/// The KMS master key tells the layouts apart.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Envelope {
    /// Header layout.
    pub format: Format,
    /// The wrapped key and start, with the algorithm that wrapped them.
    pub wrapped: WrappedMaterial,
    /// Which master key wrapped them, if the writer said.
    pub material_description: Option<MaterialDescription>,
    /// Plaintext length, if the writer recorded it.
    pub unencrypted_content_length: Option<u64>,
    /// Base64 MD5 of the plaintext, if the writer recorded it (verbatim).
    pub unencrypted_content_md5: Option<String>,
    /// Multipart: total plaintext size given at initiate.
    pub data_size: Option<u64>,
    /// Multipart: part size given at initiate.
    pub part_size: Option<u64>,
    /// The authentication tag (an oss-cse extension), if the writer made one.
    pub auth_tag: Option<AuthTag>,
    /// A writer's signature over the tag, if it signed.
    pub signature: Option<Signature>,
}

impl fmt::Debug for Envelope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Envelope")
            .field("format", &self.format)
            .field("wrapped", &self.wrapped)
            .field("material_description", &self.material_description)
            .field("unencrypted_content_length", &self.unencrypted_content_length)
            .field("unencrypted_content_md5", &self.unencrypted_content_md5)
            .field("data_size", &self.data_size)
            .field("part_size", &self.part_size)
            .field("auth_tag", &self.auth_tag.is_some())
            .field("signature", &self.signature.as_ref().map(|s| s.header_value()))
            .finish()
    }
}

/// Base64 reader that accepts standard base64 with or without padding, as
/// the Python and Java SDKs do (Go is stricter; we only emit padded base64).
const LENIENT_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The envelope headers found in a header list, by role.
#[derive(Default)]
struct Found<'a> {
    values: Vec<(&'static str, &'a [u8])>,
}

impl<'a> Found<'a> {
    fn get(&self, header: &'static str) -> Option<&'a [u8]> {
        self.values.iter().find(|(name, _)| *name == header).map(|(_, v)| *v)
    }

    /// The header as trimmed printable ASCII; `None` if absent or blank.
    fn text(&self, header: &'static str) -> Result<Option<&'a str>, Error> {
        let Some(raw) = self.get(header) else { return Ok(None) };
        if raw.len() > MAX_HEADER_VALUE_LEN {
            return Err(Error::HeaderTooLong { header, len: raw.len(), max: MAX_HEADER_VALUE_LEN });
        }
        if !raw.iter().all(|b| (0x20..0x7f).contains(b) || *b == b'\t') {
            return Err(Error::NonAsciiHeader { header });
        }
        // Checked ASCII above, so this cannot fail.
        let text = std::str::from_utf8(raw).map_err(|_| Error::NonAsciiHeader { header })?.trim();
        Ok((!text.is_empty()).then_some(text))
    }

    fn required(&self, header: &'static str) -> Result<&'a str, Error> {
        self.text(header)?.ok_or(Error::MissingHeader { header })
    }

    fn base64(&self, header: &'static str) -> Result<Vec<u8>, Error> {
        let text = self.required(header)?;
        LENIENT_BASE64.decode(text).map_err(|_| Error::InvalidBase64 { header })
    }

    fn number(&self, header: &'static str) -> Result<Option<u64>, Error> {
        let Some(text) = self.text(header)? else { return Ok(None) };
        if !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::InvalidNumber { header, value: clip(text) });
        }
        text.parse().map(Some).map_err(|_| Error::InvalidNumber { header, value: clip(text) })
    }

    /// The matdesc header, which unlike the others may hold non-ASCII
    /// bytes: Go writes raw UTF-8, and Java sends UTF-8 through an ISO-8859-1
    /// header (bytes 0x80-0x9F become `?`), which is not always UTF-8; such a
    /// value is read one character per byte, as ISO-8859-1. Control
    /// characters are still refused.
    fn matdesc(&self, header: &'static str) -> Result<Option<MaterialDescription>, Error> {
        let Some(raw) = self.get(header) else { return Ok(None) };
        if raw.len() > MAX_HEADER_VALUE_LEN {
            return Err(Error::HeaderTooLong { header, len: raw.len(), max: MAX_HEADER_VALUE_LEN });
        }
        if !raw.iter().all(|b| (0x20..0x7f).contains(b) || *b == b'\t' || *b >= 0x80) {
            return Err(Error::NonAsciiHeader { header });
        }
        let text: std::borrow::Cow<'_, str> = match std::str::from_utf8(raw) {
            Ok(text) => text.into(),
            Err(_) => raw.iter().map(|b| char::from(*b)).collect::<String>().into(),
        };
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let description = MaterialDescription::from_header(text)?;
        Ok((!description.is_empty()).then_some(description))
    }
}

impl Envelope {
    /// A new envelope for freshly wrapped material, with no optional fields.
    pub fn new(format: Format, wrapped: WrappedMaterial) -> Self {
        Self {
            format,
            wrapped,
            material_description: None,
            unencrypted_content_length: None,
            unencrypted_content_md5: None,
            data_size: None,
            part_size: None,
            auth_tag: None,
            signature: None,
        }
    }

    /// Whether a header list carries any client-side encryption header at
    /// all (the test the official SDKs use to decide "encrypted").
    pub fn is_present<I, K, V>(headers: I) -> bool
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<[u8]>,
    {
        headers.into_iter().any(|(name, _)| {
            let name = name.as_ref();
            [V2_KEY, V2_START, V2_CEK_ALG, V2_WRAP_ALG, V1_KEY].iter().any(|h| h.eq_ignore_ascii_case(name))
        })
    }

    /// Decodes the envelope from an object's headers (names compared without
    /// case; other headers ignored).
    ///
    /// Returns `Ok(None)` when the object carries no client-side encryption
    /// header. V1 is chosen when `x-oss-meta-oss-crypto-key` is present (as
    /// oss2 does), V2 otherwise; a partial envelope is an error, never
    /// "unencrypted".
    ///
    /// # Errors
    /// A typed [`Error`] for every malformed or missing value.
    pub fn from_headers<I, K, V>(headers: I) -> Result<Option<Self>, Error>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<[u8]>,
    {
        let headers: Vec<(K, V)> = headers.into_iter().collect();
        let mut found = Found::default();
        for (name, value) in &headers {
            let name = name.as_ref();
            if let Some(known) = ENVELOPE_HEADERS.iter().find(|h| h.eq_ignore_ascii_case(name)) {
                if found.get(known).is_some() {
                    return Err(Error::DuplicateHeader { header: known });
                }
                found.values.push((known, value.as_ref()));
            }
        }
        if found.get(V1_KEY).is_some() {
            return Self::decode_v1(&found).map(Some);
        }
        if [V2_KEY, V2_START, V2_CEK_ALG, V2_WRAP_ALG].iter().any(|h| found.get(h).is_some()) {
            return Self::decode_v2(&found).map(Some);
        }
        Ok(None)
    }

    fn decode_v2(found: &Found<'_>) -> Result<Self, Error> {
        let wrapped_key = found.base64(V2_KEY)?;
        let wrapped_start = found.base64(V2_START)?;
        let cek = found.required(V2_CEK_ALG)?;
        if cek != CEK_AES_CTR {
            return Err(Error::UnsupportedCekAlgorithm { header: V2_CEK_ALG, value: clip(cek) });
        }
        let algorithm = WrapAlgorithm::parse(Format::V2, V2_WRAP_ALG, found.required(V2_WRAP_ALG)?)?;
        Ok(Self {
            format: Format::V2,
            wrapped: WrappedMaterial { algorithm, wrapped_key, wrapped_start },
            material_description: found.matdesc(V2_MATDESC)?,
            unencrypted_content_length: found.number(V2_UNENCRYPTED_CONTENT_LENGTH)?,
            unencrypted_content_md5: found.text(V2_UNENCRYPTED_CONTENT_MD5)?.map(str::to_owned),
            data_size: found.number(V2_DATA_SIZE)?,
            part_size: found.number(V2_PART_SIZE)?,
            auth_tag: found.text(AUTH_TAG)?.map(AuthTag::parse).transpose()?,
            signature: found.text(AUTH_SIG)?.map(Signature::parse).transpose()?,
        })
    }

    fn decode_v1(found: &Found<'_>) -> Result<Self, Error> {
        let wrapped_key = found.base64(V1_KEY)?;
        let wrapped_start = found.base64(V1_START)?;
        let cek = found.required(V1_CEK_ALG)?;
        // V1 writers labelled CTR content "AES/GCM/NoPadding"; both labels mean CTR here.
        if cek != CEK_V1_GCM_LABEL && cek != CEK_AES_CTR {
            return Err(Error::UnsupportedCekAlgorithm { header: V1_CEK_ALG, value: clip(cek) });
        }
        let algorithm = WrapAlgorithm::parse(Format::V1, V1_WRAP_ALG, found.required(V1_WRAP_ALG)?)?;
        Ok(Self {
            format: Format::V1,
            wrapped: WrappedMaterial { algorithm, wrapped_key, wrapped_start },
            material_description: found.matdesc(V1_MATDESC)?,
            unencrypted_content_length: found.number(V1_UNENCRYPTED_CONTENT_LENGTH)?,
            unencrypted_content_md5: found.text(V1_UNENCRYPTED_CONTENT_MD5)?.map(str::to_owned),
            data_size: None,
            part_size: None,
            auth_tag: found.text(AUTH_TAG)?.map(AuthTag::parse).transpose()?,
            signature: found.text(AUTH_SIG)?.map(Signature::parse).transpose()?,
        })
    }

    /// The headers to store on the object, lower-case names, in a stable order.
    ///
    /// # Errors
    /// [`Error::WrapAlgorithmNotInFormat`] for a V1 envelope whose algorithm
    /// V1 cannot express (RSA PKCS#1 v1.5).
    pub fn to_headers(&self) -> Result<Vec<(&'static str, String)>, Error> {
        let key = STANDARD.encode(&self.wrapped.wrapped_key);
        let start = STANDARD.encode(&self.wrapped.wrapped_start);
        let mut headers = Vec::with_capacity(9);
        match self.format {
            Format::V2 => {
                headers.push((V2_KEY, key));
                headers.push((V2_START, start));
                headers.push((V2_CEK_ALG, CEK_AES_CTR.to_owned()));
                headers.push((V2_WRAP_ALG, self.wrapped.algorithm.v2_label().to_owned()));
                if let Some(md) = self.material_description.as_ref().filter(|md| !md.is_empty()) {
                    headers.push((V2_MATDESC, md.header_text().into_owned()));
                }
                if let Some(len) = self.unencrypted_content_length {
                    headers.push((V2_UNENCRYPTED_CONTENT_LENGTH, len.to_string()));
                }
                if let Some(md5) = &self.unencrypted_content_md5 {
                    headers.push((V2_UNENCRYPTED_CONTENT_MD5, md5.clone()));
                }
                if let Some(size) = self.data_size {
                    headers.push((V2_DATA_SIZE, size.to_string()));
                }
                if let Some(size) = self.part_size {
                    headers.push((V2_PART_SIZE, size.to_string()));
                }
            }
            Format::V1 => {
                let label = self
                    .wrapped
                    .algorithm
                    .v1_label()
                    .ok_or(Error::WrapAlgorithmNotInFormat { algorithm: self.wrapped.algorithm, format: Format::V1 })?;
                headers.push((V1_KEY, key));
                headers.push((V1_START, start));
                headers.push((V1_CEK_ALG, CEK_V1_GCM_LABEL.to_owned()));
                headers.push((V1_WRAP_ALG, label.to_owned()));
                if let Some(md) = self.material_description.as_ref().filter(|md| !md.is_empty()) {
                    headers.push((V1_MATDESC, md.header_text().into_owned()));
                }
                if let Some(len) = self.unencrypted_content_length {
                    headers.push((V1_UNENCRYPTED_CONTENT_LENGTH, len.to_string()));
                }
                if let Some(md5) = &self.unencrypted_content_md5 {
                    headers.push((V1_UNENCRYPTED_CONTENT_MD5, md5.clone()));
                }
            }
        }
        if let Some(tag) = &self.auth_tag {
            headers.push((AUTH_TAG, tag.header_value()));
        }
        if let Some(signature) = &self.signature {
            headers.push((AUTH_SIG, signature.header_value()));
        }
        Ok(headers)
    }
}

#[cfg(test)]
mod tests;
