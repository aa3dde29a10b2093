//! The servers the bench measures against, each in a process of its own so
//! that this process's CPU time is the client's alone: the emulator in its
//! benchmark mode (no fsync, data on a RAM disk where there is one), the
//! trivial sink, and the gateway in front of the emulator.

use std::time::Duration;

use tokio::io::AsyncBufReadExt as _;

use crate::BoxResult;

/// A server process, killed when dropped.
pub(crate) struct ServerProcess {
    child: tokio::process::Child,
    /// What it printed when it was ready.
    pub line: String,
}

impl ServerProcess {
    /// Runs this binary with `args` and waits for its first line.
    pub(crate) async fn start(args: &[&str]) -> BoxResult<Self> {
        let mut child = tokio::process::Command::new(std::env::current_exe()?)
            .args(args)
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut lines = tokio::io::BufReader::new(stdout).lines();
        let line = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
            .await
            .map_err(|_| format!("{args:?} did not start in 60 s"))??
            .ok_or_else(|| format!("{args:?} exited before it was ready"))?;
        Ok(Self { child, line })
    }

    /// Bytes the server has written so far (`wchar` of `/proc/PID/io`:
    /// its replies, since a read-only workload writes nothing else).
    pub(crate) fn bytes_written(&self) -> u64 {
        let io = self.child.id().and_then(|pid| std::fs::read_to_string(format!("/proc/{pid}/io")).ok());
        io.as_deref()
            .and_then(|io| io.lines().find_map(|l| l.strip_prefix("wchar:")))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0)
    }

    /// The server's peak resident memory so far (`VmHWM`, KiB).
    pub(crate) fn peak_rss_kib(&self) -> u64 {
        let status = self.child.id().and_then(|pid| std::fs::read_to_string(format!("/proc/{pid}/status")).ok());
        status
            .as_deref()
            .and_then(|s| s.lines().find_map(|l| l.strip_prefix("VmHWM:")))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    }

    /// CPU seconds the server has used so far.
    pub(crate) fn cpu_seconds(&self) -> f64 {
        let (utime, stime, _, _) =
            self.child.id().map_or((0.0, 0.0, 0.0, 0.0), |pid| crate::wire::proc_times(&pid.to_string()));
        utime + stime
    }
}

/// A directory on a RAM disk if there is one (`/dev/shm`), else a temporary one.
pub(crate) fn scratch_dir() -> std::io::Result<tempfile::TempDir> {
    tempfile::Builder::new().prefix("oss-cse-bench-").tempdir_in("/dev/shm").or_else(|_| tempfile::tempdir())
}

/// `serve-emulator DIR`: the emulator without fsync; prints
/// `ENDPOINT KMS_ENDPOINT ACCESS_KEY_ID SECRET` and serves until killed.
pub(crate) async fn serve_emulator(args: &[String]) -> BoxResult<()> {
    let [dir] = args else { return Err("serve-emulator DIR".into()) };
    let config = oss_cse_emulator::EmulatorConfig::new(std::path::Path::new(dir)).benchmark(true);
    let emulator = oss_cse_emulator::Emulator::start(config).await?;
    println!(
        "{} {} {} {}",
        emulator.endpoint(),
        emulator.kms_endpoint(),
        emulator.access_key_id(),
        emulator.access_key_secret()
    );
    std::future::pending::<()>().await;
    Ok(())
}

/// `serve-gateway ENDPOINT ID SECRET`: the encrypting gateway (a fresh
/// RSA-2048 key, default options) in front of the emulator at `ENDPOINT`;
/// prints its endpoint and serves until killed. Clients sign with
/// `GWBENCH:gateway-bench-secret`.
pub(crate) async fn serve_gateway(args: &[String]) -> BoxResult<()> {
    use oss_cse_client::envelope::{KeyRing, RsaMasterKey};
    use oss_cse_client::{ClientConfig, Credentials, EncryptionClient, OssClient};
    use oss_cse_gateway::{ClientKey, Gateway, GatewayConfig};
    let [endpoint, id, secret] = args else { return Err("serve-gateway ENDPOINT ID SECRET".into()) };
    let oss = OssClient::new(ClientConfig::new(endpoint, Credentials::new(id.as_str(), secret.as_str()))?)?;
    let (key, _, _) = RsaMasterKey::generate(2048)?;
    let config = GatewayConfig {
        listen: "127.0.0.1:0".parse()?,
        clients: ClientKey::parse_lines("GWBENCH:gateway-bench-secret")?,
        client: EncryptionClient::new(oss, KeyRing::new(key)),
        region: None,
        host_names: Vec::new(),
        idle_timeout: oss_cse_gateway::IDLE_TIMEOUT,
        spool_limit: oss_cse_gateway::SPOOL_LIMIT,
        tls: None,
    };
    let gateway = Gateway::start(config).await?;
    println!("{}", gateway.endpoint());
    std::future::pending::<()>().await;
    Ok(())
}

/// `serve-relay ENDPOINT`: a plain TCP relay to the server at `ENDPOINT`
/// (`http://host:port`), each connection copied both ways as it is, no HTTP
/// and no crypto: the most any gateway in between could reach. Prints
/// `http://` and its address, and relays until killed.
pub(crate) async fn serve_relay(args: &[String]) -> BoxResult<()> {
    let [endpoint] = args else { return Err("serve-relay ENDPOINT".into()) };
    let target = endpoint.trim_start_matches("http://").trim_end_matches('/').to_owned();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    println!("http://{}", listener.local_addr()?);
    loop {
        let (mut client, _) = listener.accept().await?;
        let target = target.clone();
        tokio::spawn(async move {
            if let Ok(mut server) = tokio::net::TcpStream::connect(&target).await {
                // Buffers as large as the gateway's chunks, so the relay is not held back by 8 KiB copies.
                let _ = tokio::io::copy_bidirectional_with_sizes(&mut client, &mut server, 1 << 20, 1 << 20).await;
            }
        });
    }
}
