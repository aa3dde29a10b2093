//! Client configuration: endpoint and addressing, region and signature
//! version, timeouts and the retry policy.

use std::time::Duration;

use crate::{CredentialsProvider, Error, Result};

/// How request URLs name the bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addressing {
    /// `https://bucket.endpoint/key` (OSS's default).
    VirtualHosted,
    /// `https://endpoint/bucket/key`, used automatically for IP and
    /// `localhost` endpoints as the official SDKs do.
    PathStyle,
    /// The endpoint is a CNAME bound to one bucket: `https://cname/key`.
    Cname,
}

/// Which OSS signature to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureVersion {
    /// HMAC-SHA1 `OSS ak:signature`.
    V1,
    /// `OSS4-HMAC-SHA256`, region-scoped; needs a region.
    V4,
}

/// How requests reach OSS through a proxy: `oss-cse-auth`'s, shared with KMS.
pub use oss_cse_auth::http::ProxySetting;

/// The retry policy OSS requests share with KMS calls.
pub use oss_cse_auth::RetryPolicy;

/// Everything an [`OssClient`](crate::OssClient) needs.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub(crate) scheme: String,
    pub(crate) host: String,
    pub(crate) region: Option<String>,
    pub(crate) credentials: CredentialsProvider,
    pub(crate) addressing: Addressing,
    pub(crate) signature: SignatureVersion,
    pub(crate) retry: RetryPolicy,
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Option<Duration>,
    pub(crate) read_timeout: Duration,
    pub(crate) user_agent: String,
    pub(crate) proxy: ProxySetting,
    /// Extra trusted CA certificates (PEM), beside the platform's.
    pub(crate) ca_pem: Option<Vec<u8>>,
    /// Where aborts of cancelled transfers' uploads run.
    pub(crate) cleanup: crate::Cleanup,
}

impl ClientConfig {
    /// A configuration for `endpoint` (`https://oss-cn-hangzhou.aliyuncs.com`,
    /// `oss-cn-hangzhou.aliyuncs.com`, `http://127.0.0.1:9000`, ...).
    ///
    /// The region is taken from a standard `oss-<region>.aliyuncs.com`
    /// endpoint when not given; V4 signing is chosen whenever a region is
    /// known, V1 otherwise.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for an endpoint that is not a host.
    ///
    /// `credentials` are fixed [`Credentials`](crate::Credentials) or a
    /// [`CredentialsProvider`] (e.g. from
    /// [`CredentialChain`](crate::CredentialChain)) that refreshes them.
    pub fn new(endpoint: &str, credentials: impl Into<CredentialsProvider>) -> Result<Self> {
        // Requests are signed: a user name or password in the endpoint is a
        // mistake (a proxy's URL given as the endpoint?), and never echoed.
        if oss_cse_auth::has_userinfo(endpoint) {
            return Err(Error::invalid_argument(format!(
                "endpoint {} carries a user name or password, which OSS does not use (a proxy goes in --proxy)",
                oss_cse_auth::redact_url(endpoint)
            )));
        }
        let (scheme, rest) = match endpoint.split_once("://") {
            Some((scheme, rest)) if scheme == "http" || scheme == "https" => (scheme.to_owned(), rest),
            Some((scheme, _)) => {
                return Err(Error::invalid_argument(format!("endpoint scheme {scheme:?} is not http or https")));
            }
            None => ("https".to_owned(), endpoint),
        };
        let host = rest.trim_end_matches('/').to_owned();
        if host.is_empty() || host.contains('/') || host.contains(char::is_whitespace) {
            return Err(Error::invalid_argument(format!("endpoint {endpoint:?} is not a host[:port]")));
        }
        let region = host
            .strip_prefix("oss-")
            .and_then(|r| r.split_once('.'))
            .map(|(r, _)| r.trim_end_matches("-internal").to_owned());
        let bare_host = host.rsplit_once(':').map_or(host.as_str(), |(h, _)| h).trim_matches(['[', ']']);
        let addressing = if bare_host == "localhost" || bare_host.parse::<std::net::IpAddr>().is_ok() {
            Addressing::PathStyle
        } else {
            Addressing::VirtualHosted
        };
        let signature = if region.is_some() { SignatureVersion::V4 } else { SignatureVersion::V1 };
        Ok(Self {
            scheme,
            host,
            region,
            credentials: credentials.into(),
            addressing,
            signature,
            retry: RetryPolicy::default(),
            connect_timeout: Duration::from_secs(10),
            request_timeout: None,
            read_timeout: Duration::from_secs(60),
            user_agent: format!("oss-cse/{}", env!("CARGO_PKG_VERSION")),
            proxy: ProxySetting::default(),
            ca_pem: None,
            cleanup: crate::Cleanup::default(),
        })
    }

    /// A configuration for a region's public endpoint
    /// (`https://oss-<region>.aliyuncs.com`), or with `internal` its VPC
    /// endpoint (`oss-<region>-internal.aliyuncs.com`), V4-signed.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a region that is not a name.
    pub fn for_region(region: &str, internal: bool, credentials: impl Into<CredentialsProvider>) -> Result<Self> {
        if region.is_empty() || !region.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(Error::invalid_argument(format!("region {region:?} is not a region name (e.g. cn-hangzhou)")));
        }
        let suffix = if internal { "-internal" } else { "" };
        Ok(Self::new(&format!("https://oss-{region}{suffix}.aliyuncs.com"), credentials)?.region(region))
    }

    /// Runs the background clean-up of cancelled transfers (aborting the
    /// multipart uploads they leave) on `cleanup`, which a program can wait
    /// for before it exits ([`Cleanup::finish`](crate::Cleanup::finish)).
    pub fn cleanup(mut self, cleanup: crate::Cleanup) -> Self {
        self.cleanup = cleanup;
        self
    }

    /// How requests reach OSS through a proxy (the environment's by default).
    pub fn proxy(mut self, proxy: ProxySetting) -> Self {
        self.proxy = proxy;
        self
    }

    /// Trusts these CA certificates (a PEM bundle) too, e.g. a company's
    /// TLS-inspecting proxy or a private endpoint.
    pub fn ca_bundle(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_pem = Some(pem.into());
        self
    }

    /// Sets the region (and switches to V4 signing).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self.signature = SignatureVersion::V4;
        self
    }

    /// Forces an addressing style.
    pub fn addressing(mut self, addressing: Addressing) -> Self {
        self.addressing = addressing;
        self
    }

    /// Forces a signature version.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for V4 without a region.
    pub fn signature(mut self, version: SignatureVersion) -> Result<Self> {
        if version == SignatureVersion::V4 && self.region.is_none() {
            return Err(Error::invalid_argument("signature V4 needs a region"));
        }
        self.signature = version;
        Ok(self)
    }

    /// Sets the retry policy.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Connect timeout (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Timeout for receiving the reply headers of one request (none by default).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = Some(timeout);
        self
    }

    /// Longest wait for the next bytes of a body (default 60 s).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Appends to the User-Agent.
    pub fn user_agent_suffix(mut self, suffix: &str) -> Self {
        self.user_agent = format!("{}/{suffix}", self.user_agent);
        self
    }

    /// The region, if known.
    pub fn region_name(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The signature version in use.
    pub fn signature_version(&self) -> SignatureVersion {
        self.signature
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    /// The addressing style in use.
    pub fn addressing_style(&self) -> Addressing {
        self.addressing
    }

    /// Where requests get their credentials.
    pub fn credentials_provider(&self) -> &CredentialsProvider {
        &self.credentials
    }
}
