//! `oss-cse gateway`: started by the CLI with the key flags of `cp`, a plain
//! OSS client through it, the CLI reading the stored object directly.

use assert_cmd::Command;
use oss_cse_client::{Body, ClientConfig, Credentials, GetOptions, OssClient};

use crate::Env;

/// `oss-cse` with `args` then `more`, against the emulator, and the first
/// line it prints (the endpoint, once it listens).
fn start_gateway(env: &Env, args: &[&str], more: &[&str]) -> (std::process::Child, String) {
    let mut child = env.process(args).args(more).stdout(std::process::Stdio::piped()).spawn().unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().unwrap()));
    let first = lines.next().unwrap().unwrap();
    (child, first)
}

#[test]
fn the_gateway_command_encrypts_for_plain_clients() {
    let env = Env::new();
    env.bucket("gwbkt");
    let clients = env.path("clients.txt");
    std::fs::write(&clients, "# who may use the gateway\ngw-client:gw-client-secret\n").unwrap();
    let (public, private) = (env.key("keys1", "public"), env.key("keys1", "private"));
    let (mut child, first) = start_gateway(
        &env,
        &["gateway", "--listen", "127.0.0.1:0", "--client-credentials", &clients, "--rsa-public-key", &public],
        &["--rsa-private-key", &private],
    );
    let endpoint = first.rsplit(' ').next().unwrap().to_owned();
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{first}");

    let plain =
        OssClient::new(ClientConfig::new(&endpoint, Credentials::new("gw-client", "gw-client-secret")).unwrap())
            .unwrap();
    let payload: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    env.runtime
        .block_on(plain.put_object("gwbkt", "through/gateway.bin", Body::from(payload.clone()), vec![]))
        .unwrap();
    let back = env.runtime.block_on(async {
        plain.get_object("gwbkt", "through/gateway.bin", &GetOptions::default()).await?.body.collect().await
    });
    assert_eq!(back.unwrap(), payload);
    // What OSS holds is ciphertext, which the CLI opens with the key.
    let stored = env.runtime.block_on(async {
        env.oss().get_object("gwbkt", "through/gateway.bin", &GetOptions::default()).await?.body.collect().await
    });
    assert_ne!(stored.unwrap(), payload);
    let out = env.path("gateway.out");
    env.ok(&["cp", "oss://gwbkt/through/gateway.bin", &out, "--rsa-private-key", &env.key("keys1", "private")]);
    assert_eq!(std::fs::read(&out).unwrap(), payload);

    // SIGTERM stops it cleanly.
    let _ = Command::new("kill").arg(child.id().to_string()).ok();
    assert!(child.wait().unwrap().success());
}

#[test]
fn off_loopback_the_gateway_command_wants_a_certificate_and_its_key() {
    let env = Env::new();
    let clients = env.path("clients.txt");
    std::fs::write(&clients, "gw-client:gw-client-secret\n").unwrap();
    let tls = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../oss-cse-gateway/tests/tls");
    let (cert, key) = (tls.join("gateway.pem"), tls.join("gateway.key.pem"));
    let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());
    let public = env.key("keys1", "public");
    let base = ["gateway", "--listen", "0.0.0.0:0", "--client-credentials", &clients, "--rsa-public-key", &public];
    env.fails(&base, "TLS only");
    env.fails_with(2, &[&base[..], &["--tls-cert", cert]].concat(), "--tls-key");
    env.fails(&[&base[..], &["--tls-cert", key, "--tls-key", key]].concat(), "no CERTIFICATE");

    let (mut child, first) = start_gateway(&env, &base, &["--tls-cert", cert, "--tls-key", key]);
    assert!(first.contains("https://0.0.0.0:"), "{first}");
    let _ = Command::new("kill").arg(child.id().to_string()).ok();
    assert!(child.wait().unwrap().success());
}
