//! The OSS HTTP front: routing by method, bucket, key and sub-resource, the
//! OSS error replies, object streaming in both directions.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use crc_fast::{CrcAlgorithm, Digest as Crc};
use futures_util::StreamExt;
use md5::{Digest as _, Md5};
use percent_encoding::percent_decode_str;
use quick_xml::escape::escape;
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

use crate::auth::{AuthFailure, Signed};
use crate::cse_rules;
use crate::faults::{Fault, Faults, RequestInfo};
use crate::store::{AtRest, BucketRecord, ObjectRecord, PartRecord, Sse, Store, UploadRecord, now_iso};

/// Smallest part OSS accepts except the last.
const MIN_PART_SIZE: u64 = 100 * 1024;
/// Largest user metadata OSS accepts in total.
const MAX_USER_METADATA: usize = 8 * 1024;
/// Chunk size for streaming stored bytes.
const CHUNK: usize = 256 * 1024;
/// Headers OSS keeps with an object besides user metadata.
const KEPT_HEADERS: [&str; 5] =
    ["cache-control", "content-disposition", "content-encoding", "content-language", "expires"];
/// The V2 envelope namespace, as the envelope crate names it.
use oss_cse_envelope::consts::V2_PREFIX as CSE_PREFIX;

/// An OSS error reply.
#[derive(Debug, Clone)]
pub(crate) struct OssError {
    status: u16,
    pub(crate) code: String,
    message: String,
    ec: Option<String>,
}

impl OssError {
    pub(crate) fn new(status: u16, code: &str, message: &str) -> Self {
        Self { status, code: code.to_owned(), message: message.to_owned(), ec: None }
    }

    pub(crate) fn with_ec(mut self, ec: &str) -> Self {
        self.ec = Some(ec.to_owned());
        self
    }

    fn into_response(self, request_id: &str, head: bool) -> Response {
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>{}</Code>\n  <Message>{}</Message>\n  <RequestId>{request_id}</RequestId>\n  <HostId>oss-cse-emulator</HostId>\n{}</Error>\n",
            escape(self.code.as_str()),
            escape(self.message.as_str()),
            self.ec.as_ref().map(|ec| format!("  <EC>{ec}</EC>\n")).unwrap_or_default()
        );
        let encoded = head.then(|| base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &body));
        let mut response = if head { Response::new(Body::empty()) } else { Response::new(Body::from(body)) };
        *response.status_mut() = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        headers.insert("content-type", HeaderValue::from_static("application/xml"));
        insert(headers, "x-oss-request-id", request_id);
        if let Some(ec) = &self.ec {
            insert(headers, "x-oss-ec", ec);
        }
        // A HEAD reply has no body: OSS sends the error document base64-encoded
        // in x-oss-err, so SDKs can still tell NoSuchKey from AccessDenied.
        if let Some(encoded) = &encoded {
            insert(headers, "x-oss-err", encoded);
        }
        response
    }
}

fn insert(headers: &mut HeaderMap, name: &str, value: &str) {
    if let (Ok(name), Ok(value)) = (axum::http::HeaderName::try_from(name), HeaderValue::from_bytes(value.as_bytes())) {
        headers.insert(name, value);
    }
}

fn bad(code: &str, message: &str) -> OssError {
    OssError::new(400, code, message)
}

/// Shared state of a running emulator.
pub(crate) struct App {
    pub store: Store,
    pub faults: Arc<Faults>,
    pub credentials: HashMap<String, String>,
    pub request_counter: std::sync::atomic::AtomicU64,
    pub kms: Arc<crate::kms::KmsPolicy>,
    /// See [`EmulatorConfig::strict_upload_part`](crate::EmulatorConfig::strict_upload_part).
    pub strict_upload_part: bool,
}

/// One parsed request.
struct Ctx {
    method: String,
    bucket: Option<String>,
    key: Option<String>,
    query: Vec<(String, Option<String>)>,
    headers: Vec<(String, String)>,
    fault: Option<Fault>,
    /// The AccessKey id the request was signed with.
    caller: String,
}

impl Ctx {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_deref().unwrap_or(""))
    }

    fn has(&self, name: &str) -> bool {
        self.query.iter().any(|(k, _)| k == name)
    }

    fn bucket(&self) -> &str {
        self.bucket.as_deref().unwrap_or("")
    }

    fn key(&self) -> &str {
        self.key.as_deref().unwrap_or("")
    }
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

fn parse_query(raw: Option<&str>) -> Vec<(String, Option<String>)> {
    raw.unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (decode(k), Some(decode(v))),
            None => (decode(pair), None),
        })
        .collect()
}

/// Bucket and key from the Host header (virtual-hosted: `bucket.localhost`)
/// or the path (path-style: `/bucket/key`).
fn bucket_and_key(host: &str, path: &str) -> (Option<String>, Option<String>) {
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    let path = decode(path.trim_start_matches('/'));
    if let Some(bucket) = host.strip_suffix(".localhost").filter(|b| !b.is_empty()) {
        return (Some(bucket.to_owned()), (!path.is_empty()).then_some(path));
    }
    match path.split_once('/') {
        Some((bucket, key)) => (Some(bucket.to_owned()), (!key.is_empty()).then(|| key.to_owned())),
        None if path.is_empty() => (None, None),
        None => (Some(path), None),
    }
}

/// The one request handler.
pub(crate) async fn handle(State(app): State<Arc<App>>, request: Request) -> Response {
    let number = app.request_counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let request_id = format!("EMU{number:013X}");
    let (parts, body) = request.into_parts();
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        // Values are kept whole: user metadata may be UTF-8, which
        // `to_str` (visible ASCII only) would drop, breaking the signature.
        .map(|(k, v)| (k.as_str().to_ascii_lowercase(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let host = parts.headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("");
    let (bucket, key) = bucket_and_key(host, parts.uri.path());
    let ctx = Ctx {
        method: parts.method.as_str().to_owned(),
        bucket,
        key,
        query: parse_query(parts.uri.query()),
        headers,
        fault: None,
        caller: String::new(),
    };
    let head = ctx.method == "HEAD";
    let info = RequestInfo {
        method: ctx.method.clone(),
        bucket: ctx.bucket.clone(),
        key: ctx.key.clone(),
        query: ctx.query.iter().map(|(k, _)| k.clone()).collect(),
    };

    if ctx.bucket.is_none() && (ctx.has("Action") || is_form(&ctx) || ctx.header("x-acs-action").is_some()) {
        return kms_call(&app, ctx, info, body, &request_id).await;
    }

    let signed = Signed {
        method: &ctx.method,
        bucket: ctx.bucket.as_deref(),
        key: ctx.key.as_deref().or(ctx.bucket.as_ref().map(|_| "")),
        query: &ctx.query,
        headers: &ctx.headers,
    };
    // A bucket name is a directory name in the store: only OSS's own names
    // (3-63 of a-z, 0-9 and '-', no '-' at either end) get that far.
    if let Some(bucket) = ctx.bucket.as_deref().filter(|b| !valid_bucket_name(b)) {
        return OssError::new(400, "InvalidBucketName", &format!("The specified bucket {bucket:?} is not valid."))
            .into_response(&request_id, head);
    }
    let caller = match signed.verify(|id| app.credentials.get(id).cloned()) {
        Ok(caller) => caller,
        Err(failure) => {
            let error = match failure {
                AuthFailure::Missing => {
                    OssError::new(403, "AccessDenied", "Authorization header is invalid or missing.")
                }
                AuthFailure::UnknownKey => OssError::new(
                    403,
                    "InvalidAccessKeyId",
                    "The OSS Access Key Id you provided does not exist in our records.",
                ),
                AuthFailure::Mismatch => OssError::new(
                    403,
                    "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you provided.",
                ),
            };
            return error.into_response(&request_id, head);
        }
    };
    // A signed request is good for 15 minutes either side of now, as on
    // OSS: an old one cannot be replayed.
    if let Err(error) = crate::auth::check_request_time(&ctx.headers, jiff::Timestamp::now()) {
        return error.into_response(&request_id, head);
    }

    let mut ctx = ctx;
    ctx.caller = caller;
    ctx.fault = app.faults.on_request(&info);
    match &ctx.fault {
        Some(Fault::Status { status, code }) => {
            return OssError::new(*status, code, "injected fault").into_response(&request_id, head);
        }
        Some(Fault::SlowDown) => {
            return OssError::new(503, "SlowDown", "Please reduce your request rate.").into_response(&request_id, head);
        }
        Some(Fault::Delay(delay)) => tokio::time::sleep(*delay).await,
        Some(fault) => {
            if let Some(reply) = hostile_reply(fault) {
                return reply;
            }
        }
        None => {}
    }

    // Handle the request in its own task: a client that disconnects (or is
    // killed) mid-request must not cancel a write half-way, as a real server
    // finishes or rolls back an operation it has started.
    let (app_for_task, ctx) = (app.clone(), Arc::new(ctx));
    let ctx_for_task = ctx.clone();
    let result = match tokio::spawn(async move { route(&app_for_task, &ctx_for_task, body).await }).await {
        Ok(result) => result,
        Err(_) => Err(OssError::new(500, "InternalError", "the request handler failed")),
    };
    let mut response = match result {
        Ok(response) => response,
        Err(error) => return error.into_response(&request_id, head),
    };
    insert(response.headers_mut(), "x-oss-request-id", &request_id);
    match ctx.fault {
        Some(Fault::WrongCrc) => {
            let wrong = response
                .headers()
                .get("x-oss-hash-crc64ecma")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok())
                .map(|crc| (crc ^ 0x5A5A).to_string());
            if let Some(wrong) = wrong {
                insert(response.headers_mut(), "x-oss-hash-crc64ecma", &wrong);
            }
        }
        Some(Fault::OmitCrc) => {
            response.headers_mut().remove("x-oss-hash-crc64ecma");
        }
        Some(Fault::StallBody(stall)) => {
            let body = std::mem::replace(response.body_mut(), Body::empty()).into_data_stream();
            let stalled = futures_util::stream::once(tokio::time::sleep(stall)).filter_map(|()| async { None });
            *response.body_mut() = Body::from_stream(stalled.chain(body));
        }
        Some(Fault::ResetConnection) => {
            let stream = futures_util::stream::once(async {
                Err::<Bytes, std::io::Error>(std::io::Error::other("injected connection reset"))
            });
            *response.body_mut() = Body::from_stream(stream);
        }
        Some(Fault::WrongContentLength { delta }) => {
            let announced = response
                .headers()
                .get("content-length")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            if let Some(announced) = announced {
                let lie = announced.saturating_add_signed(delta);
                insert(response.headers_mut(), "content-length", &lie.to_string());
                // A body of unknown length, so that the header, not the
                // body, decides the length hyper announces.
                let body = std::mem::replace(response.body_mut(), Body::empty());
                *response.body_mut() = Body::from_stream(body.into_data_stream());
            }
        }
        _ => {}
    }
    response
}

/// The reply a [`Fault::Reply`] or [`Fault::EndlessBody`] fault sends in
/// place of the real one; `None` for the other faults.
fn hostile_reply(fault: &Fault) -> Option<Response> {
    let mut response = match fault {
        Fault::Reply { status, content_type, body } => {
            let mut response = Response::new(Body::from(body.clone()));
            *response.status_mut() = StatusCode::from_u16(*status).unwrap_or(StatusCode::OK);
            insert(response.headers_mut(), "content-type", content_type);
            response
        }
        Fault::EndlessBody { status } => {
            let chunk = Bytes::from(vec![b'<'; CHUNK]);
            let endless = futures_util::stream::repeat_with(move || Ok::<_, std::io::Error>(chunk.clone()));
            let mut response = Response::new(Body::from_stream(endless));
            *response.status_mut() = StatusCode::from_u16(*status).unwrap_or(StatusCode::OK);
            response
        }
        _ => return None,
    };
    insert(response.headers_mut(), "x-oss-request-id", "hostile");
    Some(response)
}

fn is_form(ctx: &Ctx) -> bool {
    ctx.method == "POST"
        && ctx.header("content-type").is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"))
}

/// A KMS RPC call: parameters from the query and a form body, JSON replies.
async fn kms_call(app: &App, ctx: Ctx, mut info: RequestInfo, body: Body, request_id: &str) -> Response {
    let json = |status: u16, value: serde_json::Value| {
        let mut response = Response::new(Body::from(value.to_string()));
        *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
        response.headers_mut().insert("content-type", HeaderValue::from_static("application/json"));
        response
    };
    let error = |status: u16, code: &str, message: &str| {
        json(
            status,
            serde_json::json!({"RequestId": request_id, "HostId": "kms.emulator", "Code": code, "Message": message}),
        )
    };
    let query: Vec<(String, String)> =
        ctx.query.iter().map(|(k, v)| (k.clone(), v.clone().unwrap_or_default())).collect();
    let mut params = query.clone();
    let Ok(raw) = axum::body::to_bytes(body, 256 * 1024).await else {
        return error(400, "InvalidParameter", "The request body is too large or broken.");
    };
    if is_form(&ctx) {
        let form = String::from_utf8_lossy(&raw).replace('+', "%20");
        params.extend(parse_query(Some(&form)).into_iter().map(|(k, v)| (k, v.unwrap_or_default())));
    }
    // V3 names the action and version in headers.
    for (header, param) in [("x-acs-action", "Action"), ("x-acs-version", "Version")] {
        if let Some(value) = ctx.header(header).filter(|_| !params.iter().any(|(k, _)| k == param)) {
            params.push((param.to_owned(), value.to_owned()));
        }
    }
    if !info.has_query("Action") && params.iter().any(|(k, _)| k == "Action") {
        info.query.push("Action".to_owned());
    }
    match app.faults.on_request(&info) {
        Some(Fault::Status { status, code }) => return error(status, &code, "injected fault"),
        Some(Fault::SlowDown) => {
            return error(429, "Rejected.Throttling", "Request was denied due to request throttling.");
        }
        Some(Fault::Delay(delay)) => tokio::time::sleep(delay).await,
        Some(fault) => {
            if let Some(reply) = hostile_reply(&fault) {
                return reply;
            }
        }
        None => {}
    }
    // The signature first: nothing is done for an unauthenticated caller.
    let secret_of = |id: &str| app.credentials.get(id).cloned();
    let caller = if ctx.header("authorization").is_some_and(|a| a.starts_with("ACS3-")) {
        let request =
            crate::kms::V3Request { method: &ctx.method, path: "/", query: &query, headers: &ctx.headers, body: &raw };
        crate::kms::verify_v3(&request, secret_of)
    } else {
        crate::kms::verify_rpc(&ctx.method, &params, secret_of)
    };
    match caller.and_then(|caller| crate::kms::handle_rpc(&caller, &params, &app.kms, request_id)) {
        Ok(value) => json(200, value),
        Err((status, code, message)) => error(status, code, &message),
    }
}

/// Query parameters in OSS's sub-resource list that do not select an
/// operation: a listing's continuation token, an STS token in a URL.
const NOT_ROUTING: [&str; 2] = ["continuation-token", "security-token"];

/// Routes on the method, the resource and the full set of sub-resources.
/// A sub-resource this emulator does not implement is `501 NotImplemented`,
/// never the plain operation: `PUT /obj?acl` served as PutObject would
/// replace the object with an empty one, `DELETE /?cors` delete the bucket.
async fn route(app: &App, ctx: &Ctx, body: Body) -> Result<Response, OssError> {
    let mut subresources: Vec<&str> = ctx
        .query
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| crate::auth::is_subresource(k) && !NOT_ROUTING.contains(k))
        .collect();
    subresources.sort_unstable();
    subresources.dedup();
    let copy = ctx.header("x-oss-copy-source").is_some();
    // Only PutObject, CopyObject, InitiateMultipartUpload (and PostObject,
    // AppendObject) take an SSE header (0005-00000002).
    let takes_sse = matches!(
        (ctx.method.as_str(), ctx.key.is_some(), subresources.as_slice()),
        ("PUT", true, []) | ("POST", true, ["uploads"]) | ("POST", true, ["append" | "position"])
    );
    if ctx.header("x-oss-server-side-encryption").is_some() && !takes_sse {
        return Err(bad("InvalidArgument", "x-oss-server-side-encryption is not allowed on this operation.")
            .with_ec("0005-00000002"));
    }
    match (ctx.method.as_str(), ctx.bucket.is_some(), ctx.key.is_some(), subresources.as_slice()) {
        ("GET", false, _, []) => list_buckets(app, ctx).await,
        ("PUT", true, false, ["encryption"]) => put_bucket_encryption(app, ctx, body).await,
        ("GET", true, false, ["encryption"]) => get_bucket_encryption(app, ctx).await,
        ("DELETE", true, false, ["encryption"]) => delete_bucket_encryption(app, ctx).await,
        ("PUT", true, false, []) => put_bucket(app, ctx).await,
        ("DELETE", true, false, []) => {
            app.store.delete_bucket(ctx.bucket()).await?;
            Ok(status(204))
        }
        ("GET", true, false, ["uploads"]) => list_uploads(app, ctx).await,
        ("POST", true, false, ["delete"]) => delete_objects(app, ctx, body).await,
        ("GET", true, false, []) => list_objects(app, ctx).await,
        ("PUT", true, true, ["partNumber", "uploadId"]) if !copy => upload_part(app, ctx, body).await,
        ("PUT", true, true, ["partNumber", "uploadId"]) => upload_part_copy(app, ctx).await,
        ("PUT", true, true, []) if copy => copy_object(app, ctx).await,
        ("PUT", true, true, []) => put_object(app, ctx, body).await,
        ("GET", true, true, ["uploadId"]) => list_parts(app, ctx).await,
        ("GET" | "HEAD", true, true, []) => get_object(app, ctx).await,
        // The response-* parameters override reply headers of a GetObject.
        ("GET", true, true, subs) if subs.iter().all(|s| s.starts_with("response-")) => get_object(app, ctx).await,
        // GetObjectMeta: the headers of a HEAD (oss2's object_exists and
        // resumable download use it).
        ("HEAD", true, true, ["objectMeta"]) => get_object(app, ctx).await,
        ("DELETE", true, true, ["uploadId"]) => abort_upload(app, ctx).await,
        ("DELETE", true, true, []) => {
            app.store.delete_object(ctx.bucket(), ctx.key()).await?;
            Ok(status(204))
        }
        ("POST", true, true, ["uploads"]) => initiate_upload(app, ctx).await,
        ("POST", true, true, ["uploadId"]) => complete_upload(app, ctx, body).await,
        ("GET" | "HEAD" | "PUT" | "POST" | "DELETE", _, _, _) => {
            let what = match (copy, subresources.as_slice()) {
                (true, ["partNumber", "uploadId"]) => "UploadPartCopy".to_owned(),
                (_, []) => format!("{} on this resource", ctx.method),
                (_, subs) => format!("{} with ?{}", ctx.method, subs.join("&")),
            };
            Err(OssError::new(501, "NotImplemented", &format!("{what} is not implemented by this emulator.")))
        }
        _ => Err(OssError::new(405, "MethodNotAllowed", "The specified method is not allowed against this resource.")),
    }
}

fn status(code: u16) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::from_u16(code).unwrap_or(StatusCode::OK);
    response
}

fn xml(body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    response.headers_mut().insert("content-type", HeaderValue::from_static("application/xml"));
    response
}

/// OSS's bucket naming rule: 3-63 of a-z, 0-9 and '-', no '-' at either end.
fn valid_bucket_name(name: &str) -> bool {
    (3..=63).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

async fn put_bucket(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    // The name was checked with every request's (see `handle`).
    let _guard = app.store.lock.lock().await;
    // As on OSS, re-creating your own bucket succeeds; someone else's is taken.
    if let Ok(existing) = app.store.bucket(ctx.bucket()).await {
        if existing.owner.is_empty() || existing.owner == ctx.caller {
            return Ok(status(200));
        }
        return Err(OssError::new(409, "BucketAlreadyExists", "The requested bucket name is not available."));
    }
    let record =
        BucketRecord { name: ctx.bucket().to_owned(), created: now_iso(), encryption: None, owner: ctx.caller.clone() };
    app.store.put_bucket_record(&record).await?;
    Ok(status(200))
}

/// ListBuckets, with `prefix`, `marker` and `max-keys` as OSS takes them.
async fn list_buckets(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    let prefix = ctx.query("prefix").unwrap_or("");
    let marker = ctx.query("marker").unwrap_or("");
    let max: usize = ctx.query("max-keys").and_then(|m| m.parse().ok()).unwrap_or(100).clamp(1, 1000);
    let mut buckets: Vec<BucketRecord> = app
        .store
        .list_buckets()
        .await?
        .into_iter()
        .filter(|b| b.name.starts_with(prefix) && b.name.as_str() > marker)
        .collect();
    buckets.sort_by(|a, b| a.name.cmp(&b.name));
    let truncated = buckets.len() > max;
    buckets.truncate(max);
    let mut body = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListAllMyBucketsResult>");
    body.push_str(&format!(
        "<Prefix>{}</Prefix><Marker>{}</Marker><MaxKeys>{max}</MaxKeys><IsTruncated>{truncated}</IsTruncated>",
        escape(prefix),
        escape(marker)
    ));
    if let (true, Some(last)) = (truncated, buckets.last()) {
        body.push_str(&format!("<NextMarker>{}</NextMarker>", last.name));
    }
    body.push_str("<Owner><ID>emulator</ID><DisplayName>emulator</DisplayName></Owner><Buckets>");
    for bucket in buckets {
        body.push_str(&format!(
            "<Bucket><CreationDate>{}</CreationDate><ExtranetEndpoint>127.0.0.1</ExtranetEndpoint><IntranetEndpoint>127.0.0.1</IntranetEndpoint><Location>oss-emulator</Location><Name>{}</Name><Region>emulator</Region><StorageClass>Standard</StorageClass></Bucket>",
            bucket.created, bucket.name
        ));
    }
    body.push_str("</Buckets></ListAllMyBucketsResult>");
    Ok(xml(body))
}

/// The text of the first `<name>` element in `body`.
fn xml_field(body: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = body.find(&open)? + open.len();
    let end = body[start..].find(&format!("</{name}>"))? + start;
    quick_xml::escape::unescape(body[start..end].trim()).ok().map(|s| s.into_owned())
}

async fn read_small_body(body: Body) -> Result<String, OssError> {
    let bytes = axum::body::to_bytes(body, 1 << 20)
        .await
        .map_err(|_| bad("MalformedXML", "The XML you provided was not well-formed."))?;
    String::from_utf8(bytes.to_vec()).map_err(|_| bad("MalformedXML", "The XML you provided was not well-formed."))
}

async fn put_bucket_encryption(app: &App, ctx: &Ctx, body: Body) -> Result<Response, OssError> {
    let text = read_small_body(body).await?;
    let algorithm = xml_field(&text, "SSEAlgorithm").ok_or_else(|| bad("MalformedXML", "SSEAlgorithm is missing."))?;
    let key_id = xml_field(&text, "KMSMasterKeyID").filter(|k| !k.is_empty());
    let data = xml_field(&text, "KMSDataEncryption").filter(|k| !k.is_empty());
    // OSS's codes for the rule (0005-00000003/203/204), before the general checks.
    let kms = algorithm.trim().eq_ignore_ascii_case("KMS");
    if !["AES256", "SM4", "KMS"].iter().any(|a| algorithm.trim().eq_ignore_ascii_case(a)) {
        return Err(bad("InvalidEncryptionAlgorithmError", "The encryption algorithm is not supported.")
            .with_ec("0005-00000003"));
    }
    if kms && data.as_deref().is_some_and(|d| !d.eq_ignore_ascii_case("SM4")) {
        return Err(bad("InvalidArgument", "KMSDataEncryption must be SM4.").with_ec("0005-00000203"));
    }
    if !kms && key_id.is_some() {
        return Err(
            bad("InvalidArgument", "KMSMasterKeyID is allowed only with SSEAlgorithm KMS.").with_ec("0005-00000204")
        );
    }
    let sse = Sse::parse(&algorithm, key_id.as_deref(), data.as_deref())?;
    let _guard = app.store.lock.lock().await;
    let mut record = app.store.bucket(ctx.bucket()).await?;
    record.encryption = Some(sse);
    app.store.put_bucket_record(&record).await?;
    Ok(status(200))
}

async fn get_bucket_encryption(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    let record = app.store.bucket(ctx.bucket()).await?;
    let sse = record.encryption.ok_or_else(|| {
        OssError::new(404, "NoSuchServerSideEncryptionRule", "The server side encryption configuration was not found.")
            .with_ec("0005-00000004")
    })?;
    let mut inner = format!("<SSEAlgorithm>{}</SSEAlgorithm>", sse.algorithm);
    if let Some(key_id) = &sse.key_id {
        inner.push_str(&format!("<KMSMasterKeyID>{}</KMSMasterKeyID>", escape(key_id.as_str())));
    }
    if let Some(data) = &sse.data_encryption {
        inner.push_str(&format!("<KMSDataEncryption>{data}</KMSDataEncryption>"));
    }
    Ok(xml(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault>{inner}</ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>"
    )))
}

async fn delete_bucket_encryption(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    let _guard = app.store.lock.lock().await;
    let mut record = app.store.bucket(ctx.bucket()).await?;
    record.encryption = None;
    app.store.put_bucket_record(&record).await?;
    Ok(status(204))
}

/// The SSE a write asks for, else the bucket default.
fn requested_sse(app: &App, ctx: &Ctx, bucket: &BucketRecord) -> Result<Option<Sse>, OssError> {
    let coded = |ec: &str, message: &str| bad("InvalidArgument", message).with_ec(ec);
    let key_id = ctx.header("x-oss-server-side-encryption-key-id");
    if let Some(context) = ctx.header("x-oss-server-side-encryption-context") {
        if key_id.is_none_or(str::is_empty) {
            return Err(coded("0005-00000228", "An encryption context needs x-oss-server-side-encryption-key-id."));
        }
        let decoded = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, context.trim()).ok();
        let json = |bytes: &[u8]| serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(bytes).is_ok();
        if !json(context.as_bytes()) && !decoded.is_some_and(|d| json(&d)) {
            return Err(coded("0005-00000230", "x-oss-server-side-encryption-context is not valid JSON."));
        }
    }
    match ctx.header("x-oss-server-side-encryption") {
        Some(algorithm) => {
            if algorithm.eq_ignore_ascii_case("KMS") {
                match key_id {
                    Some(id) if id.trim().is_empty() => {
                        return Err(coded("0005-00000205", "x-oss-server-side-encryption-key-id is empty."));
                    }
                    Some(id) if app.kms.key_missing(id) => {
                        return Err(coded("0005-00000208", "The specified KMS key does not exist."));
                    }
                    _ => {}
                }
            }
            Ok(Some(Sse::parse(algorithm, key_id, ctx.header("x-oss-server-side-data-encryption"))?))
        }
        None if ctx.header("x-oss-server-side-encryption-key-id").is_some()
            || ctx.header("x-oss-server-side-data-encryption").is_some() =>
        {
            Err(bad("InvalidArgument", "Server-side encryption options need x-oss-server-side-encryption: KMS."))
        }
        None => Ok(bucket.encryption.clone()),
    }
}

/// The headers OSS keeps with an object, checked for size.
fn kept_headers(ctx: &Ctx) -> Result<Vec<(String, String)>, OssError> {
    let kept: Vec<(String, String)> = ctx
        .headers
        .iter()
        .filter(|(k, _)| k.starts_with("x-oss-meta-") || KEPT_HEADERS.contains(&k.as_str()))
        .cloned()
        .collect();
    let user: usize = kept.iter().filter(|(k, _)| k.starts_with("x-oss-meta-")).map(|(k, v)| k.len() + v.len()).sum();
    if user > MAX_USER_METADATA {
        return Err(bad("MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size."));
    }
    Ok(kept)
}

/// What `receive` measured of a body it stored.
struct Received {
    path: PathBuf,
    size: u64,
    md5: [u8; 16],
    crc64: u64,
}

/// Streams a request body to a new data file, hashing the bytes as sent and
/// encrypting them at rest when asked. Checks Content-Length and Content-MD5.
async fn receive(app: &App, ctx: &Ctx, body: Body, at_rest: Option<&AtRest>) -> Result<Received, OssError> {
    let path = app.store.new_data_path(ctx.bucket()).await?;
    let result = receive_into(app, ctx, body, at_rest, &path).await;
    if result.is_err() {
        let _ = tokio::fs::remove_file(&path).await;
    }
    result.map(|(size, md5, crc64)| Received { path, size, md5, crc64 })
}

async fn receive_into(
    app: &App,
    ctx: &Ctx,
    body: Body,
    at_rest: Option<&AtRest>,
    path: &Path,
) -> Result<(u64, [u8; 16], u64), OssError> {
    let internal = |e: std::io::Error| OssError::new(500, "InternalError", &e.to_string());
    let mut file = tokio::fs::File::create(path).await.map_err(internal)?;
    let mut cipher = at_rest.map(|a| app.store.at_rest_cipher(a)).transpose()?;
    let mut md5 = Md5::new();
    let mut crc = Crc::new(CrcAlgorithm::Crc64Xz);
    let mut size = 0u64;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| bad("IncompleteBody", "The request body terminated unexpectedly."))?;
        md5.update(&chunk);
        crc.update(&chunk);
        size += chunk.len() as u64;
        match cipher.as_mut() {
            Some(cipher) => {
                let mut stored = chunk.to_vec();
                cipher.apply(&mut stored);
                file.write_all(&stored).await.map_err(internal)?;
            }
            None => file.write_all(&chunk).await.map_err(internal)?,
        }
    }
    file.sync_all().await.map_err(internal)?;
    if let Some(expected) = ctx.header("content-length").and_then(|v| v.parse::<u64>().ok()) {
        if expected != size {
            return Err(bad("IncompleteBody", "The request body size does not match Content-Length."));
        }
    }
    let md5: [u8; 16] = md5.finalize().into();
    if let Some(given) = ctx.header("content-md5") {
        if STANDARD.decode(given.trim()).ok().as_deref() != Some(md5.as_slice()) {
            return Err(bad("InvalidDigest", "The Content-MD5 you specified did not match what we received."));
        }
    }
    Ok((size, md5, crc.finalize()))
}

async fn put_object(app: &App, ctx: &Ctx, body: Body) -> Result<Response, OssError> {
    let bucket = app.store.bucket(ctx.bucket()).await?;
    check_object_name(ctx.key())?;
    cse_rules::check_headers(cse_rules::Upload::Put, &ctx.headers)?;
    let headers = kept_headers(ctx)?;
    let sse = requested_sse(app, ctx, &bucket)?;
    let at_rest = sse.as_ref().map(|s| app.store.new_at_rest(s)).transpose()?;
    let received = receive(app, ctx, body, at_rest.as_ref()).await?;
    let content_type = ctx.header("content-type").unwrap_or("application/octet-stream").to_owned();
    let etag = hex::encode_upper(received.md5);
    let record =
        ObjectRecord::new(ctx.key(), received.size, etag.clone(), received.crc64, content_type, headers, at_rest);
    commit(app, ctx, record, &received.path).await?;
    let mut response = status(200);
    let h = response.headers_mut();
    insert(h, "etag", &format!("\"{etag}\""));
    insert(h, "x-oss-hash-crc64ecma", &received.crc64.to_string());
    insert(h, "content-md5", &STANDARD.encode(received.md5));
    for (k, v) in sse.map(|s| s.headers()).unwrap_or_default() {
        insert(h, &k, &v);
    }
    Ok(response)
}

/// Parses a Range header against an object size: `Ok(None)` = whole object.
fn parse_range(value: &str, size: u64, standard: bool) -> Result<Option<(u64, u64)>, OssError> {
    let not_satisfiable = || OssError::new(416, "InvalidRange", "The requested range is not satisfiable.");
    let Some(spec) = value.trim().strip_prefix("bytes=") else {
        return if standard { Err(not_satisfiable()) } else { Ok(None) };
    };
    let parsed = spec.split_once('-').and_then(|(s, e)| {
        let s = s.trim();
        let e = e.trim();
        match (s.is_empty(), e.is_empty()) {
            (true, false) => e.parse::<u64>().ok().map(|n| (size.saturating_sub(n), size.checked_sub(1), n == 0)),
            (false, _) => {
                let start = s.parse::<u64>().ok()?;
                let end = if e.is_empty() {
                    size.checked_sub(1)
                } else {
                    Some(e.parse::<u64>().ok()?.min(size.saturating_sub(1)))
                };
                let invalid = !e.is_empty() && e.parse::<u64>().ok()? < start;
                Some((start, end, invalid))
            }
            _ => None,
        }
    });
    match parsed {
        Some((start, Some(end), false)) if start < size && start <= end => Ok(Some((start, end))),
        // OSS without standard behaviour ignores a range it cannot serve.
        _ if !standard => Ok(None),
        _ => Err(not_satisfiable()),
    }
}

async fn get_object(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    // The data is opened before the reply starts: an overwrite that removes
    // the old data file then cannot cut a GET already answered.
    let (record, data) = open_current(app, ctx).await?;
    if let Some(not_modified) = preconditions(ctx, &record)? {
        return Ok(not_modified);
    }
    let standard = ctx.header("x-oss-range-behavior").is_some_and(|v| v.eq_ignore_ascii_case("standard"));
    let range = match ctx.header("range") {
        Some(value) => parse_range(value, record.size, standard)?,
        None => None,
    };
    let (start, len) = match range {
        Some((s, e)) => (s, e - s + 1),
        None => (0, record.size),
    };
    let mut response = if ctx.method == "HEAD" {
        Response::new(Body::empty())
    } else {
        let cipher = record.at_rest.as_ref().map(|a| app.store.at_rest_cipher(a)).transpose()?;
        let truncate = match ctx.fault {
            Some(Fault::TruncateBody { after }) => Some(after),
            _ => None,
        };
        Response::new(stream_file(data, cipher, start, len, truncate))
    };
    if range.is_some() {
        *response.status_mut() = StatusCode::PARTIAL_CONTENT;
    }
    let h = response.headers_mut();
    insert(h, "content-length", &len.to_string());
    if let Some((s, e)) = range {
        let shift = if matches!(ctx.fault, Some(Fault::WrongContentRange)) { 16 } else { 0 };
        insert(h, "content-range", &format!("bytes {}-{}/{}", s + shift, e + shift, record.size + shift));
    }
    insert(h, "content-type", &record.content_type);
    insert(h, "etag", &format!("\"{}\"", record.etag));
    insert(h, "last-modified", &record.last_modified);
    insert(h, "accept-ranges", "bytes");
    insert(h, "x-oss-hash-crc64ecma", &record.crc64.to_string());
    insert(h, "x-oss-object-type", if record.multipart { "Multipart" } else { "Normal" });
    insert(h, "x-oss-storage-class", "Standard");
    for (k, v) in &record.headers {
        insert(h, k, v);
    }
    for (k, v) in record.at_rest.as_ref().map(|a| a.sse.headers()).unwrap_or_default() {
        insert(h, &k, &v);
    }
    for (parameter, header) in RESPONSE_OVERRIDES {
        if let Some(value) = ctx.query(parameter) {
            insert(h, header, value);
        }
    }
    Ok(response)
}

/// The conditional headers of a GET or HEAD, in HTTP's order: If-Match and
/// If-Unmodified-Since fail with 412; If-None-Match and If-Modified-Since
/// answer 304 Not Modified (returned as `Some`).
fn preconditions(ctx: &Ctx, record: &ObjectRecord) -> Result<Option<Response>, OssError> {
    let failed =
        || OssError::new(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold.");
    let etag_in = |list: &str| {
        list.split(',').any(|e| matches!(e.trim().trim_matches('"'), "*") || e.trim().trim_matches('"') == record.etag)
    };
    let date = |name: &str| ctx.header(name).and_then(|d| jiff::fmt::rfc2822::parse(d).ok()).map(|z| z.timestamp());
    let modified = jiff::fmt::rfc2822::parse(&record.last_modified).map(|z| z.timestamp()).ok();
    if ctx.header("if-match").is_some_and(|list| !etag_in(list)) {
        return Err(failed());
    }
    if let (Some(since), Some(modified)) = (date("if-unmodified-since"), modified) {
        if modified > since {
            return Err(failed());
        }
    }
    let not_modified = match ctx.header("if-none-match") {
        Some(list) => etag_in(list),
        None => matches!((date("if-modified-since"), modified), (Some(since), Some(modified)) if modified <= since),
    };
    if !not_modified {
        return Ok(None);
    }
    let mut response = status(304);
    insert(response.headers_mut(), "etag", &format!("\"{}\"", record.etag));
    insert(response.headers_mut(), "last-modified", &record.last_modified);
    Ok(Some(response))
}

/// GetObject's `response-*` parameters and the reply headers they set.
const RESPONSE_OVERRIDES: [(&str, &str); 6] = [
    ("response-content-type", "content-type"),
    ("response-content-language", "content-language"),
    ("response-expires", "expires"),
    ("response-cache-control", "cache-control"),
    ("response-content-disposition", "content-disposition"),
    ("response-content-encoding", "content-encoding"),
];

/// An object's record and its data file, opened together: a commit that
/// replaces the object between the two (and removes the old file) is seen
/// as NotFound on the open, and the current version is read again.
async fn open_current(app: &App, ctx: &Ctx) -> Result<(crate::store::ObjectRecord, tokio::fs::File), OssError> {
    let mut tries = 0;
    loop {
        let record = app.store.object(ctx.bucket(), ctx.key()).await?;
        match tokio::fs::File::open(app.store.object_data(ctx.bucket(), &record)).await {
            Ok(file) => return Ok((record, file)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && tries < 5 => tries += 1,
            Err(e) => return Err(OssError::new(500, "InternalError", &format!("object data: {e}"))),
        }
    }
}

/// Streams `len` stored bytes from `start` of an open data file, decrypting
/// at rest; breaks the stream after `truncate` bytes when a fault asks for it.
fn stream_file(
    file: tokio::fs::File,
    cipher: Option<crate::store::AtRestCipher>,
    start: u64,
    len: u64,
    truncate: Option<u64>,
) -> Body {
    struct State {
        file: Option<tokio::fs::File>,
        seeked: bool,
        cipher: Option<crate::store::AtRestCipher>,
        position: u64,
        remaining: u64,
        sent: u64,
        truncate: Option<u64>,
    }
    let state = State { file: Some(file), seeked: false, cipher, position: start, remaining: len, sent: 0, truncate };
    let stream = futures_util::stream::try_unfold(state, |mut s| async move {
        if s.remaining == 0 {
            return Ok(None);
        }
        if s.truncate.is_some_and(|t| s.sent >= t) {
            return Err(std::io::Error::other("injected truncation"));
        }
        if !s.seeked {
            let file = s.file.as_mut().ok_or_else(|| std::io::Error::other("file closed"))?;
            file.seek(std::io::SeekFrom::Start(s.position)).await?;
            if let Some(c) = s.cipher.as_mut() {
                c.seek(s.position);
            }
            s.seeked = true;
        }
        let mut want = s.remaining.min(CHUNK as u64);
        if let Some(t) = s.truncate {
            want = want.min(t - s.sent).max(1);
        }
        let mut buf = vec![0u8; want as usize];
        let file = s.file.as_mut().ok_or_else(|| std::io::Error::other("file closed"))?;
        file.read_exact(&mut buf).await?;
        if let Some(c) = s.cipher.as_mut() {
            c.apply(&mut buf);
        }
        s.position += want;
        s.remaining -= want;
        s.sent += want;
        Ok(Some((Bytes::from(buf), s)))
    });
    Body::from_stream(stream)
}

/// The bucket and key `x-oss-copy-source` names.
fn copy_source(ctx: &Ctx) -> Result<(String, String), OssError> {
    let source = decode(ctx.header("x-oss-copy-source").unwrap_or_default().trim_start_matches('/'));
    source
        .split_once('/')
        .map(|(b, k)| (b.to_owned(), k.to_owned()))
        .ok_or_else(|| bad("InvalidArgument", "x-oss-copy-source is not /bucket/key."))
}

/// UploadPartCopy: a range of another object (decrypted from its at-rest
/// encryption) becomes a part. A client-side-encrypted source is refused
/// (0042-00000309): its ciphertext cannot be re-cut into another object.
async fn upload_part_copy(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    let number = part_number(ctx)?;
    let upload_id = ctx.query("uploadId").unwrap_or_default();
    let upload = app.store.upload(ctx.bucket(), upload_id).await?;
    if upload.key != ctx.key() {
        return Err(OssError::new(404, "NoSuchUpload", "The specified upload does not exist."));
    }
    let (source_bucket, source_key) = copy_source(ctx)?;
    let record = app.store.object(&source_bucket, &source_key).await?;
    if cse_rules::is_cse(&record.headers) {
        return Err(bad("InvalidArgument", "UploadPartCopy cannot copy a client-side encrypted object.")
            .with_ec("0042-00000309"));
    }
    let (start, len) = match ctx.header("x-oss-copy-source-range") {
        Some(value) => match parse_range(value, record.size, true)? {
            Some((s, e)) => (s, e - s + 1),
            None => (0, record.size),
        },
        None => (0, record.size),
    };
    let internal = |e: std::io::Error| OssError::new(500, "InternalError", &e.to_string());
    let mut input = tokio::fs::File::open(app.store.object_data(&source_bucket, &record)).await.map_err(internal)?;
    input.seek(std::io::SeekFrom::Start(start)).await.map_err(internal)?;
    let mut decrypt = record.at_rest.as_ref().map(|a| app.store.at_rest_cipher(a)).transpose()?;
    if let Some(c) = decrypt.as_mut() {
        c.seek(start);
    }
    let path = app.store.new_data_path(ctx.bucket()).await?;
    let mut output = tokio::fs::File::create(&path).await.map_err(internal)?;
    let (mut md5, mut crc) = (Md5::new(), Crc::new(CrcAlgorithm::Crc64Xz));
    let mut left = len;
    let mut buf = vec![0u8; CHUNK];
    while left > 0 {
        let chunk = &mut buf[..left.min(CHUNK as u64) as usize];
        input.read_exact(chunk).await.map_err(internal)?;
        if let Some(c) = decrypt.as_mut() {
            c.apply(chunk);
        }
        md5.update(&*chunk);
        crc.update(chunk);
        output.write_all(chunk).await.map_err(internal)?;
        left -= chunk.len() as u64;
    }
    output.flush().await.map_err(internal)?;
    output.sync_all().await.map_err(internal)?;
    let md5: [u8; 16] = md5.finalize().into();
    let part = PartRecord::new(number, len, md5, crc.finalize());
    let (etag, last_modified) = (part.etag.clone(), part.last_modified.clone());
    {
        let _guard = app.store.lock.lock().await;
        app.store.put_part(ctx.bucket(), upload_id, part, &path).await?;
    }
    Ok(xml(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CopyPartResult><LastModified>{last_modified}</LastModified><ETag>\"{etag}\"</ETag></CopyPartResult>"
    )))
}

async fn copy_object(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    check_object_name(ctx.key())?;
    let (source_bucket, source_key) = copy_source(ctx)?;
    let (source_bucket, source_key) = (source_bucket.as_str(), source_key.as_str());
    let record = app.store.object(source_bucket, source_key).await?;
    let bucket = app.store.bucket(ctx.bucket()).await?;
    let replace = ctx.header("x-oss-metadata-directive").is_some_and(|d| d.eq_ignore_ascii_case("REPLACE"));
    let (headers, content_type) = if replace {
        (kept_headers(ctx)?, ctx.header("content-type").unwrap_or("application/octet-stream").to_owned())
    } else {
        (record.headers.clone(), record.content_type.clone())
    };
    let sse = requested_sse(app, ctx, &bucket)?;
    let at_rest = sse.as_ref().map(|s| app.store.new_at_rest(s)).transpose()?;
    // Re-encrypt: read the source's plaintext, write under the new at-rest key.
    let path = app.store.new_data_path(ctx.bucket()).await?;
    copy_data(app, &app.store.object_data(source_bucket, &record), record.at_rest.as_ref(), &path, at_rest.as_ref())
        .await?;
    let mut copy =
        ObjectRecord::new(ctx.key(), record.size, record.etag.clone(), record.crc64, content_type, headers, at_rest);
    copy.multipart = record.multipart;
    let last_modified = copy.last_modified.clone();
    commit(app, ctx, copy, &path).await?;
    let mut response = xml(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CopyObjectResult><ETag>\"{}\"</ETag><LastModified>{}</LastModified></CopyObjectResult>",
        record.etag,
        escape(last_modified.as_str())
    ));
    insert(response.headers_mut(), "x-oss-hash-crc64ecma", &record.crc64.to_string());
    for (k, v) in sse.map(|s| s.headers()).unwrap_or_default() {
        insert(response.headers_mut(), &k, &v);
    }
    Ok(response)
}

/// Copies stored bytes from one at-rest encoding to another.
async fn copy_data(
    app: &App,
    from: &Path,
    from_rest: Option<&AtRest>,
    to: &Path,
    to_rest: Option<&AtRest>,
) -> Result<(), OssError> {
    let internal = |e: std::io::Error| OssError::new(500, "InternalError", &e.to_string());
    let mut decrypt = from_rest.map(|a| app.store.at_rest_cipher(a)).transpose()?;
    let mut encrypt = to_rest.map(|a| app.store.at_rest_cipher(a)).transpose()?;
    let mut input = tokio::fs::File::open(from).await.map_err(internal)?;
    let mut output = tokio::fs::File::create(to).await.map_err(internal)?;
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = input.read(&mut buf).await.map_err(internal)?;
        if n == 0 {
            break;
        }
        if let Some(c) = decrypt.as_mut() {
            c.apply(&mut buf[..n]);
        }
        if let Some(c) = encrypt.as_mut() {
            c.apply(&mut buf[..n]);
        }
        output.write_all(&buf[..n]).await.map_err(internal)?;
    }
    output.sync_all().await.map_err(internal)
}

struct Listing<'a> {
    objects: Vec<&'a ObjectRecord>,
    prefixes: Vec<String>,
    truncated: bool,
    next: Option<String>,
}

fn list_page<'a>(all: &'a [ObjectRecord], prefix: &str, delimiter: &str, after: &str, max: usize) -> Listing<'a> {
    let mut listing = Listing { objects: Vec::new(), prefixes: Vec::new(), truncated: false, next: None };
    let mut last = String::new();
    for record in all.iter().filter(|r| r.key.starts_with(prefix) && r.key.as_str() > after) {
        let rest = &record.key[prefix.len()..];
        let entry = match rest.find(delimiter).filter(|_| !delimiter.is_empty()) {
            Some(i) => {
                let common = format!("{prefix}{}", &rest[..i + delimiter.len()]);
                if listing.prefixes.last() == Some(&common) {
                    continue;
                }
                Err(common)
            }
            None => Ok(record),
        };
        if listing.objects.len() + listing.prefixes.len() >= max {
            listing.truncated = true;
            listing.next = Some(last.clone());
            break;
        }
        match entry {
            Ok(record) => {
                last = record.key.clone();
                listing.objects.push(record);
            }
            Err(common) => {
                last = format!("{common}\u{10FFFF}");
                listing.prefixes.push(common);
            }
        }
    }
    listing
}

async fn list_objects(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    let all = app.store.list_objects(ctx.bucket()).await?;
    let prefix = ctx.query("prefix").unwrap_or("");
    let delimiter = ctx.query("delimiter").unwrap_or("");
    let max: usize = ctx.query("max-keys").and_then(|m| m.parse().ok()).unwrap_or(100).clamp(1, 1000);
    let v2 = ctx.query("list-type") == Some("2");
    let after = if v2 {
        match ctx.query("continuation-token") {
            // A token is one we made: base64 of a key. Anything else is refused.
            Some(token) => STANDARD
                .decode(token)
                .ok()
                .and_then(|key| String::from_utf8(key).ok())
                .ok_or_else(|| bad("InvalidArgument", "The continuation token provided is incorrect."))?,
            None => ctx.query("start-after").unwrap_or("").to_owned(),
        }
    } else {
        ctx.query("marker").unwrap_or("").to_owned()
    };
    // encoding-type=url: names are percent-encoded, so keys with control
    // characters still make valid XML.
    let url = match ctx.query("encoding-type") {
        None => false,
        Some("url") => true,
        Some(_) => return Err(bad("InvalidArgument", "encoding-type must be url.")),
    };
    let name = |text: &str| if url { url_encode(text) } else { escape(text).into_owned() };
    let owner = !v2 || ctx.query("fetch-owner") == Some("true");
    let page = list_page(&all, prefix, delimiter, &after, max);
    let mut body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult><Name>{}</Name><Prefix>{}</Prefix><MaxKeys>{max}</MaxKeys><Delimiter>{}</Delimiter><IsTruncated>{}</IsTruncated>",
        ctx.bucket(),
        name(prefix),
        name(delimiter),
        page.truncated
    );
    if url {
        body.push_str("<EncodingType>url</EncodingType>");
    }
    if v2 {
        body.push_str(&format!("<KeyCount>{}</KeyCount>", page.objects.len() + page.prefixes.len()));
        if let Some(start_after) = ctx.query("start-after") {
            body.push_str(&format!("<StartAfter>{}</StartAfter>", name(start_after)));
        }
        if let Some(next) = &page.next {
            body.push_str(&format!("<NextContinuationToken>{}</NextContinuationToken>", STANDARD.encode(next)));
        }
    } else {
        body.push_str(&format!("<Marker>{}</Marker>", name(after.as_str())));
        if let Some(next) = &page.next {
            body.push_str(&format!("<NextMarker>{}</NextMarker>", name(next.as_str())));
        }
    }
    for record in page.objects {
        body.push_str(&format!(
            "<Contents><Key>{}</Key><LastModified>{}</LastModified><ETag>\"{}\"</ETag><Type>{}</Type><Size>{}</Size><StorageClass>Standard</StorageClass>{}</Contents>",
            name(record.key.as_str()),
            iso_time(&record.last_modified),
            record.etag,
            if record.multipart { "Multipart" } else { "Normal" },
            record.size,
            if owner { "<Owner><ID>emulator</ID><DisplayName>emulator</DisplayName></Owner>" } else { "" },
        ));
    }
    for prefix in page.prefixes {
        body.push_str(&format!("<CommonPrefixes><Prefix>{}</Prefix></CommonPrefixes>", name(prefix.as_str())));
    }
    body.push_str("</ListBucketResult>");
    Ok(xml(body))
}

/// OSS's rules for the name of an object being written: at most 1,023 bytes,
/// not beginning with a backslash (a leading '/' never reaches the key: it
/// is the path's own).
fn check_object_name(key: &str) -> Result<(), OssError> {
    if key.len() > 1023 {
        return Err(bad("KeyTooLong", "Your key is too long."));
    }
    if key.starts_with('\\') {
        return Err(bad("InvalidObjectName", "The specified object name is not valid."));
    }
    Ok(())
}

/// Makes `record` (data at `path`) the object, unless the request says
/// `x-oss-forbid-overwrite: true` and the key exists: then 409
/// FileAlreadyExists and the new data is removed. Checked and committed under
/// the store lock, so two such writes cannot both win.
async fn commit(app: &App, ctx: &Ctx, record: ObjectRecord, path: &Path) -> Result<(), OssError> {
    let _guard = app.store.lock.lock().await;
    commit_locked(app, ctx, record, path).await
}

/// [`commit`] for a caller that holds the store lock.
async fn commit_locked(app: &App, ctx: &Ctx, record: ObjectRecord, path: &Path) -> Result<(), OssError> {
    let forbid = ctx.header("x-oss-forbid-overwrite").is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    if forbid && app.store.object(ctx.bucket(), &record.key).await.is_ok() {
        let _ = tokio::fs::remove_file(path).await;
        return Err(OssError::new(
            409,
            "FileAlreadyExists",
            "The object you specified already exists and can not be overwritten.",
        ));
    }
    app.store.commit_object(ctx.bucket(), record, path).await
}

/// A name as `encoding-type=url` sends it: every byte but the unreserved
/// ones percent-encoded.
fn url_encode(text: &str) -> String {
    crate::auth::encode(text, false)
}

/// An object's stored time (an HTTP date) in the ISO form listings use.
fn iso_time(http_date: &str) -> String {
    jiff::fmt::rfc2822::parse(http_date)
        .map(|time| time.timestamp().strftime("%Y-%m-%dT%H:%M:%S.000Z").to_string())
        .unwrap_or_else(|_| now_iso())
}

async fn initiate_upload(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    let bucket = app.store.bucket(ctx.bucket()).await?;
    check_object_name(ctx.key())?;
    let headers = kept_headers(ctx)?;
    // OSS's published CSE rules (401-410); then a stricter one of ours: a
    // part size that is not a multiple of 16 would shift every later part's
    // CTR counter for readers (the SDKs refuse it client-side too).
    if let Some(sizes) = cse_rules::check_headers(cse_rules::Upload::Initiate, &ctx.headers)? {
        if sizes.part_size % 16 != 0 {
            return Err(bad("InvalidArgument", "Client-side encryption part-size must be a multiple of 16."));
        }
    }
    let upload = UploadRecord {
        upload_id: format!("{:032X}", rand::random::<u128>()),
        key: ctx.key().to_owned(),
        initiated: now_iso(),
        content_type: ctx.header("content-type").unwrap_or("application/octet-stream").to_owned(),
        headers,
        sse: requested_sse(app, ctx, &bucket)?,
        parts: Vec::new(),
    };
    app.store.save_upload(ctx.bucket(), &upload).await?;
    let mut response = xml(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult><Bucket>{}</Bucket><Key>{}</Key><UploadId>{}</UploadId></InitiateMultipartUploadResult>",
        ctx.bucket(),
        escape(ctx.key()),
        upload.upload_id
    ));
    for (k, v) in upload.sse.map(|s| s.headers()).unwrap_or_default() {
        insert(response.headers_mut(), &k, &v);
    }
    Ok(response)
}

/// The `partNumber` of an UploadPart, 1 to 10,000.
fn part_number(ctx: &Ctx) -> Result<u32, OssError> {
    ctx.query("partNumber")
        .and_then(|n| n.parse().ok())
        .filter(|n| (1..=10_000).contains(n))
        .ok_or_else(|| bad("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive."))
}

async fn upload_part(app: &App, ctx: &Ctx, body: Body) -> Result<Response, OssError> {
    let number = part_number(ctx)?;
    let upload_id = ctx.query("uploadId").unwrap_or_default();
    let upload = app.store.upload(ctx.bucket(), upload_id).await?;
    if upload.key != ctx.key() {
        return Err(OssError::new(404, "NoSuchUpload", "The specified upload does not exist."));
    }
    let received = receive(app, ctx, body, None).await?;
    // The part's CSE headers against Initiate's, and its length against the
    // declared sizes (412-420); a refused part is not kept.
    let checked =
        cse_rules::check_part(&upload.headers, &ctx.headers, u64::from(number), received.size, app.strict_upload_part);
    if let Err(error) = checked {
        let _ = tokio::fs::remove_file(&received.path).await;
        return Err(error);
    }
    let part = PartRecord::new(number, received.size, received.md5, received.crc64);
    let etag = part.etag.clone();
    {
        let _guard = app.store.lock.lock().await;
        app.store.put_part(ctx.bucket(), upload_id, part, &received.path).await?;
    }
    let mut response = status(200);
    insert(response.headers_mut(), "etag", &format!("\"{etag}\""));
    insert(response.headers_mut(), "x-oss-hash-crc64ecma", &received.crc64.to_string());
    Ok(response)
}

async fn list_parts(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    let upload = app.store.upload(ctx.bucket(), ctx.query("uploadId").unwrap_or_default()).await?;
    let marker: u32 = ctx.query("part-number-marker").and_then(|m| m.parse().ok()).unwrap_or(0);
    let max: usize = ctx.query("max-parts").and_then(|m| m.parse().ok()).unwrap_or(1000).clamp(1, 1000);
    let parts: Vec<&PartRecord> = upload.parts.iter().filter(|p| p.number > marker).collect();
    let truncated = parts.len() > max;
    let shown = &parts[..parts.len().min(max)];
    let next = shown.last().map_or(marker, |p| p.number);
    let mut body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListPartsResult><Bucket>{}</Bucket><Key>{}</Key><UploadId>{}</UploadId><PartNumberMarker>{marker}</PartNumberMarker><NextPartNumberMarker>{next}</NextPartNumberMarker><MaxParts>{max}</MaxParts><IsTruncated>{truncated}</IsTruncated>",
        ctx.bucket(),
        escape(upload.key.as_str()),
        upload.upload_id
    );
    for (suffix, element) in [
        ("key", "ClientEncryptionKey"),
        ("start", "ClientEncryptionStart"),
        ("cek-alg", "ClientEncryptionCekAlg"),
        ("wrap-alg", "ClientEncryptionWrapAlg"),
        ("data-size", "ClientEncryptionDataSize"),
        ("part-size", "ClientEncryptionPartSize"),
    ] {
        let name = format!("{CSE_PREFIX}{suffix}");
        if let Some((_, value)) = upload.headers.iter().find(|(k, _)| *k == name) {
            body.push_str(&format!("<{element}>{}</{element}>", escape(value.as_str())));
        }
    }
    for part in shown {
        body.push_str(&format!(
            "<Part><PartNumber>{}</PartNumber><LastModified>{}</LastModified><ETag>\"{}\"</ETag><HashCrc64ecma>{}</HashCrc64ecma><Size>{}</Size></Part>",
            part.number, part.last_modified, part.etag, part.crc64, part.size
        ));
    }
    body.push_str("</ListPartsResult>");
    Ok(xml(body))
}

async fn list_uploads(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    app.store.bucket(ctx.bucket()).await?;
    let prefix = ctx.query("prefix").unwrap_or("");
    let key_marker = ctx.query("key-marker").unwrap_or("");
    let id_marker = ctx.query("upload-id-marker").unwrap_or("");
    let max: usize = ctx.query("max-uploads").and_then(|m| m.parse().ok()).unwrap_or(1000).clamp(1, 1000);
    let url = ctx.query("encoding-type") == Some("url");
    let name = |text: &str| if url { url_encode(text) } else { escape(text).into_owned() };
    // Key order, then upload id (what upload-id-marker pages by); after the
    // markers: a key past key-marker, or that key with a later upload id.
    let mut uploads: Vec<UploadRecord> = app
        .store
        .list_uploads(ctx.bucket())
        .await?
        .into_iter()
        .filter(|u| u.key.starts_with(prefix))
        .filter(|u| {
            u.key.as_str() > key_marker
                || (!id_marker.is_empty() && u.key == key_marker && u.upload_id.as_str() > id_marker)
        })
        .collect();
    uploads.sort_by(|a, b| (&a.key, &a.upload_id).cmp(&(&b.key, &b.upload_id)));
    let truncated = uploads.len() > max;
    uploads.truncate(max);
    let mut body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListMultipartUploadsResult><Bucket>{}</Bucket><KeyMarker>{}</KeyMarker><UploadIdMarker>{}</UploadIdMarker><Prefix>{}</Prefix><MaxUploads>{max}</MaxUploads><IsTruncated>{truncated}</IsTruncated>",
        ctx.bucket(),
        name(key_marker),
        escape(id_marker),
        name(prefix)
    );
    if url {
        body.push_str("<EncodingType>url</EncodingType>");
    }
    if let (true, Some(last)) = (truncated, uploads.last()) {
        body.push_str(&format!(
            "<NextKeyMarker>{}</NextKeyMarker><NextUploadIdMarker>{}</NextUploadIdMarker>",
            name(&last.key),
            last.upload_id
        ));
    }
    for upload in &uploads {
        body.push_str(&format!(
            "<Upload><Key>{}</Key><UploadId>{}</UploadId><Initiated>{}</Initiated></Upload>",
            name(&upload.key),
            upload.upload_id,
            upload.initiated
        ));
    }
    body.push_str("</ListMultipartUploadsResult>");
    Ok(xml(body))
}

async fn abort_upload(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    let _guard = app.store.lock.lock().await;
    let upload = app.store.upload(ctx.bucket(), ctx.query("uploadId").unwrap_or_default()).await?;
    app.store.remove_upload(ctx.bucket(), &upload, false).await;
    Ok(status(204))
}

/// DeleteMultipleObjects: up to 1,000 keys from a `<Delete>` document whose
/// Content-MD5 must match; keys that do not exist count as deleted, as on
/// OSS. With `<Quiet>true</Quiet>` only failures are listed (there are none
/// here), and `encoding-type=url` decodes the keys and encodes the reply.
async fn delete_objects(app: &App, ctx: &Ctx, body: Body) -> Result<Response, OssError> {
    let malformed = || bad("MalformedXML", "The XML you provided was not well-formed.");
    let text = read_small_body(body).await?;
    let digest = ctx.header("content-md5").ok_or_else(|| bad("MissingArgument", "Content-MD5 is required."))?;
    let actual = STANDARD.encode(Md5::digest(text.as_bytes()));
    if digest.trim() != actual {
        return Err(bad("InvalidDigest", "The Content-MD5 you specified is not valid."));
    }
    let url = ctx.query("encoding-type") == Some("url");
    let quiet = xml_field(&text, "Quiet").is_some_and(|q| q.eq_ignore_ascii_case("true"));
    let mut keys = Vec::new();
    for chunk in text.split("<Object>").skip(1) {
        let start = chunk.find("<Key>").ok_or_else(malformed)? + "<Key>".len();
        let end = chunk[start..].find("</Key>").ok_or_else(malformed)? + start;
        let key = quick_xml::escape::unescape(&chunk[start..end]).map_err(|_| malformed())?.into_owned();
        keys.push(if url { decode(&key) } else { key });
    }
    if keys.is_empty() || keys.len() > 1000 {
        return Err(malformed());
    }
    let mut reply = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DeleteResult>");
    if url {
        reply.push_str("<EncodingType>url</EncodingType>");
    }
    for key in &keys {
        app.store.delete_object(ctx.bucket(), key).await?;
        if !quiet {
            let shown = if url { url_encode(key) } else { escape(key.as_str()).into_owned() };
            reply.push_str(&format!("<Deleted><Key>{shown}</Key></Deleted>"));
        }
    }
    reply.push_str("</DeleteResult>");
    Ok(xml(reply))
}

/// The (part number, ETag) list of a CompleteMultipartUpload body.
fn completed_parts(body: &str) -> Result<Vec<(u32, String)>, OssError> {
    let malformed = || bad("MalformedXML", "The XML you provided was not well-formed.");
    let mut parts = Vec::new();
    for chunk in body.split("<Part>").skip(1) {
        let chunk = chunk.split("</Part>").next().ok_or_else(malformed)?;
        let number = xml_field(chunk, "PartNumber").and_then(|n| n.parse().ok()).ok_or_else(malformed)?;
        let etag = xml_field(chunk, "ETag").ok_or_else(malformed)?;
        parts.push((number, etag.trim_matches('"').to_owned()));
    }
    if parts.is_empty() {
        return Err(malformed());
    }
    Ok(parts)
}

async fn complete_upload(app: &App, ctx: &Ctx, body: Body) -> Result<Response, OssError> {
    let upload_id = ctx.query("uploadId").unwrap_or_default().to_owned();
    let listed = completed_parts(&read_small_body(body).await?)?;
    let upload = app.store.upload(ctx.bucket(), &upload_id).await?;
    cse_rules::check_complete(&upload.headers, &ctx.headers, listed.len())?;
    let mut chosen: Vec<&PartRecord> = Vec::new();
    for (index, (number, etag)) in listed.iter().enumerate() {
        if index > 0 && *number <= listed[index - 1].0 {
            return Err(bad("InvalidPartOrder", "The list of parts was not in ascending order."));
        }
        let part = upload
            .parts
            .iter()
            .find(|p| p.number == *number && p.etag.eq_ignore_ascii_case(etag))
            .ok_or_else(|| bad("InvalidPart", "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag."))?;
        chosen.push(part);
    }
    if chosen[..chosen.len() - 1].iter().any(|p| p.size < MIN_PART_SIZE) {
        return Err(bad("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size."));
    }
    let at_rest = upload.sse.as_ref().map(|s| app.store.new_at_rest(s)).transpose()?;
    let path = app.store.new_data_path(ctx.bucket()).await?;
    let internal = |e: std::io::Error| OssError::new(500, "InternalError", &e.to_string());
    let mut output = tokio::fs::File::create(&path).await.map_err(internal)?;
    let mut cipher = at_rest.as_ref().map(|a| app.store.at_rest_cipher(a)).transpose()?;
    let mut md5s = Vec::new();
    let mut crc = 0u64;
    let mut size = 0u64;
    for part in &chosen {
        let mut input = tokio::fs::File::open(app.store.part_data(ctx.bucket(), part)).await.map_err(internal)?;
        let mut buf = vec![0u8; CHUNK];
        loop {
            let n = input.read(&mut buf).await.map_err(internal)?;
            if n == 0 {
                break;
            }
            if let Some(c) = cipher.as_mut() {
                c.apply(&mut buf[..n]);
            }
            output.write_all(&buf[..n]).await.map_err(internal)?;
        }
        md5s.extend(hex::decode(&part.md5).unwrap_or_default());
        crc = crc_fast::checksum_combine(CrcAlgorithm::Crc64Xz, crc, part.crc64, part.size);
        size += part.size;
    }
    output.sync_all().await.map_err(internal)?;
    let etag = format!("{}-{}", hex::encode_upper(Md5::digest(&md5s)), chosen.len());
    let mut record = ObjectRecord::new(
        &upload.key,
        size,
        etag.clone(),
        crc,
        upload.content_type.clone(),
        upload.headers.clone(),
        at_rest,
    );
    record.multipart = true;
    {
        let _guard = app.store.lock.lock().await;
        commit_locked(app, ctx, record, &path).await?;
        app.store.remove_upload(ctx.bucket(), &upload, false).await;
    }
    let mut response = xml(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUploadResult><Location>http://emulator/{}/{}</Location><Bucket>{}</Bucket><Key>{}</Key><ETag>\"{etag}\"</ETag></CompleteMultipartUploadResult>",
        ctx.bucket(),
        escape(upload.key.as_str()),
        ctx.bucket(),
        escape(upload.key.as_str())
    ));
    insert(response.headers_mut(), "x-oss-hash-crc64ecma", &crc.to_string());
    insert(response.headers_mut(), "etag", &format!("\"{etag}\""));
    for (k, v) in upload.sse.map(|s| s.headers()).unwrap_or_default() {
        insert(response.headers_mut(), &k, &v);
    }
    Ok(response)
}

impl IntoResponse for OssError {
    fn into_response(self) -> Response {
        OssError::into_response(self, "EMU", false)
    }
}
