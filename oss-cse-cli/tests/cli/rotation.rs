//! Key rotation from the command line: a rewrap killed midway leaves the old
//! object readable, and one with `--resume` continues where it stopped.

use oss_cse_emulator::{Fault, FaultRule};

use crate::{Env, write};

/// An emulator holding `oss://bkt/rot`, 1.5 MB in 12 parts of 128 KiB under
/// `keys1`, and its plaintext.
fn uploaded() -> (Env, Vec<u8>) {
    let env = Env::new();
    env.bucket("bkt");
    let src = env.path("big.bin");
    let data = write(&src, 1_500_000);
    let upload = ["cp", &src, "oss://bkt/rot", "--part-size", "128K", "--multipart-threshold", "256K"];
    env.ok(&[&upload[..], &["--rsa-public-key", &env.key("keys1", "public")]].concat());
    (env, data)
}

/// A rewrap killed with SIGKILL part-way (its parts going up again slowly)
/// leaves the object as it was: the old key opens it, byte for byte; a
/// rewrap run to the end then moves it to the new key.
#[test]
fn sigkill_mid_rewrap_leaves_the_old_object_readable() {
    let (env, data) = uploaded();
    let (old_private, new_public) = (env.key("keys1", "private"), env.key("keys2", "public"));
    let rewrap = ["rewrap", "oss://bkt/rot", "--from-private-key", &old_private, "--rsa-public-key", &new_public];
    env.emulator()
        .faults()
        .add(FaultRule::new(Fault::Delay(std::time::Duration::from_millis(250))).operation("UploadPart"));
    // 12 parts of 128 KiB, 4 at a time, 250 ms each: about 750 ms of work.
    for delay in [150, 400] {
        assert!(env.kill_after(&rewrap, delay), "the rewrap was still running when killed at {delay} ms");
        let out = env.command(&["cat", "oss://bkt/rot", "--rsa-private-key", &old_private]).output().unwrap();
        assert_eq!(out.stdout, data, "after a kill at {delay} ms the old key still opens the object");
    }
    env.emulator().faults().clear();
    env.ok(&rewrap);
    let out =
        env.command(&["cat", "oss://bkt/rot", "--rsa-private-key", &env.key("keys2", "private")]).output().unwrap();
    assert_eq!(out.stdout, data);
}

/// `rewrap --resume DIR` killed after some parts went up: the rerun sends
/// only the parts its checkpoint does not record, finishes under the new
/// key, and leaves no checkpoint and no unfinished upload behind.
#[test]
fn a_killed_rewrap_with_resume_sends_only_the_parts_left() {
    let (env, data) = uploaded();
    let (old_private, new_public) = (env.key("keys1", "private"), env.key("keys2", "public"));
    let dir = env.path("checkpoints");
    let rewrap = [
        "rewrap",
        "oss://bkt/rot",
        "--from-private-key",
        &old_private,
        "--rsa-public-key",
        &new_public,
        "--resume",
        &dir,
    ];
    env.emulator()
        .faults()
        .add(FaultRule::new(Fault::Delay(std::time::Duration::from_millis(250))).operation("UploadPart"));
    let mut child = env.spawn(&rewrap);
    // Kill it once its checkpoint records a part.
    let recorded = || -> usize {
        let Ok(entries) = std::fs::read_dir(&dir) else { return 0 };
        entries
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".checkpoint.json"))
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .filter_map(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .map(|file| file["record"]["parts"].as_array().map_or(0, Vec::len))
            .max()
            .unwrap_or(0)
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while recorded() == 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    let done = recorded();
    assert!((1..12).contains(&done), "killed with {done} of 12 parts recorded");
    let out = env.command(&["cat", "oss://bkt/rot", "--rsa-private-key", &old_private]).output().unwrap();
    assert_eq!(out.stdout, data, "the old key still opens the object");

    env.emulator().faults().clear();
    let before = env.emulator().faults().count("UploadPart");
    env.ok(&rewrap);
    let sent = env.emulator().faults().count("UploadPart") - before;
    assert!(sent <= 12 - done, "{sent} parts sent again, {done} were recorded");
    let out =
        env.command(&["cat", "oss://bkt/rot", "--rsa-private-key", &env.key("keys2", "private")]).output().unwrap();
    assert_eq!(out.stdout, data);
    // The folder's local key stays, for the next resumable run.
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, [".oss-cse-checkpoint.key"], "no checkpoint left");
    let uploads = env.runtime.block_on(env.oss().list_multipart_uploads("bkt", "rot")).unwrap();
    assert!(uploads.is_empty(), "no unfinished upload left: {uploads:?}");
}
