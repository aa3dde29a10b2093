//! Authenticated objects (an oss-cse extension the official SDKs ignore):
//! writing the tag (and a signature over it), and checking both on reads.
//! The construction is `oss_cse_core::auth`; the headers are
//! `oss_cse_envelope::auth`; docs/format.md says what is covered.

use std::sync::Arc;

use oss_cse_core::ContentMaterial;
use oss_cse_core::auth::{MacKey, TagBuilder, TagParams, tags_equal};
use oss_cse_envelope::Envelope;
use oss_cse_envelope::auth::{AuthTag, SignedName, SigningKey, VerifyingKey};
use oss_cse_envelope::consts::CEK_AES_CTR;

use crate::oss::resource;
use crate::{Error, Result};

/// What the client does about authentication tags.
#[derive(Debug, Clone, Default)]
pub struct Authentication {
    /// Write a tag on every upload (files are read twice: once to hash the
    /// ciphertext, once to send it; streams go through the ciphertext spool).
    pub write_tags: bool,
    /// Refuse objects without a tag (so that stripping it does not help an
    /// attacker). Tags are always checked when present, on whole reads.
    pub require_tags: bool,
    /// Sign the tags written with this key.
    pub signer: Option<Arc<SigningKey>>,
    /// Make signatures cover the bucket and key written to (a copy or rename
    /// then fails verification).
    pub sign_names: bool,
    /// When not empty: refuse objects not signed by one of these keys.
    pub trusted_signers: Vec<VerifyingKey>,
    /// With trusted signers: refuse a signature that does not cover the
    /// object's bucket and key (one signed "anywhere" verifies on a copy of
    /// the object under any name, which a bucket writer can make).
    pub require_signed_names: bool,
}

/// The content cipher the tag binds: AES-256-CTR for every format (V1's
/// label says GCM, but its content is CTR too).
fn params<'a>(material: &'a ContentMaterial, length: u64) -> TagParams<'a> {
    TagParams { cek_alg: CEK_AES_CTR, iv: material.iv(), length }
}

/// Puts the tag of the ciphertext `hashes` describe into `envelope`, and,
/// with a signer in `auth`, a signature over it (over `bucket` and `key` too
/// when `auth` says so).
///
/// # Errors
/// [`Error::TaskFailed`] when `hashes` lack a chunk (a bug, not bad input).
pub(crate) fn attach_tag(
    auth: &Authentication,
    (bucket, key): (&str, &str),
    material: &ContentMaterial,
    length: u64,
    hashes: &TagBuilder,
    envelope: &mut Envelope,
) -> Result<()> {
    let mac_key = MacKey::derive(material.key());
    let tag = hashes.tag(&mac_key, &params(material, length)).ok_or_else(|| Error::TaskFailed {
        reason: format!("{}: the authentication tag lacks chunk hashes", resource(bucket, key)),
    })?;
    let tag = AuthTag(tag);
    envelope.signature = auth.signer.as_ref().map(|signer| {
        let name = if auth.sign_names { SignedName::At { bucket, key } } else { SignedName::Anywhere };
        signer.sign(&tag, name)
    });
    envelope.auth_tag = Some(tag);
    Ok(())
}

/// What can be checked of an object before any content arrives: a tag where
/// `auth` requires one, a trusted signature where `auth` trusts signers (a
/// name-bound one over `bucket` and `key`). `None` is an object without an
/// envelope. `resource` names it in the error. Used by every whole read, and
/// by a caller decrypting a ciphertext read from elsewhere (offline).
///
/// # Errors
/// [`Error::Authentication`] saying what is missing or untrusted.
pub fn check_authentication_headers(
    auth: &Authentication,
    resource: &str,
    (bucket, key): (&str, &str),
    envelope: Option<&Envelope>,
) -> Result<()> {
    let refuse = |reason| Err(Error::Authentication { resource: resource.to_owned(), reason });
    let tag = envelope.and_then(|e| e.auth_tag.as_ref());
    if tag.is_none() && (auth.require_tags || !auth.trusted_signers.is_empty()) {
        return refuse("the object has no authentication tag, and one is required");
    }
    if auth.trusted_signers.is_empty() {
        return Ok(());
    }
    let (Some(tag), Some(signature)) = (tag, envelope.and_then(|e| e.signature.as_ref())) else {
        return refuse("the object is not signed, and a trusted signature is required");
    };
    if auth.require_signed_names && !signature.covers_name {
        return refuse("the object's signature does not cover its name, and a name-bound signature is required");
    }
    if auth.trusted_signers.iter().any(|k| k.verify(signature, tag, bucket, key)) {
        return Ok(());
    }
    refuse("the object is not signed by a trusted key (or was signed for another name)")
}

/// Checks `envelope`'s tag, if it has one, against the whole ciphertext of
/// `length` bytes that `hasher` (from offset 0) was given: for a caller that
/// decrypts a ciphertext read from elsewhere (offline) as a whole GET does.
///
/// # Errors
/// [`Error::Authentication`] when the tag does not match.
pub fn check_content_tag(
    resource: &str,
    material: &ContentMaterial,
    envelope: &Envelope,
    length: u64,
    hasher: oss_cse_core::auth::ChunkHasher,
) -> Result<()> {
    check_tag(resource, material, envelope, length, &TagBuilder::whole(length, hasher))
}

/// Checks `envelope`'s tag, if it has one, against the ciphertext `hashes`
/// describe.
pub(crate) fn check_tag(
    res: &str,
    material: &ContentMaterial,
    envelope: &Envelope,
    length: u64,
    hashes: &TagBuilder,
) -> Result<()> {
    let Some(expected) = &envelope.auth_tag else { return Ok(()) };
    let actual = hashes.tag(&MacKey::derive(material.key()), &params(material, length));
    match actual {
        Some(actual) if tags_equal(&actual, &expected.0) => Ok(()),
        _ => Err(Error::Authentication {
            resource: res.to_owned(),
            reason: "the tag does not match the content and envelope (tampered, truncated or swapped)",
        }),
    }
}
