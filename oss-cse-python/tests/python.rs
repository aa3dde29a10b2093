//! The Python package's tests (`tests/python/test_*.py`, pytest), and oss2's
//! own tests of its `CryptoBucket` with the drop-in swapped in, against an
//! emulator each test starts, with the package as users get it: the wheel
//! maturin builds from this folder's `pyproject.toml` (dev profile, so cargo
//! reuses this build), installed by pip into a folder of its own.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use oss_cse_client::{ClientConfig, Credentials, OssClient};
use oss_cse_emulator::{Emulator, EmulatorConfig, testing};

const BUCKET: &str = "py-bucket";

/// The package as pip installs it from the wheel maturin builds of this
/// folder (`pyproject.toml`, in the dev profile, sharing cargo's build), in a
/// folder for `PYTHONPATH`; built once for the tests of this binary.
fn installed_package() -> &'static Path {
    static INSTALLED: OnceLock<PathBuf> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("oss-cse-wheel");
        let (wheels, site) = (root.join("wheels"), root.join("site"));
        let _ = std::fs::remove_dir_all(&root);
        let built = Command::new("python3")
            .args(["-m", "maturin", "build", "--quiet", "--profile", "dev", "--out"])
            .arg(&wheels)
            .arg("--manifest-path")
            .arg(manifest.join("Cargo.toml"))
            .status()
            .expect("python3 runs");
        assert!(built.success(), "maturin could not build the wheel (pip install -r interop/requirements.txt)");
        let wheel = std::fs::read_dir(&wheels)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "whl"));
        let wheel = wheel.expect("maturin wrote a wheel");
        let installed = Command::new("python3")
            .args(["-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--target"])
            .arg(&site)
            .arg(&wheel)
            .status()
            .expect("python3 runs");
        assert!(installed.success(), "pip could not install {}", wheel.display());
        site
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_package_passes_its_tests() {
    if !testing::python_with_oss2("the Python package's tests") {
        return;
    }
    let site = tokio::task::block_in_place(installed_package);
    let dir = tempfile::tempdir().unwrap();
    let emulator = Emulator::start(EmulatorConfig::new(&dir.path().join("emulator"))).await.unwrap();
    let credentials = Credentials::new(emulator.access_key_id(), emulator.access_key_secret());
    let oss = OssClient::new(ClientConfig::new(&emulator.endpoint(), credentials).unwrap()).unwrap();
    oss.put_bucket(BUCKET).await.unwrap();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = tokio::task::block_in_place(|| {
        Command::new("python3")
            .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/python"])
            .current_dir(manifest)
            .env("PYTHONPATH", std::env::join_paths([site, &manifest.join("tests/python")]).unwrap())
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
    let summary = testing::pytest_summary(&stdout);
    let count = |word| testing::pytest_count(summary, word);
    assert!(count("passed") > 0 && count("failed") + count("error") + count("skipped") == 0, "{summary}");
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
    let site = tokio::task::block_in_place(installed_package);
    let dir = tempfile::tempdir().unwrap();
    let config = EmulatorConfig::new(&dir.path().join("emulator")).region(Some("cn-hangzhou".to_owned()));
    let emulator = Emulator::start(config).await.unwrap();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = testing::Oss2Run {
        plugins: &["oss2_suite_plugin", "oss_cse_swap"],
        files: &OSS2_FILES,
        python_path: vec![site.to_owned(), manifest.join("../interop/oss2_suite"), manifest.join("tests/oss2_swap")],
        endpoint: emulator.endpoint(),
        credentials: (emulator.access_key_id().to_owned(), emulator.access_key_secret().to_owned()),
        kms_host: emulator.addr().to_string(),
    };
    let output = tokio::task::block_in_place(|| {
        run.command(&suite)
            // The drop-in reads AliKMSProvider's key id and region; the KMS
            // endpoint is the emulator's, as oss_cse reads it.
            .env("OSS_CSE_KMS_ENDPOINT", emulator.endpoint())
            .env("HOME", dir.path())
            .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
            .output()
            .expect("python3 runs")
    });
    let what = "CryptoBucket tests with oss_cse's drop-in";
    testing::judge_oss2_run(env!("CARGO_TARGET_TMPDIR"), ("python-oss2-swap", what), &output, (OSS2_LEFT_OUT, 68));
    emulator.shutdown().await;
}

/// The README's first Python block, run as written in a folder with the
/// files it names, against the emulator (its endpoint and keys in the
/// environment, as the credential chain reads them).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_example_runs_as_written() {
    if !testing::python_with_oss2("the README's Python example") {
        return;
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(manifest.join("README.md")).unwrap();
    let start = readme.find("```python\n").expect("a Python block") + "```python\n".len();
    let example = &readme[start..start + readme[start..].find("```").unwrap()];
    let site = tokio::task::block_in_place(installed_package);
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir_all(work.join("keys")).unwrap();
    let keys = manifest.join("../vectors/keys");
    std::fs::copy(keys.join("key1_public_spki.pem"), work.join("keys/public.pem")).unwrap();
    std::fs::copy(keys.join("key1_private_pkcs1.pem"), work.join("keys/private.pem")).unwrap();
    std::fs::write(work.join("scan.pdf"), (0..300_000u32).map(|i| (i % 251) as u8).collect::<Vec<_>>()).unwrap();
    let emulator = Emulator::start(EmulatorConfig::new(&dir.path().join("emulator"))).await.unwrap();
    let credentials = Credentials::new(emulator.access_key_id(), emulator.access_key_secret());
    let oss = OssClient::new(ClientConfig::new(&emulator.endpoint(), credentials).unwrap()).unwrap();
    oss.put_bucket("records").await.unwrap();
    let output = tokio::task::block_in_place(|| {
        Command::new("python3")
            .args(["-c", example])
            .current_dir(&work)
            .env("PYTHONPATH", site)
            .env("OSS_ENDPOINT", emulator.endpoint())
            .env("OSS_ACCESS_KEY_ID", emulator.access_key_id())
            .env("OSS_ACCESS_KEY_SECRET", emulator.access_key_secret())
            .env("HOME", dir.path())
            .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
            .output()
            .expect("python3 runs")
    });
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "the example failed:\n{said}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(said.contains("2026/scan.pdf 300000") && said.contains("NoSuchKey"), "{said}");
}
