//! The credentials every request is signed with, fetched once and refreshed
//! before they expire: a long transfer outlives its first STS credential
//! without a single refused request. Clones share one cache, so the OSS and
//! KMS clients of a process refresh together, and concurrent requests wait
//! for one refresh instead of each starting their own.

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use super::Credentials;
use super::remote::{AssumeRole, CALL_TIMEOUT, Fetcher, IMDS_CONNECT_TIMEOUT, OidcRole, Recipe, did_not_answer};
use crate::error::{Error, Result};
use crate::http::{HttpSettings, ProxySetting};

/// Refresh no earlier than this before expiry, whatever the lifetime.
const MAX_MARGIN: Duration = Duration::from_secs(300);

/// Where the credentials of a client come from, and the current ones.
#[derive(Clone)]
pub struct CredentialsProvider {
    inner: Arc<Inner>,
}

struct Inner {
    origin: String,
    recipe: Recipe,
    proxy: Option<String>,
    fetcher: OnceLock<Fetcher>,
    held: tokio::sync::Mutex<Option<Held>>,
}

struct Held {
    credentials: Credentials,
    refresh_at: Option<SystemTime>,
    fetched_at: Instant,
}

impl fmt::Debug for CredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsProvider").field("origin", &self.inner.origin).finish_non_exhaustive()
    }
}

impl From<Credentials> for CredentialsProvider {
    fn from(credentials: Credentials) -> Self {
        Self::new(Recipe::Fixed(credentials), "given by the program".into(), None)
    }
}

/// When credentials obtained at `now` should be replaced: a third of their
/// lifetime before they expire, at most five minutes before (a one-hour STS
/// credential is renewed at 55 minutes, a 3-second test one at 2 seconds).
fn refresh_time(now: SystemTime, expiration: Option<SystemTime>) -> Option<SystemTime> {
    let expiration = expiration?;
    let lifetime = expiration.duration_since(now).unwrap_or_default();
    Some(expiration - (lifetime / 3).min(MAX_MARGIN))
}

impl CredentialsProvider {
    pub(crate) fn new(recipe: Recipe, origin: String, proxy: Option<String>) -> Self {
        Self {
            inner: Arc::new(Inner {
                origin,
                recipe,
                proxy,
                fetcher: OnceLock::new(),
                held: tokio::sync::Mutex::new(None),
            }),
        }
    }

    /// Where the credentials come from, in words (`environment variables
    /// OSS_ACCESS_KEY_ID/OSS_ACCESS_KEY_SECRET`, `profile "dev" in
    /// ~/.aliyun/config.json (mode RamRoleArn)`, ...). Never a secret.
    pub fn origin(&self) -> &str {
        &self.inner.origin
    }

    /// Whether the credentials are fetched (STS or the metadata service) and
    /// so refreshed, rather than given once.
    pub fn is_refreshed(&self) -> bool {
        !matches!(self.inner.recipe, Recipe::Fixed(_))
    }

    /// The AccessKey id of credentials given once (not secret), for display.
    pub fn fixed_access_key_id(&self) -> Option<&str> {
        match &self.inner.recipe {
            Recipe::Fixed(credentials) => Some(credentials.access_key_id()),
            _ => None,
        }
    }

    /// The credentials to sign a request with now: the held ones, or new
    /// ones when they are due for refresh. A failed refresh falls back to
    /// the held credentials while they are still valid, and is an error
    /// (naming the source) once they are not.
    ///
    /// # Errors
    /// [`Error::Credentials`] when none can be had.
    pub async fn credentials(&self) -> Result<Credentials> {
        if let Recipe::Fixed(credentials) = &self.inner.recipe {
            return Ok(credentials.clone());
        }
        let mut held = self.inner.held.lock().await;
        let now = SystemTime::now();
        if let Some(current) = held.as_ref().filter(|h| h.refresh_at.is_none_or(|at| now < at)) {
            return Ok(current.credentials.clone());
        }
        match self.fetch().await {
            Ok(credentials) => {
                tracing::debug!(origin = %self.inner.origin, "credentials fetched");
                *held = Some(Held {
                    refresh_at: refresh_time(now, credentials.expiration()),
                    credentials: credentials.clone(),
                    fetched_at: Instant::now(),
                });
                Ok(credentials)
            }
            Err(error) => {
                let still_valid = held.as_mut().filter(|h| h.credentials.expiration().is_some_and(|exp| now < exp));
                match still_valid {
                    Some(current) => {
                        tracing::warn!(origin = %self.inner.origin, %error, "refreshing credentials failed; using the current ones until they expire");
                        // Try again soon, not on every request.
                        current.refresh_at = Some(now + Duration::from_secs(1));
                        Ok(current.credentials.clone())
                    }
                    None => Err(self.failure(&error)),
                }
            }
        }
    }

    /// The service refused a request signed at `signed_at` because its
    /// credentials expired or are unknown to it (a clock behind STS's, a
    /// token revoked early): unless credentials were fetched since (another
    /// request saw the same refusal first), the held ones are due for
    /// refresh now, so the next [`credentials`](Self::credentials) fetches
    /// new ones. Credentials given once are left alone: no refresh changes
    /// them ([`is_refreshed`](Self::is_refreshed) says whether a retry is
    /// worth it).
    pub async fn refused(&self, signed_at: Instant) {
        if !self.is_refreshed() {
            return;
        }
        let mut held = self.inner.held.lock().await;
        if let Some(current) = held.as_mut().filter(|h| h.fetched_at <= signed_at) {
            tracing::debug!(origin = %self.inner.origin, "credentials refused by the service; refreshing them");
            current.refresh_at = Some(SystemTime::UNIX_EPOCH);
        }
    }

    fn failure(&self, error: &Error) -> Error {
        let last_resort = matches!(&self.inner.recipe, Recipe::Ecs(role) if role.last_resort);
        let reason = if last_resort && did_not_answer(error) {
            format!(
                "no credentials found: not given, none in the environment (OSS_ACCESS_KEY_ID/OSS_ACCESS_KEY_SECRET, \
                 ALIBABA_CLOUD_ACCESS_KEY_ID/ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABA_CLOUD_ROLE_ARN with \
                 ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE), no profile in \
                 ~/.aliyun/config.json, ~/.alibabacloud/credentials or ~/.ossutilconfig, and the ECS metadata \
                 service did not answer ({})",
                error_text(error)
            )
        } else {
            error_text(error)
        };
        Error::Credentials { origin: self.inner.origin.clone(), reason }
    }

    async fn fetch(&self) -> Result<Credentials> {
        let fetcher = match self.inner.fetcher.get() {
            Some(fetcher) => fetcher,
            None => {
                let fetcher = self.build_fetcher()?;
                self.inner.fetcher.get_or_init(|| fetcher)
            }
        };
        fetcher.fetch(&self.inner.recipe).await
    }

    fn build_fetcher(&self) -> Result<Fetcher> {
        let mut settings = HttpSettings { timeout: Some(CALL_TIMEOUT), ..HttpSettings::default() };
        let endpoint = match &self.inner.recipe {
            Recipe::Ecs(role) => {
                // The metadata service is on the instance's own link: never proxied.
                settings.proxy = ProxySetting::Direct;
                settings.connect_timeout = Some(IMDS_CONNECT_TIMEOUT);
                role.endpoint.as_str()
            }
            Recipe::AssumeRole(AssumeRole { sts_endpoint, .. }) | Recipe::Oidc(OidcRole { sts_endpoint, .. }) => {
                require_https(sts_endpoint)?;
                if let Some(url) = &self.inner.proxy {
                    settings.proxy = ProxySetting::Url(url.clone());
                }
                sts_endpoint.as_str()
            }
            Recipe::Fixed(_) => "",
        };
        Ok(Fetcher { http: settings.client_for(endpoint)? })
    }
}

/// Refuses an STS endpoint reached in cleartext over the network: its
/// requests carry an OIDC token or a signed AccessKey call, and its replies
/// credentials. Plain HTTP is for loopback (tests, a local stand-in) only.
fn require_https(endpoint: &str) -> Result<()> {
    let scheme = endpoint.split_once("://").map(|(scheme, _)| scheme.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("https") => Ok(()),
        Some("http") if crate::http::is_loopback_url(endpoint) => Ok(()),
        _ => Err(Error::InvalidConfig {
            reason: format!(
                "the STS endpoint {} is not https: credentials and tokens would cross the network in cleartext \
                 (plain http is accepted on loopback only)",
                crate::redact_url(endpoint)
            ),
        }),
    }
}

/// An error and its causes, one line.
fn error_text(error: &Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_comes_a_third_of_the_lifetime_early_at_most_five_minutes() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let at =
            |secs| refresh_time(now, Some(now + Duration::from_secs(secs))).map(|t| t.duration_since(now).unwrap());
        assert_eq!(at(3600), Some(Duration::from_secs(3300)));
        assert_eq!(at(900), Some(Duration::from_secs(600)));
        assert_eq!(at(3), Some(Duration::from_secs(2)));
        assert_eq!(refresh_time(now, None), None);
        // Already expired: refresh at once.
        assert_eq!(refresh_time(now, Some(now - Duration::from_secs(5))), Some(now - Duration::from_secs(5)));
    }

    #[test]
    fn sts_is_reached_over_https_except_on_loopback() {
        assert!(require_https("https://sts.aliyuncs.com").is_ok());
        assert!(require_https("http://127.0.0.1:9000").is_ok());
        assert!(require_https("http://localhost:1/").is_ok());
        for cleartext in ["http://sts.aliyuncs.com", "http://10.0.0.1:80", "ftp://x", "sts.aliyuncs.com"] {
            let error = require_https(cleartext).unwrap_err().to_string();
            assert!(error.contains("not https"), "{cleartext}: {error}");
        }
        let error = require_https("http://user:pw@sts.example.com").unwrap_err().to_string();
        assert!(!error.contains("pw"), "{error}");
    }

    #[tokio::test]
    async fn fixed_credentials_are_returned_without_a_fetch() {
        let provider = CredentialsProvider::from(Credentials::new("id", "secret"));
        assert_eq!(provider.credentials().await.unwrap().access_key_id(), "id");
        assert!(!provider.is_refreshed());
        assert_eq!(provider.fixed_access_key_id(), Some("id"));
        assert!(!format!("{provider:?}").contains("secret"));
    }
}
