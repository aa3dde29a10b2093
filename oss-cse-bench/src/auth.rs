//! What authentication costs: the tag's hash beside AES-CTR alone (and
//! SHA-256, the HMAC alternative), then a tagged file upload (two passes)
//! and a tagged, verified file download beside the same transfers
//! untagged, against the emulator: wall time and client CPU.

use std::time::{Duration, Instant};

use oss_cse_client::core::auth::{ChunkHasher, TAG_CHUNK};
use oss_cse_client::core::{Aes256Ctr, DataKey, Iv};
use oss_cse_client::{Authentication, DownloadOptions, EncryptionClient, EncryptionOptions, UploadOptions};

use crate::wire::cpu_seconds;
use crate::{BUCKET, BoxResult, MIB, Report, Server, rsa_ring, throughput};

fn hash_rows(report: &mut Report, quick: bool) {
    let budget = Duration::from_millis(if quick { 300 } else { 1500 });
    let size = 64 * MIB;
    let mut buf = vec![0x5Au8; size];
    let key = DataKey::from_slice(&[7; 32]).unwrap_or_else(|_| unreachable!());
    let iv = Iv::from_slice(&[9; 16]).unwrap_or_else(|_| unreachable!());
    let mut cipher = Aes256Ctr::new(&key, &iv);
    let aes = throughput(size, budget, || {
        cipher.seek(0);
        cipher.apply_keystream(&mut buf);
    });
    let blake3 = throughput(size, budget, || {
        let mut hasher = ChunkHasher::new(0);
        hasher.update(&buf);
        std::hint::black_box(hasher.finish());
    });
    let sha256 = throughput(size, budget, || {
        for piece in buf.chunks(TAG_CHUNK as usize) {
            std::hint::black_box(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, piece));
        }
    });
    let tagged = throughput(size, budget, || {
        cipher.seek(0);
        cipher.apply_keystream(&mut buf);
        let mut hasher = ChunkHasher::new(0);
        hasher.update(&buf);
        std::hint::black_box(hasher.finish());
    });
    let per = |gbps: f64| 1.0 / gbps; // seconds per GB
    report.add(
        "auth",
        "tag hash: BLAKE3 over 1 MiB pieces",
        blake3,
        "GB/s",
        "AES-256-CTR alone (cost ratio)",
        Some(per(blake3) / per(aes)),
        None,
    );
    report.add(
        "auth",
        "HMAC alternative: SHA-256 (aws-lc)",
        sha256,
        "GB/s",
        "AES-256-CTR alone (cost ratio)",
        Some(per(sha256) / per(aes)),
        None,
    );
    report.add("auth", "encrypt + tag hash", tagged, "GB/s", "AES-256-CTR alone", Some(tagged / aes), None);
}

/// Wall seconds and client CPU seconds of `work`.
async fn timed<F: std::future::Future<Output = BoxResult<()>>>(work: F) -> BoxResult<(f64, f64)> {
    let (start, cpu) = (Instant::now(), cpu_seconds());
    work.await?;
    Ok((start.elapsed().as_secs_f64(), cpu_seconds() - cpu))
}

pub(crate) async fn auth_benches(
    report: &mut Report,
    quick: bool,
    server: &Server,
    dir: &std::path::Path,
) -> BoxResult<()> {
    hash_rows(report, quick);
    let size = if quick { 64 * MIB } else { 256 * MIB };
    let reps = if quick { 2 } else { 4 };
    let path = dir.join("auth-src.bin");
    std::fs::write(&path, vec![0x3Cu8; size])?;
    let ring = rsa_ring()?;
    let options = |tagged: bool| EncryptionOptions {
        authentication: Authentication { write_tags: tagged, require_tags: tagged, ..Authentication::default() },
        ..EncryptionOptions::default()
    };
    let plain = EncryptionClient::new(server.oss.clone(), ring.clone()).with_options(options(false))?;
    let tagged = EncryptionClient::new(server.oss.clone(), ring).with_options(options(true))?;
    let mut totals = [[0.0f64; 2]; 4]; // [up plain, up tagged, down plain, down tagged] x [wall, cpu]
    for rep in 0..=reps {
        for (i, client) in [&plain, &tagged].into_iter().enumerate() {
            let key = format!("auth/{i}");
            let up =
                timed(async { Ok(client.put_file(BUCKET, &key, &path, &UploadOptions::default()).await.map(drop)?) })
                    .await?;
            let out = dir.join(format!("auth-out-{i}.bin"));
            let down =
                timed(async { Ok(client.get_file(BUCKET, &key, &out, &DownloadOptions::default()).await.map(drop)?) })
                    .await?;
            std::fs::remove_file(&out)?;
            if rep > 0 {
                for (slot, (wall, cpu)) in [(i, up), (2 + i, down)] {
                    totals[slot][0] += wall;
                    totals[slot][1] += cpu;
                }
            }
        }
    }
    std::fs::remove_file(&path)?;
    let gib = (size * reps) as f64 / (1u64 << 30) as f64;
    let mb_s = |wall: f64| (size * reps) as f64 / wall / 1e6;
    let label = size / MIB;
    for (name, untagged, with) in [("upload", totals[0], totals[1]), ("download, verified", totals[2], totals[3])] {
        report.add(
            "auth",
            format!("tagged {name} of {label} MiB from a file: wall"),
            mb_s(with[0]),
            "MB/s",
            "the same transfer untagged (time ratio)",
            Some(with[0] / untagged[0]),
            None,
        );
        report.add(
            "auth",
            format!("tagged {name} of {label} MiB: client CPU"),
            with[1] / gib,
            "s/GiB",
            "the same transfer untagged (CPU ratio)",
            Some(with[1] / untagged[1].max(1e-9)),
            None,
        );
    }
    Ok(())
}
