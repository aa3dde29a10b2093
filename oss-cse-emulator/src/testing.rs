//! Helpers the workspace's tests share (every crate that tests over HTTP
//! already depends on the emulator): the oss2 peer check, oss2's own test
//! suite from its sdist, the vectors' stored metadata as headers, and
//! one-line reports for `.ci/run`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The oss2 release whose own test suite runs here.
pub const OSS2_VERSION: &str = "2.19.1";

/// Whether the official Python SDK can run: `python3 -c "import oss2"`.
/// Returns `false` (printing `SKIPPED: <what> did not run`) only when
/// `OSS_CSE_SKIP_PYTHON=1` asks for it; otherwise a missing peer is a test
/// failure with the command that fixes it.
///
/// # Panics
/// When python3 or oss2 is missing and skipping was not asked for.
#[allow(clippy::panic)]
pub fn python_with_oss2(what: &str) -> bool {
    if std::env::var_os("OSS_CSE_SKIP_PYTHON").is_some_and(|v| v == "1") {
        eprintln!("SKIPPED: OSS_CSE_SKIP_PYTHON=1, {what} did not run");
        return false;
    }
    let ok = Command::new("python3").args(["-c", "import oss2"]).status().is_ok_and(|s| s.success());
    if !ok {
        panic!("python3 with oss2 is required: pip install -r interop/requirements.txt (or set OSS_CSE_SKIP_PYTHON=1)");
    }
    true
}

/// Whether Node.js with ali-oss (from `interop/package.json`, under `repo`)
/// can run: true, or false when `OSS_CSE_SKIP_NODE=1` says to skip (said on
/// stderr). Missing otherwise is a failure with the command that fixes it.
/// The caller runs `node` with `NODE_PATH` set to [`node_modules`].
///
/// # Panics
/// When node or ali-oss is missing and skipping was not asked for.
#[allow(clippy::panic)]
pub fn node_with_ali_oss(repo: &Path, what: &str) -> bool {
    if std::env::var_os("OSS_CSE_SKIP_NODE").is_some_and(|v| v == "1") {
        eprintln!("SKIPPED: OSS_CSE_SKIP_NODE=1, {what} did not run");
        return false;
    }
    let ok = Command::new("node")
        .args(["-e", "require('ali-oss')"])
        .env("NODE_PATH", node_modules(repo))
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        panic!("Node.js with ali-oss is required: npm ci --prefix interop (or set OSS_CSE_SKIP_NODE=1)");
    }
    true
}

/// The folder `npm ci --prefix interop` installs the JavaScript peers in.
pub fn node_modules(repo: &Path) -> PathBuf {
    repo.join("interop/node_modules")
}

/// `python3 interop/oss2_cse_peer.py` (under `repo`) set up to talk to
/// `emulator`'s `bucket`, holding the key pairs in `keys` (the key named by
/// `OSS_CSE_PEER_KEY`, key1 unless the caller sets it).
pub fn oss2_peer(repo: &Path, emulator: &crate::Emulator, bucket: &str, keys: &Path) -> Command {
    let mut command = Command::new("python3");
    command
        .arg(repo.join("interop/oss2_cse_peer.py"))
        .env("OSS_ENDPOINT", emulator.endpoint())
        .env("OSS_ACCESS_KEY_ID", emulator.access_key_id())
        .env("OSS_ACCESS_KEY_SECRET", emulator.access_key_secret())
        .env("OSS_BUCKET", bucket)
        .env("OSS_CSE_KEYS", keys);
    command
}

/// A vector case's `stored_meta` object (the headers the official SDK
/// stored) as header pairs; non-string values are skipped.
pub fn stored_meta_headers(case: &serde_json::Value) -> Vec<(String, String)> {
    case["stored_meta"]
        .as_object()
        .map(|meta| meta.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned()))).collect())
        .unwrap_or_default()
}

/// Prints a one-line report and writes it to `<target_tmp>/reports/<name>.txt`,
/// which `.ci/run` prints after the tests (cargo test hides a passing test's
/// output). Pass `env!("CARGO_TARGET_TMPDIR")` as `target_tmp`.
pub fn report(target_tmp: &str, name: &str, line: &str) {
    println!("{line}");
    let dir = Path::new(target_tmp).join("reports");
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(dir.join(format!("{name}.txt")), format!("{line}\n"));
}

/// oss2's sdist unpacked under `<target_tmp>/oss2-sdist` (its tests are not
/// in the wheel), fetched from PyPI with pip the first time.
///
/// # Panics
/// When pip cannot fetch it or it cannot be unpacked.
#[allow(clippy::panic, clippy::unwrap_used)]
pub fn oss2_sdist(target_tmp: &str) -> PathBuf {
    let root = Path::new(target_tmp).join("oss2-sdist");
    let unpacked = root.join(format!("oss2-{OSS2_VERSION}"));
    if unpacked.join("tests/common.py").exists() {
        return unpacked;
    }
    std::fs::create_dir_all(&root).unwrap();
    let download = Command::new("python3")
        .args(["-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:"])
        .arg(format!("oss2=={OSS2_VERSION}"))
        .arg("-d")
        .arg(&root)
        .status()
        .unwrap();
    assert!(download.success(), "pip download of the oss2 {OSS2_VERSION} sdist failed");
    let archive = root.join(format!("oss2-{OSS2_VERSION}.tar.gz"));
    let unpack = Command::new("python3")
        .args(["-c", "import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2], filter='data')"])
        .arg(&archive)
        .arg(&root)
        .status()
        .unwrap();
    assert!(unpack.success(), "unpacking {} failed", archive.display());
    // The sdist leaves out the repository's sample image, which some tests
    // upload as plain bytes; any bytes do.
    let image: Vec<u8> = (0..20_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    std::fs::write(unpacked.join("tests/example.jpg"), image).unwrap();
    unpacked
}

/// The count before `word` in pytest's summary line ("3 failed, 150
/// passed"); 0 when the word is missing.
pub fn pytest_count(summary: &str, word: &str) -> u32 {
    summary
        .split(',')
        .filter_map(|part| part.trim().split_once(' '))
        .find(|(_, w)| w.starts_with(word))
        .and_then(|(n, _)| n.parse().ok())
        .unwrap_or(0)
}

/// pytest's last summary line in `stdout`, without its `=` frame.
pub fn pytest_summary(stdout: &str) -> &str {
    stdout
        .lines()
        .rev()
        .find(|l| l.contains(" passed") || l.contains(" failed") || l.contains(" error"))
        .unwrap_or("")
        .trim_matches(|c| c == '=' || c == ' ')
}

/// A run of oss2's own test files (from [`oss2_sdist`]) with pytest, the
/// plugins on `python_path` loaded, against an OSS-compatible `endpoint`
/// signed with `credentials`; `kms_host` is the emulator's `host:port`,
/// where oss2's KMS client is pointed (interop/oss2_suite's plugin).
#[derive(Debug)]
pub struct Oss2Run<'a> {
    /// Plugins given to pytest with `-p`.
    pub plugins: &'a [&'a str],
    /// Files of the sdist's `tests/`.
    pub files: &'a [&'a str],
    /// Folders the plugins (and packages) are found in.
    pub python_path: Vec<PathBuf>,
    /// The endpoint the suite talks to.
    pub endpoint: String,
    /// The AccessKey pair it signs with.
    pub credentials: (String, String),
    /// The emulator's `host:port`.
    pub kms_host: String,
}

impl Oss2Run<'_> {
    /// The pytest command, run in `suite` (the unpacked sdist); callers add
    /// what else their run needs (HOME, further variables).
    ///
    /// # Panics
    /// When a Python path cannot be joined.
    #[allow(clippy::unwrap_used)]
    pub fn command(&self, suite: &Path) -> Command {
        let mut command = Command::new("python3");
        command.args(["-m", "pytest", "-p", "no:cacheprovider", "-q", "-rfEs", "--tb=short"]);
        for plugin in self.plugins {
            command.args(["-p", plugin]);
        }
        command
            .args(self.files.iter().map(|f| format!("tests/{f}")))
            .current_dir(suite)
            .env("PYTHONPATH", std::env::join_paths(&self.python_path).unwrap())
            .env("OSS_TEST_ENDPOINT", &self.endpoint)
            .env("OSS_TEST_ACCESS_KEY_ID", &self.credentials.0)
            .env("OSS_TEST_ACCESS_KEY_SECRET", &self.credentials.1)
            .env("OSS_TEST_KMS_HOST", &self.kms_host)
            .env("OSS_TEST_REGION", "cn-hangzhou");
        command
    }
}

/// Judges a run of oss2's tests: reports `oss2 <version>'s <what>: N passed,
/// ...` as `<report>` (see [`report`]), then asserts no failure or error,
/// exactly `left_out` skipped (each named in a plugin) and at least
/// `at_least` passed.
///
/// # Panics
/// When the run does not pass so.
#[allow(clippy::panic)]
pub fn judge_oss2_run(
    target_tmp: &str,
    (report_name, what): (&str, &str),
    output: &std::process::Output,
    (left_out, at_least): (u32, u32),
) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let summary = pytest_summary(&stdout);
    let count = |word| pytest_count(summary, word);
    let (passed, failed, errors, skipped) = (count("passed"), count("failed"), count("error"), count("skipped"));
    let reruns = count("rerun");
    report(
        target_tmp,
        report_name,
        &format!(
            "oss2 {OSS2_VERSION}'s {what}: {passed} passed, {failed} failed, {errors} errors, {skipped} left out, \
             {reruns} reruns"
        ),
    );
    assert!(output.status.success() && failed == 0 && errors == 0, "oss2's {what} failed:\n{stdout}");
    assert_eq!(skipped, left_out, "every left-out test is named in a plugin:\n{stdout}");
    assert!(passed >= at_least, "{summary}");
}
