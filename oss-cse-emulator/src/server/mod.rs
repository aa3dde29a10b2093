//! The OSS HTTP front: one handler that authenticates, applies faults and
//! routes by method, bucket, key and sub-resource to the operations (one
//! module per group), and the OSS error replies.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::StreamExt;
use oss_cse_auth::verify::{decode, parse_query};

mod acl;
mod append;
mod buckets;
mod compress;
mod kms_front;
mod metadata;
mod multipart;
mod objects;
mod tagging;
mod writes;

pub(crate) use crate::error::{OssError, insert};

use self::buckets::*;
use self::kms_front::*;
pub(crate) use self::metadata::metadata_router;
use self::multipart::*;
use self::objects::*;
use self::tagging::{delete_object_tagging, get_object_tagging, put_object_tagging};
use self::writes::*;
use crate::faults::{Fault, Faults, RequestInfo};
use crate::store::{Store, StoreError, now_iso};
use oss_cse_auth::verify::Signed;

/// Smallest part OSS accepts except the last.
const MIN_PART_SIZE: u64 = 100 * 1024;
/// Largest user metadata OSS accepts in total.
const MAX_USER_METADATA: usize = 8 * 1024;
/// Chunk size for streaming stored bytes.
const CHUNK: usize = 256 * 1024;
/// Headers OSS keeps with an object besides user metadata.
const KEPT_HEADERS: [&str; 5] =
    ["cache-control", "content-disposition", "content-encoding", "content-language", "expires"];

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
    /// Temporary credentials issued by the STS and metadata stand-ins.
    pub sts: Arc<crate::sts::Sts>,
    /// See [`EmulatorConfig::strict_upload_part`](crate::EmulatorConfig::strict_upload_part).
    pub strict_upload_part: bool,
    /// See [`EmulatorConfig::strict_cse_copy`](crate::EmulatorConfig::strict_cse_copy).
    pub strict_cse_copy: bool,
    /// See [`EmulatorConfig::copy_limit`](crate::EmulatorConfig::copy_limit).
    pub copy_limit: u64,
    /// See [`EmulatorConfig::region`](crate::EmulatorConfig::region).
    pub region: Option<String>,
    /// Nonces of signed KMS and STS calls seen within their time window.
    pub nonces: crate::freshness::Nonces,
}

impl App {
    /// The secret of a permanent or an issued temporary AccessKey id.
    pub(crate) fn secret_of(&self, id: &str) -> Option<String> {
        self.credentials.get(id).cloned().or_else(|| self.sts.secret_of(id))
    }
}

/// What OSS answers a request whose STS token is wrong, absent or expired.
fn sts_refusal(failure: &crate::sts::TokenFailure) -> OssError {
    use crate::sts::TokenFailure;
    match failure {
        TokenFailure::Expired => {
            OssError::new(403, "InvalidAccessKeyId", "The security token you provided has expired.")
                .with_ec("0002-00000007")
        }
        TokenFailure::Invalid => {
            OssError::new(403, "InvalidAccessKeyId", "The security token you provided is invalid.")
                .with_ec("0002-00000006")
        }
        TokenFailure::NotTemporary => OssError::new(
            403,
            "InvalidAccessKeyId",
            "The OSS Access Key Id you provided does not exist in our records.",
        )
        .with_ec("0002-00000002"),
    }
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

/// The one request handler.
pub(crate) async fn handle(State(app): State<Arc<App>>, request: Request) -> Response {
    let number = app.request_counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let request_id = format!("EMU{number:013X}");
    let (parts, body) = request.into_parts();
    let incoming = oss_cse_auth::verify::Incoming::read(&parts, &[]);
    let ctx = Ctx {
        method: parts.method.as_str().to_owned(),
        bucket: incoming.bucket,
        key: incoming.key,
        query: incoming.query,
        headers: incoming.headers,
        fault: None,
        caller: String::new(),
    };
    let head = ctx.method == "HEAD";
    let info = RequestInfo {
        method: ctx.method.clone(),
        bucket: ctx.bucket.clone(),
        key: ctx.key.clone(),
        query: ctx.query.iter().map(|(k, _)| k.clone()).collect(),
        copy_source: ctx.header("x-oss-copy-source").is_some(),
        action: None,
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
    let now = jiff::Timestamp::now();
    let verified = match signed.verify(|id| app.secret_of(id), app.region.as_deref(), now) {
        Ok(verified) => verified,
        Err(failure) => return OssError::from(failure.refusal()).into_response(&request_id, head),
    };
    let token = ctx
        .header("x-oss-security-token")
        .or_else(|| ctx.query("security-token"))
        .or_else(|| ctx.query("x-oss-security-token"));
    if let Err(failure) = app.sts.check(&verified.caller, token, now) {
        return sts_refusal(&failure).into_response(&request_id, head);
    }
    // A signed request is good for 15 minutes either side of now, as on
    // OSS: an old one cannot be replayed. A presigned URL has its expiry.
    if !verified.presigned {
        if let Err(refusal) = oss_cse_auth::verify::check_request_time(&ctx.headers, now) {
            return OssError::from(refusal).into_response(&request_id, head);
        }
    }

    let mut ctx = ctx;
    ctx.caller = verified.caller;
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
        Some(Fault::PartialWhole { keep, flip }) if response.status() == StatusCode::OK => {
            partial_whole(&mut response, keep, flip);
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

/// Turns a whole GET's 200 into the partial reply of [`Fault::PartialWhole`].
fn partial_whole(response: &mut Response, keep: Option<u64>, flip: Option<u64>) {
    let size = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    let keep = keep.unwrap_or(size).min(size);
    *response.status_mut() = StatusCode::PARTIAL_CONTENT;
    let h = response.headers_mut();
    h.remove("x-oss-hash-crc64ecma");
    insert(h, "content-length", &keep.to_string());
    insert(h, "content-range", &format!("bytes 0-{}/{size}", keep.saturating_sub(1)));
    let body = std::mem::replace(response.body_mut(), Body::empty()).into_data_stream();
    let mut position = 0u64;
    let altered = body.map(move |chunk| {
        chunk.map(|chunk| {
            let start = position;
            position += chunk.len() as u64;
            let end = position.min(keep);
            let mut out = chunk.slice(..usize::try_from(end.saturating_sub(start)).unwrap_or(0));
            if let Some(at) = flip.filter(|at| (start..end).contains(at)) {
                let mut owned = out.to_vec();
                owned[usize::try_from(at - start).unwrap_or(0)] ^= 0xFF;
                out = Bytes::from(owned);
            }
            out
        })
    });
    *response.body_mut() = Body::from_stream(altered);
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
        .filter(|k| oss_cse_auth::verify::is_subresource(k) && !NOT_ROUTING.contains(k))
        .collect();
    subresources.sort_unstable();
    subresources.dedup();
    let copy = ctx.header("x-oss-copy-source").is_some();
    // Only PutObject, CopyObject, InitiateMultipartUpload (and PostObject,
    // AppendObject) take an SSE header (0005-00000002).
    let takes_sse = matches!(
        (ctx.method.as_str(), ctx.key.is_some(), subresources.as_slice()),
        ("PUT", true, []) | ("POST", true, ["uploads"]) | ("POST", true, ["append", "position"])
    );
    if ctx.header("x-oss-server-side-encryption").is_some() && !takes_sse {
        return Err(bad("InvalidArgument", "x-oss-server-side-encryption is not allowed on this operation.")
            .with_ec("0005-00000002"));
    }
    match (ctx.method.as_str(), ctx.bucket.is_some(), ctx.key.is_some(), subresources.as_slice()) {
        ("GET", false, _, []) => list_buckets(app, ctx).await,
        ("PUT", true, false, ["acl"]) => acl::put_bucket_acl(app, ctx).await,
        ("GET", true, false, ["acl"]) => acl::get_bucket_acl(app, ctx).await,
        ("GET", true, false, ["bucketInfo"]) => acl::get_bucket_info(app, ctx).await,
        ("PUT", true, true, ["acl"]) => acl::put_object_acl(app, ctx).await,
        ("GET", true, true, ["acl"]) => acl::get_object_acl(app, ctx).await,
        ("PUT", true, false, ["encryption"]) => put_bucket_encryption(app, ctx, body).await,
        ("GET", true, false, ["encryption"]) => get_bucket_encryption(app, ctx).await,
        ("DELETE", true, false, ["encryption"]) => delete_bucket_encryption(app, ctx).await,
        ("PUT", true, false, []) => put_bucket(app, ctx).await,
        ("DELETE", true, false, []) => {
            app.store.delete_bucket(ctx.bucket()).await?;
            Ok(status(204))
        }
        ("GET", true, false, ["uploads"]) => list_uploads(app, ctx).await,
        // There are no live channels here; the listing is what SDK cleanups
        // (oss2's tests among them) walk before deleting a bucket.
        ("GET", true, false, ["live"]) => Ok(xml(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListLiveChannelResult><Prefix></Prefix><Marker></Marker><MaxKeys>100</MaxKeys><IsTruncated>false</IsTruncated><NextMarker></NextMarker></ListLiveChannelResult>".to_owned(),
        )),
        ("POST", true, false, ["delete"]) => delete_objects(app, ctx, body).await,
        ("GET", true, false, []) => list_objects(app, ctx).await,
        ("PUT", true, true, ["partNumber", "uploadId"]) if !copy => upload_part(app, ctx, body).await,
        ("PUT", true, true, ["partNumber", "uploadId"]) => upload_part_copy(app, ctx).await,
        ("PUT", true, true, []) if copy => copy_object(app, ctx).await,
        ("PUT", true, true, []) => put_object(app, ctx, body).await,
        ("GET", true, true, ["uploadId"]) => list_parts(app, ctx).await,
        ("PUT", true, true, ["tagging"]) => put_object_tagging(app, ctx, body).await,
        ("GET", true, true, ["tagging"]) => get_object_tagging(app, ctx).await,
        ("DELETE", true, true, ["tagging"]) => delete_object_tagging(app, ctx).await,
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
        ("POST", true, true, ["append", "position"]) => append::append_object(app, ctx, body).await,
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

/// A name as `encoding-type=url` sends it: every byte but the unreserved
/// ones percent-encoded.
fn url_encode(text: &str) -> String {
    oss_cse_auth::verify::encode(text, false)
}

/// An object's stored time (an HTTP date) in the ISO form listings use.
fn iso_time(http_date: &str) -> String {
    jiff::fmt::rfc2822::parse(http_date)
        .map(|time| time.timestamp().strftime("%Y-%m-%dT%H:%M:%S.000Z").to_string())
        .unwrap_or_else(|_| now_iso())
}

impl IntoResponse for OssError {
    fn into_response(self) -> Response {
        OssError::into_response(self, "EMU", false)
    }
}

/// The one place store errors become OSS's replies.
impl From<StoreError> for OssError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NoSuchBucket(_) => Self::new(404, "NoSuchBucket", "The specified bucket does not exist."),
            StoreError::BucketNotEmpty(_) => {
                Self::new(409, "BucketNotEmpty", "The bucket you tried to delete is not empty.")
            }
            StoreError::NoSuchKey { .. } => {
                Self::new(404, "NoSuchKey", "The specified key does not exist.").with_ec("0026-00000001")
            }
            StoreError::NoSuchUpload(_) => Self::new(
                404,
                "NoSuchUpload",
                "The specified upload does not exist. The upload ID may be invalid, or the upload may have been \
                 aborted or completed.",
            ),
            StoreError::Internal { .. } => Self::new(500, "InternalError", &error.to_string()),
        }
    }
}
