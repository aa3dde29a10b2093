//! oss_cse against oss2 measured from Python, in the same run against the
//! same emulator: the code a migrating user runs, once with oss2's
//! `CryptoBucket` and once with the drop-in (`oss_cse.oss2compat`), each side
//! in a process of its own so that its CPU time (`getrusage`, every thread)
//! and peak memory are its own. Jobs: simple and resumable put and get of
//! 256 MiB, 4 KiB objects one at a time, and 4 Python threads each getting the
//! large object at once (the engine releases the GIL). Memory flat in object
//! size: the drop-in's peak RSS (VmHWM) putting and getting 256 MiB against 96 MiB (both in parts).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{BUCKET, BoxResult, Report, Server};

/// One side's jobs: `python3 -c JOBS SIDE ENDPOINT AK SK BUCKET PUBLIC
/// PRIVATE BIG COUNT JOB,...`; prints `{"job": [wall, cpu], ..., "maxrss": bytes}`.
const JOBS: &str = r#"
import json, os, resource, sys, tempfile, threading, time
import oss2
from oss2.crypto import RsaProvider
side, endpoint, ak, sk, bucket, public, private, big, count, wanted = sys.argv[1:11]
if side == "oss_cse":
    from oss_cse.oss2compat import CryptoBucket, resumable_upload, resumable_download
else:
    from oss2 import CryptoBucket, resumable_upload, resumable_download
provider = RsaProvider(key_pair={"public_key": open(public).read(), "private_key": open(private).read()})
crypto = CryptoBucket(oss2.Auth(ak, sk), endpoint, bucket, crypto_provider=provider)
out = big + "." + side + ".out"
part = 8 * 1024 * 1024
small = b"s" * 4096
tuning = dict(part_size=part, num_threads=4)
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
def threads():
    def get(i):
        crypto.get_object_to_file(side + "/big", "%s.%d" % (out, i))
        os.remove("%s.%d" % (out, i))
    workers = [threading.Thread(target=get, args=(i,)) for i in range(4)]
    for w in workers: w.start()
    for w in workers: w.join()
jobs = {
    "put": lambda: crypto.put_object_from_file(side + "/big", big),
    "get": lambda: crypto.get_object_to_file(side + "/big", out),
    "resumable-put": lambda: resumable_upload(crypto, side + "/resumable", big, store=oss2.ResumableStore(
        root=tempfile.mkdtemp()), multipart_threshold=part, **tuning),
    "resumable-get": lambda: resumable_download(crypto, side + "/resumable", out, store=oss2.ResumableDownloadStore(
        root=tempfile.mkdtemp()), multiget_threshold=part, **tuning),
    "small-put": lambda: [crypto.put_object(side + "/small/%d" % i, small) for i in range(int(count))],
    "small-get": lambda: [crypto.get_object(side + "/small/%d" % i).read() for i in range(int(count))],
    "threads-get": threads,
}
results = {}
for name in wanted.split(","):
    try:
        start, before = time.time(), cpu()
        jobs[name]()
        results[name] = [time.time() - start, cpu() - before]
    except Exception as error:
        results[name] = "%s: %s" % (type(error).__name__, str(error)[:200])
if os.path.exists(out):
    os.remove(out)
# This process's own peak (ru_maxrss would carry the bench's over exec).
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")]
results["maxrss"] = int(hwm[0].split()[1]) * 1024 if hwm else 0
print(json.dumps(results))
"#;

const ALL: &str = "put,get,resumable-put,resumable-get,small-put,small-get,threads-get";

/// The package as a wheel installs it (`oss_cse/` with the built library),
/// under `dir`; `None` without a built library.
fn assemble(library: &Path, dir: &Path) -> BoxResult<PathBuf> {
    let package = dir.join("py/oss_cse");
    std::fs::create_dir_all(&package)?;
    let sources = Path::new(env!("CARGO_MANIFEST_DIR")).join("../oss-cse-python/python/oss_cse");
    for entry in std::fs::read_dir(sources)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "py") {
            std::fs::copy(&path, package.join(path.file_name().ok_or("name")?))?;
        }
    }
    std::fs::copy(library, package.join("_native.abi3.so"))?;
    Ok(dir.join("py"))
}

struct Side<'a> {
    server: &'a Server,
    keys: (&'a Path, &'a Path),
    python_path: &'a Path,
    count: usize,
}

impl Side<'_> {
    /// Runs `jobs` as `side` on `big`; the JSON it printed.
    async fn run(&self, side: &str, big: &Path, jobs: &str) -> BoxResult<Value> {
        let out = tokio::process::Command::new("python3")
            .arg("-c")
            .arg(JOBS)
            .args([side, &self.server.endpoint, &self.server.id, &self.server.secret, BUCKET])
            .arg(self.keys.0)
            .arg(self.keys.1)
            .arg(big)
            .args([&self.count.to_string(), jobs])
            .env("PYTHONPATH", self.python_path)
            .output()
            .await?;
        if !out.status.success() {
            let said = String::from_utf8_lossy(&out.stderr);
            return Err(format!("{side} did not run: {}", said.lines().last().unwrap_or("")).into());
        }
        Ok(serde_json::from_slice(&out.stdout)?)
    }
}

fn file_of(path: &Path, size: usize) -> BoxResult<()> {
    Ok(std::fs::write(path, (0..size).map(|i| (i % 249) as u8).collect::<Vec<u8>>())?)
}

/// The rows comparing oss_cse with oss2 from Python; `library` is the built
/// extension module (`cargo build --release -p oss-cse-python`).
pub(crate) async fn python_benches(
    report: &mut Report,
    quick: bool,
    server: &Server,
    dir: &Path,
    library: &Path,
) -> BoxResult<()> {
    let size: usize = 256 << 20;
    let count: usize = if quick { 200 } else { 1000 };
    let (_, public, private) = oss_cse_client::envelope::RsaMasterKey::generate(2048)?;
    let (public_path, private_path) = (dir.join("py.pub.pem"), dir.join("py.pem"));
    std::fs::write(&public_path, public.as_bytes())?;
    std::fs::write(&private_path, private.as_bytes())?;
    let python_path = assemble(library, dir)?;
    let side = Side { server, keys: (&public_path, &private_path), python_path: &python_path, count };
    let big = dir.join("py-big.bin");
    file_of(&big, size)?;
    let theirs = side.run("oss2", &big, ALL).await?;
    let ours = side.run("oss_cse", &big, ALL).await?;
    let small_file = dir.join("py-small.bin");
    file_of(&small_file, 96 << 20)?;
    let ours_small = side.run("oss_cse", &small_file, "put,get").await?;
    let ours_large = side.run("oss_cse", &big, "put,get").await?;
    let _ = std::fs::remove_file(&big);
    let _ = std::fs::remove_file(&small_file);

    for job in ALL.split(',') {
        let label = match job {
            "put" => "put_object_from_file 256 MiB",
            "get" => "get_object_to_file 256 MiB",
            "resumable-put" => "resumable_upload 256 MiB (8 MiB parts, 4 thr.)",
            "resumable-get" => "resumable_download 256 MiB (8 MiB, 4 thr.)",
            "small-put" => "put_object 4 KiB, one at a time",
            "small-get" => "get_object 4 KiB, one at a time",
            _ => "4 Python threads, each gets 256 MiB",
        };
        let pair = |side: &Value| serde_json::from_value::<[f64; 2]>(side.get(job)?.clone()).ok();
        let (Some([wall, cpu]), Some([their_wall, their_cpu])) = (pair(&ours), pair(&theirs)) else {
            println!("python   {label}: oss_cse {} / oss2 {}", ours[job], theirs[job]);
            continue;
        };
        let small = job.starts_with("small");
        let bytes = if job == "threads-get" { 4.0 * size as f64 } else { size as f64 };
        let (value, unit, baseline) = if small {
            (count as f64 / wall, "obj/s", format!("oss2 {:.0} obj/s", count as f64 / their_wall))
        } else {
            (bytes / wall / 1e6, "MB/s", format!("oss2 {:.0} MB/s", bytes / their_wall / 1e6))
        };
        let target = if small { ">= 4" } else { ">= 5" };
        report.add("python", format!("{label}, speed"), value, unit, baseline, Some(their_wall / wall), Some(target));
        let per_unit = |cpu: f64| if small { cpu / count as f64 * 1e3 } else { cpu * (1u64 << 30) as f64 / bytes };
        report.add(
            "python",
            format!("{label}, CPU"),
            per_unit(cpu),
            if small { "ms/obj" } else { "s/GiB" },
            format!("oss2 {:.2}", per_unit(their_cpu)),
            Some(their_cpu / cpu.max(1e-3)),
            Some(">= 10 (oss2 / ours)"),
        );
    }
    let rss = |side: &Value| side["maxrss"].as_f64().unwrap_or(0.0) / 1e6;
    report.add(
        "python",
        "peak RSS, every job above",
        rss(&ours),
        "MB",
        format!("oss2 {:.0} MB", rss(&theirs)),
        Some(rss(&theirs) / rss(&ours).max(1.0)),
        None,
    );
    report.add(
        "python",
        "peak RSS, put+get of 256 MiB vs of 96 MiB",
        rss(&ours_large),
        "MB",
        format!("96 MiB: {:.0} MB", rss(&ours_small)),
        Some(rss(&ours_large) / rss(&ours_small).max(1.0)),
        Some("<= 1.2 (flat)"),
    );
    Ok(())
}
