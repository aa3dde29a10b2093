//! Project chores:
//! - `cargo xtask bench [--quick]` builds the benchmark runner in release
//!   mode, runs it, then the criterion micro-benchmarks of core and envelope,
//!   and keeps the JSON of both under `target/bench/`.
//! - `cargo xtask fuzz [--seconds N] [--minimize] [TARGET...]` runs each fuzz
//!   target for a fixed time budget over its committed corpus (growing it),
//!   and fails if any input crashes one.
//! - `cargo xtask docs` writes the shell completions and the man page of
//!   `oss-cse` under `docs/` (a CLI test fails when they are not current).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

/// The fuzz targets, in `fuzz/fuzz_targets/`.
const FUZZ_TARGETS: [&str; 4] = ["envelope_decoder", "range_planner", "checkpoint_parser", "reply_parser"];

/// Seconds per target when `--seconds` is not given.
const DEFAULT_FUZZ_SECONDS: u64 = 60;

const USAGE: &str = "usage: cargo xtask bench [--quick]\n       cargo xtask fuzz [--seconds N] [--minimize] [TARGET...]\n       cargo xtask docs";

/// The generated files: where each goes, and the `oss-cse` arguments that print it.
const GENERATED: [(&str, &[&str]); 5] = [
    ("docs/completions/oss-cse.bash", &["completions", "bash"]),
    ("docs/completions/_oss-cse", &["completions", "zsh"]),
    ("docs/completions/oss-cse.fish", &["completions", "fish"]),
    ("docs/completions/_oss-cse.ps1", &["completions", "powershell"]),
    ("docs/man/oss-cse.1", &["man"]),
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("bench") => bench(&args[1..]),
        Some("fuzz") => fuzz(&args[1..]),
        Some("docs") => docs(),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    root.canonicalize().unwrap_or(root)
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

fn docs() -> ExitCode {
    let root = root();
    for (path, args) in GENERATED {
        let out = Command::new(cargo())
            .current_dir(&root)
            .args(["run", "--quiet", "--package", "oss-cse-cli", "--bin", "oss-cse", "--"])
            .args(args)
            .stderr(Stdio::inherit())
            .output();
        let written = match out {
            Ok(out) if out.status.success() => {
                let path = root.join(path);
                path.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::write(&path, out.stdout))
            }
            Ok(out) => Err(std::io::Error::other(format!("oss-cse {args:?} exited with {}", out.status))),
            Err(error) => Err(error),
        };
        if let Err(error) = written {
            eprintln!("{path}: {error}");
            return ExitCode::FAILURE;
        }
        println!("wrote {path}");
    }
    ExitCode::SUCCESS
}

fn bench(args: &[String]) -> ExitCode {
    let root = root();
    let json =
        root.join("target/bench").join(if args.iter().any(|a| a == "--quick") { "quick.json" } else { "full.json" });
    // The one-object `cp` rows time the real binary in a new process.
    let built = Command::new(cargo())
        .current_dir(&root)
        .args(["build", "--release", "--quiet", "--package", "oss-cse-cli", "--bin", "oss-cse"])
        .status();
    if !built.is_ok_and(|s| s.success()) {
        eprintln!("cannot build oss-cse in release mode");
        return ExitCode::FAILURE;
    }
    // The Python rows load the extension module as a wheel would install it.
    let python = Command::new(cargo())
        .current_dir(&root)
        .args(["build", "--release", "--quiet", "--package", "oss-cse-python"])
        .status();
    if !python.is_ok_and(|s| s.success()) {
        eprintln!("cannot build oss-cse-python in release mode");
        return ExitCode::FAILURE;
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let library = format!("{}_native{}", std::env::consts::DLL_PREFIX, std::env::consts::DLL_SUFFIX);
    let status = Command::new(cargo())
        .current_dir(&root)
        .args(["run", "--release", "--quiet", "--package", "oss-cse-bench", "--"])
        .args(args)
        .arg("--cli")
        .arg(target.join("release/oss-cse"))
        .arg("--python-lib")
        .arg(target.join("release").join(library))
        .arg("--json")
        .arg(&json)
        .status();
    match status {
        Ok(status) if status.success() => {}
        Ok(_) => return ExitCode::FAILURE,
        Err(error) => {
            eprintln!("cannot run cargo: {error}");
            return ExitCode::FAILURE;
        }
    }
    micro_benches(&root, &target, &json, args.iter().any(|a| a == "--quick"))
}

/// The criterion benches, as `(package, bench target)`.
const MICRO_BENCHES: [(&str, &str); 3] =
    [("oss-cse-core", "cipher"), ("oss-cse-core", "planners"), ("oss-cse-envelope", "envelope")];

/// Runs the criterion benches and folds their estimates into the JSON at
/// `json` (under `"micro"`), printing one line per benchmark.
fn micro_benches(root: &Path, target: &Path, json: &Path, quick: bool) -> ExitCode {
    let results = target.join("criterion");
    // Only this run's estimates are folded in.
    let _ = std::fs::remove_dir_all(&results);
    let mut command = Command::new(cargo());
    command.current_dir(root).args(["bench", "--quiet"]);
    for (package, bench) in MICRO_BENCHES {
        command.args(["--package", package, "--bench", bench]);
    }
    command.arg("--");
    if quick {
        command.arg("--quick");
    }
    if !command.stdout(Stdio::null()).status().is_ok_and(|s| s.success()) {
        eprintln!("the criterion benches failed");
        return ExitCode::FAILURE;
    }
    let mut rows = Vec::new();
    collect_estimates(&results, &mut rows);
    rows.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    println!("\n{:<64} {:>14} {:>12}", "micro-benchmark (criterion)", "mean", "throughput");
    for row in &rows {
        let ns = row["mean_ns"].as_f64().unwrap_or(0.0);
        let time = if ns >= 1e6 {
            format!("{:.3} ms", ns / 1e6)
        } else if ns >= 1e3 {
            format!("{:.3} µs", ns / 1e3)
        } else {
            format!("{ns:.1} ns")
        };
        let rate = row["gib_per_s"].as_f64().map_or(String::new(), |r| format!("{r:.2} GiB/s"));
        println!("{:<64} {:>14} {:>12}", row["id"].as_str().unwrap_or("?"), time, rate);
    }
    let document = std::fs::read_to_string(json).ok().and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
    let Some(mut document) = document else {
        eprintln!("cannot read {}", json.display());
        return ExitCode::FAILURE;
    };
    document["micro"] = serde_json::Value::Array(rows);
    let written = serde_json::to_string_pretty(&document).map(|text| std::fs::write(json, text));
    if !matches!(written, Ok(Ok(()))) {
        eprintln!("cannot write {}", json.display());
        return ExitCode::FAILURE;
    }
    println!("micro-benchmarks added to {}", json.display());
    ExitCode::SUCCESS
}

/// Every `new/estimates.json` under `dir`, with its `benchmark.json`: the
/// benchmark's id, mean time and (for byte throughputs) GiB/s.
fn collect_estimates(dir: &Path, rows: &mut Vec<serde_json::Value>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        let read = |name: &str| {
            std::fs::read_to_string(path.join("new").join(name))
                .ok()
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        };
        match (read("benchmark.json"), read("estimates.json")) {
            (Some(bench), Some(estimates)) => {
                let mean_ns = estimates["mean"]["point_estimate"].as_f64().unwrap_or(0.0);
                let bytes = bench["throughput"]["Bytes"].as_f64();
                let gib_per_s = bytes.filter(|_| mean_ns > 0.0).map(|b| b / (mean_ns / 1e9) / f64::from(1u32 << 30));
                rows.push(serde_json::json!({
                    "id": bench["full_id"],
                    "mean_ns": mean_ns,
                    "bytes": bytes,
                    "gib_per_s": gib_per_s,
                }));
            }
            _ => collect_estimates(&path, rows),
        }
    }
}

/// What one fuzz run did, read from libFuzzer's log.
struct FuzzRun {
    target: String,
    passed: bool,
    runs: Option<u64>,
    seconds: Option<u64>,
    corpus_before: usize,
    corpus_after: usize,
}

fn fuzz(args: &[String]) -> ExitCode {
    let mut seconds = DEFAULT_FUZZ_SECONDS;
    let mut minimize = false;
    let mut targets = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => match args.next().and_then(|s| s.parse().ok()) {
                Some(n) if n > 0 => seconds = n,
                _ => return usage_error("--seconds needs a positive number"),
            },
            "--minimize" => minimize = true,
            target if FUZZ_TARGETS.contains(&target) => targets.push(target.to_owned()),
            other => return usage_error(&format!("unknown fuzz target or option {other:?}")),
        }
    }
    if targets.is_empty() {
        targets = FUZZ_TARGETS.iter().map(|t| (*t).to_owned()).collect();
    }
    let installed =
        Command::new(cargo()).args(["fuzz", "--version"]).stdout(Stdio::null()).stderr(Stdio::null()).status();
    if !installed.is_ok_and(|s| s.success()) {
        eprintln!("cargo-fuzz is not installed; install it with: cargo install --locked cargo-fuzz");
        return ExitCode::FAILURE;
    }
    let root = root();
    let logs = root.join("target/fuzz");
    if let Err(error) = std::fs::create_dir_all(&logs) {
        eprintln!("cannot create {}: {error}", logs.display());
        return ExitCode::FAILURE;
    }
    let mut results = Vec::new();
    for target in &targets {
        let corpus = root.join("fuzz/corpus").join(target);
        let _ = std::fs::create_dir_all(&corpus);
        let log_path = logs.join(format!("{target}.log"));
        let corpus_before = count_files(&corpus);
        eprintln!("fuzzing {target} for {seconds} s (log: {})", log_path.display());
        let Ok(log) = std::fs::File::create(&log_path) else {
            eprintln!("cannot create {}", log_path.display());
            return ExitCode::FAILURE;
        };
        let status = cargo_fuzz(&root, "run", target, &corpus)
            .args(["--", &format!("-max_total_time={seconds}"), "-timeout=10", "-rss_limit_mb=2048"])
            .arg("-print_final_stats=1")
            .stdout(Stdio::null())
            .stderr(log)
            .status();
        let text = std::fs::read_to_string(&log_path).unwrap_or_default();
        let passed = status.is_ok_and(|s| s.success());
        if !passed {
            let tail: Vec<&str> = text.lines().rev().take(30).collect();
            eprintln!("{target} FAILED; the end of its log:");
            for line in tail.iter().rev() {
                eprintln!("  {line}");
            }
            eprintln!("crashing inputs, if any, are in fuzz/artifacts/{target}/");
        }
        if passed && minimize {
            let status =
                cargo_fuzz(&root, "cmin", target, &corpus).stdout(Stdio::null()).stderr(Stdio::null()).status();
            if !status.is_ok_and(|s| s.success()) {
                eprintln!("{target}: corpus minimization failed (the corpus is kept as it was)");
            }
        }
        results.push(FuzzRun {
            target: target.clone(),
            passed,
            runs: stat(&text, "stat::number_of_executed_units:"),
            seconds: done_seconds(&text),
            corpus_before,
            corpus_after: count_files(&corpus),
        });
    }
    println!("{:<20} {:>6} {:>14} {:>8} {:>16}", "target", "result", "inputs run", "seconds", "corpus files");
    for r in &results {
        let show = |v: Option<u64>| v.map_or_else(|| "?".to_owned(), |v| v.to_string());
        println!(
            "{:<20} {:>6} {:>14} {:>8} {:>16}",
            r.target,
            if r.passed { "ok" } else { "CRASH" },
            show(r.runs),
            show(r.seconds),
            format!("{} -> {}", r.corpus_before, r.corpus_after)
        );
    }
    if results.iter().all(|r| r.passed) { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// `cargo fuzz <subcommand> <target> <corpus>`, run from the repository root.
fn cargo_fuzz(root: &Path, subcommand: &str, target: &str, corpus: &Path) -> Command {
    let mut command = Command::new(cargo());
    // cargo-fuzz needs nightly flags (-Zsanitizer); RUSTC_BOOTSTRAP lets the
    // one stable toolchain accept them.
    command.current_dir(root).env("RUSTC_BOOTSTRAP", "1").args(["fuzz", subcommand, target]).arg(corpus);
    command
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("{message}\n{USAGE}");
    ExitCode::from(2)
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir).map(|d| d.filter_map(Result::ok).count()).unwrap_or(0)
}

/// A `-print_final_stats` value, e.g. `stat::number_of_executed_units: 123`.
fn stat(log: &str, name: &str) -> Option<u64> {
    log.lines().rev().find_map(|line| line.strip_prefix(name)).and_then(|v| v.trim().parse().ok())
}

/// Seconds from libFuzzer's closing `Done N runs in S second(s)`.
fn done_seconds(log: &str) -> Option<u64> {
    log.lines()
        .rev()
        .find_map(|line| line.strip_prefix("Done ").and_then(|rest| rest.split(" in ").nth(1)))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|s| s.parse().ok())
}
