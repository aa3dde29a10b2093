//! Us against oss2 (the official Python SDK the interop tests already
//! install), in the same run against the same emulator: simple put and get of
//! a large file, resumable (parallel, checkpointed) upload and download, and
//! 4 KiB objects one after another. Each side reports wall time and its own
//! CPU time (oss2's from `getrusage` in its process, ours from /proc).

use std::path::Path;

use oss_cse_client::{DownloadOptions, EncryptionClient, EncryptionOptions, PutOptions, UploadOptions};
use serde_json::Value;

use crate::wire::measure;
use crate::{BUCKET, BoxResult, MIB, Report, Server};

/// oss2's CryptoBucket doing each job; prints `{"job": [wall, cpu], ...}`.
const OSS2_JOBS: &str = r#"
import json, os, resource, sys, tempfile, time
import oss2
from oss2.crypto import RsaProvider
endpoint, ak, sk, bucket, public, private, big, count = sys.argv[1:9]
provider = RsaProvider(key_pair={"public_key": open(public).read(), "private_key": open(private).read()})
crypto = oss2.CryptoBucket(oss2.Auth(ak, sk), endpoint, bucket, crypto_provider=provider)
out = big + ".oss2-out"
store = oss2.ResumableStore(root=tempfile.mkdtemp())
dstore = oss2.ResumableDownloadStore(root=tempfile.mkdtemp())
part = 8 * 1024 * 1024
small = b"s" * 4096
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
jobs = {
    "put": lambda: crypto.put_object_from_file("oss2/big", big),
    "get": lambda: crypto.get_object_to_file("oss2/big", out),
    "resumable-put": lambda: oss2.resumable_upload(crypto, "oss2/resumable", big, store=store,
        multipart_threshold=part, part_size=part, num_threads=4),
    "resumable-get": lambda: oss2.resumable_download(crypto, "oss2/resumable", out, store=dstore,
        multiget_threshold=part, part_size=part, num_threads=4),
    "small-put": lambda: [crypto.put_object("oss2/small/%d" % i, small) for i in range(int(count))],
    "small-get": lambda: [crypto.get_object("oss2/small/%d" % i).read() for i in range(int(count))],
}
results = {}
for name, job in jobs.items():
    try:
        start, before = time.time(), cpu()
        job()
        results[name] = [time.time() - start, cpu() - before]
    except Exception as error:
        results[name] = str(error)[:200]
if os.path.exists(out):
    os.remove(out)
print(json.dumps(results))
"#;

/// The rows comparing us with oss2.
pub(crate) async fn oss2_benches(report: &mut Report, quick: bool, server: &Server, dir: &Path) -> BoxResult<()> {
    let size: u64 = 256 << 20;
    let count: usize = if quick { 200 } else { 1000 };
    let (key, public, private) = oss_cse_client::envelope::RsaMasterKey::generate(2048)?;
    let (public_path, private_path) = (dir.join("oss2.pub.pem"), dir.join("oss2.pem"));
    std::fs::write(&public_path, public.as_bytes())?;
    std::fs::write(&private_path, private.as_bytes())?;
    let big = dir.join("oss2-big.bin");
    std::fs::write(&big, (0..size as usize).map(|i| (i % 249) as u8).collect::<Vec<u8>>())?;

    let python = tokio::process::Command::new("python3")
        .arg("-c")
        .arg(OSS2_JOBS)
        .args([&server.endpoint, &server.id, &server.secret, BUCKET])
        .arg(&public_path)
        .arg(&private_path)
        .arg(&big)
        .arg(count.to_string())
        .output()
        .await;
    let theirs: Value = match python {
        Ok(out) if out.status.success() => serde_json::from_slice(&out.stdout)?,
        Ok(out) => {
            println!(
                "oss2     (oss2 did not run: {})",
                String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("")
            );
            return Ok(());
        }
        Err(error) => {
            println!("oss2     (no python3: {error})");
            return Ok(());
        }
    };

    let ring = oss_cse_client::envelope::KeyRing::new(key);
    let simple = EncryptionClient::new(server.oss.clone(), ring.clone()).with_options(EncryptionOptions {
        multipart_threshold: u64::MAX / 2,
        part_size: size,
        parallel: 1,
        ..EncryptionOptions::default()
    })?;
    let parallel = EncryptionClient::new(server.oss.clone(), ring).with_options(EncryptionOptions {
        multipart_threshold: 8 * MIB as u64,
        part_size: 8 * MIB as u64,
        parallel: 4,
        ..EncryptionOptions::default()
    })?;
    let out = dir.join("oss2-ours.out");
    let checkpoint = dir.join("ours.checkpoint");
    let ours = [
        (
            "put",
            measure(1, |_| async {
                Ok(simple.put_file(BUCKET, "ours/big", &big, &UploadOptions::default()).await.map(|_| ())?)
            })
            .await?,
        ),
        (
            "get",
            measure(1, |_| async {
                Ok(simple.get_file(BUCKET, "ours/big", &out, &DownloadOptions::default()).await.map(|_| ())?)
            })
            .await?,
        ),
        (
            "resumable-put",
            measure(1, |_| async {
                let options = UploadOptions { checkpoint: Some(checkpoint.clone()), ..UploadOptions::default() };
                Ok(parallel.put_file(BUCKET, "ours/resumable", &big, &options).await.map(|_| ())?)
            })
            .await?,
        ),
        (
            "resumable-get",
            measure(1, |_| async {
                let options = DownloadOptions { checkpoint: Some(checkpoint.clone()), ..DownloadOptions::default() };
                Ok(parallel.get_file(BUCKET, "ours/resumable", &out, &options).await.map(|_| ())?)
            })
            .await?,
        ),
        (
            "small-put",
            measure(1, |_| async {
                for i in 0..count {
                    simple
                        .put_object(BUCKET, &format!("ours/small/{i}"), vec![7u8; 4096], &PutOptions::default())
                        .await?;
                }
                Ok(())
            })
            .await?,
        ),
        (
            "small-get",
            measure(1, |_| async {
                for i in 0..count {
                    simple.get_object(BUCKET, &format!("ours/small/{i}"), None).await?.body.collect().await?;
                }
                Ok(())
            })
            .await?,
        ),
    ];
    let _ = std::fs::remove_file(&out);
    let _ = std::fs::remove_file(&big);
    for (job, (wall, cpu)) in ours {
        let label = match job {
            "put" => "simple put of 256 MiB (one stream)",
            "get" => "simple get of 256 MiB to a file (one stream)",
            "resumable-put" => "resumable upload of 256 MiB (8 MiB parts, 4 threads)",
            "resumable-get" => "resumable download of 256 MiB (8 MiB parts, 4 threads)",
            "small-put" => "4 KiB puts, one at a time",
            _ => "4 KiB gets, one at a time",
        };
        let Some([their_wall, their_cpu]) =
            theirs.get(job).and_then(|v| serde_json::from_value::<[f64; 2]>(v.clone()).ok())
        else {
            println!("oss2     {label}: oss2 failed: {}", theirs.get(job).unwrap_or(&Value::Null));
            continue;
        };
        let small = job.starts_with("small");
        let (value, unit, theirs_text) = if small {
            (count as f64 / wall.as_secs_f64(), "obj/s", format!("oss2 {:.0} obj/s", count as f64 / their_wall))
        } else {
            (size as f64 / wall.as_secs_f64() / 1e6, "MB/s", format!("oss2 {:.0} MB/s", size as f64 / their_wall / 1e6))
        };
        report.add(
            "oss2",
            format!("{label}, speed"),
            value,
            unit,
            theirs_text,
            Some(their_wall / wall.as_secs_f64()),
            Some(if small { ">= 4" } else { ">= 5" }),
        );
        if !small {
            let per_gib = |cpu: f64| cpu * (1u64 << 30) as f64 / size as f64;
            report.add(
                "oss2",
                format!("{label}, client CPU"),
                per_gib(cpu),
                "s/GiB",
                format!("oss2 {:.2} s/GiB", per_gib(their_cpu)),
                Some(their_cpu / cpu.max(1e-3)),
                Some(">= 10 (oss2 / ours)"),
            );
        }
    }
    Ok(())
}
