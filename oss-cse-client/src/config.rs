//! Client configuration: endpoint and addressing, region and signature
//! version, timeouts and the retry policy.

use std::time::Duration;

use crate::{Credentials, Error, Result};

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

/// The retry policy OSS requests share with KMS calls.
pub use oss_cse_kms::RetryPolicy;

/// Everything an [`OssClient`](crate::OssClient) needs.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub(crate) scheme: String,
    pub(crate) host: String,
    pub(crate) region: Option<String>,
    pub(crate) credentials: Credentials,
    pub(crate) addressing: Addressing,
    pub(crate) signature: SignatureVersion,
    pub(crate) retry: RetryPolicy,
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Option<Duration>,
    pub(crate) read_timeout: Duration,
    pub(crate) user_agent: String,
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
    pub fn new(endpoint: &str, credentials: Credentials) -> Result<Self> {
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
            credentials,
            addressing,
            signature,
            retry: RetryPolicy::default(),
            connect_timeout: Duration::from_secs(10),
            request_timeout: None,
            read_timeout: Duration::from_secs(60),
            user_agent: format!("oss-cse/{}", env!("CARGO_PKG_VERSION")),
        })
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
}
