//! The official Python SDK (`oss2`) runs against the emulator unmodified:
//! buckets, objects, ranges, listings, V4 signing, multipart, resumable
//! transfers, server-side encryption and its own CryptoBucket.
//!
//! The KMS endpoint is driven by `aliyunsdkcore` (installed with `oss2`).
//!
//! Needs `python3` with `oss2` (`pip install -r interop/requirements.txt`).
//! Set `OSS_CSE_SKIP_PYTHON=1` to skip it deliberately; a missing Python is
//! otherwise a failure, so the check can never pass by not running.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use oss_cse_emulator::{Emulator, EmulatorConfig};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oss2_runs_unmodified_against_the_emulator() {
    if !oss_cse_emulator::testing::python_with_oss2("the oss2 interop check") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let emulator = Emulator::start(EmulatorConfig::new(dir.path())).await.unwrap();
    let output = tokio::process::Command::new("python3")
        .arg(repo().join("interop/oss2_smoke.py"))
        .env("OSS_ENDPOINT", emulator.endpoint())
        .env("OSS_ACCESS_KEY_ID", emulator.access_key_id())
        .env("OSS_ACCESS_KEY_SECRET", emulator.access_key_secret())
        .env("OSS_BUCKET", "oss2-interop")
        .env("OSS_CSE_KEYS", repo().join("vectors/keys"))
        .env("OSS_CSE_WORKDIR", work.path())
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "oss2 smoke failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("22 passed, 0 failed"), "{stdout}");
    // oss2 signed V1 and V4 requests; the emulator checked every one.
    assert!(emulator.faults().requests().len() > 50);
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alibaba_cloud_core_sdk_signs_kms_calls_the_emulator_accepts() {
    if !oss_cse_emulator::testing::python_with_oss2("the oss2 interop check") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let emulator = Emulator::start(EmulatorConfig::new(dir.path())).await.unwrap();
    let output = tokio::process::Command::new("python3")
        .arg(repo().join("interop/kms_smoke.py"))
        .env("KMS_HOST", emulator.addr().to_string())
        .env("OSS_ACCESS_KEY_ID", emulator.access_key_id())
        .env("OSS_ACCESS_KEY_SECRET", emulator.access_key_secret())
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "kms smoke failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("4 passed, 0 failed"), "{stdout}");
    assert_eq!(emulator.faults().count("Kms"), 5);
    emulator.shutdown().await;
}
