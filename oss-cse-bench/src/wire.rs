//! The client at the speed of the wire: one object up and down against the
//! trivial sink server (another process), encrypted beside plain through the
//! same HTTP stack and beside `curl`, reporting this process's CPU seconds
//! per GiB (the client's alone: the server runs elsewhere) and wall
//! throughput, to and from memory and files.

use std::os::unix::fs::FileExt as _;
use std::path::Path;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use oss_cse_client::core::{Aes256Ctr, DataKey, Iv};
use oss_cse_client::{
    Body, ClientConfig, Crc64, Credentials, DownloadOptions, EncryptionClient, EncryptionOptions, GetOptions,
    OssClient, PutOptions, UploadOptions,
};

use crate::{BUCKET, BoxResult, MIB, Report, rsa_ring};

const GIB: f64 = (1u64 << 30) as f64;

/// CPU seconds (user + system) this process has used so far, all threads.
pub(crate) fn cpu_seconds() -> f64 {
    let (utime, stime, _, _) = proc_times("self");
    utime + stime
}

/// utime, stime, cutime and cstime of a process (`self` or a pid), in seconds.
pub(crate) fn proc_times(pid: &str) -> (f64, f64, f64, f64) {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    let ticks = *TICKS.get_or_init(|| {
        std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .unwrap_or(100.0)
    });
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> =
        stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let field = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0) / ticks;
    (field(11), field(12), field(13), field(14))
}

/// Wall time and this process's CPU time of `reps` runs of `work`.
pub(crate) async fn measure<F, Fut>(reps: usize, mut work: F) -> BoxResult<(Duration, f64)>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = BoxResult<()>>,
{
    work(usize::MAX).await?; // warm up: connections, the RSA helper, page cache
    let (start, cpu) = (Instant::now(), cpu_seconds());
    for rep in 0..reps {
        work(rep).await?;
    }
    Ok((start.elapsed(), cpu_seconds() - cpu))
}

/// Wall and CPU time of `reps` runs each of `plain` and `encrypted`,
/// alternating, so that whatever else the machine does weighs on both alike.
pub(crate) async fn measure_pair<P, PF, E, EF>(reps: usize, mut plain: P, mut encrypted: E) -> BoxResult<(Way, Way)>
where
    P: FnMut() -> PF,
    PF: std::future::Future<Output = BoxResult<()>>,
    E: FnMut() -> EF,
    EF: std::future::Future<Output = BoxResult<()>>,
{
    plain().await?;
    encrypted().await?;
    let (mut a, mut b) = (Way { wall: Duration::ZERO, cpu: 0.0 }, Way { wall: Duration::ZERO, cpu: 0.0 });
    for _ in 0..reps {
        let (start, cpu) = (Instant::now(), cpu_seconds());
        plain().await?;
        (a.wall, a.cpu) = (a.wall + start.elapsed(), a.cpu + cpu_seconds() - cpu);
        let (start, cpu) = (Instant::now(), cpu_seconds());
        encrypted().await?;
        (b.wall, b.cpu) = (b.wall + start.elapsed(), b.cpu + cpu_seconds() - cpu);
    }
    Ok((a, b))
}

/// One measured way of moving the object.
pub(crate) struct Way {
    pub wall: Duration,
    pub cpu: f64,
}

impl Way {
    fn mbps(&self, bytes: u64) -> f64 {
        bytes as f64 / self.wall.as_secs_f64() / 1e6
    }

    fn cpu_per_gib(&self, bytes: u64) -> f64 {
        self.cpu * GIB / bytes as f64
    }
}

/// CPU seconds per GiB of the content cipher alone, in 64 MiB buffers.
fn aes_alone_s_per_gib() -> f64 {
    let (Ok(key), Ok(iv)) = (DataKey::from_slice(&[7; 32]), Iv::from_slice(&[9; 16])) else { return f64::NAN };
    let mut cipher = Aes256Ctr::new(&key, &iv);
    let mut buf = vec![0u8; 64 * MIB];
    let gbps = crate::throughput(buf.len(), Duration::from_millis(500), || {
        cipher.seek(0);
        cipher.apply_keystream(&mut buf);
    });
    1.073_741_824 / gbps
}

/// `curl` moving the same bytes against the same sink: (wall, CPU of curl).
fn curl(args: &[&str], reps: usize) -> Option<Way> {
    let run = || {
        let mut child =
            std::process::Command::new("curl").args(["-sS", "-f", "-H", "Expect:"]).args(args).spawn().ok()?;
        child.wait().ok().filter(std::process::ExitStatus::success)
    };
    run()?;
    let start = Instant::now();
    let before = children_cpu();
    for _ in 0..reps {
        run()?;
    }
    Some(Way { wall: start.elapsed(), cpu: children_cpu() - before })
}

/// CPU seconds of this process's waited-for children.
pub(crate) fn children_cpu() -> f64 {
    let (_, _, cutime, cstime) = proc_times("self");
    cutime + cstime
}

/// Drains a plain GET into a file with positional writes of 1 MiB batches,
/// checking its CRC-64 as every SDK does: what the encrypted download does,
/// less the decryption.
async fn plain_get_to_file(oss: &OssClient, key: &str, path: &Path) -> BoxResult<()> {
    let file = std::sync::Arc::new(std::fs::File::create(path)?);
    let mut body = oss.get_object(BUCKET, key, &GetOptions::default()).await?.body;
    let (mut batch, mut filled, mut offset) = (vec![0u8; MIB], 0usize, 0u64);
    let mut crc = Crc64::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk?;
        crc.update(&chunk);
        let mut chunk = &chunk[..];
        while !chunk.is_empty() {
            let n = chunk.len().min(MIB - filled);
            batch[filled..filled + n].copy_from_slice(&chunk[..n]);
            (filled, chunk) = (filled + n, &chunk[n..]);
            if filled == MIB {
                let f = file.clone();
                batch = tokio::task::spawn_blocking(move || f.write_all_at(&batch, offset).map(|()| batch)).await??;
                (offset, filled) = (offset + MIB as u64, 0);
            }
        }
    }
    file.write_all_at(&batch[..filled], offset)?;
    file.sync_all()?;
    std::hint::black_box(crc.value());
    Ok(())
}

/// Reads a body to its end, with a CRC-64 of it when `crc` (a plain
/// download's check; the decrypting body checks its own).
async fn drain(
    mut body: impl futures_util::Stream<Item = oss_cse_client::Result<bytes::Bytes>> + Unpin,
    crc: bool,
) -> BoxResult<u64> {
    let (mut n, mut sum) = (0, Crc64::new());
    while let Some(chunk) = body.next().await {
        let chunk = chunk?;
        if crc {
            sum.update(&chunk);
        }
        n += chunk.len() as u64;
    }
    std::hint::black_box(sum.value());
    Ok(n)
}

/// The rows: encrypted vs plain vs curl, up and down, memory and files.
pub(crate) async fn wire_benches(report: &mut Report, quick: bool, sink: &str, dir: &Path) -> BoxResult<()> {
    let size: u64 = if quick { 256 << 20 } else { 1 << 30 };
    let reps = 4;
    let total = size * reps as u64;
    let label = if quick { "256 MiB" } else { "1 GiB" };
    let oss = OssClient::new(ClientConfig::new(sink, Credentials::new("SINK", "sink-does-not-check"))?)?;
    // One stream each way, so that plain, encrypted and curl do the same thing.
    let options = EncryptionOptions {
        multipart_threshold: u64::MAX / 2,
        part_size: size.next_multiple_of(16),
        parallel: 1,
        ..EncryptionOptions::default()
    };
    let client = EncryptionClient::new(oss.clone(), rsa_ring()?).with_options(options)?;
    let source = dir.join("wire-source.bin");
    let data: Vec<u8> = (0..size as usize).map(|i| (i % 253) as u8).collect();
    std::fs::write(&source, &data)?;
    let bytes = bytes::Bytes::from(data);
    let out = dir.join("wire-out.bin");

    let up_file = measure_pair(
        reps,
        || async {
            Ok(oss.put_object(BUCKET, "wire/plain", Body::from_file(&source).await?, vec![]).await.map(|_| ())?)
        },
        || async { Ok(client.put_file(BUCKET, "wire/enc", &source, &UploadOptions::default()).await.map(|_| ())?) },
    )
    .await?;
    let down_file = measure_pair(
        reps,
        || plain_get_to_file(&oss, "wire/plain", &out),
        || async { Ok(client.get_file(BUCKET, "wire/enc", &out, &DownloadOptions::default()).await.map(|_| ())?) },
    )
    .await?;
    // The encrypting put takes the caller's buffer and encrypts it in place;
    // the copies it is given are made before the clock starts.
    let copies = std::sync::Mutex::new((0..=reps).map(|_| bytes.to_vec()).collect::<Vec<_>>());
    let up_mem = measure_pair(
        reps,
        || async { Ok(oss.put_object(BUCKET, "wire/plain-mem", Body::from(bytes.clone()), vec![]).await.map(|_| ())?) },
        || async {
            let buf = copies.lock().map_err(|_| "poisoned")?.pop().ok_or("no copy left")?;
            Ok(client.put_object(BUCKET, "wire/enc-mem", buf, &PutOptions::default()).await.map(|_| ())?)
        },
    )
    .await?;
    drop(copies);
    let down_mem = measure_pair(
        reps,
        || async {
            drain(oss.get_object(BUCKET, "wire/plain", &GetOptions::default()).await?.body, true).await.map(|_| ())
        },
        || async { drain(client.get_object(BUCKET, "wire/enc", None).await?.body, false).await.map(|_| ()) },
    )
    .await?;

    let url = format!("{sink}/{BUCKET}/wire/curl");
    let source_arg = source.to_string_lossy().into_owned();
    let out_arg = out.to_string_lossy().into_owned();
    let curl_up = curl(&["-T", &source_arg, &url], reps);
    let curl_down = curl(&["-o", &out_arg, &url], reps);
    let _ = std::fs::remove_file(&out);
    let _ = std::fs::remove_file(&source);

    let ways = [
        ("upload from a file", up_file, curl_up.as_ref()),
        ("download to a file", down_file, curl_down.as_ref()),
        ("upload from memory", up_mem, None),
        ("download to memory", down_mem, None),
    ];
    let aes = report.aes_s_per_gib.unwrap_or_else(aes_alone_s_per_gib);
    for (what, (plain, enc), curl) in ways {
        let extra = enc.cpu_per_gib(total) - plain.cpu_per_gib(total);
        report.add(
            "wire",
            format!("client CPU, encrypted {what}, {label}"),
            enc.cpu_per_gib(total),
            "s/GiB",
            format!("plain {:.2} s/GiB", plain.cpu_per_gib(total)),
            Some(enc.cpu_per_gib(total) / plain.cpu_per_gib(total)),
            None,
        );
        report.add(
            "wire",
            format!("client CPU of encryption (encrypted - plain), {what}"),
            extra,
            "s/GiB",
            format!("AES-256-CTR alone {aes:.2} s/GiB"),
            Some(extra / aes),
            Some("<= 0.15 s/GiB"),
        );
        report.add(
            "wire",
            format!("encrypted {what}, {label}"),
            enc.mbps(total),
            "MB/s",
            format!("plain {:.0} MB/s", plain.mbps(total)),
            Some(plain.wall.as_secs_f64() / enc.wall.as_secs_f64()),
            Some(">= 0.90"),
        );
        if let Some(curl) = curl {
            report.add(
                "wire",
                format!("encrypted {what}, {label}"),
                enc.mbps(total),
                "MB/s",
                format!("curl {:.0} MB/s, {:.2} s/GiB of CPU", curl.mbps(total), curl.cpu_per_gib(total)),
                Some(curl.wall.as_secs_f64() / enc.wall.as_secs_f64()),
                Some(">= 0.85"),
            );
        }
    }
    if curl_up.is_none() || curl_down.is_none() {
        println!("wire     (no curl: the curl comparison was not made)");
    }
    Ok(())
}
