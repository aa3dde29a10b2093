//! Many small objects through the bulk engine (what `cp -r` runs), against
//! oss2 doing the same job with as many threads against the same server in
//! the same run; and the peak memory of a tree copy as the tree grows.

use std::path::{Path, PathBuf};
use std::time::Instant;

use oss_cse_client::bulk::{JobOptions, Outcome, items_from, run_job};
use oss_cse_client::envelope::{KeyRing, RsaMasterKey};
use oss_cse_client::{ClientConfig, Credentials, DownloadOptions, EncryptionClient, OssClient, UploadOptions};

use crate::{BUCKET, BoxResult, Report, Server, peak_rss_kib};

/// Objects in flight, for us and for oss2's thread pool.
const JOBS: usize = 16;

/// oss2's CryptoBucket doing the same job: put every file, then get every
/// object, `threads` at a time. Prints objects per second, up and down.
const OSS2_JOB: &str = r#"
import os, sys, time
from concurrent.futures import ThreadPoolExecutor
import oss2
from oss2.crypto import RsaProvider
endpoint, ak, sk, bucket, public, private, root, prefix, threads = sys.argv[1:10]
provider = RsaProvider(key_pair={"public_key": open(public).read(), "private_key": open(private).read()})
crypto = oss2.CryptoBucket(oss2.Auth(ak, sk), endpoint, bucket, crypto_provider=provider)
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs)
def up(path):
    with open(path, "rb") as f:
        crypto.put_object(prefix + os.path.relpath(path, root), f.read())
def down(path):
    crypto.get_object(prefix + os.path.relpath(path, root)).read()
with ThreadPoolExecutor(int(threads)) as pool:
    start = time.time(); list(pool.map(up, files)); up_rate = len(files) / (time.time() - start)
    start = time.time(); list(pool.map(down, files)); down_rate = len(files) / (time.time() - start)
print(up_rate, down_rate)
"#;

/// The relative name of file `i` of a tree.
fn tree_name(i: usize) -> String {
    format!("d{:02}/f{i:06}", i % 50)
}

/// `count` files of `size` bytes under `root`, in 50 folders.
fn make_tree(root: &Path, count: usize, size: usize) -> BoxResult<Vec<(String, PathBuf)>> {
    let mut files = Vec::with_capacity(count);
    for i in 0..count {
        let relative = tree_name(i);
        let path = root.join(&relative);
        if i < 50 {
            std::fs::create_dir_all(path.parent().ok_or("no parent")?)?;
        }
        std::fs::write(&path, vec![(i % 251) as u8; size])?;
        files.push((relative, path));
    }
    Ok(files)
}

/// Runs `step` on every key with the bulk engine, `JOBS` at a time;
/// objects per second.
async fn run<I, F, Fut>(keys: I, step: F) -> BoxResult<f64>
where
    I: ExactSizeIterator<Item = (String, PathBuf)> + Send + 'static,
    F: Fn(String, PathBuf) -> Fut,
    Fut: std::future::Future<Output = oss_cse_client::Result<()>> + Send + 'static,
{
    let count = keys.len();
    let items = items_from(keys.map(|(key, path)| (key.clone(), (key, path))));
    let options = JobOptions { jobs: JOBS, ..JobOptions::default() };
    let started = Instant::now();
    let work = |(key, path): (String, PathBuf)| {
        let done = step(key, path);
        async move { done.await.map(|()| Outcome::Done { bytes: 0 }) }
    };
    let summary = run_job(items, &options, work, |_| {}).await?;
    if !summary.succeeded() {
        return Err(format!("{} of {count} objects failed: {:?}", summary.failed.len(), summary.failed.first()).into());
    }
    Ok(count as f64 / started.elapsed().as_secs_f64())
}

/// Uploads every file under `prefix`, then downloads every object into
/// `out`; objects per second each way.
async fn copy_both_ways(
    client: &EncryptionClient,
    files: &[(String, PathBuf)],
    prefix: &str,
    out: &Path,
) -> BoxResult<(f64, f64)> {
    let keys: Vec<_> = files.iter().map(|(relative, path)| (format!("{prefix}{relative}"), path.clone())).collect();
    let uploader = client.clone();
    let up = run(keys.clone().into_iter(), move |key, path| {
        let client = uploader.clone();
        async move { client.put_file(BUCKET, &key, &path, &UploadOptions::default()).await.map(drop) }
    })
    .await?;
    let downloads: Vec<_> =
        keys.iter().zip(files).map(|((key, _), (relative, _))| (key.clone(), out.join(relative))).collect();
    for (_, path) in downloads.iter().take(50) {
        std::fs::create_dir_all(path.parent().ok_or("no parent")?)?;
    }
    let downloader = client.clone();
    let down = run(downloads.into_iter(), move |key, path| {
        let client = downloader.clone();
        async move { client.get_file(BUCKET, &key, &path, &DownloadOptions::default()).await.map(drop) }
    })
    .await?;
    Ok((up, down))
}

/// Many 4 KiB objects up and down in one process, and the same job by
/// oss2 with as many threads.
pub(crate) async fn bulk_benches(report: &mut Report, quick: bool, server: &Server) -> BoxResult<()> {
    let count = if quick { 500 } else { 5000 };
    let dir = tempfile::tempdir()?;
    let files = make_tree(&dir.path().join("tree"), count, 4096)?;
    let (key, public, private) = RsaMasterKey::generate(2048)?;
    let client = EncryptionClient::new(server.oss.clone(), KeyRing::new(key));
    let (up, down) = copy_both_ways(&client, &files, "bulk/ours/", &dir.path().join("out")).await?;
    let (public_path, private_path) = (dir.path().join("public.pem"), dir.path().join("private.pem"));
    std::fs::write(&public_path, public)?;
    std::fs::write(&private_path, private.as_bytes())?;
    let oss2 = if oss_cse_emulator::testing::python_with_oss2("the oss2 bulk baseline") {
        let script = dir.path().join("oss2_job.py");
        std::fs::write(&script, OSS2_JOB)?;
        let out = tokio::process::Command::new("python3")
            .arg(&script)
            .args([
                &server.endpoint,
                &server.id,
                &server.secret,
                BUCKET,
                public_path.to_str().unwrap_or_default(),
                private_path.to_str().unwrap_or_default(),
                dir.path().join("tree").to_str().unwrap_or_default(),
                "bulk/oss2/",
                &JOBS.to_string(),
            ])
            .output()
            .await?;
        if !out.status.success() {
            return Err(format!("the oss2 job failed: {}", String::from_utf8_lossy(&out.stderr)).into());
        }
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let mut rates = text.split_whitespace().filter_map(|n| n.parse::<f64>().ok());
        Some((rates.next().unwrap_or(0.0), rates.next().unwrap_or(0.0)))
    } else {
        None
    };
    for (direction, ours, theirs) in [("up", up, oss2.map(|o| o.0)), ("down", down, oss2.map(|o| o.1))] {
        report.add(
            "bulk",
            format!("{count} x 4 KiB {direction}, {JOBS} in flight (cp -r engine)"),
            ours,
            "obj/s",
            theirs.map_or("oss2 not installed".to_owned(), |t| format!("oss2 {t:.0}/s, {JOBS} threads")),
            theirs.map(|t| ours / t.max(f64::MIN_POSITIVE)),
            Some("> 1"),
        );
    }
    Ok(())
}

/// The memory probe of a tree copy: uploads the `count` tiny files of the
/// tree at `root` (made by the parent, so that the probe never holds a list
/// of them, as `cp -r` never does) with the bulk engine and prints its peak RSS.
pub(crate) async fn bulk_child(args: &[String]) -> BoxResult<()> {
    let [endpoint, id, secret, count, root] = args else {
        return Err("bulk-child ENDPOINT ID SECRET COUNT ROOT".into());
    };
    let count: usize = count.parse()?;
    let root = PathBuf::from(root);
    let oss = OssClient::new(ClientConfig::new(endpoint, Credentials::new(id.as_str(), secret.as_str()))?)?;
    let (key, _, _) = RsaMasterKey::generate(2048)?;
    let client = EncryptionClient::new(oss, KeyRing::new(key));
    let keys = (0..count).map(move |i| {
        let relative = tree_name(i);
        (format!("rss/{count}/{relative}"), root.join(relative))
    });
    run(keys, move |key, path| {
        let client = client.clone();
        async move { client.put_file(BUCKET, &key, &path, &UploadOptions::default()).await.map(drop) }
    })
    .await?;
    println!("{}", peak_rss_kib());
    Ok(())
}

/// Peak RSS of a tree copy of N files against one ten times smaller.
pub(crate) async fn bulk_memory_benches(report: &mut Report, quick: bool, server: &Server) -> BoxResult<()> {
    let counts: [usize; 2] = if quick { [1_000, 10_000] } else { [10_000, 100_000] };
    let exe = std::env::current_exe()?;
    let mut peaks = Vec::new();
    for count in counts {
        let tree = crate::servers::scratch_dir()?;
        drop(make_tree(tree.path(), count, 16)?);
        let out = tokio::process::Command::new(&exe)
            .args(["bulk-child", &server.endpoint, &server.id, &server.secret, &count.to_string()])
            .arg(tree.path())
            .output()
            .await?;
        if !out.status.success() {
            return Err(format!("bulk memory probe failed: {}", String::from_utf8_lossy(&out.stderr)).into());
        }
        peaks.push(String::from_utf8_lossy(&out.stdout).trim().parse::<u64>()?);
    }
    report.add(
        "memory",
        format!("peak RSS, tree copy of {} files, {JOBS} in flight", counts[1]),
        peaks[1] as f64 / 1024.0,
        "MiB",
        format!("{} MiB for {} files", peaks[0] / 1024, counts[0]),
        Some(peaks[1] as f64 / peaks[0].max(1) as f64),
        Some("ratio ~1 (flat)"),
    );
    Ok(())
}
