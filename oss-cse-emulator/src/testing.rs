//! Helpers the workspace's tests share (every crate that tests over HTTP
//! already depends on the emulator): the oss2 peer check, the vectors'
//! stored metadata as headers, and one-line reports for `.ci/run`.

use std::path::Path;
use std::process::Command;

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
