//! A key ring: one master key to encrypt with, any number to decrypt with,
//! the right one picked by the object's material description.

use std::sync::Arc;

use crate::{Envelope, Error, MasterKey, MaterialDescription};

/// The master keys a client holds.
///
/// Selection follows oss2, the SDK whose rules are strictest and whose
/// objects we must read: a key is chosen only when its material description
/// has the same content as the object's (absent and empty are equal) and it
/// can unwrap the object's wrap algorithm. Unlike the Go v2, Python v2 and
/// Java SDKs there is no silent fallback to a default key, so a missing key
/// is reported as such rather than as a confusing RSA failure.
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

    /// The key that can open `envelope`.
    ///
    /// # Errors
    /// [`Error::NoMatchingMasterKey`], naming the material description and
    /// algorithm sought (never any key).
    pub fn select(&self, envelope: &Envelope) -> Result<&Arc<dyn MasterKey>, Error> {
        let wanted = envelope.material_description.as_ref();
        self.keys()
            .find(|key| {
                key.can_unwrap(envelope.wrapped.algorithm)
                    && MaterialDescription::same(key.material_description(), wanted)
            })
            .ok_or_else(|| Error::NoMatchingMasterKey {
                matdesc: MaterialDescription::describe(wanted),
                algorithm: envelope.wrapped.algorithm,
            })
    }
}
