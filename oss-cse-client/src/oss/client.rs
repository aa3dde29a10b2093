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
mod refusal;
mod settings;

pub use batch::{ListObjectsRequest, MAX_DELETE_KEYS};

/// Largest in-memory body sent with a Content-MD5.
const SMALL_BODY_MD5: usize = 1 << 20;

/// Which bytes of an object to GET.
pub use oss_cse_core::ByteRange;

/// A planned request, before signing.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub operation: &'static str,
    pub method: Method,
    pub bucket: Option<String>,
    pub key: Option<String>,
    pub query: Vec<(String, Option<String>)>,
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
        let replayable = matches!(body.0, BodyInner::Bytes(_) | BodyInner::Sealed { .. });
        let mut body = Some(body);
        let send = |attempt: u32| {
            let this_body = match &body {
                Some(Body(BodyInner::Bytes(bytes) | BodyInner::Sealed { bytes, .. })) => {
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
        config.retry.run(request.operation, send, |error: &Error| replayable && error.is_retryable()).await
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
        let headers = self.signed_headers(request, &credentials, std::time::SystemTime::now());
        let mut builder = self.inner.http.request(request.method.clone(), &url);
        for (name, value) in &headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let len = body.len();
        builder = match body.0 {
            BodyInner::Bytes(bytes) | BodyInner::Sealed { bytes, .. } => builder.body(bytes),
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
        Err(self.service_error(request, response).await)
    }

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

    /// PutObject. `headers` carry user metadata, Content-Type, SSE and so on.
    ///
    /// # Errors
    /// Service, transport and CRC errors.
    pub async fn put_object(
        &self,
        bucket: &str,
        key: &str,
        body: Body,
        headers: Vec<(String, String)>,
    ) -> Result<WriteOutput> {
        let request = Request::new("PutObject", Method::PUT, bucket, Some(key)).headers(headers);
        self.write(request, body).await
    }

    /// GetObject, whole or ranged (always with standard range behaviour, so
    /// a range past the end is an error rather than the whole object).
    ///
    /// # Errors
    /// Service and transport errors; the body reports length and CRC
    /// problems when it ends.
    pub async fn get_object(&self, bucket: &str, key: &str, options: &GetOptions) -> Result<GetObjectOutput> {
        let mut request = Request::new("GetObject", Method::GET, bucket, Some(key));
        if let Some(range) = options.range {
            range.validate().map_err(|source| Error::Core { resource: request.resource(), source })?;
            request = request.header("range", range.header_value()).header("x-oss-range-behavior", "standard");
        }
        request = request.headers(options.condition_headers());
        let response = self.execute(&request, Body::empty()).await?;
        let meta = meta_of(&response);
        // A request without Range is a whole read whatever comes back: a
        // range in its reply (a proxy's, or a hostile server's) would turn
        // off the checks that only whole reads can make, so it is refused.
        if options.range.is_none() && (response.status().as_u16() == 206 || meta.header("content-range").is_some()) {
            return Err(Error::ReplyMismatch {
                operation: request.operation,
                resource: request.resource(),
                reason: "a partial reply (206 or Content-Range) to a request for the whole object",
            });
        }
        let content_range = match response.status().as_u16() {
            206 => Some(
                meta.header("content-range")
                    .and_then(ContentRange::parse)
                    .ok_or_else(|| Self::invalid(&request, "206 reply without a valid Content-Range"))?,
            ),
            _ => None,
        };
        if let Some(range) = content_range {
            if range.end - range.start + 1 != meta.content_length {
                return Err(Self::invalid(&request, "Content-Range disagrees with Content-Length"));
            }
        }
        // The object's CRC covers the whole object: check it only then.
        let whole = content_range.is_none_or(|r| r.start == 0 && r.end + 1 == r.total);
        let crc = if whole { meta.crc64 } else { None };
        let body = ObjectBody::new(response, request.operation, request.resource(), meta.content_length, crc);
        Ok(GetObjectOutput { meta, content_range, body })
    }

    /// HeadObject.
    ///
    /// # Errors
    /// Service (404 `NoSuchKey`) and transport errors.
    pub async fn head_object(&self, bucket: &str, key: &str) -> Result<ObjectMeta> {
        self.head_object_with(bucket, key, &GetOptions::default()).await
    }

    /// HeadObject with the conditions of `options` (its range is ignored).
    ///
    /// # Errors
    /// As [`head_object`](Self::head_object), and 412 or 304 (as
    /// [`Error::Service`]) when a condition does not hold.
    pub async fn head_object_with(&self, bucket: &str, key: &str, options: &GetOptions) -> Result<ObjectMeta> {
        let request = Request::new("HeadObject", Method::HEAD, bucket, Some(key)).headers(options.condition_headers());
        let response = self.execute(&request, Body::empty()).await?;
        Ok(meta_of(&response))
    }

    /// DeleteObject (succeeds for a missing key, as OSS does).
    ///
    /// # Errors
    /// Service and transport errors.
    pub async fn delete_object(&self, bucket: &str, key: &str) -> Result<()> {
        let request = Request::new("DeleteObject", Method::DELETE, bucket, Some(key));
        self.execute(&request, Body::empty()).await.map(drop)
    }

    /// CopyObject from `source_bucket/source_key` to `bucket/key`.
    ///
    /// # Errors
    /// Service and transport errors.
    pub async fn copy_object(
        &self,
        source_bucket: &str,
        source_key: &str,
        bucket: &str,
        key: &str,
        directive: MetadataDirective,
        headers: Vec<(String, String)>,
    ) -> Result<WriteOutput> {
        let directive = match directive {
            MetadataDirective::Copy => "COPY",
            MetadataDirective::Replace => "REPLACE",
        };
        let request = Request::new("CopyObject", Method::PUT, bucket, Some(key))
            .header("x-oss-copy-source", format!("/{source_bucket}/{}", uri_encode(source_key, true)))
            .header("x-oss-metadata-directive", directive)
            .headers(headers);
        let response = self.execute(&request, Body::empty()).await?;
        let meta = meta_of(&response);
        let text = self.xml_reply(&request, response).await?;
        let result: xml::EtagResult = xml::parse(&text, "CopyObjectResult").map_err(|r| Self::invalid(&request, r))?;
        if result.etag.is_empty() {
            return Err(Self::invalid(&request, "no ETag in the reply"));
        }
        Ok(WriteOutput {
            etag: result.etag.trim_matches('"').to_owned(),
            crc64: meta.crc64,
            request_id: meta.request_id,
        })
    }

    /// One page of ListObjectsV2.
    ///
    /// # Errors
    /// Service, transport and parse errors.
    pub async fn list_objects_v2(
        &self,
        bucket: &str,
        prefix: &str,
        delimiter: Option<&str>,
        continuation_token: Option<&str>,
        max_keys: Option<u32>,
    ) -> Result<ListObjectsPage> {
        let list = ListObjectsRequest {
            prefix: prefix.to_owned(),
            delimiter: delimiter.map(str::to_owned),
            start_after: None,
            continuation_token: continuation_token.map(str::to_owned),
            max_keys,
        };
        self.list_objects(bucket, &list).await
    }

    /// Every object under `prefix`, all pages.
    ///
    /// # Errors
    /// As [`list_objects_v2`](Self::list_objects_v2).
    pub async fn list_all_objects(&self, bucket: &str, prefix: &str) -> Result<Vec<ObjectSummary>> {
        let mut all = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = self.list_objects_v2(bucket, prefix, None, token.as_deref(), Some(1000)).await?;
            all.extend(page.objects);
            match page.next_continuation_token {
                Some(next) if Some(&next) != token.as_ref() => token = Some(next),
                _ => return Ok(all),
            }
        }
    }

    /// InitiateMultipartUpload; returns the upload id.
    ///
    /// # Errors
    /// Service, transport and parse errors.
    pub async fn initiate_multipart_upload(
        &self,
        bucket: &str,
        key: &str,
        headers: Vec<(String, String)>,
    ) -> Result<String> {
        let request = Request::new("InitiateMultipartUpload", Method::POST, bucket, Some(key))
            .query("uploads", None)
            .headers(headers);
        let response = self.execute(&request, Body::empty()).await?;
        let text = self.xml_reply(&request, response).await?;
        let result: xml::InitiateResult =
            xml::parse(&text, "InitiateMultipartUploadResult").map_err(|r| Self::invalid(&request, r))?;
        if result.upload_id.is_empty() {
            return Err(Self::invalid(&request, "empty UploadId"));
        }
        Ok(result.upload_id)
    }

    /// UploadPart.
    ///
    /// # Errors
    /// Service, transport and CRC errors.
    pub async fn upload_part(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        part_number: u32,
        body: Body,
        headers: Vec<(String, String)>,
    ) -> Result<WriteOutput> {
        let request = Request::new("UploadPart", Method::PUT, bucket, Some(key))
            .query("partNumber", Some(part_number.to_string()))
            .query("uploadId", Some(upload_id.to_owned()))
            .headers(headers);
        self.write(request, body).await
    }

    /// CompleteMultipartUpload.
    ///
    /// # Errors
    /// Service, transport and parse errors.
    pub async fn complete_multipart_upload(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        parts: &[CompletedPart],
        headers: Vec<(String, String)>,
    ) -> Result<WriteOutput> {
        let request = Request::new("CompleteMultipartUpload", Method::POST, bucket, Some(key))
            .query("uploadId", Some(upload_id.to_owned()))
            .header("content-type", "application/xml")
            .headers(headers);
        let response = self.execute(&request, Body::from(xml::complete_body(parts))).await?;
        let meta = meta_of(&response);
        let text = self.xml_reply(&request, response).await?;
        let result: xml::EtagResult =
            xml::parse(&text, "CompleteMultipartUploadResult").map_err(|r| Self::invalid(&request, r))?;
        if result.etag.is_empty() {
            return Err(Self::invalid(&request, "no ETag in the reply"));
        }
        let expected = parts.iter().try_fold(0u64, |crc, part| {
            part.crc64_and_size.map(|(part_crc, size)| Crc64::combine(crc, part_crc, size))
        });
        if let (Some(client), Some(server)) = (expected, meta.crc64) {
            if client != server {
                return Err(Error::CrcMismatch {
                    operation: request.operation,
                    resource: request.resource(),
                    client,
                    server,
                });
            }
        }
        Ok(WriteOutput {
            etag: result.etag.trim_matches('"').to_owned(),
            crc64: meta.crc64,
            request_id: meta.request_id,
        })
    }

    /// AbortMultipartUpload.
    ///
    /// # Errors
    /// Service and transport errors.
    pub async fn abort_multipart_upload(&self, bucket: &str, key: &str, upload_id: &str) -> Result<()> {
        let request = Request::new("AbortMultipartUpload", Method::DELETE, bucket, Some(key))
            .query("uploadId", Some(upload_id.to_owned()));
        self.execute(&request, Body::empty()).await.map(drop)
    }

    /// ListParts, all pages.
    ///
    /// # Errors
    /// Service, transport and parse errors.
    pub async fn list_parts(&self, bucket: &str, key: &str, upload_id: &str) -> Result<ListPartsOutput> {
        let mut out = ListPartsOutput::default();
        let mut marker = 0u32;
        loop {
            let request = Request::new("ListParts", Method::GET, bucket, Some(key))
                .query("uploadId", Some(upload_id.to_owned()))
                .query("part-number-marker", Some(marker.to_string()))
                .query("max-parts", Some("1000".into()));
            let response = self.execute(&request, Body::empty()).await?;
            let text = self.xml_reply(&request, response).await?;
            let (page, next) = xml::list_parts(&text).map_err(|r| Self::invalid(&request, r))?;
            out.parts.extend(page.parts);
            if out.parts.len() > oss_cse_core::offset::MAX_PARTS as usize {
                return Err(Self::invalid(&request, "more parts listed than an upload can have"));
            }
            if out.client_encryption.is_empty() {
                out.client_encryption = page.client_encryption;
            }
            match next {
                Some(next) if next > marker => marker = next,
                _ => return Ok(out),
            }
        }
    }

    /// ListMultipartUploads under `prefix`, all pages.
    ///
    /// # Errors
    /// Service, transport and parse errors.
    pub async fn list_multipart_uploads(&self, bucket: &str, prefix: &str) -> Result<Vec<UploadSummary>> {
        let mut all = Vec::new();
        let mut markers: Option<(String, String)> = None;
        loop {
            let mut request = Request::new("ListMultipartUploads", Method::GET, bucket, None)
                .query("uploads", None)
                .query("prefix", Some(prefix.to_owned()));
            if let Some((key, id)) = &markers {
                request = request.query("key-marker", Some(key.clone())).query("upload-id-marker", Some(id.clone()));
            }
            let response = self.execute(&request, Body::empty()).await?;
            let text = self.xml_reply(&request, response).await?;
            let (page, next) = xml::list_uploads(&text).map_err(|r| Self::invalid(&request, r))?;
            all.extend(page);
            match next {
                Some(next) if Some(&next) != markers.as_ref() => markers = Some(next),
                _ => return Ok(all),
            }
        }
    }

    /// PutBucket (create).
    ///
    /// # Errors
    /// Service and transport errors.
    pub async fn put_bucket(&self, bucket: &str) -> Result<()> {
        let request = Request::new("PutBucket", Method::PUT, bucket, None);
        self.execute(&request, Body::empty()).await.map(drop)
    }

    /// DeleteBucket.
    ///
    /// # Errors
    /// Service and transport errors.
    pub async fn delete_bucket(&self, bucket: &str) -> Result<()> {
        let request = Request::new("DeleteBucket", Method::DELETE, bucket, None);
        self.execute(&request, Body::empty()).await.map(drop)
    }

    /// ListBuckets.
    ///
    /// # Errors
    /// Service, transport and parse errors.
    pub async fn list_buckets(&self) -> Result<Vec<BucketSummary>> {
        let request = Request {
            operation: "ListBuckets",
            method: Method::GET,
            bucket: None,
            key: None,
            query: Vec::new(),
            headers: Vec::new(),
        };
        let response = self.execute(&request, Body::empty()).await?;
        let text = self.xml_reply(&request, response).await?;
        xml::list_buckets(&text).map_err(|r| Self::invalid(&request, r))
    }

    /// PutBucketEncryption: the default server-side encryption of new objects.
    ///
    /// # Errors
    /// Service and transport errors.
    pub async fn put_bucket_encryption(&self, bucket: &str, sse: &ServerSideEncryption) -> Result<()> {
        let request = Request::new("PutBucketEncryption", Method::PUT, bucket, None)
            .query("encryption", None)
            .header("content-type", "application/xml");
        self.execute(&request, Body::from(xml::bucket_encryption_body(sse))).await.map(drop)
    }

    /// GetBucketEncryption; `None` when the bucket has no default.
    ///
    /// # Errors
    /// Service (other than "no configuration"), transport and parse errors.
    pub async fn get_bucket_encryption(&self, bucket: &str) -> Result<Option<ServerSideEncryption>> {
        let request = Request::new("GetBucketEncryption", Method::GET, bucket, None).query("encryption", None);
        match self.execute(&request, Body::empty()).await {
            Ok(response) => {
                let text = self.xml_reply(&request, response).await?;
                xml::bucket_encryption(&text).map(Some).map_err(|r| Self::invalid(&request, r))
            }
            Err(e) if e.service_error().is_some_and(|s| s.code == "NoSuchServerSideEncryptionRule") => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// DeleteBucketEncryption.
    ///
    /// # Errors
    /// Service and transport errors.
    pub async fn delete_bucket_encryption(&self, bucket: &str) -> Result<()> {
        let request = Request::new("DeleteBucketEncryption", Method::DELETE, bucket, None).query("encryption", None);
        self.execute(&request, Body::empty()).await.map(drop)
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
        BodyInner::Sealed { bytes, crc64 } => (Body(BodyInner::Sealed { bytes, crc64 }), CrcSource::Known(crc64)),
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
