//! TLS for a gateway reached over a network: rustls with aws-lc-rs, the
//! certificate chain and key read from PEM files, handshakes done off the
//! accept loop (bounded in number and time) so a client that stalls its
//! handshake holds up no one else.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

use crate::Error;

/// The PEM files of a gateway's TLS identity.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    /// The certificate chain, leaf first.
    pub cert_chain: PathBuf,
    /// The private key (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
}

/// How long a client may take over its handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Handshakes in progress at once; further connections wait to be accepted.
const HANDSHAKES: usize = 128;

/// The server's rustls configuration from `files`: HTTP/1.1, TLS 1.2 and 1.3.
///
/// # Errors
/// [`Error::Tls`] naming the file that cannot be read or used (never its content).
pub(crate) fn server_config(files: &TlsFiles) -> Result<Arc<rustls::ServerConfig>, Error> {
    let failed = |path: &Path, reason: String| Error::Tls { path: path.to_owned(), reason };
    let chain = CertificateDer::pem_file_iter(&files.cert_chain)
        .and_then(Iterator::collect::<Result<Vec<_>, _>>)
        .map_err(|error| failed(&files.cert_chain, error.to_string()))?;
    if chain.is_empty() {
        return Err(failed(&files.cert_chain, "no CERTIFICATE in it".to_owned()));
    }
    let key = PrivateKeyDer::from_pem_file(&files.key).map_err(|error| failed(&files.key, error.to_string()))?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| failed(&files.cert_chain, error.to_string()))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|error| failed(&files.key, format!("does not go with the certificate: {error}")))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// Connections whose handshake is done, for `axum::serve`.
pub(crate) struct TlsListener {
    ready: tokio::sync::mpsc::Receiver<(TlsStream<TcpStream>, std::net::SocketAddr)>,
    local: std::net::SocketAddr,
}

impl TlsListener {
    /// Accepts on `listener` and shakes hands in tasks of their own until
    /// the returned listener is dropped.
    pub(crate) fn new(listener: TcpListener, config: Arc<rustls::ServerConfig>) -> std::io::Result<Self> {
        let local = listener.local_addr()?;
        let (done, ready) = tokio::sync::mpsc::channel(HANDSHAKES);
        let acceptor = TlsAcceptor::from(config);
        let slots = Arc::new(tokio::sync::Semaphore::new(HANDSHAKES));
        tokio::spawn(async move {
            loop {
                let Ok(slot) = slots.clone().acquire_owned().await else { return };
                let accepted = tokio::select! {
                    accepted = listener.accept() => accepted,
                    () = done.closed() => return,
                };
                let (stream, peer) = match accepted {
                    Ok(accepted) => accepted,
                    Err(error) => {
                        // Out of file descriptors and the like: wait, as axum does.
                        tracing::warn!(%error, "accepting a connection");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                let (acceptor, done) = (acceptor.clone(), done.clone());
                tokio::spawn(async move {
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                        Ok(Ok(stream)) => {
                            let _ = done.send((stream, peer)).await;
                        }
                        Ok(Err(error)) => tracing::debug!(%peer, %error, "TLS handshake failed"),
                        Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                    }
                    drop(slot);
                });
            }
        });
        Ok(Self { ready, local })
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(ready) => ready,
            // The accept loop ended: nothing more will come.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(cert: &str, key: &str) -> TlsFiles {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tls");
        TlsFiles { cert_chain: dir.join(cert), key: dir.join(key) }
    }

    #[test]
    fn a_certificate_and_its_key_make_a_server_and_anything_else_names_the_file() {
        assert!(server_config(&files("gateway.pem", "gateway.key.pem")).is_ok());
        let cases = [
            (files("missing.pem", "gateway.key.pem"), "missing.pem"),
            (files("gateway.key.pem", "gateway.key.pem"), "gateway.key.pem"),
            (files("gateway.pem", "gateway.pem"), "gateway.pem"),
            (files("ca.pem", "gateway.key.pem"), "gateway.key.pem"),
        ];
        for (files, named) in cases {
            let error = server_config(&files).expect_err("refused").to_string();
            assert!(error.contains(named), "{error}");
            assert!(!error.contains("PRIVATE KEY-----"), "{error}");
        }
    }
}
