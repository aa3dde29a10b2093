//! A one-object `oss-cse cp` of 4 KiB, the real binary in a new process
//! against the sink: its wall time and the share of it spent before the
//! first request reaches the server (process start, key loading, the
//! random generator's seeding, the RSA wrap).

use std::path::Path;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use oss_cse_client::envelope::RsaMasterKey;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::{BoxResult, Report};

const RUNS: usize = 15;

/// A bare HTTP/1.0 request to the sink's control paths; the reply body.
async fn sink_call(sink: &str, method: &str, path: &str) -> BoxResult<String> {
    let address = sink.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await?;
    stream
        .write_all(format!("{method} {path} HTTP/1.1\r\nhost: {address}\r\ncontent-length: 0\r\n\r\n").as_bytes())
        .await?;
    let mut reply = Vec::new();
    let mut buf = [0u8; 1024];
    // The reply is small and has a Content-Length; read until its body is in.
    loop {
        let n = stream.read(&mut buf).await?;
        reply.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&reply).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length: "))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if body.len() >= len || n == 0 {
                return Ok(body.to_owned());
            }
        } else if n == 0 {
            return Err("the sink closed the connection".into());
        }
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// Times `oss-cse cp` of one 4 KiB object up and down, `RUNS` times each.
pub(crate) async fn one_object_cp(report: &mut Report, cli: &Path, sink: &str, dir: &Path) -> BoxResult<()> {
    let (_, public, private) = RsaMasterKey::generate(2048)?;
    let (public_path, private_path) = (dir.join("one.pub.pem"), dir.join("one.pem"));
    std::fs::write(&public_path, public.as_bytes())?;
    std::fs::write(&private_path, private.as_bytes())?;
    let small = dir.join("one.bin");
    std::fs::write(&small, vec![7u8; 4096])?;
    let out = dir.join("one.out");
    let target = format!("oss://{}/one", crate::BUCKET);
    let (small_arg, out_arg) = (small.to_string_lossy().into_owned(), out.to_string_lossy().into_owned());
    let up: [&str; 5] = ["cp", &small_arg, &target, "--rsa-public-key", public_path.to_str().unwrap_or_default()];
    let down: [&str; 5] = ["cp", &target, &out_arg, "--rsa-private-key", private_path.to_str().unwrap_or_default()];
    for (what, args) in [("upload", up), ("download", down)] {
        let (mut walls, mut shares) = (Vec::new(), Vec::new());
        for _ in 0..RUNS {
            sink_call(sink, "POST", "/__reset").await?;
            let started_us = SystemTime::now().duration_since(UNIX_EPOCH)?.as_micros();
            let start = Instant::now();
            let status = tokio::process::Command::new(cli)
                .args(args)
                .args(["--endpoint", sink])
                .env("OSS_ACCESS_KEY_ID", "SINK")
                .env("OSS_ACCESS_KEY_SECRET", "sink-does-not-check")
                .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
                .env("HOME", dir)
                .stdout(std::process::Stdio::null())
                .status()
                .await?;
            let wall = start.elapsed().as_secs_f64();
            if !status.success() {
                return Err(format!("oss-cse {args:?} failed: {status}").into());
            }
            let first: u128 = sink_call(sink, "GET", "/__first-request").await?.trim().parse()?;
            walls.push(wall * 1000.0);
            shares.push(first.saturating_sub(started_us) as f64 / 1e3 / (wall * 1000.0));
        }
        let share = median(shares);
        report.add(
            "small",
            format!("one-object `oss-cse cp` {what} of 4 KiB, new process"),
            median(walls),
            "ms",
            format!("median of {RUNS}; {:.0}% of it before the first request", share * 100.0),
            Some(share),
            None,
        );
    }
    Ok(())
}
