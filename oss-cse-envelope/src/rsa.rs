//! RSA master keys: PKCS#1 v1.5 (every SDK) and OAEP-SHA-1 (oss2
//! `LocalRsaProvider` and format V1) wrapping, from PEM in PKCS#1 or PKCS#8
//! form.
//!
//! # Why `aws-lc-rs` and not the `rsa` crate
//!
//! Every download unwraps twice (data key and IV) with RSA PKCS#1 v1.5
//! decryption, the operation the Marvin timing attack targets. The RustCrypto
//! `rsa` crate has an open advisory for it (RUSTSEC-2023-0071: its decryption
//! is not constant-time) and measured about 3.8 ms per RSA-2048 decrypt here;
//! AWS-LC decrypts in constant time (FIPS-validated code) at about 0.9 ms.
//! So the RSA arithmetic is `aws-lc-rs`; PEM and the PKCS#1 public-key
//! structure are read with RustCrypto's `pkcs1`/`der`, which only parse.
//!
//! PKCS#1 v1.5 still cannot tell a wrong key from a right one reliably: a
//! wrong key fails the padding check almost always, and we additionally
//! require the unwrapped key to be 32 bytes and the IV 16.

use std::fmt;

use async_trait::async_trait;
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{
    KeyPair, KeySize, OAEP_SHA1_MGF1SHA1, OaepPrivateDecryptingKey, OaepPublicEncryptingKey, Pkcs1PrivateDecryptingKey,
    Pkcs1PublicEncryptingKey, PrivateDecryptingKey, PublicEncryptingKey, PublicKeyComponents,
};
use oss_cse_core::ContentMaterial;
use pkcs1::der::Decode as _;
use zeroize::Zeroizing;

use crate::master_key::{material_from_unwrapped, start_plaintext};
use crate::{Envelope, Error, Format, MasterKey, MaterialDescription, WrapAlgorithm, WrappedMaterial, WrappedValue};

/// An RSA master key: a public key to wrap with, a private key to unwrap
/// with, or both.
///
/// A public-only key can encrypt (upload) but not decrypt; a private-only key
/// can decrypt (download) but not encrypt, as with the official SDKs.
pub struct RsaMasterKey {
    public: Option<PublicEncryptingKey>,
    private: Option<PrivateDecryptingKey>,
    material_description: Option<MaterialDescription>,
    padding: WrapAlgorithm,
}

/// Sizes `KeySize` can generate.
const GENERATABLE_BITS: [(usize, KeySize); 3] =
    [(2048, KeySize::Rsa2048), (3072, KeySize::Rsa3072), (4096, KeySize::Rsa4096)];

impl RsaMasterKey {
    /// Loads a key from PEM text. Public keys may be `PUBLIC KEY` (SPKI) or
    /// `RSA PUBLIC KEY` (PKCS#1); private keys `PRIVATE KEY` (PKCS#8) or
    /// `RSA PRIVATE KEY` (PKCS#1). At least one of the two is required.
    ///
    /// # Errors
    /// [`Error::InvalidPem`] for unreadable, encrypted or non-RSA PEM, or
    /// when neither key is given.
    pub fn from_pem(public_pem: Option<&str>, private_pem: Option<&str>) -> Result<Self, Error> {
        if public_pem.is_none() && private_pem.is_none() {
            return Err(Error::InvalidPem {
                what: "RSA key",
                reason: "neither a public nor a private key was given".into(),
            });
        }
        let public = public_pem.map(parse_public_pem).transpose()?;
        let private = private_pem.map(parse_private_pem).transpose()?;
        // A public key from another pair would encrypt objects this private
        // key can never open: refuse the pair before anything is written.
        if let (Some(public), Some(private)) = (&public, &private) {
            let derived = private.public_key();
            let same = match (public.as_der(), derived.as_der()) {
                (Ok(given), Ok(derived)) => given.as_ref() == derived.as_ref(),
                _ => false,
            };
            if !same {
                return Err(Error::InvalidPem {
                    what: "RSA key pair",
                    reason: "the public key is not the private key's: objects encrypted with it could not be \
                             decrypted with this private key"
                        .into(),
                });
            }
        }
        Ok(Self { public, private, material_description: None, padding: WrapAlgorithm::RsaPkcs1V15 })
    }

    /// Generates a new key pair of `bits` (2048, 3072 or 4096) and returns the
    /// key with its PEM texts: `(key, public SPKI PEM, private PKCS#8 PEM)`.
    ///
    /// # Errors
    /// [`Error::KeyGeneration`] for an unsupported size or a failed generation.
    pub fn generate(bits: usize) -> Result<(Self, String, Zeroizing<String>), Error> {
        let size = GENERATABLE_BITS
            .iter()
            .find(|(b, _)| *b == bits)
            .map(|(_, size)| *size)
            .ok_or(Error::KeyGeneration { bits })?;
        let private = PrivateDecryptingKey::generate(size).map_err(|_| Error::KeyGeneration { bits })?;
        let public = private.public_key();
        let private_der = private.as_der().map_err(|_| Error::KeyGeneration { bits })?;
        let public_der = public.as_der().map_err(|_| Error::KeyGeneration { bits })?;
        let private_pem = Zeroizing::new(
            pkcs1::der::pem::encode_string("PRIVATE KEY", pkcs1::LineEnding::LF, private_der.as_ref())
                .map_err(|_| Error::KeyGeneration { bits })?,
        );
        let public_pem = pkcs1::der::pem::encode_string("PUBLIC KEY", pkcs1::LineEnding::LF, public_der.as_ref())
            .map_err(|_| Error::KeyGeneration { bits })?;
        let key = Self {
            public: Some(public),
            private: Some(private),
            material_description: None,
            padding: WrapAlgorithm::RsaPkcs1V15,
        };
        Ok((key, public_pem, private_pem))
    }

    /// Sets the material description written with, and matched against,
    /// objects of this key.
    pub fn with_material_description(mut self, description: MaterialDescription) -> Self {
        self.material_description = (!description.is_empty()).then_some(description);
        self
    }

    /// Writes OAEP-SHA-1 instead of PKCS#1 v1.5, like oss2's
    /// `LocalRsaProvider`. Only oss2 reads such V2 objects; format V1 always
    /// uses OAEP.
    pub fn with_oaep_sha1(mut self) -> Self {
        self.padding = WrapAlgorithm::RsaOaepSha1;
        self
    }

    /// Whether the key has a public half (can encrypt).
    pub fn can_encrypt(&self) -> bool {
        self.public.is_some()
    }

    /// Whether the key has a private half (can decrypt).
    pub fn can_decrypt(&self) -> bool {
        self.private.is_some()
    }

    /// Modulus size in bits.
    pub fn bits(&self) -> usize {
        match (&self.public, &self.private) {
            (Some(public), _) => public.key_size_bits(),
            (None, Some(private)) => private.key_size_bits(),
            (None, None) => 0,
        }
    }

    fn describe(&self) -> String {
        MaterialDescription::describe(self.material_description.as_ref())
    }

    pub(crate) fn encrypt(
        &self,
        algorithm: WrapAlgorithm,
        plaintext: &[u8],
        what: WrappedValue,
    ) -> Result<Vec<u8>, Error> {
        let public = self.public.clone().ok_or_else(|| Error::MissingPublicKey { matdesc: self.describe() })?;
        let fail = |_| Error::RsaWrap { what };
        let mut out = vec![0u8; public.key_size_bytes()];
        let len = if algorithm == WrapAlgorithm::RsaOaepSha1 {
            let key = OaepPublicEncryptingKey::new(public).map_err(fail)?;
            key.encrypt(&OAEP_SHA1_MGF1SHA1, plaintext, &mut out, None).map_err(fail)?.len()
        } else {
            let key = Pkcs1PublicEncryptingKey::new(public).map_err(fail)?;
            key.encrypt(plaintext, &mut out).map_err(fail)?.len()
        };
        out.truncate(len);
        Ok(out)
    }

    /// Decrypts one wrapped value. Every failure is the one
    /// [`Error::RsaUnwrap`]: which step failed is not for the caller to see.
    fn decrypt(&self, algorithm: WrapAlgorithm, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
        let private = self.private.clone().ok_or_else(|| Error::MissingPrivateKey { matdesc: self.describe() })?;
        decrypt_with(private, algorithm, ciphertext)
    }
}

/// One RSA private-key decryption with `algorithm`'s padding.
fn decrypt_with(
    private: PrivateDecryptingKey,
    algorithm: WrapAlgorithm,
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let fail = |_| Error::RsaUnwrap;
    // A ciphertext of the wrong length is a wrong key or a tampered
    // header; aws-lc would refuse it too, we just say so first.
    if ciphertext.len() != private.key_size_bytes() {
        return Err(Error::RsaUnwrap);
    }
    let mut out = Zeroizing::new(vec![0u8; private.key_size_bytes()]);
    let len = if algorithm == WrapAlgorithm::RsaOaepSha1 {
        let key = OaepPrivateDecryptingKey::new(private).map_err(fail)?;
        key.decrypt(&OAEP_SHA1_MGF1SHA1, ciphertext, &mut out, None).map_err(fail)?.len()
    } else {
        let key = Pkcs1PrivateDecryptingKey::new(private).map_err(fail)?;
        key.decrypt(ciphertext, &mut out).map_err(fail)?.len()
    };
    out.truncate(len);
    Ok(out)
}

impl fmt::Debug for RsaMasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaMasterKey")
            .field("bits", &self.bits())
            .field("public", &self.public.is_some())
            .field("private", &self.private.is_some())
            .field("material_description", &self.material_description)
            .field("padding", &self.padding)
            .finish()
    }
}

#[async_trait]
impl MasterKey for RsaMasterKey {
    fn wrap_algorithm(&self) -> WrapAlgorithm {
        self.padding
    }

    fn material_description(&self) -> Option<&MaterialDescription> {
        self.material_description.as_ref()
    }

    fn fingerprint(&self) -> Option<String> {
        let public = self.public.as_ref()?.as_der().ok()?;
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, public.as_ref());
        Some(format!("rsa-spki-sha256:{}:{}", hex_lower(digest.as_ref()), self.padding))
    }

    fn can_unwrap(&self, algorithm: WrapAlgorithm) -> bool {
        algorithm.is_rsa()
    }

    async fn wrap(&self, material: &ContentMaterial, format: Format) -> Result<WrappedMaterial, Error> {
        // Format V1 only knew OAEP.
        let algorithm = if format == Format::V1 { WrapAlgorithm::RsaOaepSha1 } else { self.padding };
        let wrapped_key = self.encrypt(algorithm, material.key().expose_secret(), WrappedValue::DataKey)?;
        let wrapped_start = self.encrypt(algorithm, &start_plaintext(material.iv(), format), WrappedValue::Start)?;
        Ok(WrappedMaterial { algorithm, wrapped_key, wrapped_start })
    }

    async fn unwrap(&self, envelope: &Envelope) -> Result<ContentMaterial, Error> {
        let algorithm = envelope.wrapped.algorithm;
        if !algorithm.is_rsa() {
            return Err(Error::IncompatibleMasterKey { key: "RSA", algorithm });
        }
        // The format wraps the key and the IV separately: two private-key
        // operations, most of the cost of reading a small object. They are
        // independent, so the IV's runs on a helper thread beside this one.
        let wrapped = &envelope.wrapped;
        let Some(private) = self.private.clone() else {
            return Err(Error::MissingPrivateKey { matdesc: self.describe() });
        };
        let wrapped_start = wrapped.wrapped_start.clone();
        let start = crate::beside::run_beside(move || decrypt_with(private, algorithm, &wrapped_start));
        let key = self.decrypt(algorithm, &wrapped.wrapped_key);
        let start = start.wait().unwrap_or(Err(Error::RsaUnwrap));
        // Bad padding and good padding around a value of the wrong length
        // (or a wrong V1 counter) must look alike: one error for all.
        match (key, start) {
            (Ok(key), Ok(start)) => {
                material_from_unwrapped(&key, &start, envelope.format).map_err(|_| Error::RsaUnwrap)
            }
            (Err(Error::MissingPrivateKey { matdesc }), _) => Err(Error::MissingPrivateKey { matdesc }),
            _ => Err(Error::RsaUnwrap),
        }
    }
}

fn decode_pem(what: &'static str, pem: &str) -> Result<(String, Zeroizing<Vec<u8>>), Error> {
    // Tolerate CRLF line ends and surrounding blank lines, which editors add.
    let normalized = Zeroizing::new(pem.trim().replace("\r\n", "\n"));
    // Said plainly: the decoder's own words for these (a NUL byte, a bad
    // preamble) describe bytes the input does not have.
    if normalized.is_empty() {
        return Err(Error::InvalidPem { what, reason: "empty: no PEM block".to_owned() });
    }
    if !normalized.starts_with("-----BEGIN ") {
        return Err(Error::InvalidPem { what, reason: "not a PEM block: no -----BEGIN line at the start".to_owned() });
    }
    let (label, der) = pkcs1::der::pem::decode_vec(normalized.as_bytes())
        .map_err(|e| Error::InvalidPem { what, reason: format!("not a PEM block ({e})") })?;
    Ok((label.to_owned(), Zeroizing::new(der)))
}

fn parse_public_pem(pem: &str) -> Result<PublicEncryptingKey, Error> {
    const WHAT: &str = "public key";
    let (label, der) = decode_pem(WHAT, pem)?;
    let reject = |reason: &str| Error::InvalidPem { what: WHAT, reason: reason.to_owned() };
    match label.as_str() {
        "PUBLIC KEY" => PublicEncryptingKey::from_der(&der)
            .map_err(|e| size_refused(WHAT, &e).unwrap_or_else(|| reject("not an RSA SubjectPublicKeyInfo"))),
        "RSA PUBLIC KEY" => {
            let key = pkcs1::RsaPublicKeyRef::from_der(&der).map_err(|_| reject("not a PKCS#1 RSAPublicKey"))?;
            let components = PublicKeyComponents { n: key.modulus.as_bytes(), e: key.public_exponent.as_bytes() };
            let spki = components.as_der().map_err(|_| reject("RSA public key rejected"))?;
            PublicEncryptingKey::from_der(spki.as_ref())
                .map_err(|e| size_refused(WHAT, &e).unwrap_or_else(|| reject("RSA public key rejected")))
        }
        other => Err(Error::InvalidPem {
            what: WHAT,
            reason: format!("PEM label {other:?}; expected \"PUBLIC KEY\" or \"RSA PUBLIC KEY\""),
        }),
    }
}

/// The error for a key aws-lc refused for its size (RSA keys of 2048 to
/// 8192 bits are accepted: under 2048 bits is below every current
/// recommendation, NIST's included), if that was the reason.
fn size_refused(what: &'static str, rejected: &aws_lc_rs::error::KeyRejected) -> Option<Error> {
    let reason = match rejected.description_() {
        "TooSmall" => "RSA keys under 2048 bits are refused",
        "TooLarge" => "RSA keys over 8192 bits are not supported",
        _ => return None,
    };
    Some(Error::InvalidPem { what, reason: reason.into() })
}

fn parse_private_pem(pem: &str) -> Result<PrivateDecryptingKey, Error> {
    const WHAT: &str = "private key";
    let (label, der) = decode_pem(WHAT, pem)?;
    let reject = |reason: &str| Error::InvalidPem { what: WHAT, reason: reason.to_owned() };
    match label.as_str() {
        "PRIVATE KEY" => PrivateDecryptingKey::from_pkcs8(&der).map_err(|e| {
            size_refused(WHAT, &e).unwrap_or_else(|| reject("not an RSA PKCS#8 private key (2048 to 8192 bits)"))
        }),
        "RSA PRIVATE KEY" => {
            // aws-lc reads PKCS#1 through its key-pair type; re-encode as PKCS#8.
            let pair = KeyPair::from_der(&der).map_err(|e| {
                size_refused(WHAT, &e).unwrap_or_else(|| reject("not a PKCS#1 RSAPrivateKey (2048 to 8192 bits)"))
            })?;
            let pkcs8 = pair.as_der().map_err(|_| reject("RSA private key rejected"))?;
            PrivateDecryptingKey::from_pkcs8(pkcs8.as_ref())
                .map_err(|e| size_refused(WHAT, &e).unwrap_or_else(|| reject("RSA private key rejected")))
        }
        "ENCRYPTED PRIVATE KEY" => Err(reject(
            "passphrase-protected keys are not supported; decrypt it first (openssl pkcs8 -in KEY -out PLAIN)",
        )),
        other => Err(Error::InvalidPem {
            what: WHAT,
            reason: format!("PEM label {other:?}; expected \"PRIVATE KEY\" or \"RSA PRIVATE KEY\""),
        }),
    }
}

#[cfg(test)]
mod tests;

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
