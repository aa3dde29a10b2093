//! The authentication headers of an object (an oss-cse extension, outside the
//! namespace OSS and the SDKs give meaning to): the tag
//! (`x-oss-meta-oss-cse-tag`, see `oss_cse_core::auth`) and a writer's
//! Ed25519 signature over it (`x-oss-meta-oss-cse-sig`), with the signing and
//! verifying keys.
//!
//! ```text
//! x-oss-meta-oss-cse-tag: v1:<base64 of the 32-byte tag>
//! x-oss-meta-oss-cse-sig: v1:<key id, 16 hex digits>:<a|n>:<base64 of the 64-byte signature>
//! signed message: "oss-cse/sig/v1" 0x00 || tag || [u32be len(bucket) || bucket || u32be len(key) || key]
//! ```
//!
//! `a` signs the tag alone (the object may be copied or renamed anywhere);
//! `n` also signs the bucket and key it was written to. The key id is the
//! first 8 bytes of SHA-256 of the raw 32-byte public key.

use aws_lc_rs::signature::{ED25519, Ed25519KeyPair, KeyPair as _, UnparsedPublicKey};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use oss_cse_core::auth::TAG_LEN;
use pkcs1::der::Decode as _;
use zeroize::Zeroizing;

use crate::Error;
use crate::consts::{AUTH_SIG, AUTH_TAG};

const SIG_DOMAIN: &[u8] = b"oss-cse/sig/v1\0";
const SIG_LEN: usize = 64;
/// OID of Ed25519 (RFC 8410).
const ED25519_OID: &str = "1.3.101.112";

/// An object's authentication tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthTag(pub [u8; TAG_LEN]);

impl AuthTag {
    /// The header value.
    pub fn header_value(&self) -> String {
        format!("v1:{}", STANDARD.encode(self.0))
    }

    /// Reads a header value.
    ///
    /// # Errors
    /// [`Error::InvalidAuthHeader`] for another version or a bad value.
    pub fn parse(value: &str) -> Result<Self, Error> {
        let bad = |reason| Error::InvalidAuthHeader { header: AUTH_TAG, reason };
        let body = value.trim().strip_prefix("v1:").ok_or(bad("not a v1 tag"))?;
        let bytes = STANDARD.decode(body).map_err(|_| bad("not base64"))?;
        Ok(Self(bytes.try_into().map_err(|_| bad("not 32 bytes"))?))
    }
}

/// Where a signed object may live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedName<'a> {
    /// Anywhere: the tag alone is signed.
    Anywhere,
    /// Only at this bucket and key.
    At {
        /// Bucket.
        bucket: &'a str,
        /// Object key.
        key: &'a str,
    },
}

fn message(tag: &AuthTag, name: SignedName<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(SIG_DOMAIN.len() + TAG_LEN + 64);
    out.extend_from_slice(SIG_DOMAIN);
    out.extend_from_slice(&tag.0);
    if let SignedName::At { bucket, key } = name {
        for part in [bucket, key] {
            out.extend_from_slice(&(part.len() as u32).to_be_bytes());
            out.extend_from_slice(part.as_bytes());
        }
    }
    out
}

fn key_id(public: &[u8]) -> [u8; 8] {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, public);
    let mut id = [0u8; 8];
    id.copy_from_slice(&digest.as_ref()[..8]);
    id
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A writer's signature over an object's tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// Which key signed (see the module docs).
    pub key_id: [u8; 8],
    /// Whether the bucket and key are signed too.
    pub covers_name: bool,
    /// The Ed25519 signature.
    pub signature: Vec<u8>,
}

impl Signature {
    /// The header value.
    pub fn header_value(&self) -> String {
        let scope = if self.covers_name { 'n' } else { 'a' };
        format!("v1:{}:{scope}:{}", hex(&self.key_id), STANDARD.encode(&self.signature))
    }

    /// Reads a header value.
    ///
    /// # Errors
    /// [`Error::InvalidAuthHeader`] for another version or a bad value.
    pub fn parse(value: &str) -> Result<Self, Error> {
        let bad = |reason| Error::InvalidAuthHeader { header: AUTH_SIG, reason };
        let mut fields = value.trim().split(':');
        let (Some("v1"), Some(id), Some(scope), Some(sig), None) =
            (fields.next(), fields.next(), fields.next(), fields.next(), fields.next())
        else {
            return Err(bad("not v1:<key id>:<a|n>:<signature>"));
        };
        let mut key_id = [0u8; 8];
        if id.len() != 16 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad("the key id is not 16 hex digits"));
        }
        for (i, byte) in key_id.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&id[2 * i..2 * i + 2], 16).map_err(|_| bad("bad key id"))?;
        }
        let covers_name = match scope {
            "n" => true,
            "a" => false,
            _ => return Err(bad("the scope is neither a nor n")),
        };
        let signature = STANDARD.decode(sig).map_err(|_| bad("the signature is not base64"))?;
        if signature.len() != SIG_LEN {
            return Err(bad("the signature is not 64 bytes"));
        }
        Ok(Self { key_id, covers_name, signature })
    }
}

/// An Ed25519 key that signs the tags of the objects it writes.
pub struct SigningKey {
    pair: Ed25519KeyPair,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey").field("key_id", &hex(&key_id(self.pair.public_key().as_ref()))).finish()
    }
}

impl SigningKey {
    /// From a PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`, as `openssl genpkey
    /// -algorithm ed25519` writes).
    ///
    /// # Errors
    /// [`Error::InvalidPem`] for anything else.
    pub fn from_pem(pem: &str) -> Result<Self, Error> {
        const WHAT: &str = "Ed25519 signing key";
        let reject = |reason: &str| Error::InvalidPem { what: WHAT, reason: reason.to_owned() };
        let normalized = Zeroizing::new(pem.trim().replace("\r\n", "\n"));
        let (label, der) = pkcs1::der::pem::decode_vec(normalized.as_bytes()).map_err(|_| reject("not a PEM block"))?;
        let der = Zeroizing::new(der);
        if label != "PRIVATE KEY" {
            return Err(reject("expected a \"PRIVATE KEY\" (PKCS#8) block"));
        }
        let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der).map_err(|_| reject("not an Ed25519 PKCS#8 key"))?;
        Ok(Self { pair })
    }

    /// A new key, with its private (PKCS#8) and public (SPKI) PEM.
    ///
    /// # Errors
    /// [`Error::KeyGeneration`] if the generator fails.
    pub fn generate() -> Result<(Self, Zeroizing<String>, String), Error> {
        let failed = || Error::KeyGeneration { bits: 256 };
        let pair = Ed25519KeyPair::generate().map_err(|_| failed())?;
        let pkcs8 = pair.to_pkcs8().map_err(|_| failed())?;
        let private = pkcs1::der::pem::encode_string("PRIVATE KEY", pkcs1::der::pem::LineEnding::LF, pkcs8.as_ref())
            .map_err(|_| failed())?;
        let public = VerifyingKey { raw: pair.public_key().as_ref().to_vec() }.to_pem()?;
        Ok((Self { pair }, Zeroizing::new(private), public))
    }

    /// The matching verifying key.
    pub fn verifying_key(&self) -> VerifyingKey {
        VerifyingKey { raw: self.pair.public_key().as_ref().to_vec() }
    }

    /// Signs `tag`, and the name when `name` says so.
    pub fn sign(&self, tag: &AuthTag, name: SignedName<'_>) -> Signature {
        let signature = self.pair.sign(&message(tag, name)).as_ref().to_vec();
        Signature {
            key_id: key_id(self.pair.public_key().as_ref()),
            covers_name: matches!(name, SignedName::At { .. }),
            signature,
        }
    }
}

/// A trusted writer's Ed25519 public key.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifyingKey {
    raw: Vec<u8>,
}

impl std::fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyingKey").field("key_id", &hex(&self.key_id())).finish()
    }
}

impl VerifyingKey {
    /// From an SPKI PEM (`-----BEGIN PUBLIC KEY-----`).
    ///
    /// # Errors
    /// [`Error::InvalidPem`] for anything but an Ed25519 public key.
    pub fn from_pem(pem: &str) -> Result<Self, Error> {
        const WHAT: &str = "Ed25519 verifying key";
        let reject = |reason: &str| Error::InvalidPem { what: WHAT, reason: reason.to_owned() };
        let normalized = pem.trim().replace("\r\n", "\n");
        let (label, der) = pkcs1::der::pem::decode_vec(normalized.as_bytes()).map_err(|_| reject("not a PEM block"))?;
        if label != "PUBLIC KEY" {
            return Err(reject("expected a \"PUBLIC KEY\" (SPKI) block"));
        }
        let spki = spki::SubjectPublicKeyInfoRef::from_der(&der).map_err(|_| reject("not a SubjectPublicKeyInfo"))?;
        if spki.algorithm.oid.to_string() != ED25519_OID {
            return Err(reject("not an Ed25519 key"));
        }
        let raw = spki.subject_public_key.as_bytes().ok_or_else(|| reject("bad key bits"))?;
        if raw.len() != 32 {
            return Err(reject("not 32 bytes"));
        }
        Ok(Self { raw: raw.to_vec() })
    }

    /// The SPKI PEM.
    ///
    /// # Errors
    /// [`Error::KeyGeneration`] if encoding fails (it cannot for 32 bytes).
    pub fn to_pem(&self) -> Result<String, Error> {
        // RFC 8410: the SPKI of an Ed25519 key is this prefix and the key.
        const PREFIX: [u8; 12] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];
        let der: Vec<u8> = PREFIX.iter().chain(&self.raw).copied().collect();
        pkcs1::der::pem::encode_string("PUBLIC KEY", pkcs1::der::pem::LineEnding::LF, &der)
            .map_err(|_| Error::KeyGeneration { bits: 256 })
    }

    /// The id signatures name this key by.
    pub fn key_id(&self) -> [u8; 8] {
        key_id(&self.raw)
    }

    /// Whether `signature` is this key's over `tag` (and, when it says it
    /// covers the name, over `bucket`/`key`).
    pub fn verify(&self, signature: &Signature, tag: &AuthTag, bucket: &str, key: &str) -> bool {
        if signature.key_id != self.key_id() {
            return false;
        }
        let name = if signature.covers_name { SignedName::At { bucket, key } } else { SignedName::Anywhere };
        UnparsedPublicKey::new(&ED25519, &self.raw).verify(&message(tag, name), &signature.signature).is_ok()
    }
}

#[cfg(test)]
mod tests;
