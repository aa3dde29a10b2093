//! `oss-cse gateway`: an OSS-compatible endpoint on the user's machine that
//! encrypts on the way in and decrypts on the way out, in the official SDKs'
//! client-side encryption format, with keys that never leave it. Point a
//! plain OSS client at it (oss2's `Bucket`, ali-oss, ossutil...) and what
//! lands on OSS is what every SDK's encryption client reads.
//!
//! Clients sign their requests with their own AccessKey pairs, checked as
//! OSS checks them ([`oss_cse_auth::verify`], the emulator's checks); the
//! gateway signs upstream with its own credentials. Object content is
//! encrypted (PutObject) or decrypted (GetObject, ranges too), copies keep
//! their envelope (CopyObject, above 1 GB by re-upload); operations
//! that carry no object content (bucket operations, listings, deletes, tags,
//! ACLs) pass through; multipart uploads are spooled (encrypted under a key
//! of this process) and uploaded at Complete; the envelope is never shown to clients nor accepted
//! from them; anything else is refused with 501, never passed on where it
//! could store plaintext.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::Response;
use oss_cse_auth::verify::{Incoming, Signed, check_request_time};
use oss_cse_client::EncryptionClient;
use oss_cse_client::envelope::consts::is_envelope_header;
use zeroize::Zeroizing;

mod forward;
mod multipart;
mod objects;
mod reply;
mod route;
mod tls;

pub use tls::TlsFiles;

use reply::OssError;
use route::{Route, Step};

/// What failed to start a gateway.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The address could not be listened on.
    #[error("listening on {addr}: {source}")]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// A setting the gateway refuses.
    #[error("{0}")]
    Refused(String),
    /// The multipart spool's folder could not be made.
    #[error("making the multipart spool: {0}")]
    Spool(std::io::Error),
    /// A TLS certificate or key file that cannot be read or used.
    #[error("TLS: {}: {reason}", path.display())]
    Tls {
        /// The file.
        path: std::path::PathBuf,
        /// What is wrong with it.
        reason: String,
    },
}

/// A client's AccessKey pair.
pub struct ClientKey {
    /// The AccessKey id.
    pub id: String,
    /// The secret.
    pub secret: Zeroizing<String>,
}

impl std::fmt::Debug for ClientKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientKey").field("id", &self.id).finish_non_exhaustive()
    }
}

impl ClientKey {
    /// The pairs of a credentials file's text: one `AK:SK` a line, `#`
    /// comments and blank lines skipped.
    ///
    /// # Errors
    /// [`Error::Refused`] naming the line (never its secret) that is not `AK:SK`.
    pub fn parse_lines(text: &str) -> Result<Vec<Self>, Error> {
        let mut keys = Vec::new();
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match line.split_once(':') {
                Some((id, secret)) if !id.trim().is_empty() && !secret.trim().is_empty() => {
                    keys.push(Self { id: id.trim().to_owned(), secret: Zeroizing::new(secret.trim().to_owned()) });
                }
                _ => return Err(Error::Refused(format!("client credentials, line {}: not AK:SK", number + 1))),
            }
        }
        Ok(keys)
    }
}

/// How a gateway runs.
#[derive(Debug)]
pub struct GatewayConfig {
    /// Where it listens: any address with [`tls`](Self::tls), else a
    /// loopback one only.
    pub listen: SocketAddr,
    /// The certificate and key clients are served TLS with (required off
    /// loopback: client secrets sign requests, but bodies are plaintext).
    pub tls: Option<TlsFiles>,
    /// The AccessKey pairs clients sign with.
    pub clients: Vec<ClientKey>,
    /// The engine: upstream OSS, its credentials, the keys and the policies.
    pub client: EncryptionClient,
    /// The region V4 signatures of clients must name (none: any).
    pub region: Option<String>,
    /// Host names the gateway is reached by, for virtual-hosted requests
    /// (`<bucket>.<name>`); `localhost` and OSS's own names always work.
    pub host_names: Vec<String>,
    /// How long a client's upload body may send nothing before it is cut
    /// off ([`IDLE_TIMEOUT`] by default).
    pub idle_timeout: std::time::Duration,
    /// The most bytes the multipart spool holds at once, over all uploads
    /// in progress ([`SPOOL_LIMIT`] by default); a part that would pass it
    /// is refused with 503 ServiceUnavailable.
    pub spool_limit: u64,
}

/// The default [`GatewayConfig::idle_timeout`]: a minute.
pub const IDLE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// The default [`GatewayConfig::spool_limit`]: 16 GiB.
pub const SPOOL_LIMIT: u64 = 16 << 30;

struct App {
    clients: Vec<ClientKey>,
    spool: multipart::Spool,
    client: EncryptionClient,
    region: Option<String>,
    host_names: Vec<String>,
    idle_timeout: std::time::Duration,
    requests: AtomicU64,
}

/// What the gateway accepts connections on.
enum Listening {
    Plain(tokio::net::TcpListener),
    Tls(tls::TlsListener),
}

/// A running gateway; stops when dropped or [`shutdown`](Self::shutdown).
#[derive(Debug)]
pub struct Gateway {
    addr: SocketAddr,
    tls: bool,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Gateway {
    /// Starts listening.
    ///
    /// # Errors
    /// [`Error::Refused`] for a non-loopback address without TLS, no client
    /// keys, or a client key that is the upstream's; [`Error::Tls`];
    /// [`Error::Listen`].
    pub async fn start(config: GatewayConfig) -> Result<Self, Error> {
        if !config.listen.ip().is_loopback() && config.tls.is_none() {
            return Err(Error::Refused(format!(
                "{}: off loopback the gateway serves TLS only (plaintext bodies cross the network): \
                 give a certificate and its key",
                config.listen
            )));
        }
        let tls = config.tls.as_ref().map(tls::server_config).transpose()?;
        if config.clients.is_empty() {
            return Err(Error::Refused("no client credentials: give the AK:SK pairs clients sign with".to_owned()));
        }
        if let Ok(upstream) = config.client.oss().config().credentials_provider().credentials().await {
            if config.clients.iter().any(|key| key.id == upstream.access_key_id()) {
                return Err(Error::Refused(
                    "a client credential is the upstream's own: give clients AccessKey pairs of their own".to_owned(),
                ));
            }
        }
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|source| Error::Listen { addr: config.listen, source })?;
        let addr = listener.local_addr().map_err(|source| Error::Listen { addr: config.listen, source })?;
        let app = Arc::new(App {
            clients: config.clients,
            spool: multipart::Spool::new(config.spool_limit).map_err(Error::Spool)?,
            client: config.client,
            region: config.region,
            host_names: config.host_names,
            idle_timeout: config.idle_timeout,
            requests: AtomicU64::new(0),
        });
        let router = axum::Router::new().fallback(handle).with_state(app);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let stopped = async move {
            let _ = stopped.await;
        };
        let secure = tls.is_some();
        let listener = match tls {
            Some(config) => Listening::Tls(
                tls::TlsListener::new(listener, config).map_err(|source| Error::Listen { addr, source })?,
            ),
            None => Listening::Plain(listener),
        };
        let task = tokio::spawn(async move {
            let served = match listener {
                Listening::Tls(tls) => axum::serve(tls, router).with_graceful_shutdown(stopped).await,
                Listening::Plain(plain) => axum::serve(plain, router).with_graceful_shutdown(stopped).await,
            };
            if let Err(error) = served {
                tracing::error!(%error, "the gateway stopped");
            }
        });
        Ok(Self { addr, tls: secure, stop: Some(stop), task: Some(task) })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://` (or `https://`) and the address: the endpoint clients are given.
    pub fn endpoint(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    /// Stops accepting requests and waits for those in flight.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Every request: who signed it, what it asks, then the answer.
async fn handle(State(app): State<Arc<App>>, request: Request) -> Response<Body> {
    let number = app.requests.fetch_add(1, Ordering::Relaxed);
    let request_id = format!("GW{number:014X}");
    let (parts, body) = request.into_parts();
    let head = parts.method == http::Method::HEAD;
    let names: Vec<&str> = app.host_names.iter().map(String::as_str).collect();
    let Incoming { headers, bucket, key, query } = Incoming::read(&parts, &names);
    let signed = Signed {
        method: parts.method.as_str(),
        bucket: bucket.as_deref(),
        key: key.as_deref().or(bucket.as_ref().map(|_| "")),
        query: &query,
        headers: &headers,
    };
    let now = jiff::Timestamp::now();
    let secret_of = |id: &str| app.clients.iter().find(|k| k.id == id).map(|k| k.secret.to_string());
    let verified = match signed.verify(secret_of, app.region.as_deref(), now) {
        Ok(verified) => verified,
        Err(failure) => return refusal(failure.refusal()).response(&request_id, head),
    };
    if !verified.presigned {
        if let Err(refused) = check_request_time(&headers, now) {
            return refusal(refused).response(&request_id, head);
        }
    }
    if let Some((name, _)) = headers.iter().find(|(name, _)| is_envelope_header(name)) {
        let message = format!("{name}: the gateway writes the encryption envelope itself");
        return OssError::new(400, "InvalidArgument", message).response(&request_id, head);
    }
    let names: Vec<&str> = query.iter().map(|(name, _)| name.as_str()).collect();
    let copy = headers.iter().any(|(name, _)| name == "x-oss-copy-source");
    let route = route::route(parts.method.as_str(), bucket.as_deref(), key.as_deref(), &names, copy);
    tracing::debug!(caller = %verified.caller, method = %parts.method, ?route, "request");
    let object = || objects::ObjectRequest {
        bucket: bucket.as_deref().unwrap_or_default(),
        key: key.as_deref().unwrap_or_default(),
        headers: &headers,
        query: &query,
    };
    let answered = match route {
        Route::Put => objects::put(&app.client, &object(), (body, app.idle_timeout)).await,
        Route::Get => objects::get(&app.client, &object()).await,
        Route::Head => objects::head(&app.client, &object()).await,
        Route::Copy => objects::copy(&app.client, &object()).await,
        Route::Forward(operation) => {
            let request = forward::Forwarding { operation, method: parts.method.clone(), bucket, key, query, headers };
            forward::forward(&app.client, request, body).await
        }
        Route::Multipart(step) => {
            let (bucket, key) = (bucket.as_deref().unwrap_or_default(), key.as_deref().unwrap_or_default());
            let value =
                |name: &str| query.iter().find(|(n, _)| n == name).and_then(|(_, v)| v.clone()).unwrap_or_default();
            let upload_id = value("uploadId");
            let upload = (bucket, key, upload_id.as_str());
            match step {
                Step::Initiate => app.spool.initiate(bucket, key, objects::stored_headers(&headers)),
                Step::UploadPart => match value("partNumber").parse::<u32>() {
                    Ok(number) => {
                        let md5 = headers.iter().find(|(name, _)| name == "content-md5").map(|(_, v)| v.as_str());
                        app.spool.upload_part(upload, (number, md5), (body, app.idle_timeout)).await
                    }
                    Err(_) => Err(OssError::new(400, "InvalidArgument", "partNumber is not a number")),
                },
                Step::ListParts => app.spool.list_parts(upload),
                Step::Complete => {
                    let all = headers.iter().any(|(name, v)| name == "x-oss-complete-all" && v.trim() == "yes");
                    app.spool.complete(&app.client, upload, (body, all)).await
                }
                Step::Abort => app.spool.abort(upload).await,
            }
        }
        Route::ListUploads => {
            let prefix = query.iter().find(|(n, _)| n == "prefix").and_then(|(_, v)| v.clone()).unwrap_or_default();
            app.spool.list_uploads(bucket.as_deref().unwrap_or_default(), &prefix)
        }
        Route::Append => Err(OssError::new(
            400,
            "InvalidArgument",
            "AppendObject: an encrypted object cannot be appended to (the gateway encrypts every object)",
        )),
        Route::Unsupported => Err(OssError::new(
            501,
            "NotImplemented",
            format!("{} with this sub-resource is not supported by the encrypting gateway", parts.method),
        )),
    };
    match answered {
        Ok(mut response) => {
            if !response.headers().contains_key("x-oss-request-id") {
                if let Ok(value) = http::HeaderValue::from_str(&request_id) {
                    response.headers_mut().insert("x-oss-request-id", value);
                }
            }
            response
        }
        Err(error) => error.response(&request_id, head),
    }
}

fn refusal(refusal: oss_cse_auth::verify::Refusal) -> OssError {
    OssError { ec: refusal.ec.map(str::to_owned), ..OssError::new(refusal.status, refusal.code, refusal.message) }
}
