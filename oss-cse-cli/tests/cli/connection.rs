//! Reaching OSS through a proxy from the command line: `HTTP_PROXY` from the
//! environment, or `--proxy`. The endpoint's name does not resolve, so only
//! the proxy (which sends every connection to the emulator) can carry it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::Env;

/// A forward proxy on 127.0.0.1 sending every connection to `target`.
fn proxy_to(env: &Env, target: std::net::SocketAddr) -> (String, Arc<AtomicUsize>) {
    let listener = env.runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    env.runtime.spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                if let Ok(mut upstream) = tokio::net::TcpStream::connect(target).await {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
                }
            });
        }
    });
    (url, connections)
}

#[test]
fn the_environment_proxy_and_proxy_flag_are_used() {
    let env = Env::new();
    env.bucket("bkt");
    let endpoint = env.emulator().endpoint();
    let target: std::net::SocketAddr = endpoint.trim_start_matches("http://").parse().unwrap();
    let port = target.port();
    let unresolvable = format!("http://oss-emulator.invalid:{port}");
    let (url, connections) = proxy_to(&env, target);
    let ls = |extra: &[&str], proxy_env: Option<&str>| {
        let mut args = vec!["ls", "-r", "oss://bkt/", "--path-style"];
        args.extend_from_slice(extra);
        let mut command = env.command(&args);
        command
            .env("OSS_ENDPOINT", &unresolvable)
            .env_remove("HTTPS_PROXY")
            .env_remove("ALL_PROXY")
            .env_remove("NO_PROXY");
        match proxy_env {
            Some(proxy) => command.env("HTTP_PROXY", proxy),
            None => command.env_remove("HTTP_PROXY"),
        };
        command.output().unwrap()
    };
    let out = ls(&[], Some(&url));
    assert!(out.status.success(), "HTTP_PROXY: {}", String::from_utf8_lossy(&out.stderr));
    let through_env = connections.load(Ordering::SeqCst);
    assert!(through_env >= 1);
    let out = ls(&["--proxy", &url], None);
    assert!(out.status.success(), "--proxy: {}", String::from_utf8_lossy(&out.stderr));
    assert!(connections.load(Ordering::SeqCst) > through_env);
    let out = ls(&[], None);
    assert_eq!(out.status.code(), Some(6), "no proxy, no route: {}", String::from_utf8_lossy(&out.stderr));
}

/// `-v` logs one line per request (operation, object, status, request id,
/// latency), without colours when not at a terminal, and never a signature
/// or a secret.
#[test]
fn verbose_logs_one_line_per_request_and_no_secret() {
    let env = Env::new();
    env.bucket("bkt");
    let out = env.command(&["-v", "ls", "-r", "oss://bkt/"]).output().unwrap();
    assert!(out.status.success());
    let log = String::from_utf8_lossy(&out.stderr);
    let line = log.lines().find(|l| l.contains("request") && l.contains("ListObjectsV2")).unwrap_or_default();
    for field in ["status=200", "request_id=", "latency_ms=", "resource=oss://bkt"] {
        assert!(line.contains(field), "{field} in {line:?}");
    }
    assert!(!log.contains('\u{1b}'), "no colour codes off a terminal");
    let secret = env.emulator().access_key_secret();
    assert!(!log.contains(secret) && !log.contains("Signature") && !log.contains("OSS4-HMAC"), "{log}");
}

/// Connection flags before the command, as aws-cli and ossutil take them:
/// they win over the environment, the same flag after the command wins over
/// them, `config` says so, and a command that reaches nothing refuses them.
#[test]
fn connection_flags_before_the_command() {
    let env = Env::new();
    env.bucket("bkt");
    let endpoint = env.emulator().endpoint();
    let dead = "http://127.0.0.1:9";
    let run = |args: &[&str]| env.command(args).env("OSS_ENDPOINT", dead).output().unwrap();
    let out = run(&["--endpoint", &endpoint, "ls", "oss://bkt/"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&[&format!("--endpoint={dead}"), "--path-style", "ls", "--endpoint", &endpoint, "oss://bkt/"]);
    assert!(out.status.success(), "the flag after the command wins: {}", String::from_utf8_lossy(&out.stderr));
    let out = run(&["--json", "--endpoint", &endpoint, "config"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let endpoint_setting =
        report["settings"].as_array().unwrap().iter().find(|s| s["name"] == "endpoint").unwrap().clone();
    assert_eq!(endpoint_setting["value"], endpoint.as_str());
    assert_eq!(endpoint_setting["source"], "--endpoint before the command");
    let out = env.run(&["--endpoint", &endpoint, "keygen", "--out", &env.path("k")]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}
