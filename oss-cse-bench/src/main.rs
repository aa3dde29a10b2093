//! The measurements behind `cargo xtask bench`: every figure is a ratio
//! against a baseline measured in the same run on the same machine.
//!
//! `oss-cse-bench [--quick] [--repeat N] [--json PATH] [--cli PATH-TO-oss-cse] [--python-lib PATH-TO-lib_native]
//! [--only GROUP,...]`
//! (groups: cipher, hash, wire, parallel, first-request, small, bulk, memory, auth, parquet,
//! oss2, python, gateway). It runs itself as its servers (`serve-emulator DIR`, `serve-sink`),
//! each in a process of its own so that its own CPU time is the client's, and
//! as its memory probes (`child ...`, `bulk-child ...`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use oss_cse_client::core::{Aes256Ctr, DataKey, Iv};
use oss_cse_client::envelope::{KeyRing, RsaMasterKey};
use oss_cse_client::kms::{KmsClient, KmsConfig, KmsEndpoint, KmsMasterKey};
use oss_cse_client::{
    Body, ByteRange, ClientConfig, Crc64, Credentials, DownloadOptions, EncryptionClient, EncryptionOptions,
    GetOptions, OssClient, PutOptions, UploadOptions,
};
use serde_json::{Value, json};

use report::Report;

mod auth;
mod bulk;
mod first_request;
mod gateway;
mod oss2;
mod parquet;
mod python;
mod report;
mod servers;
mod sink;
mod wire;

const MIB: usize = 1 << 20;
const BUCKET: &str = "bench";

type BoxResult<T> = Result<T, Box<dyn std::error::Error>>;

fn gbps(bytes: usize, elapsed: Duration) -> f64 {
    bytes as f64 / elapsed.as_secs_f64() / 1e9
}

/// Runs `work` (which processes `bytes` per call) for at least `budget`; returns GB/s.
fn throughput(bytes: usize, budget: Duration, mut work: impl FnMut()) -> f64 {
    work(); // warm up
    let start = Instant::now();
    let mut done = 0usize;
    while start.elapsed() < budget {
        work();
        done += bytes;
    }
    gbps(done, start.elapsed())
}

/// `openssl speed -evp aes-256-ctr` on 16 KiB blocks, in GB/s, if openssl exists.
fn openssl_speed(seconds: u32) -> Option<f64> {
    let out = std::process::Command::new("openssl")
        .args(["speed", "-evp", "aes-256-ctr", "-bytes", "16384", "-seconds", &seconds.to_string()])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    // Last line: "aes-256-ctr  5912345.67k" (thousands of bytes per second).
    let line = text.lines().rev().find(|l| l.trim_start().to_ascii_lowercase().starts_with("aes-256-ctr"))?;
    let value = line.split_whitespace().last()?.trim_end_matches('k').parse::<f64>().ok()?;
    Some(value * 1000.0 / 1e9)
}

fn cipher_benches(report: &mut Report, quick: bool) {
    let budget = Duration::from_millis(if quick { 300 } else { 1500 });
    let key = DataKey::from_slice(&[7; 32]).unwrap_or_else(|_| unreachable!());
    let iv = Iv::from_slice(&[9; 16]).unwrap_or_else(|_| unreachable!());
    let openssl = openssl_speed(if quick { 1 } else { 3 });
    let raw_key = aws_lc_rs::cipher::EncryptingKey::ctr(
        aws_lc_rs::cipher::UnboundCipherKey::new(&aws_lc_rs::cipher::AES_256, &[7; 32])
            .unwrap_or_else(|_| unreachable!()),
    )
    .unwrap_or_else(|_| unreachable!());
    for size in [MIB, 64 * MIB] {
        let mut buf = vec![0u8; size];
        let raw = throughput(size, budget, || {
            let context = aws_lc_rs::cipher::EncryptionContext::Iv128(aws_lc_rs::iv::FixedLength::from([9u8; 16]));
            let _ = raw_key.less_safe_encrypt(&mut buf, context);
        });
        let mut cipher = Aes256Ctr::new(&key, &iv);
        let ours = throughput(size, budget, || {
            cipher.seek(0);
            cipher.apply_keystream(&mut buf);
        });
        let offset = throughput(size, budget, || {
            cipher.seek(7);
            cipher.apply_keystream(&mut buf);
        });
        let chunked = throughput(size, budget, || {
            cipher.seek(0);
            for piece in buf.chunks_mut(64 * 1024) {
                cipher.apply_keystream(piece);
            }
        });
        let label = format!("{} MiB", size / MIB);
        if size == 64 * MIB {
            report.aes_s_per_gib = Some(1.073_741_824 / raw);
        }
        report.add(
            "cipher",
            format!("aws-lc-rs raw CTR keystream, {label}"),
            raw,
            "GB/s",
            "openssl",
            openssl.map(|o| raw / o),
            None,
        );
        for (name, value) in [("in place", ours), ("from offset 7", offset), ("in 64 KiB chunks", chunked)] {
            report.add(
                "cipher",
                format!("oss-cse-core {name}, {label}"),
                value,
                "GB/s",
                "raw CTR",
                Some(value / raw),
                None,
            );
            if let Some(o) = openssl {
                report.add(
                    "cipher",
                    format!("oss-cse-core {name}, {label}"),
                    value,
                    "GB/s",
                    format!("openssl {o:.2} GB/s"),
                    Some(value / o),
                    Some(">= 0.90"),
                );
            }
        }
    }
    if openssl.is_none() {
        println!("cipher   (no openssl binary: the OpenSSL comparison was not made)");
    }
}

fn hash_benches(report: &mut Report, quick: bool) {
    let budget = Duration::from_millis(if quick { 300 } else { 1500 });
    let size = 64 * MIB;
    let mut buf = vec![0x5Au8; size];
    let raw_crc = throughput(size, budget, || {
        std::hint::black_box(crc_fast::checksum(crc_fast::CrcAlgorithm::Crc64Xz, &buf));
    });
    let ours_crc = throughput(size, budget, || {
        let mut crc = Crc64::new();
        crc.update(&buf);
        std::hint::black_box(crc.value());
    });
    report.add("hash", "CRC-64/XZ (oss-cse Crc64)", ours_crc, "GB/s", "crc-fast", Some(ours_crc / raw_crc), None);
    let md5 = throughput(size, budget, || {
        use md5::Digest as _;
        std::hint::black_box(md5::Md5::digest(&buf));
    });
    report.add("hash", "MD5 (md-5, plaintext MD5 when asked)", md5, "GB/s", "CRC-64", Some(md5 / raw_crc), None);
    let key = DataKey::from_slice(&[7; 32]).unwrap_or_else(|_| unreachable!());
    let iv = Iv::from_slice(&[9; 16]).unwrap_or_else(|_| unreachable!());
    let mut cipher = Aes256Ctr::new(&key, &iv);
    let encrypt_only = throughput(size, budget, || {
        cipher.seek(0);
        cipher.apply_keystream(&mut buf);
    });
    let fused = throughput(size, budget, || {
        cipher.seek(0);
        let mut crc = Crc64::new();
        oss_cse_client::seal_in_place(&mut cipher, &mut crc, &mut buf);
        std::hint::black_box(crc.value());
    });
    let two_pass = throughput(size, budget, || {
        cipher.seek(0);
        cipher.apply_keystream(&mut buf);
        std::hint::black_box(Crc64::of(&buf));
    });
    report.add(
        "hash",
        "fused encrypt + CRC-64 (one pass, 64 KiB pieces)",
        fused,
        "GB/s",
        "encrypt alone",
        Some(fused / encrypt_only),
        None,
    );
    report.add(
        "hash",
        "encrypt, then CRC-64 (two passes)",
        two_pass,
        "GB/s",
        "encrypt alone",
        Some(two_pass / encrypt_only),
        None,
    );
}

/// The emulator, in its own process, and a plain client of it.
struct Server {
    endpoint: String,
    kms_endpoint: String,
    id: String,
    secret: String,
    oss: OssClient,
    process: servers::ServerProcess,
    _dir: tempfile::TempDir,
}

/// How many times each emulator group runs: `--repeat N`, else 3 (2 with
/// `--quick`).
fn repeat_count(args: &[String], quick: bool) -> usize {
    let given = args.iter().position(|a| a == "--repeat").and_then(|i| args.get(i + 1)).and_then(|n| n.parse().ok());
    given.unwrap_or(if quick { 2 } else { 3 }).max(1)
}

async fn server() -> BoxResult<Server> {
    let dir = servers::scratch_dir()?;
    let data = dir.path().join("emu");
    let process = servers::ServerProcess::start(&["serve-emulator", data.to_str().ok_or("path")?]).await?;
    let words: Vec<String> = process.line.split_whitespace().map(str::to_owned).collect();
    let [endpoint, kms_endpoint, id, secret] = words.as_slice() else {
        return Err(format!("the emulator said {:?}", process.line).into());
    };
    let oss = OssClient::new(ClientConfig::new(endpoint, Credentials::new(id.as_str(), secret.as_str()))?)?;
    oss.put_bucket(BUCKET).await?;
    Ok(Server {
        endpoint: endpoint.clone(),
        kms_endpoint: kms_endpoint.clone(),
        id: id.clone(),
        secret: secret.clone(),
        oss,
        process,
        _dir: dir,
    })
}

fn rsa_ring() -> BoxResult<KeyRing> {
    let (key, _, _) = RsaMasterKey::generate(2048)?;
    Ok(KeyRing::new(key))
}

/// Parallel parts and ranges of one file, against the sink: how the client
/// scales with transfers in flight when the server costs next to nothing.
async fn parallel_benches(report: &mut Report, quick: bool, oss: &OssClient, dir: &Path) -> BoxResult<()> {
    let size = if quick { 256 * MIB } else { 1024 * MIB };
    let path = dir.join("parallel-src.bin");
    std::fs::write(&path, vec![0x3Cu8; size])?;
    let mut base = None;
    let ring = rsa_ring()?;
    for jobs in [1usize, 2, 4] {
        let options = EncryptionOptions {
            part_size: 8 * MIB as u64,
            parallel: jobs,
            multipart_threshold: 8 * MIB as u64,
            ..EncryptionOptions::default()
        };
        let client = EncryptionClient::new(oss.clone(), ring.clone()).with_options(options)?;
        let start = Instant::now();
        client.put_file(BUCKET, "mp", &path, &UploadOptions::default()).await?;
        let up = start.elapsed();
        let start = Instant::now();
        client.get_file(BUCKET, "mp", &dir.join("parallel-out.bin"), &DownloadOptions::default()).await?;
        let down = start.elapsed();
        let rate = |t: Duration| size as f64 / t.as_secs_f64() / 1e6;
        let (base_up, base_down) = *base.get_or_insert((up, down));
        report.add(
            "parallel",
            format!("multipart upload, {jobs} part(s) in flight"),
            rate(up),
            "MB/s",
            "1 in flight",
            Some(base_up.as_secs_f64() / up.as_secs_f64()),
            None,
        );
        report.add(
            "parallel",
            format!("ranged download, {jobs} range(s) in flight"),
            rate(down),
            "MB/s",
            "1 in flight",
            Some(base_down.as_secs_f64() / down.as_secs_f64()),
            None,
        );
    }
    let _ = std::fs::remove_file(dir.join("parallel-out.bin"));
    let _ = std::fs::remove_file(&path);
    // A 1 MiB range from the middle of a large object: what is asked of the server.
    let client = EncryptionClient::new(oss.clone(), ring);
    let middle = (size / 2 + 7) as u64;
    let range = ByteRange::Inclusive { start: middle, end: middle + MIB as u64 - 1 };
    let got = client.get_object(BUCKET, "mp", Some(range)).await?;
    let requested = got.meta.content_length;
    let returned = got.body.collect().await?.len();
    report.add(
        "range",
        format!("1 MiB from the middle of {} MiB: bytes requested", size / MIB),
        requested as f64,
        "bytes",
        "range size",
        Some(requested as f64 / returned as f64),
        Some("<= 1 + 15/2^20"),
    );
    Ok(())
}

async fn small_object_benches(report: &mut Report, quick: bool, server: &Server) -> BoxResult<()> {
    let count = if quick { 50 } else { 300 };
    let data = vec![1u8; 4096];
    let start = Instant::now();
    for i in 0..count {
        server.oss.put_object(BUCKET, &format!("small/plain/{i}"), Body::from(data.clone()), vec![]).await?;
    }
    let plain_put = count as f64 / start.elapsed().as_secs_f64();
    let start = Instant::now();
    for i in 0..count {
        server
            .oss
            .get_object(BUCKET, &format!("small/plain/{i}"), &GetOptions::default())
            .await?
            .body
            .collect()
            .await?;
    }
    let plain_get = count as f64 / start.elapsed().as_secs_f64();
    let kms = KmsClient::new(KmsConfig::new(
        KmsEndpoint::Url(server.kms_endpoint.clone()),
        Credentials::new(server.id.as_str(), server.secret.as_str()),
    ))?;
    let rings =
        [("RSA-2048", rsa_ring()?), ("KMS (emulator, cached)", KeyRing::new(KmsMasterKey::new(kms, "bench-cmk")))];
    for (name, ring) in rings {
        let client = EncryptionClient::new(server.oss.clone(), ring);
        let start = Instant::now();
        for i in 0..count {
            client.put_object(BUCKET, &format!("small/{name}/{i}"), data.clone(), &PutOptions::default()).await?;
        }
        let put = count as f64 / start.elapsed().as_secs_f64();
        let start = Instant::now();
        for i in 0..count {
            client.get_object(BUCKET, &format!("small/{name}/{i}"), None).await?.body.collect().await?;
        }
        let get = count as f64 / start.elapsed().as_secs_f64();
        report.add(
            "small",
            format!("4 KiB puts, {name}"),
            put,
            "obj/s",
            format!("plain {plain_put:.0}/s"),
            Some(put / plain_put),
            None,
        );
        report.add(
            "small",
            format!("4 KiB gets, {name}"),
            get,
            "obj/s",
            format!("plain {plain_get:.0}/s"),
            Some(get / plain_get),
            None,
        );
    }
    Ok(())
}

/// Peak RSS (KiB) of this process so far.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// The memory probe: uploads then downloads a file of `size` bytes with 4
/// parallel 8 MiB parts, and prints its own peak RSS.
async fn child(args: &[String]) -> BoxResult<()> {
    let [endpoint, id, secret, path, size] = args else { return Err("child ENDPOINT ID SECRET PATH SIZE".into()) };
    let size: u64 = size.parse()?;
    let oss = OssClient::new(ClientConfig::new(endpoint, Credentials::new(id.as_str(), secret.as_str()))?)?;
    let options = EncryptionOptions {
        part_size: 8 * MIB as u64,
        parallel: 4,
        multipart_threshold: 8 * MIB as u64,
        ..EncryptionOptions::default()
    };
    let client = EncryptionClient::new(oss, rsa_ring()?).with_options(options)?;
    let path = PathBuf::from(path);
    let key = format!("memory/{size}");
    client.put_file(BUCKET, &key, &path, &UploadOptions::default()).await?;
    let upload_peak = peak_rss_kib();
    client.get_file(BUCKET, &key, &path.with_extension("out"), &DownloadOptions::default()).await?;
    println!("{upload_peak} {}", peak_rss_kib());
    Ok(())
}

async fn memory_benches(report: &mut Report, quick: bool, server: &Server) -> BoxResult<()> {
    let sizes: [u64; 2] = if quick { [64 << 20, 256 << 20] } else { [256 << 20, 2 << 30] };
    let dir = tempfile::tempdir()?;
    let exe = std::env::current_exe()?;
    let mut results = Vec::new();
    for size in sizes {
        let path = dir.path().join(format!("mem-{size}.bin"));
        let file = std::fs::File::create(&path)?;
        file.set_len(size)?; // sparse: reading it costs no disk
        drop(file);
        let out = tokio::process::Command::new(&exe)
            .args([
                "child",
                &server.endpoint,
                &server.id,
                &server.secret,
                path.to_str().unwrap_or_default(),
                &size.to_string(),
            ])
            .output()
            .await?;
        if !out.status.success() {
            return Err(format!("memory probe failed: {}", String::from_utf8_lossy(&out.stderr)).into());
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let mut numbers = text.split_whitespace().filter_map(|n| n.parse::<u64>().ok());
        let (up, down) = (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0));
        results.push((size, up, down));
        std::fs::remove_file(&path).ok();
        std::fs::remove_file(path.with_extension("out")).ok();
    }
    let (small, large) = (results[0], results[1]);
    let label = |s: u64| if s >= 1 << 30 { format!("{} GiB", s >> 30) } else { format!("{} MiB", s >> 20) };
    for (phase, a, b) in [("upload", small.1, large.1), ("upload + download", small.2, large.2)] {
        report.add(
            "memory",
            format!("peak RSS, {phase} of {}, 4 x 8 MiB parts", label(large.0)),
            b as f64 / 1024.0,
            "MiB",
            format!("{} MiB for {}", a / 1024, label(small.0)),
            Some(b as f64 / a.max(1) as f64),
            Some("< 96 MiB, ratio ~1"),
        );
    }
    Ok(())
}

fn machine() -> Value {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    json!({"cpu": cpu, "cores": cores, "os": std::env::consts::OS, "arch": std::env::consts::ARCH})
}

#[tokio::main]
async fn main() -> BoxResult<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("child") {
        return child(&args[1..]).await;
    }
    match args.first().map(String::as_str) {
        Some("bulk-child") => return bulk::bulk_child(&args[1..]).await,
        Some("serve-emulator") => return servers::serve_emulator(&args[1..]).await,
        Some("serve-gateway") => return servers::serve_gateway(&args[1..]).await,
        Some("serve-relay") => return servers::serve_relay(&args[1..]).await,
        Some("serve-sink") => return sink::serve().await,
        _ => {}
    }
    let quick = args.iter().any(|a| a == "--quick");
    let json_path = args.iter().position(|a| a == "--json").and_then(|i| args.get(i + 1)).map(PathBuf::from);
    let started = Instant::now();
    let machine = machine();
    println!(
        "oss-cse bench ({}) on {} ({} cores)\n",
        if quick { "quick" } else { "full" },
        machine["cpu"].as_str().unwrap_or("?"),
        machine["cores"]
    );
    println!("{:<8} {:<46} {:>10} {:<6} {:>7}    baseline", "group", "measurement", "value", "unit", "ratio");
    let cli = args.iter().position(|a| a == "--cli").and_then(|i| args.get(i + 1)).map(PathBuf::from);
    let mut report = Report::default();
    // `--only cipher,wire,...` runs some groups (all by default).
    let only: Option<Vec<String>> = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .map(|groups| groups.split(',').map(str::to_owned).collect());
    let run = |group: &str| only.as_ref().is_none_or(|only| only.iter().any(|g| g == group));
    if run("cipher") {
        cipher_benches(&mut report, quick);
    }
    if run("hash") {
        hash_benches(&mut report, quick);
    }
    if run("wire") || run("first-request") || run("parallel") {
        let scratch = servers::scratch_dir()?;
        let sink = servers::ServerProcess::start(&["serve-sink"]).await?;
        if run("wire") {
            wire::wire_benches(&mut report, quick, &sink.line, scratch.path()).await?;
        }
        if run("parallel") {
            let oss = OssClient::new(ClientConfig::new(&sink.line, Credentials::new("SINK", "sink-does-not-check"))?)?;
            parallel_benches(&mut report, quick, &oss, scratch.path()).await?;
        }
        match &cli {
            Some(cli) if run("first-request") => {
                first_request::one_object_cp(&mut report, cli, &sink.line, scratch.path()).await?;
            }
            Some(_) => {}
            None => println!("small    (no --cli: the one-object cp was not timed)"),
        }
        println!("wire     (the sink used {:.1} s of CPU in all)", sink.cpu_seconds());
    }
    // Each group that uses the emulator gets a fresh one (and fresh scratch
    // space), freed before the next: what one wrote must not slow another.
    // It runs `repeats` times; each row is the median, with the spread.
    let repeats = repeat_count(&args, quick);
    let mut emulator_cpu = 0.0;
    let python_library = args.iter().position(|a| a == "--python-lib").and_then(|i| args.get(i + 1)).map(PathBuf::from);
    for group in ["small", "bulk", "memory", "auth", "parquet", "oss2", "python", "gateway"] {
        if !run(group) {
            continue;
        }
        if group == "python" && python_library.is_none() {
            println!("python   (no --python-lib: the Python package was not measured)");
            continue;
        }
        let mut runs = Vec::new();
        for _ in 0..repeats {
            let mut one = report.for_one_run();
            let server = server().await?;
            let scratch = servers::scratch_dir()?;
            match group {
                "small" => small_object_benches(&mut one, quick, &server).await?,
                "bulk" => bulk::bulk_benches(&mut one, quick, &server).await?,
                "memory" => {
                    memory_benches(&mut one, quick, &server).await?;
                    bulk::bulk_memory_benches(&mut one, quick, &server).await?;
                }
                "auth" => auth::auth_benches(&mut one, quick, &server, scratch.path()).await?,
                "parquet" => parquet::parquet_benches(&mut one, quick, &server).await?,
                "oss2" => oss2::oss2_benches(&mut one, quick, &server, scratch.path()).await?,
                "gateway" => gateway::gateway_benches(&mut one, quick, &server).await?,
                _ => {
                    let library = python_library.as_deref().ok_or("--python-lib")?;
                    python::python_benches(&mut one, quick, &server, scratch.path(), library).await?;
                }
            }
            emulator_cpu += server.process.cpu_seconds();
            runs.push(one);
        }
        report.add_runs(runs);
    }
    println!("\nthe emulators used {emulator_cpu:.1} s of CPU in all ({repeats} runs of each group)");
    let elapsed = started.elapsed();
    println!("\nfinished in {:.0} s", elapsed.as_secs_f64());
    if let Some(path) = json_path {
        let rows: Vec<Value> = report.rows.iter().map(report::Row::json).collect();
        let document = json!({"quick": quick, "machine": machine, "seconds": elapsed.as_secs_f64(), "results": rows});
        if let Some(parent) = Path::new(&path).parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, serde_json::to_string_pretty(&document)?)?;
        println!("JSON written to {}", path.display());
    }
    Ok(())
}
