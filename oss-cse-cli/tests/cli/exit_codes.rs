//! The exit statuses of the conventions, one test each, and errors as JSON
//! on stderr with `--json`.

use oss_cse_emulator::{Fault, FaultRule};

use crate::{Env, write};

#[test]
fn usage_and_input_errors_exit_2() {
    let env = Env::new();
    let out = env.run(&["cp", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2), "clap's own usage errors");
    let bad_pem = env.path("bad.pem");
    std::fs::write(&bad_pem, "not a key").unwrap();
    env.fails_with(2, &["cat", "oss://bkt/x", "--rsa-private-key", &bad_pem], "PEM");
    env.fails_with(2, &["cp", "-r", "oss://bkt/", &env.path("d"), "--shard", "9/8", "--rsa-private-key", &bad_pem], "");
    env.fails_with(2, &["cat", "s3://bkt/x", "--rsa-private-key", &env.key("keys1", "private")], "not an oss:// URL");
}

#[test]
fn missing_things_exit_4_and_errors_are_json_with_json() {
    let env = Env::new();
    env.bucket("bkt");
    let private = env.key("keys1", "private");
    env.fails_with(4, &["cat", "oss://bkt/missing", "--rsa-private-key", &private], "NoSuchKey");
    env.fails_with(4, &["cat", "oss://nobucket/x", "--rsa-private-key", &private], "NoSuchBucket");
    env.fails_with(4, &["cat", "oss://bkt/x", "--rsa-private-key", "/nonexistent/key.pem"], "/nonexistent/key.pem");
    let out = env.run(&["--json", "cat", "oss://bkt/missing", "--rsa-private-key", &private]);
    assert_eq!(out.status.code(), Some(4));
    let error: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(error["error"]["exit_code"], 4);
    assert_eq!(error["error"]["oss"]["code"], "NoSuchKey");
    assert!(error["error"]["oss"]["request_id"].as_str().is_some_and(|id| !id.is_empty()), "{error}");
    assert!(out.stdout.is_empty());
}

#[test]
fn refused_or_missing_credentials_exit_5() {
    let env = Env::new();
    env.bucket("bkt");
    let out = env.command(&["ls", "oss://bkt/"]).env("OSS_ACCESS_KEY_SECRET", "wrong").output().unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", String::from_utf8_lossy(&out.stderr));
    let out = env
        .command(&["ls", "oss://bkt/"])
        .env_remove("OSS_ACCESS_KEY_ID")
        .env_remove("OSS_ACCESS_KEY_SECRET")
        .env_remove("ALIBABA_CLOUD_ACCESS_KEY_ID")
        .env_remove("ALIBABA_CLOUD_ACCESS_KEY_SECRET")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn an_unreachable_service_exits_6() {
    let env = Env::new();
    let out = env.command(&["ls", "oss://bkt/"]).env("OSS_ENDPOINT", "http://127.0.0.1:1").output().unwrap();
    assert_eq!(out.status.code(), Some(6), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn integrity_failures_exit_7() {
    let env = Env::new();
    env.bucket("bkt");
    let src = env.path("f.bin");
    write(&src, 5000);
    env.ok(&["cp", &src, "oss://bkt/f", "--rsa-public-key", &env.key("keys1", "public")]);
    // The wrong private key: the envelope does not unwrap.
    env.fails_with(
        7,
        &["cp", "oss://bkt/f", &env.path("out"), "--rsa-private-key", &env.key("keys2", "private")],
        "RSA",
    );
    // A CRC-64 that does not match the bytes received.
    env.emulator().faults().add(FaultRule::new(Fault::WrongCrc).operation("GetObject"));
    env.fails_with(
        7,
        &["cp", "oss://bkt/f", &env.path("out"), "--rsa-private-key", &env.key("keys1", "private")],
        "CRC",
    );
}

#[test]
fn a_reader_that_goes_away_is_not_an_error() {
    let env = Env::new();
    env.bucket("bkt");
    let src = env.path("big.bin");
    write(&src, 3_000_000);
    env.ok(&["cp", &src, "oss://bkt/big", "--rsa-public-key", &env.key("keys1", "public")]);
    let mut cat = env
        .process(&["cat", "oss://bkt/big", "--rsa-private-key", &env.key("keys1", "private")])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read a little, then close the pipe, as `head` does.
    let mut stdout = cat.stdout.take().unwrap();
    let mut first = [0u8; 10];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = cat.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "quietly: {}", String::from_utf8_lossy(&out.stderr));
}

/// Every command that prints lines treats a reader that went away as `cat |
/// head` does: the demo quietly (exit 0, no panic), the gateway by serving on.
#[test]
fn a_closed_standard_output_is_no_panic() {
    let env = Env::new();
    let mut demo = env
        .process(&["demo", "--no-progress"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(demo.stdout.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = demo.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");

    // The emulator command serves on once its first line is read and the pipe closed.
    let mut emulator = env
        .process(&["emulator", "--listen", "127.0.0.1:0", "--data", &env.path("emulator-data")])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(emulator.stdout.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let endpoint = first.trim().rsplit(' ').next().unwrap().trim_start_matches("http://").to_owned();
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(std::net::TcpStream::connect(&endpoint).is_ok(), "still serving on {endpoint}");
    let _ = assert_cmd::Command::new("kill").arg(emulator.id().to_string()).ok();
    let out = emulator.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked") && out.status.success(), "{stderr}");
}

/// A bulk job in which every object failed the same way exits with that
/// failure's status; one with some successes exits 3.
#[test]
fn bulk_jobs_exit_3_or_the_one_shared_status() {
    let env = Env::new();
    env.bucket("bkt");
    let src = env.path("tree");
    for name in ["a", "b", "c"] {
        std::fs::create_dir_all(&src).unwrap();
        write(&format!("{src}/{name}"), 100);
    }
    env.ok(&["cp", "-r", &src, "oss://bkt/t/", "--rsa-public-key", &env.key("keys1", "public")]);
    let wrong = env.key("keys2", "private");
    let out = env.run(&["cp", "-r", "oss://bkt/t/", &env.path("out"), "--rsa-private-key", &wrong]);
    assert_eq!(out.status.code(), Some(7), "all three failed to unwrap");
    env.runtime
        .block_on(env.oss().put_object("bkt", "t/plain", oss_cse_client::Body::from(b"x".to_vec()), vec![]))
        .unwrap();
    let out =
        env.run(&["cp", "-r", "oss://bkt/t/", &env.path("out2"), "--rsa-private-key", &wrong, "--allow-plaintext"]);
    assert_eq!(out.status.code(), Some(3), "one succeeded, three failed");
}

/// An upload the server refuses exits with the server's error, never 0 (the
/// server answers and closes the connection while the body is being sent,
/// and the client's broken pipe used to pass for `cat | head`'s): single and
/// multipart, file and stdin, text and `--json`, and bulk jobs, many runs each.
#[test]
fn a_refused_upload_exits_with_the_servers_error_every_time() {
    let env = Env::new();
    env.bucket("bkt");
    let public = env.key("keys1", "public");
    let src = env.path("3mb.bin");
    let data = write(&src, 3_000_000);
    let secret = env.emulator().access_key_secret();
    let multipart = ["--multipart-threshold", "1M", "--part-size", "512K"];
    let checkpoints = env.path("ck");
    let shapes: [(&str, Vec<&str>); 3] = [
        ("single", vec![]),
        ("multipart", multipart.to_vec()),
        ("resumable", [&multipart[..], &["--resume", &checkpoints]].concat()),
    ];
    for run in 0..8 {
        for (shape, extra) in &shapes {
            let file: Vec<&str> =
                [&["cp", &src, "oss://nosuchbucket/x", "--rsa-public-key", &public], &extra[..]].concat();
            env.fails_with(4, &file, "NoSuchBucket");
            let json: Vec<&str> = [&["--json"], &file[..]].concat();
            let out = env.run(&json);
            assert_eq!(out.status.code(), Some(4), "{shape} --json, run {run}");
            let error: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
            assert_eq!(error["error"]["oss"]["code"], "NoSuchBucket", "{shape}, run {run}");
            let mut stdin = env.command(&["cp", "-", "oss://nosuchbucket/x", "--rsa-public-key", &public]);
            let out = stdin.args(&extra[..extra.len().min(4)]).write_stdin(data.clone()).output().unwrap();
            assert_eq!(
                out.status.code(),
                Some(4),
                "{shape} stdin, run {run}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let out = env.command(&file).env("OSS_ACCESS_KEY_SECRET", format!("{secret}x")).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(5), "{shape}, wrong secret, run {run}: {stderr}");
            assert!(stderr.contains("SignatureDoesNotMatch"), "{stderr}");
            let out = env.command(&file).env("OSS_ACCESS_KEY_ID", "LTAInobody").output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(5), "{shape}, wrong key id, run {run}: {stderr}");
            assert!(stderr.contains("InvalidAccessKeyId"), "{stderr}");
        }
    }
    // A bulk job to a missing bucket: every object fails the same way, with
    // the server's error, and the job exits with its one status.
    let tree = env.path("tree");
    std::fs::create_dir_all(&tree).unwrap();
    for name in ["a", "b", "c"] {
        write(&format!("{tree}/{name}"), 2_000_000);
    }
    for run in 0..4 {
        let out = env.run(&["cp", "-r", &tree, "oss://nosuchbucket/t/", "--rsa-public-key", &public]);
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.status.code(), Some(4), "run {run}: {stdout} {stderr}");
        assert_eq!(stdout.matches("NoSuchBucket").count(), 3, "each object: {stdout}");
        assert!(!stdout.contains("Broken pipe") && !stderr.contains("Broken pipe"), "{stdout} {stderr}");
    }
}
