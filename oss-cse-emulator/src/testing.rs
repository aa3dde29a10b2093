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
