#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod cse_rules;
mod error;
mod faults;
mod freshness;
mod kms;
mod server;
mod store;
mod sts;
pub mod testing;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use faults::{Fault, FaultRule, Faults, RequestInfo};
pub use kms::KmsPolicy;

/// The largest object OSS's CopyObject copies: "1 GB" in OSS's CopyObject
/// and UploadPartCopy references (<https://www.alibabacloud.com/help/en/oss/developer-reference/copyobject>,
/// <https://www.alibabacloud.com/help/doc-detail/31994.html>: "You must use
/// UploadPartCopy to copy a file larger than 1 GB"). Which gigabyte is not
/// stated; this is the smaller, 10^9 bytes.
pub const COPY_LIMIT: u64 = 1_000_000_000;

/// How to start an emulator.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    data_dir: PathBuf,
    listen: SocketAddr,
    credentials: Vec<(String, String)>,
    strict_upload_part: bool,
    strict_cse_copy: bool,
    copy_limit: u64,
    region: Option<String>,
    sts_lifetime: Option<std::time::Duration>,
    oidc_token: String,
    durable: bool,
}

impl EmulatorConfig {
    /// Data in `data_dir`, an ephemeral port on 127.0.0.1, and one generated
    /// credential pair.
    pub fn new(data_dir: &Path) -> Self {
        let id = format!("EMUAK{:016X}", rand::random::<u64>());
        let secret = format!("{:032x}", rand::random::<u128>());
        Self {
            data_dir: data_dir.to_owned(),
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            credentials: vec![(id, secret)],
            strict_upload_part: false,
            strict_cse_copy: false,
            copy_limit: COPY_LIMIT,
            region: None,
            sts_lifetime: None,
            oidc_token: format!("eyJhbGciOiJSUzI1NiJ9.emulator.{:032x}", rand::random::<u128>()),
            durable: true,
        }
    }

    /// Issues STS and ECS-role credentials that expire after `lifetime`,
    /// whatever the caller asked (real STS issues at least 900 s): for tests
    /// that prove a transfer outlives its first credential. The OSS and KMS
    /// fronts refuse them once expired.
    pub fn sts_lifetime(mut self, lifetime: std::time::Duration) -> Self {
        self.sts_lifetime = Some(lifetime);
        self
    }

    /// Refuses an UploadPart of a client-side-encrypted upload that carries
    /// no encryption headers (0005-00000401...), as OSS's docs say it
    /// should. Off by default: the Java and C++ SDKs send none on
    /// UploadPart, and their uploads work against the real service.
    pub fn strict_upload_part(mut self, strict: bool) -> Self {
        self.strict_upload_part = strict;
        self
    }

    /// The one region V4 signatures may be scoped to (e.g. `cn-hangzhou`):
    /// another is refused as OSS refuses it (`InvalidArgument`,
    /// 0002-00000226). Without one, any non-empty region is accepted.
    pub fn region(mut self, region: Option<String>) -> Self {
        self.region = region;
        self
    }

    /// Also refuses (0005-00000421) a COPY-directive self-copy of a
    /// client-side-encrypted object that changes its server-side encryption
    /// or storage class. OSS documents 421 only for metadata changes
    /// (REPLACE), which are always refused; whether a self-copy that rewrites
    /// the data without touching the metadata is refused is not stated, so
    /// this is the stricter reading, for clients that must work under both.
    pub fn strict_cse_copy(mut self, strict: bool) -> Self {
        self.strict_cse_copy = strict;
        self
    }

    /// The largest object CopyObject copies (default [`COPY_LIMIT`]); a
    /// larger source is refused. Tests lower it to prove that a copy above
    /// it takes another way, without moving a gigabyte.
    pub fn copy_limit(mut self, bytes: u64) -> Self {
        self.copy_limit = bytes;
        self
    }

    /// Benchmark mode, so that a benchmark measures the client rather than
    /// the emulator: writes are acknowledged without `fsync` (keep the data
    /// directory on a RAM disk), and the MD5 of a body is computed only to
    /// check a Content-MD5 the request sends; otherwise its ETag is derived
    /// from its CRC-64. (OSS's ETag of a simple upload or a part is the MD5
    /// of its bytes; no client here reads it as one.) Off by default.
    pub fn benchmark(mut self, benchmark: bool) -> Self {
        self.durable = !benchmark;
        self
    }

    /// Listens on `addr` instead.
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    /// The address it will listen on.
    pub fn listen_address(&self) -> SocketAddr {
        self.listen
    }

    /// Accepts exactly these AccessKey pairs (the first is the one reported).
    pub fn credentials(mut self, pairs: Vec<(String, String)>) -> Self {
        if !pairs.is_empty() {
            self.credentials = pairs;
        }
        self
    }
}

/// A running emulator. Dropping it without [`shutdown`](Self::shutdown)
/// stops it too.
#[derive(Debug)]
pub struct Emulator {
    addr: SocketAddr,
    credentials: (String, String),
    faults: Arc<Faults>,
    kms: Arc<KmsPolicy>,
    sts: Arc<sts::Sts>,
    metadata_addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Emulator {
    /// Starts serving on the configured address.
    ///
    /// # Errors
    /// If the data directory cannot be created or the address not bound.
    pub async fn start(config: EmulatorConfig) -> std::io::Result<Self> {
        let mut store = store::Store::open(&config.data_dir).await?;
        store.durable = config.durable;
        let faults = Arc::new(Faults::default());
        let kms = Arc::new(KmsPolicy::default());
        let sts =
            Arc::new(sts::Sts::new(config.sts_lifetime, config.oidc_token.clone(), "oss-cse-emulator-role".into()));
        let app = Arc::new(server::App {
            sts: sts.clone(),
            store,
            faults: faults.clone(),
            credentials: config.credentials.iter().cloned().collect::<HashMap<_, _>>(),
            request_counter: std::sync::atomic::AtomicU64::new(1),
            kms: kms.clone(),
            strict_upload_part: config.strict_upload_part,
            strict_cse_copy: config.strict_cse_copy,
            copy_limit: config.copy_limit,
            region: config.region.clone(),
            nonces: crate::freshness::Nonces::default(),
        });
        let router = axum::Router::new().fallback(server::handle).with_state(app);
        let listener = tokio::net::TcpListener::bind(config.listen).await?;
        let addr = listener.local_addr()?;
        // Replies are written as headers then body; without TCP_NODELAY,
        // Nagle's algorithm and delayed ACKs add ~40 ms to small replies.
        let listener = axum::serve::ListenerExt::tap_io(listener, |stream: &mut tokio::net::TcpStream| {
            let _ = stream.set_nodelay(true);
        });
        // The ECS metadata service answers on a port of its own, as it has
        // an address of its own on an instance.
        let metadata = tokio::net::TcpListener::bind(SocketAddr::new(config.listen.ip(), 0)).await?;
        let metadata_addr = metadata.local_addr()?;
        let metadata_router = server::metadata_router(sts.clone());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let stop = async {
                let _ = rx.await;
            };
            let served = axum::serve(listener, router).with_graceful_shutdown(stop);
            let metadata = axum::serve(metadata, metadata_router);
            tokio::select! {
                result = served => {
                    if let Err(error) = result {
                        tracing::warn!(%error, "emulator stopped with an error");
                    }
                }
                _ = metadata => {}
            }
        });
        let credentials = config.credentials.first().cloned().unwrap_or_default();
        Ok(Self { addr, credentials, faults, kms, sts, metadata_addr, shutdown: Some(tx), task: Some(task) })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The AccessKey id to sign with.
    pub fn access_key_id(&self) -> &str {
        &self.credentials.0
    }

    /// The AccessKey secret to sign with.
    pub fn access_key_secret(&self) -> &str {
        &self.credentials.1
    }

    /// Fault rules and the record of requests seen.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// The KMS endpoint: the same address, RPC calls to `/` with an `Action`.
    pub fn kms_endpoint(&self) -> String {
        self.endpoint()
    }

    /// The STS endpoint: the same address, RPC calls with Version 2015-04-01.
    pub fn sts_endpoint(&self) -> String {
        self.endpoint()
    }

    /// Expires every STS and ECS-role credential issued so far, as a token
    /// revoked early (or a client clock behind STS's) would look: requests
    /// signed with them are refused until the client fetches new ones.
    pub fn expire_issued_credentials(&self) {
        self.sts.expire_all(jiff::Timestamp::now());
    }

    /// The OIDC token its STS accepts in `AssumeRoleWithOIDC` (write it to
    /// the file `ALIBABA_CLOUD_OIDC_TOKEN_FILE` names).
    pub fn oidc_token(&self) -> &str {
        self.sts.oidc_token()
    }

    /// The ECS metadata service (`http://127.0.0.1:PORT`): IMDSv2 only, the
    /// instance's RAM role named by [`ecs_role`](Self::ecs_role).
    pub fn metadata_endpoint(&self) -> String {
        format!("http://{}", self.metadata_addr)
    }

    /// The RAM role of the emulated ECS instance.
    pub fn ecs_role(&self) -> &str {
        self.sts.ecs_role()
    }

    /// How many temporary credentials its STS and metadata service have
    /// issued.
    pub fn sts_issued(&self) -> usize {
        self.sts.issued_count()
    }

    /// Switches for the emulated KMS (missing keys, denied callers).
    pub fn kms(&self) -> &KmsPolicy {
        &self.kms
    }

    /// Stops serving and waits for the server task.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
