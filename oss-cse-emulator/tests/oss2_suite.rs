//! The official Python SDK's **own test suite** (oss2 2.19.1, from its
//! sdist on PyPI) runs against the emulator: the files that cover objects,
//! multipart, resumable transfers, client-side and server-side encryption,
//! listings, signatures, headers and error codes. A test is left out only
//! for a feature an encryption emulator should not carry; the plugin
//! (`interop/oss2_suite/oss2_suite_plugin.py`) names each one and why.
//!
//! One test with a thread race of oss2's own is run again when it loses it
//! (the plugin's `RACY`, with why); reruns are counted in the report.
//!
//! Needs `pip install -r interop/requirements.txt` (oss2, pytest, mock,
//! pytest-rerunfailures) and,
//! once, PyPI to fetch the sdist into `target/tmp`. `OSS_CSE_SKIP_PYTHON=1`
//! skips it deliberately, as for the other Python peers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::Command;

use oss_cse_emulator::{Emulator, EmulatorConfig, testing};

const FILES: [&str; 12] = [
    "test_object.py",
    "test_multipart.py",
    "test_upload.py",
    "test_download.py",
    "test_crypto_object.py",
    "test_crypto_multipart.py",
    "test_list_objects_v2.py",
    "test_iterator.py",
    "test_sign.py",
    "test_headers.py",
    "test_exception_ec.py",
    "test_server_side_encryotion.py",
];

/// Tests the plugin leaves out (its `LEFT_OUT`).
const LEFT_OUT: u32 = 23;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oss2_own_test_suite_passes_against_the_emulator() {
    if !testing::python_with_oss2("oss2's own test suite") {
        return;
    }
    let ready = Command::new("python3")
        .args(["-c", "import pytest, mock, pytest_rerunfailures"])
        .status()
        .is_ok_and(|s| s.success());
    assert!(ready, "pytest and mock are required: pip install -r interop/requirements.txt");
    let suite = testing::oss2_sdist(env!("CARGO_TARGET_TMPDIR"));
    let data = tempfile::tempdir().unwrap();
    let config = EmulatorConfig::new(data.path()).region(Some("cn-hangzhou".to_owned()));
    let emulator = Emulator::start(config).await.unwrap();
    let run = testing::Oss2Run {
        plugins: &["oss2_suite_plugin"],
        files: &FILES,
        python_path: vec![repo().join("interop/oss2_suite")],
        endpoint: emulator.endpoint(),
        credentials: (emulator.access_key_id().to_owned(), emulator.access_key_secret().to_owned()),
        kms_host: emulator.addr().to_string(),
    };
    let output = tokio::task::block_in_place(|| run.command(&suite).output()).unwrap();
    testing::judge_oss2_run(env!("CARGO_TARGET_TMPDIR"), ("oss2_suite", "own suite"), &output, (LEFT_OUT, 150));
    emulator.shutdown().await;
}
