//! Project chores: `cargo xtask bench [--quick]` builds the benchmark runner
//! in release mode, runs it and keeps its JSON under `target/bench/`.

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("bench") => bench(&args[1..]),
        _ => {
            eprintln!("usage: cargo xtask bench [--quick]");
            ExitCode::from(2)
        }
    }
}

fn bench(args: &[String]) -> ExitCode {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let json =
        root.join("target/bench").join(if args.iter().any(|a| a == "--quick") { "quick.json" } else { "full.json" });
    let status = Command::new(cargo)
        .current_dir(&root)
        .args(["run", "--release", "--quiet", "--package", "oss-cse-bench", "--"])
        .args(args)
        .arg("--json")
        .arg(&json)
        .status();
    match status {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("cannot run cargo: {error}");
            ExitCode::FAILURE
        }
    }
}
