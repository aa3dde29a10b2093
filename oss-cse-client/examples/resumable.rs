//! "How do I upload and download a large file in parallel parts, with a
//! progress bar, and pick up where I left off after a crash?"
//!
//! `cargo run -p oss-cse-client --example resumable`

mod common;

use std::sync::Arc;

use oss_cse_client::envelope::{KeyRing, RsaMasterKey};
use oss_cse_client::{DownloadOptions, EncryptionClient, EncryptionOptions, Progress, PutOptions, UploadOptions};

fn progress(what: &'static str) -> Progress {
    Arc::new(move |done, total| {
        if let Some(total) = total.filter(|t| *t > 0) {
            // A real program would drive a progress bar (indicatif) here.
            if done == total || done % (4 << 20) == 0 {
                println!("{what}: {:>3}%", done * 100 / total);
            }
        }
    })
}

#[tokio::main]
async fn main() -> common::BoxResult<()> {
    let local = common::local_oss().await?;
    let (key, _, _) = RsaMasterKey::generate(2048)?;
    let options = EncryptionOptions {
        part_size: 1 << 20,
        multipart_threshold: 1 << 20,
        parallel: 4,
        ..EncryptionOptions::default()
    };
    let client = EncryptionClient::new(local.oss.clone(), KeyRing::new(key)).with_options(options)?;
    let source = local.dir.path().join("scan.dcm");
    std::fs::write(&source, (0..(12u32 << 20)).map(|i| (i % 253) as u8).collect::<Vec<u8>>())?;

    // Finished parts are recorded in the checkpoint (with the wrapped key,
    // never a plaintext one); run this again after a crash and only the
    // parts left are sent. The checkpoint is removed when the upload ends.
    let checkpoint = local.dir.path().join("scan.upload.json");
    let upload = UploadOptions {
        put: PutOptions { progress: Some(progress("upload")), ..PutOptions::default() },
        checkpoint: Some(checkpoint.clone()),
    };
    client.put_file("records", "scans/scan.dcm", &source, &upload).await?;
    assert!(!checkpoint.exists());

    // The download writes a temporary file beside the destination, checks
    // the whole object's CRC-64 (and the plaintext length), and only then
    // renames it into place: a crash never leaves a file that looks complete.
    let target = local.dir.path().join("scan.copy.dcm");
    let download = DownloadOptions {
        checkpoint: Some(local.dir.path().join("scan.download.json")),
        progress: Some(progress("download")),
        ..DownloadOptions::default()
    };
    let bytes = client.get_file("records", "scans/scan.dcm", &target, &download).await?;
    assert_eq!(std::fs::read(&target)?, std::fs::read(&source)?);
    println!("{bytes} bytes downloaded and verified");
    local.emulator.shutdown().await;
    Ok(())
}

#[cfg(test)]
#[test]
fn example_runs() {
    main().unwrap_or_else(|e| panic!("{e}"));
}
