//! Alibaba Cloud access keys, shared by the OSS and KMS clients, and where
//! they come from: the caller, the environment, OIDC/RRSA, the Alibaba Cloud
//! CLI's and ossutil's files, or the ECS instance metadata service
//! ([`CredentialChain`]), refreshed before they expire
//! ([`CredentialsProvider`]). Secrets never reach `Debug` output or logs.

use std::fmt;
use std::time::SystemTime;

use zeroize::Zeroizing;

mod chain;
mod files;
mod provider;
mod remote;

pub use chain::{CredentialChain, ProfilePlace};
pub use provider::CredentialsProvider;

/// Whether a service's error code says the request's credentials expired or
/// are unknown to it, which fresh credentials may cure: OSS's
/// `InvalidAccessKeyId` and `SecurityTokenExpired`, KMS's and STS's
/// `InvalidAccessKeyId.*` and `InvalidSecurityToken.*`. (A wrong signature
/// or a denied permission is not: new credentials sign the same way.)
pub fn refused_as_stale(code: &str) -> bool {
    let family = code.split('.').next().unwrap_or_default();
    matches!(family, "InvalidAccessKeyId" | "SecurityTokenExpired" | "InvalidSecurityToken")
}

/// No credentials were found in the environment.
#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "no credentials: set OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET (or ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET)"
)]
pub struct MissingCredentials;

/// An AccessKey pair, with the STS security token when temporary.
#[derive(Clone)]
pub struct Credentials {
    access_key_id: String,
    access_key_secret: Zeroizing<String>,
    security_token: Option<Zeroizing<String>>,
    expiration: Option<SystemTime>,
}

impl Credentials {
    /// Long-lived AccessKey credentials.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Self {
            access_key_id: access_key_id.into().trim().to_owned(),
            access_key_secret: Zeroizing::new(access_key_secret.into().trim().to_owned()),
            security_token: None,
            expiration: None,
        }
    }

    /// Temporary STS credentials.
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        self.security_token = Some(Zeroizing::new(token.into()));
        self
    }

    /// Temporary credentials that stop working at `expiration` (STS replies
    /// and the metadata service say when).
    pub fn with_expiration(mut self, expiration: SystemTime) -> Self {
        self.expiration = Some(expiration);
        self
    }

    /// When temporary credentials expire, if known.
    pub fn expiration(&self) -> Option<SystemTime> {
        self.expiration
    }

    /// Reads `OSS_ACCESS_KEY_ID`/`OSS_ACCESS_KEY_SECRET`/`OSS_SESSION_TOKEN`,
    /// falling back to `ALIBABA_CLOUD_ACCESS_KEY_ID`/
    /// `ALIBABA_CLOUD_ACCESS_KEY_SECRET`/`ALIBABA_CLOUD_SECURITY_TOKEN`.
    ///
    /// # Errors
    /// [`MissingCredentials`] naming the variables when none are set.
    pub fn from_env() -> Result<Self, MissingCredentials> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// [`from_env`](Self::from_env) over any variable lookup (for tests).
    ///
    /// # Errors
    /// As [`from_env`](Self::from_env).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, MissingCredentials> {
        let sets = [
            ("OSS_ACCESS_KEY_ID", "OSS_ACCESS_KEY_SECRET", "OSS_SESSION_TOKEN"),
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN"),
        ];
        for (id, secret, token) in sets {
            if let (Some(id), Some(secret)) = (lookup(id), lookup(secret)) {
                let credentials = Self::new(id, secret);
                return Ok(match lookup(token) {
                    Some(token) => credentials.with_security_token(token),
                    None => credentials,
                });
            }
        }
        Err(MissingCredentials)
    }

    /// The AccessKey id (not secret).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The AccessKey secret, for request signing.
    pub fn access_key_secret(&self) -> &str {
        &self.access_key_secret
    }

    /// The STS security token, if any.
    pub fn security_token(&self) -> Option<&str> {
        self.security_token.as_deref().map(String::as_str)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"<redacted>")
            .field("security_token", &self.security_token.as_ref().map(|_| "<redacted>"))
            .field("expiration", &self.expiration)
            .finish()
    }
}

#[cfg(test)]
mod stale_tests {
    use super::refused_as_stale;

    #[test]
    fn only_expired_or_unknown_credentials_are_worth_a_refresh() {
        for code in [
            "InvalidAccessKeyId",
            "SecurityTokenExpired",
            "InvalidAccessKeyId.NotFound",
            "InvalidSecurityToken.Expired",
        ] {
            assert!(refused_as_stale(code), "{code}");
        }
        for code in ["SignatureDoesNotMatch", "AccessDenied", "Forbidden.RAM", "InvalidAccessKeyIdX", ""] {
            assert!(!refused_as_stale(code), "{code}");
        }
    }
}
