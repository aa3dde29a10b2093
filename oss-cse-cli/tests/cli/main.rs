//! The real `oss-cse` binary against the emulator on 127.0.0.1.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use oss_cse_emulator::{Emulator, EmulatorConfig, Fault, FaultRule};

mod authenticated;
mod bulk;
mod compat;
mod connection;
mod copy;
mod credentials;
mod exit_codes;
mod gateway;
mod messages;
mod readme;
mod rotation;
mod safety;

struct Env {
    runtime: tokio::runtime::Runtime,
    emulator: Option<Emulator>,
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        Self::with_emulator(|config| config)
    }

    /// An emulator with these settings.
    fn with_emulator(adjust: impl FnOnce(EmulatorConfig) -> EmulatorConfig) -> Self {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let config = adjust(EmulatorConfig::new(&dir.path().join("emulator")));
        let emulator = runtime.block_on(Emulator::start(config)).unwrap();
        let env = Self { runtime, emulator: Some(emulator), dir };
        env.ok(&["keygen", "--out", &env.path("keys1")]);
        env.ok(&["keygen", "--out", &env.path("keys2")]);
        env
    }

    fn emulator(&self) -> &Emulator {
        self.emulator.as_ref().unwrap()
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    fn command(&self, args: &[&str]) -> Command {
        Command::from_std(self.process(args))
    }

    /// The CLI with `args` against the emulator, hermetic, as a plain
    /// process: for tests that read its output as it runs or kill it.
    fn process(&self, args: &[&str]) -> std::process::Command {
        let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("oss-cse"));
        command
            .args(args)
            .env("OSS_ENDPOINT", self.emulator().endpoint())
            .env("OSS_ACCESS_KEY_ID", self.emulator().access_key_id())
            .env("OSS_ACCESS_KEY_SECRET", self.emulator().access_key_secret())
            .env_remove("OSS_REGION")
            .env_remove("OSS_CSE_KMS_ENDPOINT")
            .env_remove("OSS_CSE_KMS_REGION")
            .envs(self.hermetic());
        command
    }

    /// No credential source of the machine running the tests: an empty home
    /// directory, and no asking an ECS metadata service.
    fn hermetic(&self) -> [(&'static str, String); 4] {
        [
            ("HOME", self.path("home")),
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true".into()),
            ("ALIBABA_CLOUD_PROFILE", String::new()),
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", String::new()),
        ]
    }

    /// The same command as a plain process, for tests that kill it.
    fn spawn(&self, args: &[&str]) -> std::process::Child {
        self.process(args)
            .env("OSS_CSE_LOG", "oss_cse_client=debug")
            .stdout(std::process::Stdio::null())
            .stderr(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(self.dir.path().join("spawned.log"))
                    .unwrap(),
            )
            .spawn()
            .unwrap()
    }

    /// Starts the CLI and kills it with SIGKILL after `delay_ms`; `false` if
    /// it had already finished by then.
    fn kill_after(&self, args: &[&str], delay_ms: u64) -> bool {
        let mut child = self.spawn(args);
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        let _ = child.kill();
        let _ = child.wait();
        true
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    /// Fails (an exit status of the conventions, not a crash) with one line
    /// on stderr containing `expected`.
    fn fails(&self, args: &[&str], expected: &str) -> String {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(matches!(out.status.code(), Some(1..=7)), "{args:?} should fail: {:?} {stderr}", out.status.code());
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: one line on stderr: {stderr}");
        stderr
    }

    /// Fails with exit status `code` and one line on stderr containing `expected`.
    fn fails_with(&self, code: i32, args: &[&str], expected: &str) -> String {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        stderr
    }

    /// A plain OSS client for the emulator, to set things up behind the CLI's back.
    fn oss(&self) -> oss_cse_client::OssClient {
        let config = oss_cse_client::ClientConfig::new(
            &self.emulator().endpoint(),
            oss_cse_client::Credentials::new(self.emulator().access_key_id(), self.emulator().access_key_secret()),
        )
        .unwrap();
        oss_cse_client::OssClient::new(config).unwrap()
    }

    fn bucket(&self, name: &str) {
        self.runtime.block_on(self.oss().put_bucket(name)).unwrap();
    }

    fn key(&self, set: &str, half: &str) -> String {
        self.path(&format!("{set}/{half}.pem"))
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        if let Some(emulator) = self.emulator.take() {
            self.runtime.block_on(emulator.shutdown());
        }
    }
}

fn write(path: &str, len: usize) -> Vec<u8> {
    let data: Vec<u8> = (0..len).map(|i| (i * 13 % 251) as u8).collect();
    std::fs::write(path, &data).unwrap();
    data
}

#[test]
fn keygen_writes_a_private_key_only_the_owner_can_read() {
    let env = Env::new();
    let private = PathBuf::from(env.key("keys1", "private"));
    assert!(std::fs::read_to_string(&private).unwrap().starts_with("-----BEGIN PRIVATE KEY-----"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&private).unwrap().permissions().mode() & 0o777, 0o600);
    }
    env.fails(&["keygen", "--out", &env.path("keys1")], "must not exist yet");
    let out = env.run(&["keygen", "--out", &env.path("k"), "--bits", "1024"]);
    assert_eq!(out.status.code(), Some(2), "clap usage error");
}

#[test]
fn cp_up_and_down_stat_cat_ls_with_json() {
    let env = Env::new();
    env.bucket("bkt");
    let src = env.path("src.bin");
    let data = write(&src, 1_500_000);
    let public = env.key("keys1", "public");
    let private = env.key("keys1", "private");
    let out = env.ok(&[
        "--json",
        "cp",
        &src,
        "oss://bkt/dir/data.bin",
        "--rsa-public-key",
        &public,
        "--matdesc",
        r#"{"desc":"k1"}"#,
        "--part-size",
        "256K",
        "--multipart-threshold",
        "512K",
        "--meta",
        "owner=alice",
    ]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["bytes"], 1_500_000);
    assert_eq!(env.emulator().faults().count("UploadPart"), 6);

    let stat: serde_json::Value = serde_json::from_str(&env.ok(&["--json", "stat", "oss://bkt/dir/data.bin"])).unwrap();
    assert_eq!(stat["client_side_encryption"]["format"], "V2");
    assert_eq!(stat["client_side_encryption"]["wrap_algorithm"], "RSA/NONE/PKCS1Padding");
    assert_eq!(stat["client_side_encryption"]["matdesc"], r#"{"desc": "k1"}"#);
    assert_eq!(stat["client_side_encryption"]["part_size"], 262_144);
    let text = env.ok(&["stat", "oss://bkt/dir/data.bin"]);
    assert!(text.contains("client-side encryption: format V2"), "{text}");

    let dest = env.path("dest.bin");
    env.ok(&["cp", "oss://bkt/dir/data.bin", &dest, "--rsa-private-key", &private, "--matdesc", r#"{"desc":"k1"}"#]);
    assert_eq!(std::fs::read(&dest).unwrap(), data);
    let part = env.path("part.bin");
    env.ok(&[
        "cp",
        "oss://bkt/dir/data.bin",
        &part,
        "--range",
        "1000-1999",
        "--decrypt-key",
        &format!("{private}={{\"desc\":\"k1\"}}"),
    ]);
    assert_eq!(std::fs::read(&part).unwrap(), &data[1000..2000]);
    let out = env
        .command(&[
            "cat",
            "oss://bkt/dir/data.bin",
            "--range=-100",
            "--decrypt-key",
            &format!("{private}={{\"desc\":\"k1\"}}"),
        ])
        .output()
        .unwrap();
    assert_eq!(out.stdout, &data[data.len() - 100..]);

    env.ok(&["mb", "oss://second-bucket"]);
    // Re-creating your own bucket succeeds, as on OSS.
    env.ok(&["mb", "oss://second-bucket"]);
    let listing: serde_json::Value = serde_json::from_str(&env.ok(&["--json", "ls", "oss://bkt/dir/"])).unwrap();
    assert_eq!(listing[0]["key"], "dir/data.bin");
    env.ok(&["cp", "oss://bkt/dir/data.bin", "oss://bkt/copy.bin"]);
    let out = env
        .command(&["cat", "oss://bkt/copy.bin", "--decrypt-key", &format!("{private}={{\"desc\":\"k1\"}}")])
        .output()
        .unwrap();
    assert_eq!(out.stdout, data);
}

#[test]
fn stdin_to_oss_and_oss_to_stdout() {
    let env = Env::new();
    env.bucket("bkt");
    let data: Vec<u8> = (0..300_000).map(|i| (i % 7) as u8).collect();
    let out = env
        .command(&[
            "cp",
            "-",
            "oss://bkt/piped",
            "--rsa-public-key",
            &env.key("keys1", "public"),
            "--part-size",
            "100K",
        ])
        .write_stdin(data.clone())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = env
        .command(&["cp", "oss://bkt/piped", "-", "--rsa-private-key", &env.key("keys1", "private")])
        .output()
        .unwrap();
    assert_eq!(out.stdout, data);
}

#[test]
fn sse_on_top_and_bucket_settings() {
    let env = Env::new();
    env.bucket("bkt");
    let src = env.path("s.bin");
    write(&src, 1000);
    env.ok(&[
        "cp",
        &src,
        "oss://bkt/s",
        "--rsa-public-key",
        &env.key("keys1", "public"),
        "--sse",
        "KMS",
        "--sse-key-id",
        "cmk-7",
    ]);
    let stat: serde_json::Value = serde_json::from_str(&env.ok(&["--json", "stat", "oss://bkt/s"])).unwrap();
    assert_eq!(stat["server_side_encryption"], "KMS key cmk-7");
    env.fails(
        &[
            "cp",
            &src,
            "oss://bkt/t",
            "--rsa-public-key",
            &env.key("keys1", "public"),
            "--sse",
            "AES256",
            "--sse-key-id",
            "x",
        ],
        "KMS",
    );
    env.ok(&["sse", "put", "oss://bkt", "--algorithm", "SM4"]);
    assert!(env.ok(&["sse", "get", "oss://bkt"]).contains("SM4"));
    env.fails(&["sse", "put", "oss://bkt", "--algorithm", "AES256", "--kms-data-encryption", "SM4"], "requires KMS");
    // One JSON line per object, then the summary; a rerun skips what is done.
    let summary = |out: String| -> serde_json::Value {
        serde_json::from_str::<serde_json::Value>(out.lines().last().unwrap()).unwrap()["summary"].clone()
    };
    let first = summary(env.ok(&["--json", "sse", "encrypt-existing", "oss://bkt/", "--algorithm", "AES256"]));
    assert_eq!((first["done"].as_u64(), first["skipped"].as_u64()), (Some(1), Some(0)), "{first}");
    let again = summary(env.ok(&["--json", "sse", "encrypt-existing", "oss://bkt/", "--algorithm", "AES256"]));
    assert_eq!((again["done"].as_u64(), again["skipped"].as_u64()), (Some(0), Some(1)), "{again}");
    env.ok(&["sse", "delete", "oss://bkt"]);
    assert!(env.ok(&["sse", "get", "oss://bkt"]).contains("none"));
}

#[test]
fn rewrap_rotates_keys() {
    let env = Env::new();
    env.bucket("bkt");
    let src = env.path("r.bin");
    let data = write(&src, 5000);
    env.ok(&["cp", &src, "oss://bkt/r", "--rsa-public-key", &env.key("keys1", "public")]);
    let (old_private, new_public) = (env.key("keys1", "private"), env.key("keys2", "public"));
    let rewrap = ["rewrap", "oss://bkt/r", "--from-private-key", &old_private, "--rsa-public-key", &new_public];
    // The cost first, and nothing changed by asking: the old key still opens it.
    let dry = env.ok(&[&rewrap[..], &["--dry-run", "--json"]].concat());
    let plan: serde_json::Value = serde_json::from_str(&dry).unwrap();
    assert_eq!(
        (plan["dry_run"].as_bool(), plan["bytes_down"].as_u64(), plan["parts"].as_u64()),
        (Some(true), Some(5000), Some(1))
    );
    let still = env.command(&["cat", "oss://bkt/r", "--rsa-private-key", &old_private]).output().unwrap();
    assert_eq!(still.stdout, data, "a dry run changes nothing");
    let out = env.ok(&[&rewrap[..], &["--matdesc", r#"{"gen":"2"}"#]].concat());
    assert!(out.contains("rewrapped") && out.contains("5000 bytes moved each way, as one PutObject"), "{out}");
    let out = env
        .command(&[
            "cat",
            "oss://bkt/r",
            "--decrypt-key",
            &format!("{}={{\"gen\":\"2\"}}", env.key("keys2", "private")),
        ])
        .output()
        .unwrap();
    assert_eq!(out.stdout, data);
    env.fails(&["cat", "oss://bkt/r", "--rsa-private-key", &env.key("keys1", "private")], "no master key for");
    env.fails(
        &["cat", "oss://bkt/r", "--strict-matdesc", "--rsa-private-key", &env.key("keys1", "private")],
        "no master key matches",
    );
}

#[test]
fn offline_encrypt_and_decrypt_and_the_official_sdks_objects() {
    let env = Env::new();
    let input = env.path("plain.txt");
    let data = write(&input, 70_000);
    let (cipher, meta, back) = (env.path("cipher.bin"), env.path("meta.json"), env.path("back.txt"));
    env.ok(&["encrypt", &input, &cipher, "--meta-out", &meta, "--rsa-public-key", &env.key("keys1", "public")]);
    assert_ne!(std::fs::read(&cipher).unwrap(), data);
    let headers: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&meta).unwrap()).unwrap();
    assert!(headers["x-oss-meta-client-side-encryption-key"].is_string());
    env.ok(&["decrypt", &cipher, &back, "--meta", &meta, "--rsa-private-key", &env.key("keys1", "private")]);
    assert_eq!(std::fs::read(&back).unwrap(), data);
    // V1 too.
    env.ok(&["encrypt", &input, &cipher, "--meta-out", &meta, "--v1", "--rsa-public-key", &env.key("keys1", "public")]);
    assert!(std::fs::read_to_string(&meta).unwrap().contains("x-oss-meta-oss-crypto-key"));
    env.ok(&["decrypt", &cipher, &back, "--meta", &meta, "--rsa-private-key", &env.key("keys1", "private")]);
    assert_eq!(std::fs::read(&back).unwrap(), data);
    // A ciphertext the official SDK wrote, with the headers it stored.
    let vectors = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../vectors");
    let simple: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(vectors.join("v2_rsa_simple.json")).unwrap()).unwrap();
    let case = simple["cases"].as_array().unwrap().iter().find(|c| c["name"] == "v2_rsa_put_len_65541").unwrap();
    std::fs::write(&meta, serde_json::to_string(&case["stored_meta"]).unwrap()).unwrap();
    let official = vectors.join("v2_rsa_put_len_65541.ciphertext.bin");
    env.ok(&[
        "decrypt",
        official.to_str().unwrap(),
        &back,
        "--meta",
        &meta,
        "--rsa-private-key",
        vectors.join("keys/key1_private_pkcs8.pem").to_str().unwrap(),
    ]);
    let expected: Vec<u8> = (0..65_541).map(|i| (i % 251) as u8).collect();
    assert_eq!(std::fs::read(&back).unwrap(), expected);
    // Wrong key: an error, and no output file left looking complete.
    let wrong = env.path("wrong.txt");
    env.fails(
        &[
            "decrypt",
            official.to_str().unwrap(),
            &wrong,
            "--meta",
            &meta,
            "--rsa-private-key",
            &env.key("keys2", "private"),
        ],
        "RSA unwrap",
    );
    assert!(!Path::new(&wrong).exists());
}

#[test]
fn error_paths_a_user_can_hit() {
    let env = Env::new();
    env.bucket("bkt");
    let src = env.path("e.bin");
    write(&src, 10);
    env.fails(&["cp", &src, "oss://bkt/e"], "no master key");
    env.fails(&["cp", &src, "s3://b/e", "--rsa-public-key", &env.key("keys1", "public")], "not an oss:// URL");
    env.fails(&["cp", &src, "oss://bkt/", "--rsa-public-key", &env.key("keys1", "public")], "needs an object key");
    env.fails(&["cp", &src, "oss://bkt/e", "--rsa-public-key", "/nonexistent.pem"], "/nonexistent.pem");
    env.fails(
        &["cp", &src, "oss://bkt/e", "--rsa-public-key", &env.key("keys1", "public"), "--matdesc", "[1]"],
        "--matdesc",
    );
    env.fails(&["cat", "oss://bkt/missing", "--rsa-private-key", &env.key("keys1", "private")], "NoSuchKey");
    env.fails(&["cat", "oss://nosuchbucket/x", "--rsa-private-key", &env.key("keys1", "private")], "NoSuchBucket");
    let out = env
        .command(&["cat", "oss://bkt/e", "--rsa-private-key", &env.key("keys1", "private")])
        .env("OSS_ENDPOINT", "http://127.0.0.1:1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6), "network unavailable");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("transport failure"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = env.command(&["ls", "oss://bkt"]).env_remove("OSS_ENDPOINT").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("no endpoint"));
    // Wrong key, and a plain object.
    env.ok(&["cp", &src, "oss://bkt/e", "--rsa-public-key", &env.key("keys1", "public")]);
    env.fails(&["cp", "oss://bkt/e", &env.path("x"), "--rsa-private-key", &env.key("keys2", "private")], "RSA unwrap");
    assert!(!Path::new(&env.path("x")).exists());
    let config = oss_cse_client::ClientConfig::new(
        &env.emulator().endpoint(),
        oss_cse_client::Credentials::new(env.emulator().access_key_id(), env.emulator().access_key_secret()),
    )
    .unwrap();
    env.runtime
        .block_on(oss_cse_client::OssClient::new(config).unwrap().put_object(
            "bkt",
            "plain",
            oss_cse_client::Body::from(b"hello".to_vec()),
            vec![],
        ))
        .unwrap();
    env.fails(
        &["cat", "oss://bkt/plain", "--rsa-private-key", &env.key("keys1", "private")],
        "not client-side encrypted",
    );
    let out = env
        .command(&["cat", "oss://bkt/plain", "--allow-plaintext", "--rsa-private-key", &env.key("keys1", "private")])
        .output()
        .unwrap();
    assert_eq!(out.stdout, b"hello");
    // A plaintext object needs no key: one is asked for only when an
    // object turns out to be encrypted.
    assert_eq!(env.ok(&["cat", "oss://bkt/plain", "--allow-plaintext"]), "hello");
    let copy = env.path("plain.out");
    env.ok(&["cp", "oss://bkt/plain", &copy, "--allow-plaintext"]);
    assert_eq!(std::fs::read(&copy).unwrap(), b"hello");
    std::fs::write(env.path("secret.txt"), b"secret").unwrap();
    env.ok(&["cp", &env.path("secret.txt"), "oss://bkt/secret", "--rsa-public-key", &env.key("keys1", "public")]);
    env.fails(&["cat", "oss://bkt/secret", "--allow-plaintext"], "no master key");
}

#[test]
fn interrupted_transfers_resume() {
    let env = Env::new();
    env.bucket("bkt");
    let src = env.path("big.bin");
    let data = write(&src, 2_000_000);
    let resume = env.path("checkpoints");
    let public = env.key("keys1", "public");
    // Resuming an upload unwraps its data key again, so the private key is given too.
    let private = env.key("keys1", "private");
    let upload = [
        "cp",
        src.as_str(),
        "oss://bkt/big",
        "--rsa-public-key",
        public.as_str(),
        "--rsa-private-key",
        private.as_str(),
        "--part-size",
        "256K",
        "--multipart-threshold",
        "256K",
        "--parallel",
        "1",
        "--resume",
        resume.as_str(),
    ];
    env.emulator()
        .faults()
        .add(FaultRule::new(Fault::Status { status: 403, code: "AccessDenied".into() }).operation("UploadPart").nth(5));
    env.fails(&upload, "AccessDenied");
    env.emulator().faults().clear();
    let before = env.emulator().faults().count("UploadPart");
    env.ok(&upload);
    assert_eq!(env.emulator().faults().count("UploadPart") - before, 8 - 4);
    let dest = env.path("big.out");
    let download = [
        "cp",
        "oss://bkt/big",
        dest.as_str(),
        "--rsa-private-key",
        private.as_str(),
        "--part-size",
        "256K",
        "--parallel",
        "1",
        "--resume",
        resume.as_str(),
    ];
    env.emulator()
        .faults()
        .add(FaultRule::new(Fault::Status { status: 403, code: "AccessDenied".into() }).operation("GetObject").nth(3));
    env.fails(&download, "AccessDenied");
    assert!(!Path::new(&dest).exists());
    env.emulator().faults().clear();
    let before = env.emulator().faults().count("GetObject");
    env.ok(&download);
    assert_eq!(env.emulator().faults().count("GetObject") - before, 8 - 2);
    assert_eq!(std::fs::read(&dest).unwrap(), data);
}

#[test]
fn no_secret_reaches_the_output() {
    let env = Env::new();
    env.bucket("bkt");
    let src = env.path("s.bin");
    write(&src, 300_000);
    let private_pem = std::fs::read_to_string(env.key("keys1", "private")).unwrap();
    let private_body: String = private_pem.lines().nth(3).unwrap().to_owned();
    let secret = env.emulator().access_key_secret().to_owned();
    let mut outputs = Vec::new();
    for args in [
        vec!["-vv", "cp", src.as_str(), "oss://bkt/s", "--part-size", "100K", "--multipart-threshold", "100K"],
        vec!["-vv", "--json", "cp", "oss://bkt/s", "-"],
        vec!["-vv", "stat", "oss://bkt/s"],
        vec!["-vv", "cp", "oss://bkt/s", "/nonexistent-dir/x"],
    ] {
        let mut full: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        full.extend([
            "--rsa-public-key".to_owned(),
            env.key("keys1", "public"),
            "--rsa-private-key".to_owned(),
            env.key("keys1", "private"),
        ]);
        if args.contains(&"stat") {
            full.truncate(args.len());
        }
        let refs: Vec<&str> = full.iter().map(String::as_str).collect();
        let out = env.run(&refs);
        outputs.push(String::from_utf8_lossy(&out.stderr).into_owned());
        if !args.contains(&"-") {
            outputs.push(String::from_utf8_lossy(&out.stdout).into_owned());
        }
    }
    for output in outputs {
        assert!(!output.contains(&private_body), "private key material in output");
        assert!(!output.contains(&secret), "access key secret in output: {output}");
    }
}

#[test]
fn demo_runs_end_to_end() {
    let env = Env::new();
    let out = env.ok(&["demo", "--no-progress"]);
    assert!(out.contains("demo passed"), "{out}");
}

#[test]
fn keyring_file_and_kms_keys() {
    let env = Env::new();
    env.bucket("bkt");
    let src = env.path("k.bin");
    let data = write(&src, 200_000);
    // A KMS key at the emulator's KMS endpoint.
    let kms = ["--kms-key-id", "cli-cmk", "--kms-endpoint"];
    let endpoint = env.emulator().kms_endpoint();
    let mut args = vec!["cp", src.as_str(), "oss://bkt/kms"];
    args.extend(kms);
    args.push(&endpoint);
    env.ok(&args);
    let stat: serde_json::Value = serde_json::from_str(&env.ok(&["--json", "stat", "oss://bkt/kms"])).unwrap();
    assert_eq!(stat["client_side_encryption"]["wrap_algorithm"], "KMS/ALICLOUD");
    assert!(env.emulator().faults().count("Kms") >= 2);

    // A key ring file: RSA encrypts, and the KMS key decrypts older objects.
    let ring = env.path("ring.toml");
    std::fs::write(
        &ring,
        format!(
            "[encrypt]\nrsa_public_key = \"keys1/public.pem\"\nrsa_private_key = \"keys1/private.pem\"\nmatdesc = {{ desc = \"ring\" }}\n\n[[decrypt]]\nkms_key_id = \"cli-cmk\"\nkms_endpoint = \"{endpoint}\"\n"
        ),
    )
    .unwrap();
    env.ok(&["cp", &src, "oss://bkt/ring", "--keyring", &ring]);
    for key in ["oss://bkt/ring", "oss://bkt/kms"] {
        let out = env.command(&["cat", key, "--keyring", &ring]).output().unwrap();
        assert!(out.status.success(), "{key}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.stdout, data, "{key}");
    }
    // The discontinued RPC signature, still accepted where asked for.
    let out = env.command(&["cat", "oss://bkt/kms", "--keyring", &ring, "--kms-signature", "rpc"]).output().unwrap();
    assert_eq!(out.stdout, data, "{}", String::from_utf8_lossy(&out.stderr));
    // Paths in a key ring file are its own directory's; paths on the command
    // line the working directory's, even beside a key ring elsewhere.
    env.ok(&["cp", &src, "oss://bkt/by-keys2", "--rsa-public-key", &env.key("keys2", "public")]);
    std::fs::create_dir_all(env.path("rings")).unwrap();
    let elsewhere = env.path("rings/ring.toml");
    std::fs::write(&elsewhere, "[encrypt]\nrsa_public_key = \"../keys1/public.pem\"\n").unwrap();
    let out = env
        .command(&["cat", "oss://bkt/by-keys2", "--keyring", "rings/ring.toml", "--decrypt-key", "keys2/private.pem"])
        .current_dir(env.dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.stdout, data);
    std::fs::write(&ring, "[encrypt]\nrsa_public_key = 5\n").unwrap();
    env.fails(&["cp", &src, "oss://bkt/x", "--keyring", &ring], "key ring");
    std::fs::write(&ring, "[encrypt]\nnot_a_field = \"x\"\n").unwrap();
    env.fails(&["cp", &src, "oss://bkt/x", "--keyring", &ring], "key ring");
}

#[test]
fn standalone_emulator_serves_until_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let binary = assert_cmd::cargo::cargo_bin("oss-cse");
    let mut child = std::process::Command::new(&binary)
        .args([
            "emulator",
            "--listen",
            "127.0.0.1:0",
            "--data",
            dir.path().to_str().unwrap(),
            "--credential",
            "ak-1:sk-1",
            "--strict",
            "--region",
            "cn-hangzhou",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().unwrap()));
    let first = lines.next().unwrap().unwrap();
    let endpoint = first.rsplit(' ').next().unwrap().to_owned();
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{first}");
    let export = lines.next().unwrap().unwrap();
    assert!(export.contains("OSS_ACCESS_KEY_ID=ak-1") && export.contains("OSS_ACCESS_KEY_SECRET=sk-1"), "{export}");
    let run_in = |region: &str, args: &[&str]| {
        Command::new(&binary)
            .args(args)
            .env("OSS_ENDPOINT", &endpoint)
            .env("OSS_ACCESS_KEY_ID", "ak-1")
            .env("OSS_ACCESS_KEY_SECRET", "sk-1")
            .env("OSS_REGION", region)
            .output()
            .unwrap()
    };
    let run = |args: &[&str]| run_in("cn-hangzhou", args);
    assert!(run(&["mb", "oss://standalone"]).status.success());
    assert!(run(&["ls", "oss://standalone"]).status.success());
    // With --region, V4 scopes must name the emulator's region, as on OSS.
    let elsewhere = run_in("cn-beijing", &["ls", "oss://standalone"]);
    assert!(String::from_utf8_lossy(&elsewhere.stderr).contains("0002-00000226"), "{elsewhere:?}");
    let wrong = Command::new(&binary)
        .args(["ls", "oss://standalone"])
        .env("OSS_ENDPOINT", &endpoint)
        .env("OSS_ACCESS_KEY_ID", "ak-1")
        .env("OSS_ACCESS_KEY_SECRET", "nope")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("SignatureDoesNotMatch"));
    child.kill().unwrap();
    child.wait().unwrap();
}

/// Kills the CLI with SIGKILL at varying points of a resumable multipart
/// upload and download, many times, then lets it finish: the result is
/// byte-identical, no destination ever looks complete early, and parts
/// already recorded are not sent again.
#[test]
fn sigkill_at_random_points_then_resume() {
    let env = Env::new();
    env.bucket("bkt");
    let src = env.path("kill.bin");
    let data = write(&src, 8_000_000);
    let resume = env.path("kill-checkpoints");
    let (public, private) = (env.key("keys1", "public"), env.key("keys1", "private"));
    let common = [
        "--part-size",
        "128K",
        "--parallel",
        "2",
        "--resume",
        resume.as_str(),
        "--rsa-public-key",
        public.as_str(),
        "--rsa-private-key",
        private.as_str(),
    ];
    let parts = 8_000_000usize.div_ceil(128 * 1024);
    // Slow every part down so a kill lands mid-transfer.
    env.emulator()
        .faults()
        .add(FaultRule::new(Fault::Delay(std::time::Duration::from_millis(60))).operation("UploadPart"));
    env.emulator()
        .faults()
        .add(FaultRule::new(Fault::Delay(std::time::Duration::from_millis(60))).operation("GetObject"));
    // 62 parts at 60 ms each, 2 at a time: about 1.9 s of work, more than
    // eight runs of at most 200 ms get done before their kills.
    let kill_after: Vec<u64> = (0..8).map(|_| rand::random_range(40..=200)).collect();
    eprintln!("kill points (ms): {kill_after:?}");
    let mut upload = vec!["cp", src.as_str(), "oss://bkt/killed"];
    upload.extend(common);
    let mut after_each = Vec::new();
    let mut kills = 0;
    for &delay in &kill_after {
        // A run that finished before its kill completed the upload: a later
        // run would be a new transfer, so the kills stop there.
        if !env.kill_after(&upload, delay) {
            break;
        }
        kills += 1;
        let requests = env.emulator().faults().requests();
        after_each.push((
            requests.iter().filter(|r| r.operation() == "UploadPart").count(),
            requests.iter().filter(|r| r.operation() == "InitiateMultipartUpload").count(),
        ));
    }
    assert_eq!(kills, kill_after.len(), "every run was killed mid-transfer (kill points {kill_after:?})");
    // The kills landed mid-transfer: a checkpoint is waiting. The final run
    // sends exactly the parts it does not record as done.
    // (A kill during a checkpoint save may also leave that save's temporary
    // file; the next run removes it.)
    let checkpoints: Vec<_> = std::fs::read_dir(&resume)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    assert_eq!(checkpoints.len(), 1, "one checkpoint left by the killed uploads: {checkpoints:?}");
    let record: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&checkpoints[0]).unwrap()).unwrap();
    let recorded = record["record"]["parts"].as_array().unwrap().len();
    let before_final = env.emulator().faults().count("UploadPart");
    env.ok(&upload);
    let sent = env.emulator().faults().count("UploadPart");
    assert_eq!(
        sent - before_final,
        parts - recorded,
        "the final run sends only the parts not recorded; logs: {}",
        std::fs::read_to_string(env.dir.path().join("spawned.log")).unwrap_or_default()
    );
    // Parts in flight at each kill (at most --jobs) may be sent again; nothing else.
    assert!(
        sent <= parts + kills * 2,
        "{sent} UploadPart requests for {parts} parts; (parts, initiates) after each kill {after_each:?}; logs: {}",
        std::fs::read_to_string(env.dir.path().join("spawned.log")).unwrap_or_default()
    );

    let dest = env.path("killed.out");
    let mut download = vec!["cp", "oss://bkt/killed", dest.as_str()];
    download.extend(common);
    for &delay in &kill_after {
        if !env.kill_after(&download, delay) {
            break;
        }
        assert!(
            !Path::new(&dest).exists() || std::fs::read(&dest).unwrap() == data,
            "a destination that looks complete must be complete"
        );
    }
    env.ok(&download);
    assert_eq!(std::fs::read(&dest).unwrap(), data);
    // Only the directory's checkpoint key stays (created once, mode 0600; see SECURITY.md).
    let left: Vec<_> = std::fs::read_dir(&resume)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|name| name != ".oss-cse-checkpoint.key")
        .collect();
    assert!(left.is_empty(), "finished transfers leave no checkpoint or temporary file: {left:?}");
    let partial: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains("oss-cse-partial"))
        .collect();
    assert!(partial.is_empty(), "no partial download file is left: {partial:?}");
}

/// `ls` follows the listing page by page (1,000 keys each) and prints as it
/// goes; text and JSON both list every object once.
#[test]
fn ls_lists_every_page() {
    let env = Env::new();
    env.bucket("pages");
    let oss = env.oss();
    env.runtime.block_on(async {
        use futures_util::StreamExt;
        let puts = (0..1_005).map(|i| {
            let oss = oss.clone();
            async move { oss.put_object("pages", &format!("many/{i:04}"), vec![i as u8].into(), vec![]).await }
        });
        let mut puts = futures_util::stream::iter(puts).buffer_unordered(16);
        while let Some(put) = puts.next().await {
            put.unwrap();
        }
    });
    let text = env.ok(&["ls", "oss://pages/many/"]);
    assert_eq!(text.lines().count(), 1_005);
    assert!(text.lines().last().unwrap().ends_with("oss://pages/many/1004"), "{}", text.lines().last().unwrap());
    let listing: serde_json::Value = serde_json::from_str(&env.ok(&["--json", "ls", "oss://pages/many/"])).unwrap();
    let keys: Vec<&str> = listing.as_array().unwrap().iter().map(|o| o["key"].as_str().unwrap()).collect();
    assert_eq!(keys.len(), 1_005);
    assert_eq!(keys.iter().collect::<std::collections::BTreeSet<_>>().len(), 1_005, "no key listed twice");
    let empty: serde_json::Value = serde_json::from_str(&env.ok(&["--json", "ls", "oss://pages/none/"])).unwrap();
    assert_eq!(empty, serde_json::json!([]));
}

/// The completions and the man page under `docs/` are what this binary
/// prints (regenerate them with `cargo xtask docs`).
#[test]
fn generated_completions_and_man_page_are_current() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let generated: [(&str, &[&str]); 5] = [
        ("docs/completions/oss-cse.bash", &["completions", "bash"]),
        ("docs/completions/_oss-cse", &["completions", "zsh"]),
        ("docs/completions/oss-cse.fish", &["completions", "fish"]),
        ("docs/completions/_oss-cse.ps1", &["completions", "powershell"]),
        ("docs/man/oss-cse.1", &["man"]),
    ];
    for (path, args) in generated {
        let out = Command::cargo_bin("oss-cse").unwrap().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let committed = std::fs::read(root.join(path)).unwrap_or_default();
        assert!(committed == out.stdout, "{path} is not current: run `cargo xtask docs` and commit it");
    }
}

/// Downloading onto an existing file says so.
#[test]
fn a_download_over_an_existing_file_says_so() {
    let env = Env::new();
    env.bucket("bkt");
    let src = env.path("s.bin");
    write(&src, 100);
    env.ok(&["cp", &src, "oss://bkt/s", "--rsa-public-key", &env.key("keys1", "public")]);
    let dst = env.path("d.bin");
    let private = env.key("keys1", "private");
    let first = env.ok(&["cp", "oss://bkt/s", &dst, "--rsa-private-key", &private]);
    assert!(!first.contains("replacing"), "{first}");
    let second = env.ok(&["cp", "oss://bkt/s", &dst, "--rsa-private-key", &private]);
    assert!(second.contains("replacing the file that was there"), "{second}");
}
