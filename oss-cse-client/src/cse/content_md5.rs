//! A caller's `Content-MD5`, checked against the plaintext before an upload
//! is committed: it goes into the envelope as the plaintext's MD5, so a wrong
//! one would store an object no reader accepts (and OSS, which sees only
//! ciphertext, cannot check it).

use md5::{Digest as _, Md5};

use super::decrypting::md5_names;
use crate::{Error, Result};

/// The digest of the plaintext as it passes, and the `Content-MD5` it must
/// match (base64, or hex as oss2's callers also write it).
pub(crate) struct Md5Check {
    resource: String,
    given: String,
    hasher: Md5,
}

impl Md5Check {
    /// A check of `given`, or none when the caller gave no Content-MD5.
    pub(crate) fn new(resource: &str, given: Option<&str>) -> Option<Self> {
        given.map(|given| Self { resource: resource.to_owned(), given: given.to_owned(), hasher: Md5::new() })
    }

    /// Digests the next plaintext bytes, in order.
    pub(crate) fn update(&mut self, plaintext: &[u8]) {
        self.hasher.update(plaintext);
    }

    /// [`Error::ContentMd5Mismatch`] unless the plaintext passed was the
    /// content the caller named.
    pub(crate) fn finish(self) -> Result<()> {
        let actual = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, self.hasher.finalize());
        check(&self.resource, Some(&self.given), &actual)
    }

    /// The error for a content that is not the one named.
    pub(crate) fn mismatch(&self) -> Error {
        Error::ContentMd5Mismatch { resource: self.resource.clone(), given: self.given.clone() }
    }
}

/// Checks `given` against the base64 MD5 `actual` of content already digested.
pub(crate) fn check(resource: &str, given: Option<&str>, actual: &str) -> Result<()> {
    match given {
        Some(given) if !md5_names(given, actual) => {
            Err(Error::ContentMd5Mismatch { resource: resource.to_owned(), given: given.to_owned() })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_named_content_passes_in_either_form_and_any_other_is_refused() {
        let empty_b64 = "1B2M2Y8AsgTpgAmY7PhCfg==";
        let empty_hex = "d41d8cd98f00b204e9800998ecf8427e";
        for given in [empty_b64, empty_hex, &empty_hex.to_uppercase()] {
            assert!(Md5Check::new("b/k", Some(given)).unwrap().finish().is_ok(), "{given}");
        }
        let mut digest = Md5Check::new("b/k", Some(empty_b64)).unwrap();
        digest.update(b"x");
        let err = digest.finish().unwrap_err();
        assert!(
            matches!(&err, Error::ContentMd5Mismatch { resource, given } if resource == "b/k" && given == empty_b64)
        );
        assert!(Md5Check::new("b/k", None).is_none());
        assert!(check("b/k", Some("not a digest"), empty_b64).is_err());
        assert!(check("b/k", None, empty_b64).is_ok());
    }
}
