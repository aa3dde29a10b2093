//! `oss-cse gateway`: a local OSS-compatible endpoint that encrypts on the
//! way in and decrypts on the way out (the `oss-cse-gateway` crate), until
//! interrupted.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use oss_cse_client::EncryptionOptions;
use oss_cse_gateway::{ClientKey, Gateway, GatewayConfig, TlsFiles};

use crate::keys::KeyArgs;
use crate::session::Session;

/// Options of `gateway`.
#[derive(clap::Args, Debug)]
pub(crate) struct GatewayArgs {
    /// Address to listen on: a loopback one, or any with --tls-cert and
    /// --tls-key (off loopback the gateway serves TLS only).
    #[arg(long, default_value = "127.0.0.1:9100")]
    listen: SocketAddr,
    /// The certificate chain (PEM, leaf first) clients are served TLS with.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The private key (PEM) of --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// The AccessKey pairs clients sign their requests with, one AK:SK a
    /// line (# comments): never the upstream's own.
    #[arg(long, value_name = "FILE", env = "OSS_CSE_GATEWAY_CLIENT_CREDENTIALS")]
    client_credentials: PathBuf,
    /// A host name clients reach the gateway by, for virtual-hosted
    /// requests (`<bucket>.<name>`); repeatable.
    #[arg(long = "host-name", value_name = "NAME")]
    host_names: Vec<String>,
    /// The most the multipart spool holds on disk at once, over all uploads
    /// in progress (e.g. 16G, 500M); a part past it is refused with 503.
    #[arg(long, value_name = "SIZE", default_value = "16G", value_parser = crate::opts::parse_size)]
    spool_limit: u64,
    /// The keys objects are encrypted with and opened by.
    #[command(flatten)]
    keys: KeyArgs,
    #[command(flatten)]
    pub(crate) connection: crate::opts::ConnectionArgs,
    #[command(flatten)]
    pub(crate) policy: crate::opts::DownloadPolicyArgs,
}

pub(crate) async fn gateway(session: &Session, args: &GatewayArgs) -> anyhow::Result<()> {
    let text =
        crate::files::read_bounded(&args.client_credentials, "client credentials", crate::files::MAX_SMALL_FILE)?;
    let clients = ClientKey::parse_lines(&text).with_context(|| args.client_credentials.display().to_string())?;
    let client = session.encryption_client(&args.keys, EncryptionOptions::default())?;
    let region = client.oss().config().region_name().map(str::to_owned);
    let config = GatewayConfig {
        listen: args.listen,
        clients,
        client,
        region,
        host_names: args.host_names.clone(),
        idle_timeout: oss_cse_gateway::IDLE_TIMEOUT,
        spool_limit: args.spool_limit,
        tls: match (&args.tls_cert, &args.tls_key) {
            (Some(cert_chain), Some(key)) => Some(TlsFiles { cert_chain: cert_chain.clone(), key: key.clone() }),
            _ => None,
        },
    };
    let gateway = Gateway::start(config).await?;
    // Its endpoint goes to standard output; one whose reader went away (a
    // service manager, `| head -1`) does not stop the gateway.
    let mut out = crate::exit::stdout();
    let _ = writeln!(out, "encrypting OSS gateway on {}", gateway.endpoint()).and_then(|()| {
        let credentials = args.client_credentials.display();
        writeln!(out, "(clients sign with the pairs of {credentials}; stop with Ctrl-C)")
    });
    drop(out);
    crate::interrupted().await;
    gateway.shutdown().await;
    Ok(())
}
