//! No secret in logs, errors, Debug output or checkpoint files: a run of
//! ordinary and failing operations with debug logging captured, scanned for
//! the data keys, IVs and private-key material it used.
//!
//! Its own test binary: the log capture is a thread-scoped `tracing`
//! subscriber, and tests running beside it in one process could change which
//! events reach it (a run once captured 3 lines instead of hundreds).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use oss_cse_client::envelope::{Envelope, KeyRing};
use oss_cse_client::{DownloadOptions, PutOptions, UploadOptions};
use oss_cse_emulator::{Fault, FaultRule};

#[allow(dead_code)]
#[path = "../cse/support.rs"]
mod support;

use support::*;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The forms a secret could leak in.
fn forms(secret: &[u8]) -> Vec<String> {
    let hex: String = secret.iter().map(|b| format!("{b:02x}")).collect();
    vec![hex.clone(), hex.to_uppercase(), STANDARD.encode(secret), format!("{secret:?}")]
}

#[tokio::test]
async fn no_secret_reaches_logs_errors_debug_or_checkpoints() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber =
        tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_writer(move || writer.clone()).finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let h = start().await;
    let ring = KeyRing::new(rsa("key1", None));
    let client = h.client_with(ring.clone(), oss_cse_client::EncryptionOptions { parallel: 1, ..small_parts() });
    let mut text = String::new();
    let src = h.path("secret.bin");
    std::fs::write(&src, mod251(500_000)).unwrap();
    let checkpoint = h.path("secret.checkpoint");

    client.put_object(BUCKET, "simple", mod251(1000), &PutOptions::default()).await.unwrap();
    h.emulator
        .faults()
        .add(FaultRule::new(Fault::Status { status: 403, code: "AccessDenied".into() }).operation("UploadPart").nth(3));
    let upload = UploadOptions { checkpoint: Some(checkpoint.clone()), ..UploadOptions::default() };
    let err = client.put_file(BUCKET, "multi", &src, &upload).await.unwrap_err();
    text.push_str(&format!("{err} {err:?}\n"));
    text.push_str(&std::fs::read_to_string(&checkpoint).unwrap());
    h.emulator.faults().clear();
    client.put_file(BUCKET, "multi", &src, &upload).await.unwrap();
    let wrong = h.client(KeyRing::new(rsa("key2", None)));
    let err = wrong.get_object(BUCKET, "multi", None).await.unwrap_err();
    text.push_str(&format!("{err} {err:?}\n"));
    let got = client.get_object(BUCKET, "multi", None).await.unwrap();
    text.push_str(&format!("{got:?}\n{client:?}\n{ring:?}\n"));
    client.get_file(BUCKET, "multi", &h.path("secret.out"), &DownloadOptions::default()).await.unwrap();
    // A client whose proxy URL carries a password, printed as -vv would.
    let proxied =
        oss_cse_client::ClientConfig::new(&h.emulator.endpoint(), oss_cse_client::Credentials::new("id", "s"))
            .unwrap()
            .proxy(oss_cse_client::ProxySetting::Url("http://user:proxy-password-123@proxy.example:3128".into()));
    text.push_str(&format!("{proxied:?} {:?}\n", oss_cse_client::OssClient::new(proxied.clone()).unwrap()));

    // The secrets: the private key, and the data keys and IVs actually used.
    let mut secrets: Vec<String> = Vec::new();
    let pem = pem("key1_private_pkcs1.pem");
    secrets.extend(pem.lines().filter(|l| !l.starts_with("-----")).map(str::to_owned));
    secrets.push(h.emulator.access_key_secret().to_owned());
    secrets.push("proxy-password-123".to_owned());
    for key in ["simple", "multi"] {
        let meta = h.oss.head_object(BUCKET, key).await.unwrap();
        let envelope =
            Envelope::from_headers(meta.headers.iter().map(|(k, v)| (k.as_str(), v.as_bytes()))).unwrap().unwrap();
        let material = ring.select(&envelope).unwrap().unwrap(&envelope).await.unwrap();
        text.push_str(&format!("{material:?} {envelope:?}\n"));
        secrets.extend(forms(material.key().expose_secret()));
        secrets.extend(forms(material.iv().expose_secret()));
    }
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    // The capture worked: the HTTP stack's trace logs are in it.
    assert!(logs.lines().count() > 20, "too few log lines captured: {}", logs.lines().count());
    let everything = format!("{logs}\n{text}");
    for secret in &secrets {
        assert!(!everything.contains(secret.as_str()), "secret material leaked: {secret}");
    }
}
