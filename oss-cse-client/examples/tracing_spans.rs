//! "Where does the time of a transfer go, and what was retried?" Every
//! public operation opens a `tracing` span (bucket, key, part or range,
//! attempt, bytes, status, request id; never a secret): any subscriber sees
//! them. Here, tracing-subscriber's fmt layer prints each span as it closes,
//! with its busy and idle time.
//!
//! `cargo run -p oss-cse-client --example tracing_spans`

mod common;

use oss_cse_client::envelope::{KeyRing, RsaMasterKey};
use oss_cse_client::{DownloadOptions, EncryptionClient, EncryptionOptions, UploadOptions};
use oss_cse_emulator::{Fault, FaultRule};
use tracing_subscriber::fmt::format::FmtSpan;

#[tokio::main]
async fn main() -> common::BoxResult<()> {
    // try_init: the example's test may run beside others in one process.
    let _ = tracing_subscriber::fmt().with_span_events(FmtSpan::CLOSE).with_target(false).try_init();
    let local = common::local_oss().await?;
    let (key, _, _) = RsaMasterKey::generate(2048)?;
    let options =
        EncryptionOptions { part_size: 1 << 20, multipart_threshold: 1 << 20, ..EncryptionOptions::default() };
    let client = EncryptionClient::new(local.oss.clone(), KeyRing::new(key)).with_options(options)?;
    let source = local.dir.path().join("x-ray.bin");
    std::fs::write(&source, vec![7u8; 3 << 20])?;

    // The second part is throttled once: its span shows attempt 1 (503) and attempt 2.
    local.emulator.faults().add(FaultRule::new(Fault::SlowDown).operation("UploadPart").nth(2).times(1));
    client.put_file("records", "x-ray.bin", &source, &UploadOptions::default()).await?;
    client.get_file("records", "x-ray.bin", &local.dir.path().join("copy.bin"), &DownloadOptions::default()).await?;
    local.emulator.shutdown().await;
    Ok(())
}

#[cfg(test)]
#[test]
fn example_runs() {
    main().unwrap_or_else(|e| panic!("{e}"));
}
