//! Never lose, corrupt or leak a byte: full disks, shared file names,
//! directories, signals and planted symlinks, tried on the real binary.

use std::path::Path;
use std::process::Output;

use oss_cse_emulator::{Fault, FaultRule};

use super::{Env, write};

/// Every entry of `dir`, sorted.
fn entries(dir: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

impl Env {
    /// Runs `script` with `sh -c`, `$BIN` the CLI, and the emulator's
    /// connection settings in the environment.
    fn shell(&self, script: &str) -> Output {
        std::process::Command::new("sh")
            .args(["-c", script])
            .env("BIN", assert_cmd::cargo::cargo_bin("oss-cse"))
            .env("OSS_ENDPOINT", self.emulator().endpoint())
            .env("OSS_ACCESS_KEY_ID", self.emulator().access_key_id())
            .env("OSS_ACCESS_KEY_SECRET", self.emulator().access_key_secret())
            .output()
            .unwrap()
    }

    /// The object's metadata, if it exists.
    fn oss_head(&self, bucket: &str, key: &str) -> Option<oss_cse_client::ObjectMeta> {
        self.runtime.block_on(self.oss().head_object(bucket, key)).ok()
    }

    /// The CLI with `RLIMIT_FSIZE` at `bytes` and SIGXFSZ ignored, so a write
    /// past the limit fails with EFBIG (as on a full disk) instead of killing it.
    fn limited(&self, bytes: u64, args: &[&str]) -> Output {
        let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
        self.shell(&format!("trap '' XFSZ; exec prlimit --fsize={bytes} -- \"$BIN\" {}", quoted.join(" ")))
    }
}

fn failed(out: &Output, what: &str) {
    assert!(!out.status.success(), "{what} must fail: {}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn a_write_past_the_file_size_limit_fails_and_leaves_nothing() {
    let env = Env::new();
    let dir = env.path("limited");
    std::fs::create_dir(&dir).unwrap();
    let plain = env.path("plain.bin");
    write(&plain, 300_000);
    let (public, private) = (env.key("keys1", "public"), env.key("keys1", "private"));
    let (cipher, meta) = (format!("{dir}/c.bin"), format!("{dir}/c.json"));

    // Offline encrypt: neither ciphertext nor envelope is left.
    let out = env.limited(100_000, &["encrypt", &plain, &cipher, "--meta-out", &meta, "--rsa-public-key", &public]);
    failed(&out, "encrypt into a full disk");
    assert!(String::from_utf8_lossy(&out.stderr).contains("c.bin"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(entries(&dir), Vec::<String>::new());

    // Offline decrypt: no output, no temporary file.
    env.ok(&["encrypt", &plain, &cipher, "--meta-out", &meta, "--rsa-public-key", &public]);
    let decrypted = format!("{dir}/d.bin");
    let out = env.limited(100_000, &["decrypt", &cipher, &decrypted, "--meta", &meta, "--rsa-private-key", &private]);
    failed(&out, "decrypt into a full disk");
    assert_eq!(entries(&dir), ["c.bin", "c.json"]);

    // The envelope itself is what does not fit: nothing is left either.
    std::fs::remove_file(&cipher).unwrap();
    std::fs::remove_file(&meta).unwrap();
    let small = env.path("small.bin");
    write(&small, 10);
    let out = env.limited(200, &["encrypt", &small, &cipher, "--meta-out", &meta, "--rsa-public-key", &public]);
    failed(&out, "an envelope into a full disk");
    assert_eq!(entries(&dir), Vec::<String>::new());

    // keygen: no half-written private key.
    let keys = format!("{dir}/keys");
    failed(&env.limited(1000, &["keygen", "--out", &keys]), "keygen into a full disk");
    assert_eq!(entries(&keys), Vec::<String>::new());
}

#[test]
fn a_download_into_a_full_filesystem_fails_and_leaves_no_plaintext() {
    let root = std::process::Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    if !root || !Path::new("/usr/bin/unshare").exists() {
        // A tmpfs needs root; the RLIMIT test above covers the rest.
        eprintln!("SKIPPED: mounting a tmpfs needs root and unshare");
        return;
    }
    let env = Env::new();
    env.bucket("bkt");
    let src = env.path("big.bin");
    let data = write(&src, 2_000_000);
    let (public, private) = (env.key("keys1", "public"), env.key("keys1", "private"));
    env.ok(&["cp", &src, "oss://bkt/big", "--rsa-public-key", &public]);
    let (mount, kept) = (env.path("tiny"), env.path("kept"));
    std::fs::create_dir(&mount).unwrap();
    // The filesystem lives only in the child's mount namespace: copy what the
    // failed runs left to `kept` before the namespace goes.
    let script = format!(
        "mount -t tmpfs -o size=1m tmpfs {mount} || exit 99
         \"$BIN\" cp oss://bkt/big {mount}/out.bin --rsa-private-key {private} --part-size 256K; echo plain=$?
         \"$BIN\" cp oss://bkt/big {mount}/resumed.bin --rsa-private-key {private} --part-size 256K \
             --resume {mount}/ck; echo resumable=$?
         cp -a {mount}/. {kept}/"
    );
    let out = env.shell(&format!("unshare -m sh -c '{script}'"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout} {}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("plain=1") && stdout.contains("resumable=1"), "both runs fail: {stdout}");
    let left = entries(&kept);
    assert!(!left.iter().any(|n| n.starts_with("out.bin") || n.starts_with(".out.bin")), "{left:?}");
    assert!(!left.iter().any(|n| n == "resumed.bin"), "{left:?}");
    // The resumable run keeps its checkpoint and the temporary file it names;
    // the checkpoint is whole JSON, never a truncated file.
    for checkpoint in entries(&format!("{kept}/ck")).iter().filter(|name| name.ends_with(".json")) {
        let text = std::fs::read_to_string(format!("{kept}/ck/{checkpoint}")).unwrap();
        let file: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{checkpoint}: {e}"));
        let temp = file["record"]["temp"].as_str().unwrap();
        let temp = Path::new(temp).file_name().unwrap().to_string_lossy().into_owned();
        assert!(left.contains(&temp), "the checkpoint names {temp}: {left:?}");
    }
    let out_path = env.path("after.bin");
    env.ok(&["cp", "oss://bkt/big", &out_path, "--rsa-private-key", &private]);
    assert_eq!(std::fs::read(&out_path).unwrap(), data);
}

#[test]
fn offline_encrypt_never_destroys_the_only_plaintext() {
    let env = Env::new();
    let doc = env.path("doc");
    let data = write(&doc, 50_000);
    let public = env.key("keys1", "public");
    let private = env.key("keys1", "private");
    // The envelope cannot be written: the plaintext stays as it was.
    let missing = env.path("missing-dir/m.json");
    let out = env.run(&["encrypt", &doc, &doc, "--meta-out", &missing, "--rsa-public-key", &public]);
    assert!(!out.status.success());
    assert_eq!(std::fs::read(&doc).unwrap(), data);
    // The envelope would overwrite the data (directly, or through a link).
    env.fails(&["encrypt", &doc, &env.path("c"), "--meta-out", &doc, "--rsa-public-key", &public], "is the input");
    env.fails(&["encrypt", &doc, &doc, "--meta-out", &doc, "--rsa-public-key", &public], "is the input");
    std::os::unix::fs::symlink(&doc, env.path("link")).unwrap();
    env.fails(
        &["encrypt", &doc, &env.path("c"), "--meta-out", &env.path("link"), "--rsa-public-key", &public],
        "is the",
    );
    env.fails(&["encrypt", &doc, &env.path("link"), "--meta-out", &doc, "--rsa-public-key", &public], "is the");
    assert_eq!(std::fs::read(&doc).unwrap(), data);
    let c = env.path("c");
    std::fs::write(&c, b"old").unwrap();
    env.fails(&["decrypt", &c, &env.path("p"), "--meta", &c, "--rsa-private-key", &private], "is the input");
    // In place, with the envelope beside it: atomic, and it decrypts back.
    let meta = env.path("doc.json");
    env.ok(&["encrypt", &doc, &doc, "--meta-out", &meta, "--rsa-public-key", &public]);
    assert_ne!(std::fs::read(&doc).unwrap(), data);
    env.ok(&["decrypt", &doc, &doc, "--meta", &meta, "--rsa-private-key", &private]);
    assert_eq!(std::fs::read(&doc).unwrap(), data);
    assert_eq!(entries(&env.path("")).iter().filter(|n| n.contains("oss-cse-partial")).count(), 0);
}

#[test]
fn downloads_into_a_directory_use_the_object_name() {
    let env = Env::new();
    env.bucket("bkt");
    let src = env.path("report.bin");
    let data = write(&src, 70_000);
    let (public, private) = (env.key("keys1", "public"), env.key("keys1", "private"));
    env.ok(&["cp", &src, "oss://bkt/2026/report.pdf", "--rsa-public-key", &public]);
    let dir = env.path("into");
    std::fs::create_dir(&dir).unwrap();
    env.ok(&["cp", "oss://bkt/2026/report.pdf", &dir, "--rsa-private-key", &private]);
    env.ok(&["cp", "oss://bkt/2026/report.pdf", &format!("{dir}/sub/"), "--rsa-private-key", &private]);
    assert_eq!(std::fs::read(format!("{dir}/report.pdf")).unwrap(), data);
    assert_eq!(std::fs::read(format!("{dir}/sub/report.pdf")).unwrap(), data);
    assert_eq!(entries(&dir), ["report.pdf", "sub"]);
    // Offline decrypt into a directory is refused before anything is written.
    let meta = env.path("m.json");
    env.ok(&["encrypt", &src, &env.path("c.bin"), "--meta-out", &meta, "--rsa-public-key", &public]);
    env.fails(&["decrypt", &env.path("c.bin"), &dir, "--meta", &meta, "--rsa-private-key", &private], "directory");
    assert_eq!(entries(&dir), ["report.pdf", "sub"]);
}

#[test]
fn a_planted_symlink_never_receives_plaintext() {
    let env = Env::new();
    let src = env.path("secret.bin");
    let data = write(&src, 40_000);
    let (public, private) = (env.key("keys1", "public"), env.key("keys1", "private"));
    let (cipher, meta) = (env.path("c.bin"), env.path("c.json"));
    env.ok(&["encrypt", &src, &cipher, "--meta-out", &meta, "--rsa-public-key", &public]);
    let victim = env.path("victim");
    std::fs::write(&victim, b"attacker's file").unwrap();
    // The fixed name older versions wrote through.
    std::os::unix::fs::symlink(&victim, env.path(".out.bin.oss-cse-partial")).unwrap();
    let out = env.path("out.bin");
    env.ok(&["decrypt", &cipher, &out, "--meta", &meta, "--rsa-private-key", &private]);
    assert_eq!(std::fs::read(&victim).unwrap(), b"attacker's file");
    assert!(std::fs::symlink_metadata(&out).unwrap().file_type().is_file());
    assert_eq!(std::fs::read(&out).unwrap(), data);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o077, 0, "plaintext is private");
    }
}

/// SIGTERM (and SIGINT) in the middle of a download: exit 130 and no
/// plaintext left, unless --resume asked to keep what its checkpoint names.
#[test]
fn a_signal_removes_partial_plaintext() {
    let env = Env::new();
    env.bucket("bkt");
    let src = env.path("big.bin");
    let data = write(&src, 2_000_000);
    let (public, private) = (env.key("keys1", "public"), env.key("keys1", "private"));
    env.ok(&["cp", &src, "oss://bkt/big", "--rsa-public-key", &public]);
    env.emulator()
        .faults()
        .add(FaultRule::new(Fault::Delay(std::time::Duration::from_millis(150))).operation("GetObject"));
    let dir = env.path("dest");
    std::fs::create_dir(&dir).unwrap();
    let dest = format!("{dir}/out.bin");
    let resume = env.path("ck");
    for (signal, resumable) in [("TERM", false), ("INT", false), ("TERM", true)] {
        let mut args = vec!["cp", "oss://bkt/big", dest.as_str(), "--rsa-private-key", &private, "--part-size", "128K"];
        args.extend(["--parallel", "1"]);
        if resumable {
            args.extend(["--resume", resume.as_str()]);
        }
        let mut child = env.spawn(&args);
        std::thread::sleep(std::time::Duration::from_millis(700));
        assert!(child.try_wait().unwrap().is_none(), "still downloading");
        let killed = std::process::Command::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status();
        assert!(killed.unwrap().success());
        assert_eq!(child.wait().unwrap().code(), Some(130), "SIG{signal}");
        let left = entries(&dir);
        if resumable {
            assert_eq!(left.len(), 1, "the temporary file the checkpoint names: {left:?}");
            assert!(left[0].starts_with(".out.bin.oss-cse-partial-"), "{left:?}");
        } else {
            assert_eq!(left, Vec::<String>::new(), "SIG{signal}");
        }
    }
    env.emulator().faults().clear();
    env.ok(&["cp", "oss://bkt/big", &dest, "--rsa-private-key", &private, "--resume", &resume, "--part-size", "128K"]);
    assert_eq!(std::fs::read(&dest).unwrap(), data);
    assert_eq!(entries(&dir), ["out.bin"]);
}

#[test]
fn key_files_are_bounded_pairs_checked_and_keygen_private() {
    let env = Env::new();
    env.bucket("bkt");
    let src = env.path("a.bin");
    write(&src, 1000);
    // A device that never ends is refused, not read forever.
    let started = std::time::Instant::now();
    env.fails(&["cat", "oss://bkt/a", "--rsa-private-key", "/dev/zero"], "larger than");
    env.fails(&["cp", &src, "oss://bkt/a", "--keyring", "/dev/zero"], "larger than");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    // The public half of one pair with the private half of another.
    env.fails(
        &[
            "cp",
            &src,
            "oss://bkt/a",
            "--rsa-public-key",
            &env.key("keys1", "public"),
            "--rsa-private-key",
            &env.key("keys2", "private"),
        ],
        "not the private key's",
    );
    assert!(env.oss_head("bkt", "a").is_none(), "nothing was uploaded");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(env.path("keys1")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "{mode:o}");
    }
}

/// A piped upload of the wrong length is refused before Complete: nothing
/// is stored and no multipart upload is left behind.
#[test]
fn a_piped_upload_of_the_wrong_length_stores_nothing() {
    let env = Env::new();
    env.bucket("bkt");
    let public = env.key("keys1", "public");
    let upload = |len: usize, expected: &str, part: &str| {
        let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        let args = ["cp", "-", "oss://bkt/piped", "--rsa-public-key", &public, "--expected-size", expected];
        env.command(&args).args(["--part-size", part]).write_stdin(data).output().unwrap()
    };
    for (len, expected, part) in
        [(999, "1000", "100K"), (1001, "1000", "100K"), (250_000, "300000", "100K"), (350_000, "300000", "100K")]
    {
        let out = upload(len, expected, part);
        assert!(!out.status.success(), "{len} bytes, expected {expected}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("expected"), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(env.oss_head("bkt", "piped").is_none(), "{len} bytes: nothing stored");
    }
    let uploads = env.runtime.block_on(env.oss().list_multipart_uploads("bkt", "")).unwrap();
    assert!(uploads.is_empty(), "{uploads:?}");
    assert!(upload(300_000, "300000", "100K").status.success());
    let meta = env.oss_head("bkt", "piped").unwrap();
    assert_eq!(meta.envelope().unwrap().unwrap().data_size, Some(300_000));
    env.fails(
        &["cp", &env.key("keys1", "public"), "oss://bkt/f", "--rsa-public-key", &public, "--expected-size", "5"],
        "stdin",
    );
}

/// `--md5` records the plaintext MD5 for files (one extra pass) and for
/// stdin (through the ciphertext spool), and whole downloads check it.
#[test]
fn md5_is_recorded_for_files_and_streams_and_checked() {
    let env = Env::new();
    env.bucket("bkt");
    let public = env.key("keys1", "public");
    let private = env.key("keys1", "private");
    let src = env.path("m.bin");
    let data = write(&src, 350_000);
    let small = ["--part-size", "100K", "--multipart-threshold", "100K"];
    env.ok(&["cp", &src, "oss://bkt/file", "--rsa-public-key", &public, "--md5"]);
    let mut multipart = vec!["cp", src.as_str(), "oss://bkt/parts", "--rsa-public-key", &public, "--md5"];
    multipart.extend(small);
    env.ok(&multipart);
    let out = env
        .command(&["cp", "-", "oss://bkt/piped", "--rsa-public-key", &public, "--md5", "--part-size", "100K"])
        .write_stdin(data.clone())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let expected = {
        use md5::Digest as _;
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, md5::Md5::digest(&data))
    };
    for key in ["file", "parts", "piped"] {
        let envelope = env.oss_head("bkt", key).unwrap().envelope().unwrap().unwrap();
        assert_eq!(envelope.unencrypted_content_md5.as_deref(), Some(expected.as_str()), "{key}");
        let dest = env.path(&format!("{key}.out"));
        env.ok(&["cp", &format!("oss://bkt/{key}"), &dest, "--rsa-private-key", &private]);
        assert_eq!(std::fs::read(&dest).unwrap(), data, "{key}");
    }
    assert_eq!(env.oss_head("bkt", "piped").unwrap().envelope().unwrap().unwrap().data_size, Some(350_000));

    // The same ciphertext stored again with another MD5: refused, no file.
    let (meta, body) = env.runtime.block_on(async {
        let got = env.oss().get_object("bkt", "file", &oss_cse_client::GetOptions::default()).await.unwrap();
        (got.meta.clone(), got.body.collect().await.unwrap())
    });
    let headers: Vec<(String, String)> = meta
        .headers
        .iter()
        .filter(|(k, _)| k.starts_with("x-oss-meta-"))
        .map(|(k, v)| {
            let v =
                if k.ends_with("unencrypted-content-md5") { "1B2M2Y8AsgTpgAmY7PhCfg==".to_owned() } else { v.clone() };
            (k.clone(), v)
        })
        .collect();
    env.runtime.block_on(env.oss().put_object("bkt", "tampered", oss_cse_client::Body::from(body), headers)).unwrap();
    let dest = env.path("tampered.out");
    env.fails(&["cp", "oss://bkt/tampered", &dest, "--rsa-private-key", &private], "MD5");
    assert!(!Path::new(&dest).exists());
}

/// Without a CRC-64 from the server and without an MD5, a whole download
/// warns every time (whatever the log filter), and --require-verified
/// refuses it before writing anything.
#[test]
fn an_unverifiable_download_warns_or_is_refused() {
    let env = Env::new();
    env.bucket("bkt");
    let public = env.key("keys1", "public");
    let private = env.key("keys1", "private");
    let src = env.path("u.bin");
    let data = write(&src, 20_000);
    env.ok(&["cp", &src, "oss://bkt/plain-env", "--rsa-public-key", &public]);
    env.ok(&["cp", &src, "oss://bkt/with-md5", "--rsa-public-key", &public, "--md5"]);
    env.emulator().faults().add(FaultRule::new(Fault::OmitCrc));
    let dest = env.path("u.out");
    for filter in ["warn", "off"] {
        let out = env
            .command(&["cp", "oss://bkt/plain-env", &dest, "--rsa-private-key", &private])
            .env("OSS_CSE_LOG", filter)
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("not verified"), "{filter}: {:?}", out.stderr);
        assert_eq!(std::fs::read(&dest).unwrap(), data);
        std::fs::remove_file(&dest).unwrap();
    }
    env.fails(
        &["cp", "oss://bkt/plain-env", &dest, "--require-verified", "--rsa-private-key", &private],
        "not verified",
    );
    assert!(!Path::new(&dest).exists());
    let out = env
        .command(&["cat", "oss://bkt/plain-env", "--require-verified", "--rsa-private-key", &private])
        .output()
        .unwrap();
    assert!(!out.status.success() && out.stdout.is_empty(), "nothing reaches stdout");
    // The MD5 verifies it: no warning, and --require-verified is satisfied.
    let out = env
        .command(&["cp", "oss://bkt/with-md5", &dest, "--require-verified", "--rsa-private-key", &private])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("not verified"));
}

/// `oss-cse emulator` takes credentials from the environment and a file
/// (the command line shows them to every user in `ps`), and keeps its root
/// key readable by the owner only.
#[test]
fn the_standalone_emulator_keeps_its_secrets_private() {
    let dir = tempfile::tempdir().unwrap();
    let creds = dir.path().join("creds.txt");
    std::fs::write(&creds, "# accepted keys\nak-file:sk-file\n").unwrap();
    let binary = assert_cmd::cargo::cargo_bin("oss-cse");
    let data = dir.path().join("data");
    let mut child = std::process::Command::new(&binary)
        .args(["emulator", "--listen", "127.0.0.1:0", "--data", data.to_str().unwrap()])
        .args(["--credentials-file", creds.to_str().unwrap()])
        .env("OSS_CSE_EMULATOR_CREDENTIALS", "ak-env:sk-env")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().unwrap()));
    let endpoint = lines.next().unwrap().unwrap().rsplit(' ').next().unwrap().to_owned();
    for (ak, sk) in [("ak-env", "sk-env"), ("ak-file", "sk-file")] {
        let out = std::process::Command::new(&binary)
            .args(["mb", "oss://from-{ak}".replace("{ak}", ak).as_str()])
            .env("OSS_ENDPOINT", &endpoint)
            .env("OSS_ACCESS_KEY_ID", ak)
            .env("OSS_ACCESS_KEY_SECRET", sk)
            .output()
            .unwrap();
        assert!(out.status.success(), "{ak}: {}", String::from_utf8_lossy(&out.stderr));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(data.join("root.key")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    let killed = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    assert!(child.wait().unwrap().success(), "SIGTERM stops the emulator cleanly");
}

/// What a MAC-less format cannot promise is said where users look.
#[test]
fn help_says_what_is_not_verified() {
    let env = Env::new();
    // Help text is wrapped to the terminal: compare words, not lines.
    let words = |text: String| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let cat = words(env.ok(&["cat", "--help"]));
    assert!(cat.contains("before the whole object") && cat.contains("never verified"), "{cat}");
    let cp = words(env.ok(&["cp", "--help"]));
    assert!(cp.contains("pipefail") && cp.contains("without any integrity check"), "{cp}");
    assert!(cp.contains("--require-verified"));
}

/// Each command's help offers what applies to it, not every option there is.
#[test]
fn each_help_lists_only_what_applies() {
    let env = Env::new();
    let help = |args: &[&str]| env.ok(args);
    let keygen = help(&["keygen", "--help"]);
    for absent in ["--allow-plaintext", "--endpoint", "--require-verified", "--proxy"] {
        assert!(!keygen.contains(absent), "keygen --help offers {absent}");
    }
    let emulator = help(&["emulator", "--help"]);
    assert!(!emulator.contains("--endpoint") && !emulator.contains("--allow-plaintext"), "{emulator}");
    let ls = help(&["ls", "--help"]);
    assert!(ls.contains("--endpoint") && !ls.contains("--allow-plaintext"), "{ls}");
    assert!(!ls.contains("ls --endpoint <URL> <URL>"), "{ls}");
    let cat = help(&["cat", "--help"]);
    assert!(cat.contains("--allow-plaintext") && cat.contains("--endpoint"), "{cat}");
    // The connection options reach sse's own commands too.
    assert!(help(&["sse", "get", "--help"]).contains("--endpoint"));
}

/// The first 12 bytes (hex) of the SHA-256 of `parts` joined by newlines: how
/// the CLI names a checkpoint, predictable by anyone (as an attacker would).
fn checkpoint_name(parts: &[&str]) -> String {
    use sha2::Digest as _;
    format!("{}.checkpoint.json", hex::encode(&sha2::Sha256::digest(parts.join("\n").as_bytes())[..12]))
}

/// The data key of an envelope given as headers, unwrapped with keys1.
fn data_key(env: &Env, headers: &[(String, String)]) -> Vec<u8> {
    use oss_cse_client::envelope::{Envelope, KeyRing, MatdescMatch, RsaMasterKey};
    let pem = |half: &str| std::fs::read_to_string(env.key("keys1", half)).unwrap();
    let ring = KeyRing::new(RsaMasterKey::from_pem(Some(&pem("public")), Some(&pem("private"))).unwrap());
    let envelope = Envelope::from_headers(headers.iter().map(|(k, v)| (k.as_str(), v.as_bytes()))).unwrap().unwrap();
    let material = env.runtime.block_on(ring.open(&envelope, MatdescMatch::Hint)).unwrap();
    material.key().expose_secret().to_vec()
}

/// Issue 29's planted checkpoint: someone who can write to a shared
/// `--resume` folder and to the bucket, holding only the public key, begins
/// an upload to the victim's object name (under a data key they know, sealed
/// in their checkpoint under their own local key), edits the checkpoint to
/// name the victim's file, and plants it and their key file under the
/// checkpoint name the victim's command will use. The victim's run ignores
/// the shared folder (saying why) and writes nothing into it, and the object
/// it stores is under a fresh data key, whether the victim holds only the
/// public key or both. In a folder of the victim's own, files planted by
/// another user are refused by name.
#[test]
fn a_planted_checkpoint_cannot_choose_the_data_key() {
    let env = Env::new();
    env.bucket("bkt");
    let (public, private) = (env.key("keys1", "public"), env.key("keys1", "private"));
    let victim_file = env.path("victim.bin");
    let victim_data = write(&victim_file, 1_000_000);
    let attacker_file = env.path("attacker.bin");
    write(&attacker_file, 900_000);
    let parts = ["--part-size", "100K", "--multipart-threshold", "100K", "--parallel", "1"];

    // The attacker's own upload to the victim's object, stopped after 3 parts.
    let theirs = env.path("attacker-resume");
    let attack: Vec<&str> =
        [&["cp", &attacker_file, "oss://bkt/victim", "--rsa-public-key", &public, "--resume", &theirs][..], &parts]
            .concat();
    let refuse_fourth = FaultRule::new(Fault::Status { status: 403, code: "AccessDenied".into() });
    env.emulator().faults().add(refuse_fourth.operation("UploadPart").nth(4));
    env.fails(&attack, "AccessDenied");
    env.emulator().faults().clear();
    let planted = std::fs::read_dir(&theirs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".checkpoint.json"))
        .unwrap();
    // Rewritten to name the victim's file, and signed with their own key.
    let meta = std::fs::metadata(&victim_file).unwrap();
    let mtime = meta.modified().unwrap().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let resolved = std::fs::canonicalize(&victim_file).unwrap().display().to_string();
    oss_cse_client::fuzzing::edit_checkpoint(&planted, |record| {
        record["file"] = resolved.clone().into();
        record["file_size"] = meta.len().into();
        record["file_mtime_ns"] = serde_json::json!(mtime);
    })
    .unwrap();
    let record: serde_json::Value = serde_json::from_slice(&std::fs::read(&planted).unwrap()).unwrap();
    let pairs = record["record"]["envelope"].as_array().unwrap();
    let their_envelope: Vec<(String, String)> =
        pairs.iter().map(|p| (p[0].as_str().unwrap().to_owned(), p[1].as_str().unwrap().to_owned())).collect();
    let their_key = data_key(&env, &their_envelope);

    // Planted in a folder everyone can write to, under the victim's name.
    let shared = env.path("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::os::unix::fs::PermissionsExt::from_mode(0o777)).unwrap();
    let name = checkpoint_name(&["upload", "bkt", "victim", &resolved]);
    std::fs::copy(&planted, Path::new(&shared).join(&name)).unwrap();
    std::fs::copy(
        Path::new(&theirs).join(".oss-cse-checkpoint.key"),
        Path::new(&shared).join(".oss-cse-checkpoint.key"),
    )
    .unwrap();
    let root = is_root(&env);
    if root {
        for entry in std::fs::read_dir(&shared).unwrap() {
            std::os::unix::fs::chown(entry.unwrap().path(), Some(65534), Some(65534)).unwrap();
        }
        std::os::unix::fs::chown(&shared, Some(65534), Some(65534)).unwrap();
    }
    let before = entries(&shared);
    for keys in [&["--rsa-public-key", &public][..], &["--rsa-public-key", &public, "--rsa-private-key", &private]] {
        let args = [&["cp", &victim_file, "oss://bkt/victim", "--resume", &shared][..], keys, &parts].concat();
        let out = env.run(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{keys:?}: {stderr}");
        let why = if root { "belongs to user 65534" } else { "writable by group or others (mode 0777)" };
        assert!(stderr.contains("ignoring --resume") && stderr.contains(why), "{stderr}");
        assert_eq!(entries(&shared), before, "nothing written into the shared folder");
        let stored = env.oss_head("bkt", "victim").unwrap();
        let stored: Vec<(String, String)> =
            stored.headers.iter().filter(|(k, _)| k.starts_with("x-oss-meta-")).cloned().collect();
        assert_ne!(data_key(&env, &stored), their_key, "{keys:?}: the object is under the attacker's data key");
        let out = env.ok(&["cp", "oss://bkt/victim", &env.path("check.bin"), "--rsa-private-key", &private]);
        assert!(out.contains("downloaded"), "{out}");
        assert_eq!(std::fs::read(env.path("check.bin")).unwrap(), victim_data);
    }

    // The same files planted by another user in a folder of the victim's
    // own (made before it was tightened, say): refused by name.
    if root {
        let mine = env.path("mine");
        std::fs::create_dir(&mine).unwrap();
        std::fs::set_permissions(&mine, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
        for file in [name.as_str(), ".oss-cse-checkpoint.key"] {
            std::fs::copy(Path::new(&shared).join(file), Path::new(&mine).join(file)).unwrap();
            std::os::unix::fs::chown(Path::new(&mine).join(file), Some(65534), Some(65534)).unwrap();
        }
        let args: Vec<&str> =
            [&["cp", &victim_file, "oss://bkt/victim", "--resume", &mine][..], &["--rsa-public-key", &public], &parts]
                .concat();
        let stderr = env.fails_with(2, &args, "belongs to user 65534");
        assert!(stderr.contains(&mine), "{stderr}");
    }
}

/// Whether the tests run as root (the owner of what they create), who alone
/// can give files away to another user.
fn is_root(env: &Env) -> bool {
    std::fs::metadata(env.dir.path()).is_ok_and(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
}

/// `cd dl && oss-cse cp oss://b/big ./big.down --resume ../ck`, interrupted,
/// then run again as `big.down` (and the other way round): the second run
/// fetches only the ranges the first did not, and no partial file is left.
#[test]
fn a_resumed_download_to_a_relative_path_resumes_and_leaves_no_partial() {
    let env = Env::new();
    env.bucket("bkt");
    let src = env.path("big.bin");
    let data = write(&src, 2_000_000);
    env.ok(&["cp", &src, "oss://bkt/big", "--rsa-public-key", &env.key("keys1", "public")]);
    let dl = env.path("dl");
    std::fs::create_dir(&dl).unwrap();
    let private = env.key("keys1", "private");
    for (first, second) in [("./big.down", "big.down"), ("big.down", "./big.down")] {
        let download = |name: &str| {
            let mut command = env.command(&[
                "cp",
                "oss://bkt/big",
                name,
                "--rsa-private-key",
                &private,
                "--part-size",
                "256K",
                "--parallel",
                "1",
                "--resume",
                "../ck",
            ]);
            command.current_dir(&dl);
            command.output().unwrap()
        };
        let denied = Fault::Status { status: 403, code: "AccessDenied".into() };
        env.emulator().faults().add(FaultRule::new(denied).operation("GetObject").nth(4));
        assert_eq!(download(first).status.code(), Some(5), "{first}");
        env.emulator().faults().clear();
        assert_eq!(entries(&dl).len(), 1, "{first}: the partial file its checkpoint names");
        let before = env.emulator().faults().count("GetObject");
        let out = download(second);
        assert!(out.status.success(), "{second}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(env.emulator().faults().count("GetObject") - before, 8 - 3, "{first} then {second}: resumed");
        assert_eq!(entries(&dl), ["big.down"], "{first} then {second}: no partial left");
        assert_eq!(std::fs::read(Path::new(&dl).join("big.down")).unwrap(), data);
        std::fs::remove_file(Path::new(&dl).join("big.down")).unwrap();
    }
}

/// `cp -r` down into a tree where `link -> /outside` was planted: the object
/// `s/link/newdir/f` is refused and nothing is created outside, not even
/// the directory `newdir` (it used to be made before the check); the other
/// objects are written; `sync` down the same.
#[test]
fn a_tree_download_makes_no_directory_through_a_planted_link() {
    let env = Env::new();
    env.bucket("bkt");
    let public = env.key("keys1", "public");
    let private = env.key("keys1", "private");
    let src = env.path("f.bin");
    let data = write(&src, 1000);
    for key in ["s/link/newdir/f", "s/ok/f"] {
        env.ok(&["cp", &src, &format!("oss://bkt/{key}"), "--rsa-public-key", &public]);
    }
    let (dl, outside) = (env.path("dl"), env.path("outside"));
    std::fs::create_dir(&dl).unwrap();
    std::fs::create_dir(&outside).unwrap();
    std::os::unix::fs::symlink(&outside, Path::new(&dl).join("link")).unwrap();
    for command in ["cp", "sync"] {
        let args: &[&str] = match command {
            "cp" => &["cp", "-r", "oss://bkt/s/", &dl, "--rsa-private-key", &private],
            _ => &["sync", "oss://bkt/s/", &dl, "--rsa-private-key", &private],
        };
        let out = env.run(args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(3), "{command}: {stdout} {}", String::from_utf8_lossy(&out.stderr));
        assert!(stdout.contains("link/newdir/f") && stdout.contains("refused"), "{stdout}");
        assert_eq!(entries(&outside), Vec::<String>::new(), "{command}: something was made through the link");
        assert_eq!(std::fs::read(Path::new(&dl).join("ok/f")).unwrap(), data);
    }
}

/// Ctrl-C (SIGINT, and SIGTERM) during a multipart upload without
/// `--resume`: exit 130, and the upload is aborted on the way out (it was
/// left on the server, billed, and the message said only "temporary files
/// removed"); with `--resume` the upload is kept and the message says so.
#[test]
fn an_interrupted_upload_leaves_no_multipart_upload_unless_resumable() {
    let env = Env::new();
    env.bucket("bkt");
    let src = env.path("big.bin");
    write(&src, 2_000_000);
    let public = env.key("keys1", "public");
    let private = env.key("keys1", "private");
    let resume = env.path("ck");
    env.emulator()
        .faults()
        .add(FaultRule::new(Fault::Delay(std::time::Duration::from_millis(300))).operation("UploadPart"));
    let uploads = || env.runtime.block_on(env.oss().list_multipart_uploads("bkt", "")).unwrap();
    for (signal, resumable) in [("INT", false), ("TERM", false), ("INT", true)] {
        let mut args = vec!["cp", src.as_str(), "oss://bkt/big", "--rsa-public-key", &public, "--rsa-private-key"];
        args.extend([private.as_str(), "--part-size", "128K", "--multipart-threshold", "128K", "--parallel", "1"]);
        if resumable {
            args.extend(["--resume", resume.as_str()]);
        }
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("oss-cse"))
            .args(&args)
            .env("OSS_ENDPOINT", env.emulator().endpoint())
            .env("OSS_ACCESS_KEY_ID", env.emulator().access_key_id())
            .env("OSS_ACCESS_KEY_SECRET", env.emulator().access_key_secret())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while uploads().is_empty() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        std::thread::sleep(std::time::Duration::from_millis(400));
        assert!(child.try_wait().unwrap().is_none(), "still uploading");
        let killed = std::process::Command::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status();
        assert!(killed.unwrap().success());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(130), "SIG{signal}: {stderr}");
        if resumable {
            assert_eq!(uploads().len(), 1, "kept for the resume");
            assert!(stderr.contains("keep the transfers in progress") && stderr.contains(&resume), "{stderr}");
        } else {
            assert!(uploads().is_empty(), "SIG{signal}: the upload was left on the server");
            assert!(stderr.contains("unfinished uploads aborted"), "{stderr}");
        }
    }
    env.emulator().faults().clear();
    let args = ["cp", &src, "oss://bkt/big", "--rsa-public-key", &public, "--rsa-private-key", &private];
    env.ok(&[&args[..], &["--part-size", "128K", "--multipart-threshold", "128K", "--resume", &resume]].concat());
    assert!(uploads().is_empty());
}
