//! The README's command block, run as written and in order against the
//! emulator, with `oss-cse` on the PATH as the README tells a newcomer to
//! put it: what it shows works when pasted.

use std::path::{Path, PathBuf};

use crate::Env;

fn readme() -> String {
    std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../README.md")).unwrap()
}

/// The `sh` block that starts with `first_line`.
fn block(readme: &str, first_line: &str) -> String {
    let start = readme.find(&format!("```sh\n{first_line}")).expect("the README block") + "```sh\n".len();
    let end = readme[start..].find("```").unwrap() + start;
    readme[start..end].to_owned()
}

#[test]
fn the_readme_commands_run_as_written() {
    let env = Env::new();
    let work = Path::new(&env.path("work")).to_owned();
    std::fs::create_dir_all(work.join("records/2026")).unwrap();
    std::fs::write(work.join("scan.pdf"), (0..300_000u32).map(|i| (i % 251) as u8).collect::<Vec<_>>()).unwrap();
    std::fs::write(work.join("records/notes.txt"), b"notes").unwrap();
    std::fs::write(work.join("records/2026/ledger.csv"), b"a,b\n1,2\n").unwrap();
    let commands = block(&readme(), "# A bucket to work in.");
    let binary = assert_cmd::cargo::cargo_bin("oss-cse");
    let path = format!("{}:{}", binary.parent().unwrap().display(), std::env::var("PATH").unwrap_or_default());
    let out = std::process::Command::new("bash")
        .args(["-c", &format!("set -euo pipefail\n{commands}")])
        .current_dir(&work)
        .env("PATH", path)
        .env("OSS_ENDPOINT", env.emulator().endpoint())
        .env("OSS_ACCESS_KEY_ID", env.emulator().access_key_id())
        .env("OSS_ACCESS_KEY_SECRET", env.emulator().access_key_secret())
        .env("OSS_CSE_KMS_ENDPOINT", env.emulator().kms_endpoint())
        .env_remove("OSS_REGION")
        .envs(env.hermetic())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the README's commands stopped ({:?}):\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read(work.join("scan.out.pdf")).unwrap(), std::fs::read(work.join("scan.pdf")).unwrap());
}

/// Two emulators the README starts may not want the same port.
#[test]
fn the_readme_never_starts_two_emulators_on_one_port() {
    let readme = readme();
    let mut ports: Vec<&str> = readme
        .lines()
        .filter(|line| line.contains("oss-cse emulator") || line.contains("--example serve"))
        .filter_map(|line| {
            let after = line.split("127.0.0.1:").nth(1).or_else(|| line.split("/tmp/emu ").nth(1))?;
            after.split(|c: char| !c.is_ascii_digit()).next()
        })
        .collect();
    let found = ports.len();
    ports.sort_unstable();
    ports.dedup();
    assert!(found >= 2 && ports.len() == found, "ports {ports:?} of {found} emulator commands");
}
