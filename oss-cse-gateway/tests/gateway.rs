//! The gateway over real HTTP, the emulator behind it, oss2 (from PyPI) on
//! both sides: its plain `Bucket` through the gateway, its `CryptoBucket`
//! straight to the emulator.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use oss_cse_client::envelope::{KeyRing, RsaMasterKey};
use oss_cse_client::{ClientConfig, Credentials, EncryptionClient, OssClient};
use oss_cse_emulator::{Emulator, EmulatorConfig, testing};
use oss_cse_gateway::{ClientKey, Gateway, GatewayConfig};

const BUCKET: &str = "gw-bucket";

fn keys() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors/keys")
}

struct Setup {
    emulator: Emulator,
    gateway: Gateway,
    _dir: tempfile::TempDir,
}

async fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let emulator = Emulator::start(EmulatorConfig::new(&dir.path().join("emulator"))).await.unwrap();
    let credentials = Credentials::new(emulator.access_key_id(), emulator.access_key_secret());
    let oss = OssClient::new(ClientConfig::new(&emulator.endpoint(), credentials).unwrap()).unwrap();
    oss.put_bucket(BUCKET).await.unwrap();
    let pem = |name: &str| std::fs::read_to_string(keys().join(name)).unwrap();
    let key = RsaMasterKey::from_pem(Some(&pem("key1_public_spki.pem")), Some(&pem("key1_private_pkcs1.pem"))).unwrap();
    let client = EncryptionClient::new(oss, KeyRing::new(key));
    let clients = ClientKey::parse_lines("# the gateway's clients\nGWCLIENT:gw-secret\n").unwrap();
    let config =
        GatewayConfig { listen: "127.0.0.1:0".parse().unwrap(), clients, client, region: None, host_names: Vec::new() };
    let gateway = Gateway::start(config).await.unwrap();
    Setup { emulator, gateway, _dir: dir }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oss2s_plain_bucket_through_the_gateway_and_cryptobucket_direct_read_each_other() {
    if !testing::python_with_oss2("oss2 through the gateway") {
        return;
    }
    let s = setup().await;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers/oss2_through_gateway.py");
    let output = tokio::task::block_in_place(|| {
        std::process::Command::new("python3")
            .arg(&script)
            .env("GATEWAY", s.gateway.endpoint())
            .env("EMULATOR", s.emulator.endpoint())
            .env("CLIENT_ID", "GWCLIENT")
            .env("CLIENT_SECRET", "gw-secret")
            .env("UPSTREAM_ID", s.emulator.access_key_id())
            .env("UPSTREAM_SECRET", s.emulator.access_key_secret())
            .env("BUCKET", BUCKET)
            .env("KEYS", keys())
            .env("WORK", s._dir.path())
            .output()
            .unwrap()
    });
    let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success() && stdout.contains("ok"), "{stdout}\n{stderr}");
    s.gateway.shutdown().await;
}

#[tokio::test]
async fn a_gateway_refuses_what_it_cannot_serve_safely() {
    let s = setup().await;
    let credentials = Credentials::new(s.emulator.access_key_id(), s.emulator.access_key_secret());
    let upstream = || {
        let oss = OssClient::new(ClientConfig::new(&s.emulator.endpoint(), credentials.clone()).unwrap()).unwrap();
        EncryptionClient::new(oss, KeyRing::decrypt_only())
    };
    let with = |listen: &str, clients: Vec<ClientKey>| GatewayConfig {
        listen: listen.parse().unwrap(),
        clients,
        client: upstream(),
        region: None,
        host_names: Vec::new(),
    };
    let refused = |result: Result<Gateway, oss_cse_gateway::Error>| match result {
        Err(error) => error.to_string(),
        Ok(_) => panic!("started"),
    };
    let own = ClientKey::parse_lines(&format!("{}:x", s.emulator.access_key_id())).unwrap();
    assert!(refused(Gateway::start(with("127.0.0.1:0", own)).await).contains("upstream's own"));
    assert!(refused(Gateway::start(with("127.0.0.1:0", Vec::new())).await).contains("no client credentials"));
    let one = ClientKey::parse_lines("A:B").unwrap();
    assert!(refused(Gateway::start(with("0.0.0.0:0", one)).await).contains("loopback"));
    let error = ClientKey::parse_lines("ok:fine\nno-secret-here\n").unwrap_err().to_string();
    assert!(error.contains("line 2") && !error.contains("fine"), "{error}");
}
