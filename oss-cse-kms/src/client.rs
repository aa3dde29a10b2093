//! The KMS 2016-01-20 RPC client: GenerateDataKey, Encrypt, Decrypt. Calls
//! are planned and signed by pure code ([`KmsClient::signed_params`]); one
//! async function sends them, retrying throttling and transient failures.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;
use zeroize::Zeroizing;

use oss_cse_auth::http::{HttpSettings, ProxySetting, ReadFailure, read_bounded};
use oss_cse_auth::sign::acs::{percent_encode, sha256_hex, signature, v3_authorization};
use oss_cse_auth::{Credentials, CredentialsProvider, RetryPolicy};

use crate::{Error, KmsServiceError, Result};

/// Where KMS is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KmsEndpoint {
    /// The public endpoint of a region: `https://kms.<region>.aliyuncs.com`.
    Region(String),
    /// The VPC endpoint of a region: `https://kms-vpc.<region>.aliyuncs.com`.
    Vpc(String),
    /// Any URL: a dedicated KMS instance (`https://kst-xxx.cryptoservice.kms.aliyuncs.com`)
    /// or an emulator (`http://127.0.0.1:PORT`).
    Url(String),
}

impl KmsEndpoint {
    fn url(&self) -> String {
        match self {
            Self::Region(region) => format!("https://kms.{region}.aliyuncs.com/"),
            Self::Vpc(region) => format!("https://kms-vpc.{region}.aliyuncs.com/"),
            Self::Url(url) => {
                let url = if url.contains("://") { url.clone() } else { format!("https://{url}") };
                format!("{}/", url.trim_end_matches('/'))
            }
        }
    }
}

/// Retry policy for KMS calls: the workspace's one [`RetryPolicy`] (the
/// name is kept for callers of earlier versions).
pub type KmsRetry = RetryPolicy;

/// KMS calls are retried once more than OSS requests by default: a data
/// key that cannot be had fails the whole upload.
const KMS_ATTEMPTS: u32 = 5;

/// How KMS requests are signed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum KmsSignature {
    /// `ACS3-HMAC-SHA256` in an `Authorization` header, the body hashed:
    /// Alibaba Cloud's current method.
    #[default]
    V3,
    /// The RPC signature (`SignatureVersion=1.0`, HMAC-SHA1) as a form
    /// parameter: discontinued by Alibaba Cloud, kept for private endpoints
    /// that still want it.
    Rpc,
}

/// Configuration of a [`KmsClient`].
#[derive(Clone)]
pub struct KmsConfig {
    endpoint: KmsEndpoint,
    credentials: CredentialsProvider,
    ca_pem: Option<Vec<u8>>,
    proxy: Option<String>,
    retry: KmsRetry,
    timeout: Duration,
    signature: KmsSignature,
}

/// The configuration only: reqwest's own `Debug` shows its proxies, and a
/// proxy URL can carry a password.
impl fmt::Debug for KmsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KmsClient").field("config", &self.config).finish_non_exhaustive()
    }
}

impl fmt::Debug for KmsConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KmsConfig")
            .field("endpoint", &self.endpoint)
            .field("credentials", &self.credentials)
            .field("custom_ca", &self.ca_pem.is_some())
            .field("proxy", &self.proxy.is_some())
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("signature", &self.signature)
            .finish()
    }
}

impl KmsConfig {
    /// KMS at `endpoint`, signed with `credentials` (fixed ones, or a
    /// [`CredentialsProvider`] that refreshes them).
    pub fn new(endpoint: KmsEndpoint, credentials: impl Into<CredentialsProvider>) -> Self {
        Self {
            endpoint,
            credentials: credentials.into(),
            ca_pem: None,
            proxy: None,
            retry: RetryPolicy { max_attempts: KMS_ATTEMPTS, ..RetryPolicy::default() },
            timeout: Duration::from_secs(30),
            signature: KmsSignature::default(),
        }
    }

    /// Signs with this method (default [`KmsSignature::V3`]).
    pub fn signature(mut self, signature: KmsSignature) -> Self {
        self.signature = signature;
        self
    }

    /// Trusts this CA (PEM) too, as dedicated KMS instances need.
    pub fn ca_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_pem = Some(pem.into());
        self
    }

    /// Sends every call through this proxy (`http://host:port`). Without
    /// one, `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` are
    /// honoured, except for an endpoint on this machine.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, retry: KmsRetry) -> Self {
        self.retry = retry;
        self
    }

    /// Timeout of one call (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// A data key from GenerateDataKey.
pub struct GeneratedDataKey {
    /// The CMK that wrapped it.
    pub key_id: String,
    /// Base64 of the plaintext data key (what KMS returns), zeroized on drop.
    pub plaintext: Zeroizing<String>,
    /// The wrapped data key.
    pub ciphertext_blob: String,
}

impl fmt::Debug for GeneratedDataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GeneratedDataKey")
            .field("key_id", &self.key_id)
            .field("plaintext", &"<redacted>")
            .field("ciphertext_blob", &self.ciphertext_blob)
            .finish()
    }
}

/// A planned KMS call: headers (the signature among them) and a form body.
pub struct SignedRequest {
    /// Request headers; `host` is listed because it is signed.
    pub headers: Vec<(String, String)>,
    /// The `application/x-www-form-urlencoded` body.
    pub body: String,
}

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body may hold a data key (Encrypt's Plaintext).
        f.debug_struct("SignedRequest").field("headers", &self.headers).field("body", &"<redacted>").finish()
    }
}

/// An async Alibaba Cloud KMS client. Cheap to clone.
#[derive(Clone)]
pub struct KmsClient {
    config: KmsConfig,
    http: reqwest::Client,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ErrorReply {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    request_id: String,
}

/// Longest reply read: KMS replies are a few hundred bytes.
const MAX_REPLY: usize = 1 << 20;

/// A reply body read up to [`MAX_REPLY`] (it may hold a plaintext key:
/// zeroized on drop; see [`read_bounded`]).
/// Whether KMS refused the call's credentials as expired or unknown.
fn refused_as_stale(error: &Error) -> bool {
    matches!(error, Error::Service { error, .. } if oss_cse_auth::refused_as_stale(&error.code))
}

async fn read_reply(action: &'static str, response: reqwest::Response) -> Result<Zeroizing<Vec<u8>>> {
    read_bounded(response, MAX_REPLY).await.map_err(|failure| match failure {
        ReadFailure::Transport(source) => Error::Transport { action, source: Box::new(source) },
        other => Error::InvalidResponse { action, reason: other.to_string() },
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Reply {
    #[serde(default)]
    key_id: String,
    plaintext: Option<String>,
    ciphertext_blob: Option<String>,
}

impl KmsClient {
    /// Builds a client.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] for an unreadable CA certificate.
    pub fn new(config: KmsConfig) -> Result<Self> {
        if let KmsEndpoint::Url(url) = &config.endpoint {
            if oss_cse_auth::has_userinfo(url) {
                return Err(Error::InvalidConfig {
                    reason: format!(
                        "the KMS endpoint {} carries a user name or password, which KMS does not use",
                        oss_cse_auth::redact_url(url)
                    ),
                });
            }
        }
        let settings = HttpSettings {
            proxy: config.proxy.clone().map_or(ProxySetting::FromEnvironment, ProxySetting::Url),
            ca_pem: config.ca_pem.clone(),
            timeout: Some(config.timeout),
            ..HttpSettings::default()
        };
        let http =
            settings.client_for(&config.endpoint.url()).map_err(|e| Error::InvalidConfig { reason: e.to_string() })?;
        Ok(Self { config, http })
    }

    /// The parameters of a call with the common ones and the signature added.
    pub fn signed_params(
        &self,
        credentials: &Credentials,
        action: &str,
        params: &[(&str, &str)],
        nonce: &str,
        now: jiff::Timestamp,
    ) -> Vec<(String, String)> {
        let mut all: Vec<(String, String)> = vec![
            ("Action".into(), action.into()),
            ("Version".into(), "2016-01-20".into()),
            ("Format".into(), "JSON".into()),
            ("AccessKeyId".into(), credentials.access_key_id().into()),
            ("SignatureMethod".into(), "HMAC-SHA1".into()),
            ("SignatureVersion".into(), "1.0".into()),
            ("SignatureNonce".into(), nonce.into()),
            ("Timestamp".into(), now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()),
        ];
        if let Some(token) = credentials.security_token() {
            all.push(("SecurityToken".into(), token.into()));
        }
        all.extend(params.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        let signature = signature("POST", &all, credentials.access_key_secret());
        all.push(("Signature".into(), signature));
        all
    }

    async fn call(&self, action: &'static str, params: &[(&str, &str)]) -> Result<Reply> {
        let retry = &self.config.retry;
        match retry.run(action, |_| self.call_once(action, params), Error::is_retryable).await {
            // Refreshed credentials refused as expired or unknown are
            // fetched again (`call_once` marked them) and the call made once
            // more; a second refusal is the error.
            Err(error) if refused_as_stale(&error) && self.config.credentials.is_refreshed() => {
                tracing::info!(action, "credentials refused by KMS; retrying once with fresh ones");
                retry.run(action, |_| self.call_once(action, params), Error::is_retryable).await
            }
            other => other,
        }
    }

    /// Plans a signed call: the headers and the form body of a POST to the
    /// endpoint. Every parameter, the plaintext of `Encrypt` included, goes
    /// in the body, never in the URL (which transport errors and proxies
    /// may print).
    pub fn signed_request(
        &self,
        credentials: &Credentials,
        action: &str,
        params: &[(&str, &str)],
        nonce: &str,
        now: jiff::Timestamp,
    ) -> Result<SignedRequest> {
        let form = |pairs: &mut dyn Iterator<Item = (&str, &str)>| {
            pairs.map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v))).collect::<Vec<_>>().join("&")
        };
        let content_type = ("content-type".to_owned(), "application/x-www-form-urlencoded".to_owned());
        let accept = ("accept".to_owned(), "application/json".to_owned());
        if self.config.signature == KmsSignature::Rpc {
            let signed = self.signed_params(credentials, action, params, nonce, now);
            let body = form(&mut signed.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            return Ok(SignedRequest { headers: vec![content_type, accept], body });
        }
        let body = form(&mut params.iter().copied());
        let mut headers = vec![
            ("host".to_owned(), self.host()?),
            ("x-acs-action".to_owned(), action.to_owned()),
            ("x-acs-version".to_owned(), "2016-01-20".to_owned()),
            ("x-acs-date".to_owned(), now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()),
            ("x-acs-signature-nonce".to_owned(), nonce.to_owned()),
            ("x-acs-content-sha256".to_owned(), sha256_hex(body.as_bytes())),
            content_type,
            accept,
        ];
        if let Some(token) = credentials.security_token() {
            headers.push(("x-acs-security-token".to_owned(), token.to_owned()));
        }
        let authorization =
            v3_authorization("POST", "/", &[], &headers, credentials.access_key_id(), credentials.access_key_secret());
        headers.push(("authorization".to_owned(), authorization));
        Ok(SignedRequest { headers, body })
    }

    /// `host[:port]` of the endpoint, as the HTTP client sends it.
    fn host(&self) -> Result<String> {
        let url = self.config.endpoint.url();
        let invalid = || Error::InvalidConfig { reason: format!("KMS endpoint {url:?} is not a URL with a host") };
        let parsed = reqwest::Url::parse(&url).map_err(|_| invalid())?;
        let host = parsed.host_str().ok_or_else(invalid)?;
        Ok(match parsed.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        })
    }

    async fn call_once(&self, action: &'static str, params: &[(&str, &str)]) -> Result<Reply> {
        let nonce = format!("{:032x}", rand::random::<u128>());
        let credentials = self.config.credentials.credentials().await?;
        let signed_at = std::time::Instant::now();
        let signed = self.signed_request(&credentials, action, params, &nonce, jiff::Timestamp::now())?;
        let mut request = self.http.post(self.config.endpoint.url());
        for (name, value) in &signed.headers {
            if name != "host" {
                request = request.header(name, value);
            }
        }
        let response = request.body(signed.body).send().await.map_err(|e| {
            if e.is_timeout() {
                Error::Timeout { action, after: self.config.timeout }
            } else {
                // The URL is dropped from the error: printing it is never needed.
                Error::Transport { action, source: Box::new(e.without_url()) }
            }
        })?;
        let status = response.status().as_u16();
        let body = read_reply(action, response).await?;
        if !(200..300).contains(&status) {
            let reply: ErrorReply = serde_json::from_slice(&body).unwrap_or(ErrorReply {
                code: format!("HTTP{status}"),
                message: String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned(),
                request_id: String::new(),
            });
            let error = Error::Service {
                action,
                error: Box::new(KmsServiceError {
                    status,
                    code: reply.code,
                    message: reply.message,
                    request_id: reply.request_id,
                }),
            };
            if refused_as_stale(&error) {
                self.config.credentials.refused(signed_at).await;
            }
            return Err(error);
        }
        // serde's message can quote the reply, which may hold key material:
        // say only what kind of fault it was and where.
        serde_json::from_slice(&body).map_err(|e| Error::InvalidResponse {
            action,
            reason: format!("not KMS JSON ({:?} error at line {}, column {})", e.classify(), e.line(), e.column()),
        })
    }

    /// GenerateDataKey: a new data key of `number_of_bytes`, wrapped by `key_id`.
    ///
    /// # Errors
    /// KMS, transport and reply errors.
    pub async fn generate_data_key(
        &self,
        key_id: &str,
        number_of_bytes: u32,
        context: &str,
    ) -> Result<GeneratedDataKey> {
        let bytes = number_of_bytes.to_string();
        let mut params = vec![("KeyId", key_id), ("KeySpec", "AES_256"), ("NumberOfBytes", bytes.as_str())];
        params.push(("EncryptionContext", context));
        let reply = self.call("GenerateDataKey", &params).await?;
        let missing = |field: &str| Error::InvalidResponse { action: "GenerateDataKey", reason: format!("no {field}") };
        Ok(GeneratedDataKey {
            key_id: reply.key_id,
            plaintext: Zeroizing::new(reply.plaintext.ok_or_else(|| missing("Plaintext"))?),
            ciphertext_blob: reply.ciphertext_blob.ok_or_else(|| missing("CiphertextBlob"))?,
        })
    }

    /// Encrypt: wraps `plaintext` (text, usually base64) under `key_id`.
    /// An empty `context` sends no EncryptionContext.
    ///
    /// # Errors
    /// KMS, transport and reply errors.
    pub async fn encrypt(&self, key_id: &str, plaintext: &str, context: &str) -> Result<String> {
        let mut params = vec![("KeyId", key_id), ("Plaintext", plaintext)];
        if !context.is_empty() {
            params.push(("EncryptionContext", context));
        }
        let reply = self.call("Encrypt", &params).await?;
        reply.ciphertext_blob.ok_or(Error::InvalidResponse { action: "Encrypt", reason: "no CiphertextBlob".into() })
    }

    /// Decrypt: the plaintext text of a `CiphertextBlob`, zeroized on drop.
    ///
    /// # Errors
    /// KMS, transport and reply errors.
    pub async fn decrypt(&self, ciphertext_blob: &str, context: &str) -> Result<Zeroizing<String>> {
        let mut params = vec![("CiphertextBlob", ciphertext_blob)];
        if !context.is_empty() {
            params.push(("EncryptionContext", context));
        }
        let reply = self.call("Decrypt", &params).await?;
        reply
            .plaintext
            .map(Zeroizing::new)
            .ok_or(Error::InvalidResponse { action: "Decrypt", reason: "no Plaintext".into() })
    }
}
