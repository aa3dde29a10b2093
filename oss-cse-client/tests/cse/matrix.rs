//! The fault matrix: every transfer path, both directions, each fault at
//! each request index. A transfer either completes with the right bytes or
//! fails with a typed error, and never leaves a destination that looks
//! complete.

use std::time::Duration;

use oss_cse_client::envelope::KeyRing;
use oss_cse_client::{
    ByteRange, DownloadOptions, EncryptionClient, EncryptionOptions, PutOptions, RetryPolicy, UploadOptions,
};
use oss_cse_emulator::{Fault, FaultRule};

use crate::support::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Path {
    SimpleUpload,
    MultipartUpload,
    ResumableUpload,
    SimpleDownload,
    ParallelDownload,
    ResumableDownload,
    RangedDownload,
}

const PATHS: [Path; 7] = [
    Path::SimpleUpload,
    Path::MultipartUpload,
    Path::ResumableUpload,
    Path::SimpleDownload,
    Path::ParallelDownload,
    Path::ResumableDownload,
    Path::RangedDownload,
];

fn faults() -> Vec<Fault> {
    vec![
        Fault::Status { status: 500, code: "InternalError".into() },
        Fault::Status { status: 503, code: "ServiceUnavailable".into() },
        Fault::SlowDown,
        Fault::ResetConnection,
        Fault::TruncateBody { after: 1000 },
        Fault::WrongCrc,
        Fault::Delay(Duration::from_millis(400)),
        Fault::WrongContentRange,
        Fault::WrongContentLength { delta: -100 },
        Fault::WrongContentLength { delta: 100 },
    ]
}

const LEN: usize = 350_000;

/// Runs one path; `Ok` when it completed (and its bytes were checked).
async fn run(h: &Harness, client: &EncryptionClient, path: Path, id: usize) -> oss_cse_client::Result<()> {
    let data = mod251(LEN);
    let key = format!("matrix/{id}");
    let file = h.path(&format!("matrix-src-{id}"));
    let dest = h.path(&format!("matrix-dst-{id}"));
    let checkpoint = h.path(&format!("matrix-{id}.checkpoint"));
    std::fs::write(&file, &data).unwrap();
    let result = match path {
        Path::SimpleUpload => client.put_object(BUCKET, &key, data.clone(), &PutOptions::default()).await.map(drop),
        Path::MultipartUpload => client.put_file(BUCKET, &key, &file, &UploadOptions::default()).await.map(drop),
        Path::ResumableUpload => {
            let options = UploadOptions { checkpoint: Some(checkpoint.clone()), ..UploadOptions::default() };
            client.put_file(BUCKET, &key, &file, &options).await.map(drop)
        }
        Path::SimpleDownload | Path::ParallelDownload | Path::ResumableDownload | Path::RangedDownload => {
            let source = "matrix/source";
            let outcome = match path {
                Path::SimpleDownload => match client.get_object(BUCKET, source, None).await {
                    Ok(object) => object.body.collect().await.map(|got| std::fs::write(&dest, got).unwrap()),
                    Err(e) => Err(e),
                },
                Path::RangedDownload => {
                    let range = Some(ByteRange::Inclusive { start: 1_001, end: 300_000 });
                    client
                        .get_file(BUCKET, source, &dest, &DownloadOptions { range, ..DownloadOptions::default() })
                        .await
                        .map(drop)
                }
                Path::ResumableDownload => {
                    let options =
                        DownloadOptions { checkpoint: Some(checkpoint.clone()), ..DownloadOptions::default() };
                    client.get_file(BUCKET, source, &dest, &options).await.map(drop)
                }
                _ => client.get_file(BUCKET, source, &dest, &DownloadOptions::default()).await.map(drop),
            };
            // Whatever happened, a destination that exists is complete and right.
            if dest.exists() {
                let expected = if path == Path::RangedDownload { &data[1_001..=300_000] } else { &data[..] };
                assert_eq!(
                    std::fs::read(&dest).unwrap(),
                    expected,
                    "{path:?}: a destination that looks complete is wrong"
                );
            }
            outcome
        }
    };
    if result.is_ok() && matches!(path, Path::SimpleUpload | Path::MultipartUpload | Path::ResumableUpload) {
        h.emulator.faults().clear();
        let got = client.get_object(BUCKET, &key, None).await?.body.collect().await?;
        assert_eq!(got, data, "{path:?}: uploaded bytes differ");
    }
    result
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_at_every_request_index() {
    let h = start().await;
    let options = EncryptionOptions { parallel: 2, ..small_parts() };
    let retry =
        RetryPolicy { max_attempts: 3, base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(5) };
    let config = h.oss.config().clone().retry(retry).request_timeout(Duration::from_millis(150));
    let oss = oss_cse_client::OssClient::new(config).unwrap();
    let client = EncryptionClient::new(oss, KeyRing::new(rsa("key1", None))).with_options(options).unwrap();
    client.put_object(BUCKET, "matrix/source", mod251(LEN), &PutOptions::default()).await.unwrap();

    let (mut scenarios, mut completed, mut failed) = (0, 0, 0);
    let mut id = 0;
    for path in PATHS {
        // How many requests the path makes without faults: the indices to hit.
        let before = h.emulator.faults().requests().len();
        id += 1;
        run(&h, &client, path, id).await.unwrap();
        let requests = h.emulator.faults().requests().len() - before;
        for fault in faults() {
            for index in 1..=requests as u64 {
                h.emulator.faults().clear();
                h.emulator.faults().add(FaultRule::new(fault.clone()).nth(index));
                id += 1;
                scenarios += 1;
                match run(&h, &client, path, id).await {
                    Ok(()) => completed += 1,
                    Err(error) => {
                        // A typed error that names what failed; never a panic.
                        assert!(!error.to_string().is_empty());
                        let _ = error.kind();
                        failed += 1;
                    }
                }
            }
        }
    }
    h.emulator.faults().clear();
    oss_cse_emulator::testing::report(
        env!("CARGO_TARGET_TMPDIR"),
        "fault-matrix",
        &format!(
            "fault matrix: {scenarios} scenarios, {completed} completed with correct bytes, {failed} failed with typed errors"
        ),
    );
    assert!(scenarios > 300, "{scenarios}");
    assert!(completed > failed, "retries should absorb most single faults ({completed} vs {failed})");
}
