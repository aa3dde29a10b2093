//! The one HTTP client setup of the oss-cse crates (OSS, KMS, STS and the
//! ECS metadata service alike), so that a proxy, a CA bundle, a timeout or
//! a refusal to follow redirects means the same thing for every request; and
//! the one bounded reader of replies read into memory.

use std::time::Duration;

use zeroize::Zeroizing;

use crate::{Error, Result, redact_url};

/// How requests reach a service through a proxy.
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProxySetting {
    /// `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`, as curl and
    /// the official SDKs read them (the default). Loopback endpoints are
    /// always reached directly.
    #[default]
    FromEnvironment,
    /// Never a proxy.
    Direct,
    /// This proxy URL (`http://host:port`, `socks5://...`), for every request.
    Url(String),
}

/// A proxy's password never reaches `Debug` (a client printed at `-vv`).
impl std::fmt::Debug for ProxySetting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::FromEnvironment => f.write_str("FromEnvironment"),
            Self::Direct => f.write_str("Direct"),
            Self::Url(url) => f.debug_tuple("Url").field(&redact_url(url)).finish(),
        }
    }
}

/// What a client of a service is set up with.
#[derive(Debug, Clone, Default)]
pub struct HttpSettings {
    /// The proxy (the environment's by default).
    pub proxy: ProxySetting,
    /// Extra trusted CA certificates (a PEM bundle), beside the platform's.
    pub ca_pem: Option<Vec<u8>>,
    /// How long a connection may take to open.
    pub connect_timeout: Option<Duration>,
    /// How long a read may wait for the next bytes.
    pub read_timeout: Option<Duration>,
    /// How long a whole request may take.
    pub timeout: Option<Duration>,
    /// The `User-Agent` sent.
    pub user_agent: Option<String>,
}

impl HttpSettings {
    /// The client for requests to `endpoint`: through the proxy unless
    /// `endpoint` is on this machine (and no proxy is named), never following
    /// a redirect (a signed request, an OIDC token or a reply carrying keys
    /// must not go to another origin; OSS, KMS and STS do not redirect).
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] for a proxy that is not a URL or a CA bundle
    /// that does not parse.
    pub fn client_for(&self, endpoint: &str) -> Result<reqwest::Client> {
        let mut builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
        if let Some(timeout) = self.connect_timeout {
            builder = builder.connect_timeout(timeout);
        }
        if let Some(timeout) = self.read_timeout {
            builder = builder.read_timeout(timeout);
        }
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(agent) = &self.user_agent {
            builder = builder.user_agent(agent.clone());
        }
        // reqwest reads the proxy variables itself unless told otherwise.
        builder = match &self.proxy {
            ProxySetting::Url(url) => {
                builder.proxy(reqwest::Proxy::all(url.as_str()).map_err(|_| Error::InvalidConfig {
                    reason: format!("the proxy {} is not a URL (http://host:port)", redact_url(url)),
                })?)
            }
            ProxySetting::Direct => builder.no_proxy(),
            ProxySetting::FromEnvironment if is_loopback_url(endpoint) => builder.no_proxy(),
            ProxySetting::FromEnvironment => builder,
        };
        if let Some(pem) = &self.ca_pem {
            let certificates = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| Error::InvalidConfig { reason: format!("CA bundle: {e}") })?;
            if certificates.is_empty() {
                return Err(Error::InvalidConfig { reason: "the CA bundle holds no PEM certificate".into() });
            }
            builder = builder.tls_certs_merge(certificates);
        }
        builder.build().map_err(|e| Error::InvalidConfig { reason: format!("HTTP client setup failed: {e}") })
    }
}

/// Whether `url` (with or without a scheme) names a host on this machine.
pub fn is_loopback_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.rsplit_once(':').map_or(authority, |(host, _)| host),
    };
    host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Why a reply could not be read whole by [`read_bounded`].
#[derive(Debug)]
#[non_exhaustive]
pub enum ReadFailure {
    /// It is longer than the limit (no more was read).
    TooLarge {
        /// The limit.
        limit: usize,
    },
    /// The connection failed while it was being read.
    Transport(reqwest::Error),
}

impl std::fmt::Display for ReadFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TooLarge { limit } => write!(f, "reply larger than {limit} bytes"),
            Self::Transport(error) => write!(f, "reading the reply failed: {error}"),
        }
    }
}

/// Reads a reply body into memory, refusing one over `limit` as soon as it
/// gets there (a hostile endpoint cannot make a client buffer without
/// bound). The buffer may hold a secret (a data key, an STS credential): it
/// is zeroized on drop, and grown by copying into a new zeroizing buffer (a
/// `Vec` growing in place would free its old allocation unwiped).
///
/// # Errors
/// [`ReadFailure`]: too large, or the connection failed.
pub async fn read_bounded(
    mut response: reqwest::Response,
    limit: usize,
) -> std::result::Result<Zeroizing<Vec<u8>>, ReadFailure> {
    let mut body = Zeroizing::new(Vec::with_capacity(4096.min(limit)));
    while let Some(chunk) = response.chunk().await.map_err(|e| ReadFailure::Transport(e.without_url()))? {
        let needed = body.len() + chunk.len();
        if needed > limit {
            return Err(ReadFailure::TooLarge { limit });
        }
        if needed > body.capacity() {
            let mut bigger = Zeroizing::new(Vec::with_capacity(needed.max(body.capacity() * 2).min(limit)));
            bigger.extend_from_slice(&body);
            body = bigger;
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_are_recognised_with_and_without_a_scheme() {
        for local in ["http://127.0.0.1:9000", "localhost:1", "http://[::1]:80/x", "127.0.0.2"] {
            assert!(is_loopback_url(local), "{local}");
        }
        for remote in ["https://oss-cn-hangzhou.aliyuncs.com", "10.0.0.1:80", "http://[2001:db8::1]/"] {
            assert!(!is_loopback_url(remote), "{remote}");
        }
    }

    #[test]
    fn a_bad_proxy_or_bundle_is_a_configuration_error_without_the_password() {
        let settings = HttpSettings { proxy: ProxySetting::Url("not a url:pw@".into()), ..HttpSettings::default() };
        let error = settings.client_for("https://example.com").unwrap_err().to_string();
        assert!(error.contains("is not a URL") && !error.contains("pw"), "{error}");
        let settings = HttpSettings { ca_pem: Some(b"not pem".to_vec()), ..HttpSettings::default() };
        assert!(settings.client_for("https://example.com").is_err());
        let settings =
            HttpSettings { proxy: ProxySetting::Url("http://u:secret@proxy:3128".into()), ..HttpSettings::default() };
        assert!(!format!("{settings:?}").contains("secret"));
    }
}
