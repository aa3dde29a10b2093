//! The OSS client: requests are planned and signed by pure code, sent by one
//! thin async function with retries, and their replies parsed into types.

use std::sync::{Arc, Mutex};

use http::Method;

use crate::oss::body::{BodyInner, ObjectBody, tap_crc};
use crate::oss::config::{Addressing, ClientConfig, SignatureVersion};
use crate::oss::types::*;
use crate::oss::xml;
use crate::{Body, Crc64, Error, Result};
use oss_cse_auth::sign::oss::{Scheme, SignableRequest, signing_headers, uri_encode};

mod batch;
mod buckets;
mod forward;
mod multipart;
mod objects;
mod refusal;
mod settings;

pub use batch::{ListObjectsRequest, MAX_DELETE_KEYS};

/// Largest in-memory body sent with a Content-MD5.
const SMALL_BODY_MD5: usize = 1 << 20;

/// Which bytes of an object to GET.
pub use oss_cse_core::ByteRange;

/// A planned request, before signing: what every operation builds, and what
/// [`OssClient::forward`] sends as given.
#[derive(Debug, Clone)]
pub struct Request {
    /// The operation's name, for errors and logs.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The bucket (none: the service, as ListBuckets).
    pub bucket: Option<String>,
    /// The object key.
    pub key: Option<String>,
    /// Query parameters, decoded.
    pub query: Vec<(String, Option<String>)>,
    /// Headers to send (the signer adds its own: date, token, signature).
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub(crate) fn new(operation: &'static str, method: Method, bucket: &str, key: Option<&str>) -> Self {
        Self {
            operation,
            method,
            bucket: Some(bucket.to_owned()),
            key: key.map(str::to_owned),
            query: Vec::new(),
            headers: Vec::new(),
        }
    }

    pub(crate) fn query(mut self, name: &str, value: Option<String>) -> Self {
        self.query.push((name.to_owned(), value));
        self
    }

    pub(crate) fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    pub(crate) fn headers(mut self, headers: impl IntoIterator<Item = (String, String)>) -> Self {
        self.headers.extend(headers);
        self
    }

    pub(crate) fn resource(&self) -> String {
        match (&self.bucket, &self.key) {
            (Some(b), Some(k)) => format!("oss://{b}/{k}"),
            (Some(b), None) => format!("oss://{b}"),
            _ => "oss://".to_owned(),
        }
    }
}

/// Options of a GET (or a HEAD, which ignores the range).
#[derive(Debug, Clone, Default)]
pub struct GetOptions {
    /// Bytes to read; the whole object when `None`.
    pub range: Option<ByteRange>,
    /// Only if the ETag still matches (resumable downloads): else HTTP 412.
    pub if_match: Option<String>,
    /// Only if the ETag differs: else HTTP 304 (an [`Error::Service`] with status 304).
    pub if_none_match: Option<String>,
    /// Only if modified after this time: else HTTP 304.
    pub if_modified_since: Option<std::time::SystemTime>,
    /// Only if not modified after this time: else HTTP 412.
    pub if_unmodified_since: Option<std::time::SystemTime>,
}

impl GetOptions {
    /// The conditional headers these options ask for.
    pub(crate) fn condition_headers(&self) -> Vec<(String, String)> {
        let quoted = |etag: &str| {
            if etag == "*" || etag.starts_with('"') { etag.to_owned() } else { format!("\"{etag}\"") }
        };
        let mut headers = Vec::new();
        if let Some(etag) = &self.if_match {
            headers.push(("if-match".to_owned(), quoted(etag)));
        }
        if let Some(etag) = &self.if_none_match {
            headers.push(("if-none-match".to_owned(), quoted(etag)));
        }
        if let Some(time) = self.if_modified_since {
            headers.push(("if-modified-since".to_owned(), http_date(time)));
        }
        if let Some(time) = self.if_unmodified_since {
            headers.push(("if-unmodified-since".to_owned(), http_date(time)));
        }
        headers
    }
}

/// `time` as an HTTP date (RFC 9110: `Fri, 04 Dec 2026 17:58:01 GMT`).
pub(crate) fn http_date(time: std::time::SystemTime) -> String {
    let time = jiff::Timestamp::try_from(time).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    jiff::fmt::rfc2822::DateTimePrinter::new().timestamp_to_rfc9110_string(&time).unwrap_or_default()
}

/// A GET reply: metadata and the streamed body.
#[derive(Debug)]
pub struct GetObjectOutput {
    /// Metadata (for a ranged GET, `content_length` is the range's).
    pub meta: ObjectMeta,
    /// The range returned, for a 206 reply.
    pub content_range: Option<ContentRange>,
    /// The body.
    pub body: ObjectBody,
}

/// An async OSS client. Cheap to clone; share one per process.
#[derive(Debug, Clone)]
pub struct OssClient {
    inner: Arc<Inner>,
}

struct Inner {
    config: ClientConfig,
    http: reqwest::Client,
}

/// The configuration only: reqwest's own `Debug` shows its proxies, and a
/// proxy URL can carry a password.
impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OssClient").field("config", &self.config).finish_non_exhaustive()
    }
}

impl OssClient {
    /// Builds a client.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if the HTTP stack cannot be set up.
    pub fn new(config: ClientConfig) -> Result<Self> {
        let settings = oss_cse_auth::http::HttpSettings {
            proxy: config.proxy.clone(),
            ca_pem: config.ca_pem.clone(),
            connect_timeout: Some(config.connect_timeout),
            read_timeout: Some(config.read_timeout),
            timeout: None,
            user_agent: Some(config.user_agent.clone()),
        };
        let endpoint = format!("{}://{}", config.scheme, config.host);
        let http = settings.client_for(&endpoint).map_err(|e| Error::invalid_argument(e.to_string()))?;
        Ok(Self { inner: Arc::new(Inner { config, http }) })
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// The URL of a request.
    pub(crate) fn url(&self, request: &Request) -> String {
        let config = &self.inner.config;
        let mut path = String::from("/");
        let host = match (&request.bucket, config.addressing) {
            (Some(bucket), Addressing::VirtualHosted) => format!("{bucket}.{}", config.host),
            (Some(bucket), Addressing::PathStyle) => {
                path.push_str(bucket);
                path.push('/');
                config.host.clone()
            }
            _ => config.host.clone(),
        };
        if let Some(key) = &request.key {
            // A `.` or `..` segment would be resolved away by the URL (and
            // another object addressed): such a key is sent with every `/`
            // as %2F, as oss2 sends every key; OSS decodes it, and signs the
            // decoded name either way.
            path.push_str(&uri_encode(key, !has_dot_segment(key)));
        }
        let mut url = format!("{}://{host}{path}", config.scheme);
        for (index, (name, value)) in request.query.iter().enumerate() {
            url.push(if index == 0 { '?' } else { '&' });
            url.push_str(&uri_encode(name, false));
            if let Some(value) = value {
                url.push('=');
                url.push_str(&uri_encode(value, false));
            }
        }
        url
    }

    /// The request's headers with what the signer adds (time, token,
    /// signature).
    pub(crate) fn signed_headers(
        &self,
        request: &Request,
        credentials: &crate::Credentials,
        now: std::time::SystemTime,
    ) -> Vec<(String, String)> {
        let config = &self.inner.config;
        let scheme = match (config.signature, config.region.as_deref()) {
            (SignatureVersion::V4, Some(region)) => Scheme::V4 { region, product: "oss" },
            _ => Scheme::V1,
        };
        // OSS signs /bucket/key even when a CNAME hides the bucket from the URL.
        let bucket = request.bucket.as_deref();
        let signable = SignableRequest {
            method: request.method.as_str(),
            bucket,
            key: request.key.as_deref().or(bucket.map(|_| "")),
            query: &request.query,
            headers: &request.headers,
        };
        let mut headers = request.headers.clone();
        headers.extend(signing_headers(&signable, credentials, scheme, now));
        headers
    }

    /// Sends a request, retrying where safe, and returns the successful reply.
    pub(crate) async fn execute(&self, request: &Request, body: Body) -> Result<reqwest::Response> {
        let config = &self.inner.config;
        if let Some(key @ ("." | "..")) = request.key.as_deref() {
            // Alone in the path, even %2F cannot keep it from being resolved.
            return Err(Error::invalid_argument(format!(
                "{} oss://{}/{key}: an object named {key:?} cannot be addressed in a URL (it means the folder \
                 itself); rename it with a tool that sends raw paths",
                request.operation,
                request.bucket.as_deref().unwrap_or_default()
            )));
        }
        // Content-MD5 lets OSS reject a body damaged in transit; it costs an
        // MD5 pass, so only small in-memory bodies get one.
        let with_md5;
        let request = match &body.0 {
            BodyInner::Bytes(bytes)
                if !bytes.is_empty()
                    && bytes.len() <= SMALL_BODY_MD5
                    && !request.headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-md5")) =>
            {
                use md5::Digest as _;
                let digest = md5::Md5::digest(bytes);
                with_md5 = request
                    .clone()
                    .header("content-md5", base64::Engine::encode(&base64::engine::general_purpose::STANDARD, digest));
                &with_md5
            }
            _ => request,
        };
        // A streamed body is sent once: it cannot be replayed.
        let replayable = matches!(body.0, BodyInner::Bytes(_) | BodyInner::KnownCrc { .. });
        let mut body = Some(body);
        let send = |attempt: u32| {
            let this_body = match &body {
                Some(Body(BodyInner::Bytes(bytes) | BodyInner::KnownCrc { bytes, .. })) => {
                    Body(BodyInner::Bytes(bytes.clone()))
                }
                _ => body.take().unwrap_or_else(Body::empty),
            };
            // One span per attempt: what was asked, of which object, and
            // what came back. Never the URL, a signature or a header value.
            let span = tracing::info_span!(
                "oss_request",
                operation = request.operation,
                method = %request.method,
                resource = %request.resource(),
                attempt,
                bytes_sent = this_body.len(),
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
            );
            tracing::Instrument::instrument(self.send_explained(request, this_body), span)
        };
        let mut send = send;
        let retryable = |error: &Error| replayable && error.is_retryable();
        match config.retry.run(request.operation, &mut send, retryable).await {
            // Refreshed credentials that the service refuses as expired or
            // unknown (a clock behind STS's, a token revoked early) are
            // fetched again and the request sent once more; a second
            // refusal is the error.
            Err(error) if replayable && refused_as_stale(&error) && config.credentials.is_refreshed() => {
                tracing::info!(operation = request.operation, resource = %request.resource(), "credentials refused; retrying once with fresh ones");
                config.retry.run(request.operation, &mut send, retryable).await
            }
            other => other,
        }
    }

    /// [`send_once`](Self::send_once), with the server's refusal in place
    /// of a connection broken while an upload's body was being sent (see
    /// [`refusal`]).
    async fn send_explained(&self, request: &Request, body: Body) -> Result<reqwest::Response> {
        let probe = refusal::worth_probing(request, body.len());
        match self.send_once(request, body).await {
            Err(error @ Error::Transport { .. }) if probe => Err(self.refusal_of(request).await.unwrap_or(error)),
            other => other,
        }
    }

    async fn send_once(&self, request: &Request, body: Body) -> Result<reqwest::Response> {
        let config = &self.inner.config;
        let url = self.url(request);
        // Asked per attempt: a retry after a refresh signs with the new ones.
        let credentials = config.credentials.credentials().await.map_err(|source| Error::Credentials {
            operation: request.operation,
            resource: request.resource(),
            source,
        })?;
        let signed_at = std::time::Instant::now();
        let headers = self.signed_headers(request, &credentials, std::time::SystemTime::now());
        let mut builder = self.inner.http.request(request.method.clone(), &url);
        for (name, value) in &headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let len = body.len();
        builder = match body.0 {
            BodyInner::Bytes(bytes) | BodyInner::KnownCrc { bytes, .. } => builder.body(bytes),
            BodyInner::Stream { stream, .. } => {
                builder.header("content-length", len.to_string()).body(reqwest::Body::wrap_stream(stream))
            }
        };
        // The error already names the object; its URL (which a presigned or
        // proxied request could make sensitive) is dropped.
        let transport = |source: reqwest::Error| Error::Transport {
            operation: request.operation,
            resource: request.resource(),
            source: Box::new(source.without_url()),
        };
        let send = builder.send();
        let started = std::time::Instant::now();
        let response = match config.request_timeout {
            Some(after) => tokio::time::timeout(after, send).await.map_err(|_| Error::Timeout {
                operation: request.operation,
                resource: request.resource(),
                after,
            })?,
            None => send.await,
        }
        .map_err(|error| {
            let error = transport(error);
            tracing::info!(operation = request.operation, resource = %request.resource(), error = %error, "request failed");
            error
        })?;
        // One line per request at -v: never the URL (a presigned one is a
        // credential), the signature or a header value.
        let request_id = response.headers().get("x-oss-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
        let span = tracing::Span::current();
        span.record("status", response.status().as_u16());
        span.record("request_id", request_id);
        tracing::info!(
            operation = request.operation,
            method = %request.method,
            resource = %request.resource(),
            status = response.status().as_u16(),
            request_id = response.headers().get("x-oss-request-id").and_then(|v| v.to_str().ok()).unwrap_or(""),
            latency_ms = started.elapsed().as_millis() as u64,
            "request"
        );
        if response.status().is_success() {
            return Ok(response);
        }
        let error = self.service_error(request, response).await;
        if refused_as_stale(&error) {
            config.credentials.refused(signed_at).await;
        }
        Err(error)
    }
}

/// Whether OSS refused the request's credentials as expired or unknown.
fn refused_as_stale(error: &Error) -> bool {
    error.service_error().is_some_and(|e| e.status == 403 && oss_cse_auth::refused_as_stale(&e.code))
}

impl OssClient {
    async fn service_error(&self, request: &Request, response: reqwest::Response) -> Error {
        let (status, headers) = (response.status().as_u16(), response.headers().clone());
        let body = read_limited(response, 64 * 1024).await.unwrap_or_default();
        Error::Service {
            operation: request.operation,
            resource: request.resource(),
            error: Box::new(crate::oss::reply::service_error(status, &headers, &body)),
        }
    }

    async fn xml_reply(&self, request: &Request, response: reqwest::Response) -> Result<String> {
        read_limited(response, xml::MAX_XML_BODY).await.map_err(|reason| Error::InvalidResponse {
            operation: request.operation,
            resource: request.resource(),
            reason,
        })
    }

    fn invalid(request: &Request, reason: impl Into<String>) -> Error {
        Error::InvalidResponse { operation: request.operation, resource: request.resource(), reason: reason.into() }
    }

    /// Sends a write and checks the CRC-64 OSS reports against the bytes sent.
    async fn write(&self, request: Request, body: Body) -> Result<WriteOutput> {
        let (body, crc) = with_crc(body);
        let response = self.execute(&request, body).await?;
        let meta = meta_of(&response);
        // In-memory bodies were hashed once up front; streams are sent once.
        let client_crc = crc.value();
        if let Some(server) = meta.crc64 {
            if client_crc != server {
                return Err(Error::CrcMismatch {
                    operation: request.operation,
                    resource: request.resource(),
                    client: client_crc,
                    server,
                });
            }
        }
        Ok(WriteOutput { etag: meta.etag.unwrap_or_default(), crc64: meta.crc64, request_id: meta.request_id })
    }
}

/// Whether `key` has a `.` or `..` segment, which a URL resolves away.
fn has_dot_segment(key: &str) -> bool {
    key.split('/').any(|segment| segment == "." || segment == "..")
}

/// Where the CRC of a body sent comes from.
enum CrcSource {
    /// Known before sending (in-memory bodies).
    Known(u64),
    /// Computed as the stream is sent.
    Running(Arc<Mutex<Crc64>>),
}

impl CrcSource {
    fn value(&self) -> u64 {
        match self {
            Self::Known(crc) => *crc,
            Self::Running(crc) => crc.lock().map(|crc| crc.value()).unwrap_or_default(),
        }
    }
}

/// Attaches a CRC tap to a body: in-memory bodies are hashed up front.
fn with_crc(body: Body) -> (Body, CrcSource) {
    match body.0 {
        BodyInner::Bytes(bytes) => {
            let crc = Crc64::of(&bytes);
            (Body(BodyInner::Bytes(bytes)), CrcSource::Known(crc))
        }
        BodyInner::KnownCrc { bytes, crc64 } => (Body(BodyInner::KnownCrc { bytes, crc64 }), CrcSource::Known(crc64)),
        BodyInner::Stream { len, stream } => {
            let state = Arc::new(Mutex::new(Crc64::new()));
            (Body(BodyInner::Stream { len, stream: tap_crc(stream, state.clone()) }), CrcSource::Running(state))
        }
    }
}

/// A reply's metadata (see [`crate::oss::reply::object_meta`]).
pub(crate) fn meta_of(response: &reqwest::Response) -> ObjectMeta {
    crate::oss::reply::object_meta(response.headers())
}

async fn read_limited(response: reqwest::Response, limit: usize) -> std::result::Result<String, String> {
    let bytes = oss_cse_auth::http::read_bounded(response, limit).await.map_err(|failure| failure.to_string())?;
    String::from_utf8(bytes.to_vec()).map_err(|_| "reply body is not UTF-8".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Credentials;

    fn signer() -> Credentials {
        Credentials::new("ak", "sk").with_security_token("tok")
    }

    fn client(endpoint: &str, addressing: Option<Addressing>) -> OssClient {
        let mut config = ClientConfig::new(endpoint, signer()).unwrap();
        if let Some(addressing) = addressing {
            config = config.addressing(addressing);
        }
        OssClient::new(config).unwrap()
    }

    #[test]
    fn urls_for_each_addressing_style() {
        let request = Request::new("GetObject", Method::GET, "bkt", Some("a b/c+d"))
            .query("uploads", None)
            .query("x", Some("1/2".into()));
        assert_eq!(
            client("http://127.0.0.1:9000", None).url(&request),
            "http://127.0.0.1:9000/bkt/a%20b/c%2Bd?uploads&x=1%2F2"
        );
        assert_eq!(
            client("oss-cn-hangzhou.aliyuncs.com", None).url(&request),
            "https://bkt.oss-cn-hangzhou.aliyuncs.com/a%20b/c%2Bd?uploads&x=1%2F2"
        );
        assert_eq!(
            client("https://files.example.com", Some(Addressing::Cname)).url(&request),
            "https://files.example.com/a%20b/c%2Bd?uploads&x=1%2F2"
        );
        // Dot segments survive the URL only with their slashes encoded.
        let dotted = Request::new("GetObject", Method::GET, "bkt", Some("a/../b/./c"));
        let url = client("http://127.0.0.1:9000", None).url(&dotted);
        assert_eq!(url, "http://127.0.0.1:9000/bkt/a%2F..%2Fb%2F.%2Fc");
        assert_eq!(reqwest::Url::parse(&url).unwrap().path(), "/bkt/a%2F..%2Fb%2F.%2Fc", "not normalised");
        assert!(!has_dot_segment("a/..b/c.") && has_dot_segment("..") && has_dot_segment("x/."));
    }

    #[test]
    fn signed_headers_carry_token_date_and_signature() {
        let request = Request::new("PutObject", Method::PUT, "bkt", Some("k"));
        let now = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_702_743_657);
        let v4 = client("oss-cn-hangzhou.aliyuncs.com", None).signed_headers(&request, &signer(), now);
        let get =
            |headers: &[(String, String)], name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        assert_eq!(get(&v4, "x-oss-date").as_deref(), Some("20231216T162057Z"));
        assert_eq!(get(&v4, "x-oss-security-token").as_deref(), Some("tok"));
        assert!(
            get(&v4, "authorization")
                .unwrap()
                .starts_with("OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,")
        );
        let v1 = client("http://127.0.0.1:1", None).signed_headers(&request, &signer(), now);
        assert_eq!(get(&v1, "date").as_deref(), Some("Sat, 16 Dec 2023 16:20:57 GMT"));
        assert!(get(&v1, "authorization").unwrap().starts_with("OSS ak:"));
    }
}
