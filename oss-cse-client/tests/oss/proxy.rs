//! Requests through an HTTP proxy: an explicit one, or the environment's
//! (`HTTP_PROXY`), while loopback endpoints stay direct. The endpoint's name
//! does not resolve, so only the proxy (which maps it to the emulator) can
//! have carried the bytes.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use oss_cse_client::{Addressing, ClientConfig, Credentials, GetOptions, OssClient, ProxySetting};
use tokio::io::AsyncWriteExt;

use crate::support::*;

/// A forward proxy for plain HTTP on 127.0.0.1 that sends every
/// connection to `target`; returns its URL and its connection count.
async fn proxy_to(target: std::net::SocketAddr) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut upstream = tokio::net::TcpStream::connect(target).await.unwrap();
                // Requests arrive in absolute form; an HTTP/1.1 server takes them as they are.
                let (mut a, mut b) = (client.split(), upstream.split());
                let _ = tokio::join!(tokio::io::copy(&mut a.0, &mut b.1), tokio::io::copy(&mut b.0, &mut a.1));
                let _ = (a.1.shutdown().await, b.1.shutdown().await);
            });
        }
    });
    (url, connections)
}

fn unresolvable_config(h: &Harness) -> ClientConfig {
    let port = h.emulator.endpoint().rsplit(':').next().unwrap().to_owned();
    ClientConfig::new(
        &format!("http://oss-emulator.invalid:{port}"),
        Credentials::new(h.emulator.access_key_id(), h.emulator.access_key_secret()),
    )
    .unwrap()
    .addressing(Addressing::PathStyle)
}

#[tokio::test]
async fn an_explicit_proxy_carries_every_request() {
    let h = start().await;
    let target: std::net::SocketAddr = h.emulator.endpoint().trim_start_matches("http://").parse().unwrap();
    let (url, connections) = proxy_to(target).await;
    let client = OssClient::new(unresolvable_config(&h).proxy(ProxySetting::Url(url))).unwrap();
    client.put_object(BUCKET, "via-proxy", oss_cse_client::Body::from(b"hello".to_vec()), vec![]).await.unwrap();
    let got = client.get_object(BUCKET, "via-proxy", &GetOptions::default()).await.unwrap();
    assert_eq!(got.body.collect().await.unwrap(), b"hello");
    assert!(connections.load(Ordering::SeqCst) >= 1);
    // Without the proxy the name does not resolve at all.
    let direct = OssClient::new(unresolvable_config(&h).proxy(ProxySetting::Direct)).unwrap();
    let error = direct.head_object(BUCKET, "via-proxy").await.unwrap_err();
    assert_eq!(error.kind(), oss_cse_client::ErrorKind::Transport, "{error}");
    // A proxy that is not a URL is refused up front, without echoing it.
    let bad = OssClient::new(unresolvable_config(&h).proxy(ProxySetting::Url("user:secret@ not a url".into())));
    let message = bad.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("proxy") && !message.contains("secret"), "{message}");
}

#[test]
fn a_ca_bundle_that_is_not_pem_is_refused() {
    let config = ClientConfig::new("https://oss-cn-hangzhou.aliyuncs.com", Credentials::new("id", "secret"))
        .unwrap()
        .ca_bundle(b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n".to_vec());
    assert!(OssClient::new(config).is_err());
}

#[test]
fn a_region_names_its_public_or_internal_endpoint() {
    let credentials = Credentials::new("id", "secret");
    let public = ClientConfig::for_region("cn-hangzhou", false, credentials.clone()).unwrap();
    assert_eq!(public.region_name(), Some("cn-hangzhou"));
    assert_eq!(public.signature_version(), oss_cse_client::SignatureVersion::V4);
    let client = OssClient::new(public).unwrap();
    assert!(format!("{:?}", client.config()).contains("oss-cn-hangzhou.aliyuncs.com"));
    let internal = ClientConfig::for_region("cn-hangzhou", true, credentials.clone()).unwrap();
    assert!(format!("{internal:?}").contains("oss-cn-hangzhou-internal.aliyuncs.com"));
    assert!(ClientConfig::for_region("cn hangzhou/x", false, credentials).is_err());
}
