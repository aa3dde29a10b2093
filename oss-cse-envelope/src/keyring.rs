//! A key ring: one master key to encrypt with, any number to decrypt with,
//! the right one picked by the object's material description.

use std::sync::Arc;

use oss_cse_core::ContentMaterial;

use crate::{Envelope, Error, MasterKey, MaterialDescription};

/// How an object's material description chooses the keys tried on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum MatdescMatch {
    /// The matdesc is a hint: keys whose description has the same content
    /// are tried first, then every other key that can unwrap the object's
    /// wrap algorithm, in ring order (as the Python v2, Go v2 and Java SDKs
    /// fall back to their default key). Needed for objects whose matdesc the
    /// reader cannot spell (Java's mangled non-ASCII) or did not record.
    #[default]
    Hint,
    /// Only keys whose description has the same content (oss2's rule;
    /// `--strict-matdesc`).
    Exact,
}

/// The master keys a client holds.
///
/// A key is a candidate for an object when it can unwrap the object's wrap
/// algorithm; with [`MatdescMatch::Exact`] its material description must
/// also have the same content as the object's (absent and empty are equal).
/// [`open`](Self::open) tries the candidates in order, exact matches first.
#[derive(Debug, Clone, Default)]
pub struct KeyRing {
    encrypting: Option<Arc<dyn MasterKey>>,
    decrypting: Vec<Arc<dyn MasterKey>>,
}

impl KeyRing {
    /// A ring that encrypts with `key` (and decrypts with it too).
    pub fn new(key: impl MasterKey + 'static) -> Self {
        Self::from_shared(Arc::new(key))
    }

    /// Like [`new`](Self::new), for a key already behind an `Arc`.
    pub fn from_shared(key: Arc<dyn MasterKey>) -> Self {
        Self { encrypting: Some(key), decrypting: Vec::new() }
    }

    /// A ring that can only decrypt; add keys with
    /// [`with_decrypting_key`](Self::with_decrypting_key).
    pub fn decrypt_only() -> Self {
        Self::default()
    }

    /// Adds a key used only to decrypt (for example a retired key).
    pub fn with_decrypting_key(mut self, key: impl MasterKey + 'static) -> Self {
        self.decrypting.push(Arc::new(key));
        self
    }

    /// Adds a shared key used only to decrypt.
    pub fn with_shared_decrypting_key(mut self, key: Arc<dyn MasterKey>) -> Self {
        self.decrypting.push(key);
        self
    }

    /// The key new objects are encrypted with.
    ///
    /// # Errors
    /// [`Error::NoEncryptingKey`] for a decrypt-only ring.
    pub fn encrypting_key(&self) -> Result<&Arc<dyn MasterKey>, Error> {
        self.encrypting.as_ref().ok_or(Error::NoEncryptingKey)
    }

    /// Every key, the encrypting one first.
    pub fn keys(&self) -> impl Iterator<Item = &Arc<dyn MasterKey>> {
        self.encrypting.iter().chain(&self.decrypting)
    }

    /// The first key whose material description matches `envelope`'s
    /// exactly (by content) and that can unwrap its algorithm.
    ///
    /// # Errors
    /// [`Error::NoMatchingMasterKey`], naming the material description and
    /// algorithm sought (never any key).
    pub fn select(&self, envelope: &Envelope) -> Result<&Arc<dyn MasterKey>, Error> {
        self.candidates(envelope, MatdescMatch::Exact).into_iter().next().ok_or_else(|| no_match(envelope))
    }

    /// The keys to try on `envelope`, in the order to try them: exact
    /// matdesc matches first, then (for [`MatdescMatch::Hint`]) the other
    /// keys that can unwrap its algorithm.
    pub fn candidates(&self, envelope: &Envelope, matching: MatdescMatch) -> Vec<&Arc<dyn MasterKey>> {
        let wanted = envelope.material_description.as_ref();
        let usable = || self.keys().filter(|key| key.can_unwrap(envelope.wrapped.algorithm));
        let exact = |key: &&Arc<dyn MasterKey>| MaterialDescription::same(key.material_description(), wanted);
        let mut keys: Vec<_> = usable().filter(exact).collect();
        if matching == MatdescMatch::Hint {
            keys.extend(usable().filter(|key| !exact(key)));
        }
        keys
    }

    /// Unwraps `envelope` with the first candidate key that opens it.
    ///
    /// A key "opens" an object when both wrapped values unwrap to well-formed
    /// material (a 32-byte key, a 16-byte IV or a V1 counter); the plaintext
    /// length and MD5, where recorded, are checked by the download. A key
    /// that fails to unwrap is passed over; any other failure (a KMS outage,
    /// a refused request) ends the search with that error.
    ///
    /// # Errors
    /// [`Error::NoMatchingMasterKey`] when no key is a candidate; the key's
    /// own error when the only candidate matched the matdesc exactly;
    /// otherwise [`Error::NoKeyOpened`] when none opened the object, the same
    /// error whatever each failure was, so that trying several keys reveals
    /// no more about a tampered envelope than trying one.
    pub async fn open(&self, envelope: &Envelope, matching: MatdescMatch) -> Result<ContentMaterial, Error> {
        let candidates = self.candidates(envelope, matching);
        let tried = candidates.len();
        if tried == 0 {
            return Err(no_match(envelope));
        }
        let wanted = envelope.material_description.as_ref();
        let only_exact = tried == 1 && MaterialDescription::same(candidates[0].material_description(), wanted);
        for key in candidates {
            match key.unwrap(envelope).await {
                Ok(material) => return Ok(material),
                Err(error) if only_exact || !is_wrong_key(&error) => return Err(error),
                Err(_) => {}
            }
        }
        Err(Error::NoKeyOpened {
            matdesc: MaterialDescription::describe(envelope.material_description.as_ref()),
            algorithm: envelope.wrapped.algorithm,
            tried,
        })
    }
}

fn no_match(envelope: &Envelope) -> Error {
    Error::NoMatchingMasterKey {
        matdesc: MaterialDescription::describe(envelope.material_description.as_ref()),
        algorithm: envelope.wrapped.algorithm,
    }
}

/// Failures that say "not this key" rather than "something else is wrong".
fn is_wrong_key(error: &Error) -> bool {
    matches!(
        error,
        Error::RsaUnwrap
            | Error::MalformedUnwrap { .. }
            | Error::MissingPrivateKey { .. }
            | Error::IncompatibleMasterKey { .. }
    )
}

#[cfg(test)]
mod tests;
