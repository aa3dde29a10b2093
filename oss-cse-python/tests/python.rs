//! The Python package's tests (`tests/python/test_*.py`, pytest), and oss2's
//! own tests of its `CryptoBucket` with the drop-in swapped in, against an
//! emulator each test starts, with the extension module cargo just built:
//! the package is assembled in a temporary folder (`oss_cse/` from
//! `python/`, the built library as `oss_cse/_native.abi3.so`), as a wheel
//! would install it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use oss_cse_client::{ClientConfig, Credentials, OssClient};
use oss_cse_emulator::{Emulator, EmulatorConfig, testing};

const BUCKET: &str = "py-bucket";

/// The extension library cargo built beside this test's binary.
fn built_library() -> PathBuf {
    let deps = std::env::current_exe().unwrap().parent().unwrap().to_owned();
    let name = format!("{}_native{}", std::env::consts::DLL_PREFIX, std::env::consts::DLL_SUFFIX);
    // Beside the test (`cargo test`), or in the profile's folder (`cargo build`).
    let found = [deps.join(&name), deps.parent().unwrap().join(&name)].into_iter().find(|path| path.exists());
    found.unwrap_or_else(|| panic!("the extension module {name} was not built in {}", deps.display()))
}

/// `oss_cse/` with its Python files and the extension, under `root`.
fn assemble_package(root: &Path) {
    let package = root.join("oss_cse");
    std::fs::create_dir_all(&package).unwrap();
    let sources = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/oss_cse");
    for entry in std::fs::read_dir(sources).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "py") {
            std::fs::copy(&path, package.join(path.file_name().unwrap())).unwrap();
        }
    }
    std::fs::copy(built_library(), package.join("_native.abi3.so")).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_package_passes_its_tests() {
    if !testing::python_with_oss2("the Python package's tests") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    assemble_package(dir.path());
    let emulator = Emulator::start(EmulatorConfig::new(&dir.path().join("emulator"))).await.unwrap();
    let credentials = Credentials::new(emulator.access_key_id(), emulator.access_key_secret());
    let oss = OssClient::new(ClientConfig::new(&emulator.endpoint(), credentials).unwrap()).unwrap();
    oss.put_bucket(BUCKET).await.unwrap();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = tokio::task::block_in_place(|| {
        std::process::Command::new("python3")
            .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/python"])
            .current_dir(manifest)
            .env("PYTHONPATH", format!("{}:{}", dir.path().display(), manifest.join("tests/python").display()))
            .env("OSS_CSE_TEST_ENDPOINT", emulator.endpoint())
            .env("OSS_CSE_TEST_ACCESS_KEY_ID", emulator.access_key_id())
            .env("OSS_CSE_TEST_ACCESS_KEY_SECRET", emulator.access_key_secret())
            .env("OSS_CSE_TEST_BUCKET", BUCKET)
            .env("OSS_CSE_TEST_KEYS", manifest.join("../vectors/keys"))
            .env("HOME", dir.path())
            .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
            .output()
            .expect("python3 runs")
    });
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    assert!(output.status.success(), "pytest failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let summary = stdout.lines().last().unwrap_or_default().to_owned();
    assert!(summary.contains("passed") && !summary.contains("failed"), "{summary}");
    testing::report(env!("CARGO_TARGET_TMPDIR"), "python-package", &format!("pytest: {summary}"));
}

/// oss2's files run with the swap: its client-side encryption tests, and its
/// resumable upload and download tests, which pick a plain, an RSA or a KMS
/// `CryptoBucket` at random.
const OSS2_FILES: [&str; 4] =
    ["test_crypto_object.py", "test_crypto_multipart.py", "test_upload.py", "test_download.py"];

/// Left out, each named with why in interop/oss2_suite's plugin: the two
/// SelectObject tests (the sdist lacks their CSV file and the emulator
/// SelectObject) and test_upload_sequenial (it calls the real service).
const OSS2_LEFT_OUT: u32 = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oss2s_own_cryptobucket_tests_pass_with_the_drop_in_swapped_in() {
    if !testing::python_with_oss2("oss2's CryptoBucket tests with the drop-in") {
        return;
    }
    let suite = testing::oss2_sdist(env!("CARGO_TARGET_TMPDIR"));
    let dir = tempfile::tempdir().unwrap();
    assemble_package(dir.path());
    let config = EmulatorConfig::new(&dir.path().join("emulator")).region(Some("cn-hangzhou".to_owned()));
    let emulator = Emulator::start(config).await.unwrap();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python_path = [dir.path().to_owned(), manifest.join("../interop/oss2_suite"), manifest.join("tests/oss2_swap")];
    let python_path = std::env::join_paths(python_path).unwrap();
    let output = tokio::task::block_in_place(|| {
        std::process::Command::new("python3")
            .args(["-m", "pytest", "-p", "oss2_suite_plugin", "-p", "oss_cse_swap", "-p", "no:cacheprovider"])
            .args(["-q", "-rfEs", "--tb=short"])
            .args(OSS2_FILES.iter().map(|f| format!("tests/{f}")))
            .current_dir(&suite)
            .env("PYTHONPATH", python_path)
            .env("OSS_TEST_ENDPOINT", emulator.endpoint())
            .env("OSS_TEST_ACCESS_KEY_ID", emulator.access_key_id())
            .env("OSS_TEST_ACCESS_KEY_SECRET", emulator.access_key_secret())
            .env("OSS_TEST_KMS_HOST", emulator.addr().to_string())
            .env("OSS_TEST_REGION", "cn-hangzhou")
            // The drop-in reads AliKMSProvider's key id and region; the KMS
            // endpoint is the emulator's, as oss_cse reads it.
            .env("OSS_CSE_KMS_ENDPOINT", emulator.endpoint())
            .env("HOME", dir.path())
            .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
            .output()
            .expect("python3 runs")
    });
    let stdout = String::from_utf8_lossy(&output.stdout);
    let summary = testing::pytest_summary(&stdout);
    let count = |word| testing::pytest_count(summary, word);
    let (passed, failed, errors, skipped) = (count("passed"), count("failed"), count("error"), count("skipped"));
    testing::report(
        env!("CARGO_TARGET_TMPDIR"),
        "python-oss2-swap",
        &format!(
            "oss2 {}'s CryptoBucket tests with oss_cse's drop-in: {passed} passed, {failed} failed, {errors} errors, \
             {skipped} left out",
            testing::OSS2_VERSION
        ),
    );
    assert!(output.status.success() && failed == 0 && errors == 0, "oss2's tests failed:\n{stdout}");
    assert_eq!(skipped, OSS2_LEFT_OUT, "every left-out test is named:\n{stdout}");
    assert!(passed >= 68, "{summary}");
    emulator.shutdown().await;
}
