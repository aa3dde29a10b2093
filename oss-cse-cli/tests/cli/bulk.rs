//! Whole trees and prefixes: `cp -r` both ways, `sync`, `rm -r`, `ls`, a
//! killed job resumed from its journal, and shards.

use std::collections::BTreeMap;
use std::path::Path;

use oss_cse_emulator::{Fault, FaultRule};

use crate::Env;

/// A tree with nested folders, an empty file, unicode names and `count`
/// small files; returns relative path -> content.
fn make_tree(root: &Path, count: usize) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut add = |relative: &str, content: Vec<u8>| {
        let path = root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &content).unwrap();
        files.insert(relative.to_owned(), content);
    };
    add("empty.txt", Vec::new());
    add("a/b/c/deep.bin", (0..70_000u32).map(|i| (i % 251) as u8).collect());
    add("日本/é t€xt.txt", "unicode".into());
    for i in 0..count {
        add(&format!("many/{:02}/f{i:04}.txt", i % 17), format!("file {i}").into());
    }
    files
}

/// Every regular file under `root`, relative path -> content.
fn read_tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(root).unwrap().to_str().unwrap().to_owned();
                files.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn keys(env: &Env) -> [String; 4] {
    ["--rsa-public-key".into(), env.key("keys1", "public"), "--rsa-private-key".into(), env.key("keys1", "private")]
}

fn with<'a>(args: &[&'a str], keys: &'a [String; 4]) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.extend(keys.iter().map(String::as_str));
    all
}

#[test]
fn a_tree_goes_up_and_comes_back_the_same() {
    let env = Env::new();
    env.bucket("bkt");
    let keys = keys(&env);
    let src = env.path("src");
    let tree = make_tree(Path::new(&src), 1000);
    let out = env.ok(&with(&["cp", "-r", &src, "oss://bkt/backup/", "--jobs", "16", "--no-progress"], &keys));
    assert!(out.contains(&format!("{} done, 0 skipped, 0 failed", tree.len())), "{out}");
    // Stored encrypted: the small file is not its plaintext.
    let stored = env.runtime.block_on(async {
        let got = env.oss().get_object("bkt", "backup/many/00/f0000.txt", &Default::default()).await.unwrap();
        got.body.collect().await.unwrap()
    });
    assert_ne!(stored, b"file 0");
    let dst = env.path("dst");
    let out = env.ok(&with(&["cp", "-r", "oss://bkt/backup/", &dst, "--jobs", "16"], &keys));
    assert!(out.contains(&format!("{} done", tree.len())), "{out}");
    assert_eq!(read_tree(Path::new(&dst)), tree);
    // cp -r gave each file its object's time: a sync after it moves nothing.
    let gets = env.emulator().faults().count("GetObject");
    let out = env.ok(&with(&["sync", "oss://bkt/backup/", &dst, "--jobs", "16"], &keys));
    assert!(out.contains(&format!("0 done, {} skipped", tree.len())), "{out}");
    assert_eq!(env.emulator().faults().count("GetObject"), gets);
    // --no-clobber: nothing moves either way.
    let before = env.emulator().faults().count("PutObject");
    let out = env.ok(&with(&["cp", "-r", &src, "oss://bkt/backup", "--no-clobber"], &keys));
    assert!(out.contains(&format!("0 done, {} skipped", tree.len())), "{out}");
    assert_eq!(env.emulator().faults().count("PutObject"), before);
    let out = env.ok(&with(&["cp", "-r", "oss://bkt/backup/", &dst, "--no-clobber"], &keys));
    assert!(out.contains(&format!("0 done, {} skipped", tree.len())), "{out}");
    // Globs and --dry-run.
    let out = env.ok(&with(&["cp", "-r", &src, "oss://bkt/only/", "--include", "a/**", "--dry-run"], &keys));
    assert!(out.contains("1 would be done") && out.contains("70000 bytes"), "{out}");
    let listed = env.ok(&["ls", "-r", "oss://bkt/only/"]);
    assert!(listed.trim().is_empty(), "a dry run writes nothing: {listed}");
    let out = env.ok(&with(&["cp", "-r", &src, "oss://bkt/some/", "--exclude", "many/**"], &keys));
    assert!(out.contains("3 done"), "{out}");
    // For one object --jobs still means parts in flight, for one release, with a warning.
    let file = Path::new(&src).join("a/b/c/deep.bin");
    let out = env.run(&with(&["cp", file.to_str().unwrap(), "oss://bkt/one", "--jobs", "2"], &keys));
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--jobs for a single object is deprecated"));
}

#[test]
fn sync_moves_only_what_changed_and_deletes_on_request() {
    let env = Env::new();
    env.bucket("bkt");
    let keys = keys(&env);
    let src = env.path("src");
    let tree = make_tree(Path::new(&src), 40);
    let up = with(&["sync", &src, "oss://bkt/s/"], &keys);
    let out = env.ok(&up);
    assert!(out.contains(&format!("{} done", tree.len())), "{out}");
    let puts = env.emulator().faults().count("PutObject");
    let out = env.ok(&up);
    assert!(out.contains(&format!("0 done, {} skipped", tree.len())), "a second sync moves nothing: {out}");
    assert_eq!(env.emulator().faults().count("PutObject"), puts);
    // One file changed, one removed: with --delete, one upload and one delete.
    std::fs::write(Path::new(&src).join("empty.txt"), b"not empty any more").unwrap();
    std::fs::remove_file(Path::new(&src).join("many/00/f0000.txt")).unwrap();
    let dry = env.ok(&with(&["sync", &src, "oss://bkt/s/", "--delete", "--dry-run"], &keys));
    assert!(dry.contains("many/00/f0000.txt"), "{dry}");
    let out = env.ok(&with(&["sync", &src, "oss://bkt/s/", "--delete"], &keys));
    assert!(out.contains("uploaded s/empty.txt") && out.contains("deleted s/many/00/f0000.txt"), "{out}");
    assert_eq!(env.emulator().faults().count("PutObject"), puts + 1);

    // Down: a second sync downloads nothing; --delete removes a stray file.
    let dst = env.path("dst");
    let down = with(&["sync", "oss://bkt/s/", &dst], &keys);
    env.ok(&down);
    let gets = env.emulator().faults().count("GetObject");
    let out = env.ok(&down);
    assert!(out.contains("0 done"), "{out}");
    assert_eq!(env.emulator().faults().count("GetObject"), gets, "a second sync downloads nothing");
    std::fs::write(Path::new(&dst).join("stray.txt"), b"x").unwrap();
    env.ok(&with(&["sync", "oss://bkt/s/", &dst, "--delete"], &keys));
    assert!(!Path::new(&dst).join("stray.txt").exists());
    assert_eq!(read_tree(Path::new(&dst)), read_tree(Path::new(&src)));
}

/// A file rewritten at the same size with the same modification time is
/// missed by size and time, and found by `--checksum` (the envelope's
/// plaintext MD5), up and down.
#[test]
fn sync_checksum_finds_a_rewrite_of_the_same_size_and_time() {
    let env = Env::new();
    env.bucket("bkt");
    let keys = keys(&env);
    let (src, dst) = (env.path("src"), env.path("dst"));
    std::fs::create_dir_all(&src).unwrap();
    let file = Path::new(&src).join("a.txt");
    std::fs::write(&file, b"first version").unwrap();
    env.ok(&with(&["sync", &src, "oss://bkt/c/", "--checksum"], &keys));
    let rewrite = |path: &Path, text: &[u8]| {
        let mtime = std::fs::metadata(path).unwrap().modified().unwrap();
        std::fs::write(path, text).unwrap();
        std::fs::File::options().write(true).open(path).unwrap().set_modified(mtime).unwrap();
    };
    rewrite(&file, b"other version");
    let cat = |key: &str| env.ok(&with(&["cat", &format!("oss://bkt/c/{key}")], &keys));
    let out = env.ok(&with(&["sync", &src, "oss://bkt/c/"], &keys));
    assert!(out.contains("1 skipped") && cat("a.txt") == "first version", "size and time miss it: {out}");
    let out = env.ok(&with(&["sync", &src, "oss://bkt/c/", "--checksum"], &keys));
    assert!(out.contains("uploaded c/a.txt") && cat("a.txt") == "other version", "{out}");
    let out = env.ok(&with(&["sync", &src, "oss://bkt/c/", "--checksum"], &keys));
    assert!(out.contains("1 skipped"), "the same contents move nothing: {out}");

    env.ok(&with(&["sync", "oss://bkt/c/", &dst], &keys));
    let copy = Path::new(&dst).join("a.txt");
    rewrite(&copy, b"local changes");
    let out = env.ok(&with(&["sync", "oss://bkt/c/", &dst], &keys));
    assert!(out.contains("1 skipped"), "{out}");
    env.ok(&with(&["sync", "oss://bkt/c/", &dst, "--checksum"], &keys));
    assert_eq!(std::fs::read(&copy).unwrap(), b"other version");
}

#[test]
fn rm_ls_and_hostile_keys() {
    let env = Env::new();
    env.bucket("bkt");
    let keys = keys(&env);
    let src = env.path("src");
    make_tree(Path::new(&src), 5);
    env.ok(&with(&["cp", "-r", &src, "oss://bkt/t/"], &keys));
    // ls: directories by default, -r for all, -l with the encryption, buckets.
    let top = env.ok(&["ls", "oss://bkt/t/"]);
    assert!(top.contains("PRE") && top.contains("oss://bkt/t/a/") && top.contains("oss://bkt/t/empty.txt"), "{top}");
    assert!(!top.contains("deep.bin"), "{top}");
    // -l says what the listing says, under named columns, with no HEAD per
    // object; --envelope asks each object for its encryption.
    let heads = env.emulator().faults().count("HeadObject");
    let all = env.ok(&["ls", "-r", "-l", "-h", "oss://bkt/t/"]);
    assert!(all.contains("deep.bin") && all.contains("68.36 KiB") && all.contains("Standard"), "{all}");
    assert!(all.lines().next().unwrap().contains("CLASS") && !all.contains("ENCRYPTION"), "{all}");
    assert_eq!(env.emulator().faults().count("HeadObject"), heads, "-l costs no HEAD per object");
    let all = env.ok(&["ls", "-r", "--envelope", "-h", "oss://bkt/t/"]);
    assert!(all.lines().next().unwrap().ends_with("ENCRYPTION"), "{all}");
    assert!(all.contains("deep.bin") && all.contains("CSE V2 RSA/NONE/PKCS1Padding"), "{all}");
    assert!(env.emulator().faults().count("HeadObject") > heads);
    assert!(env.ok(&["ls", "oss://"]).contains("oss://bkt"));
    // Hostile keys: refused, reported, the rest goes on; exit 3.
    env.runtime.block_on(async {
        for key in ["t/evil//x", "t/dir-marker/"] {
            env.oss().put_object("bkt", key, oss_cse_client::Body::from(b"x".to_vec()), vec![]).await.unwrap();
        }
    });
    let dst = env.path("dst");
    let out = env.run(&with(&["cp", "-r", "oss://bkt/t/", &dst, "--allow-plaintext"], &keys));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    assert!(stdout.contains("failed t/evil//x") && stdout.contains("skipped t/dir-marker/"), "{stdout}");
    assert!(Path::new(&dst).join("a/b/c/deep.bin").exists());
    // rm: a bucket root needs --force; --dry-run changes nothing; -r removes.
    env.fails(&["rm", "-r", "oss://bkt"], "--force");
    env.ok(&["rm", "-r", "--dry-run", "oss://bkt/t/"]);
    assert!(env.ok(&["ls", "-r", "oss://bkt/t/"]).contains("deep.bin"));
    let out = env.ok(&["rm", "-r", "oss://bkt/t/"]);
    assert!(out.contains("10 done"), "{out}");
    assert!(env.ok(&["ls", "-r", "oss://bkt/t/"]).trim().is_empty());
    env.fails(&["rm", "oss://bkt/t/"], "use -r");
}

#[test]
fn unfinished_uploads_are_listed_and_aborted() {
    let env = Env::new();
    env.bucket("bkt");
    let ids: Vec<String> = env.runtime.block_on(async {
        let mut ids = Vec::new();
        for key in ["u/one", "u/two"] {
            ids.push(env.oss().initiate_multipart_upload("bkt", key, vec![]).await.unwrap());
        }
        ids
    });
    let listed = env.ok(&["ls", "--multipart", "oss://bkt/u/"]);
    assert!(ids.iter().all(|id| listed.contains(id.as_str())), "{listed}");
    let out = env.ok(&["rm", "--multipart", "--older-than", "1d", "oss://bkt/u/"]);
    assert!(out.contains("0 done"), "none is a day old: {out}");
    let out = env.ok(&["rm", "--multipart", "oss://bkt/u/"]);
    assert!(out.contains("2 done"), "{out}");
    assert!(env.ok(&["ls", "--multipart", "oss://bkt/u/"]).trim().is_empty());
}

/// A `cp -r --resume` killed midway: the rerun sends no file the journal
/// recorded (counted at the emulator), and the tree arrives whole.
#[test]
fn a_killed_tree_copy_resumes_from_its_journal() {
    let env = Env::new();
    env.bucket("bkt");
    let keys = keys(&env);
    let src = env.path("src");
    let tree = make_tree(Path::new(&src), 200);
    let dir = env.path("resume");
    let args = with(&["cp", "-r", &src, "oss://bkt/k/", "--jobs", "4", "--resume", &dir], &keys);
    env.emulator()
        .faults()
        .add(FaultRule::new(Fault::Delay(std::time::Duration::from_millis(20))).operation("PutObject"));
    let mut child = env.spawn(&args);
    let journaled = || -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&dir) else { return Vec::new() };
        entries
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".journal"))
            .flat_map(|e| {
                std::fs::read_to_string(e.path()).unwrap_or_default().lines().map(str::to_owned).collect::<Vec<_>>()
            })
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(&line).ok())
            .filter_map(|line| line["line"]["key"].as_str().map(str::to_owned))
            .collect()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while journaled().len() < 40 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let _ = child.kill();
    let _ = child.wait();
    let done = journaled();
    assert!((40..tree.len()).contains(&done.len()), "killed with {} of {} journaled", done.len(), tree.len());
    env.emulator().faults().clear();
    let before = env.emulator().faults().requests().len();
    let out = env.ok(&args);
    assert!(out.contains("done by an earlier run"), "{out}");
    let again: Vec<String> = env.emulator().faults().requests()[before..]
        .iter()
        .filter(|r| r.operation() == "PutObject")
        .filter_map(|r| r.key.clone())
        .collect();
    assert!(again.iter().all(|key| !done.contains(key)), "a journaled file was sent again");
    assert!(again.len() <= tree.len() - done.len(), "{} sent again", again.len());
    let dst = env.path("dst");
    env.ok(&with(&["cp", "-r", "oss://bkt/k/", &dst], &keys));
    assert_eq!(read_tree(Path::new(&dst)), tree);
}

/// Four shard processes over one manifest of 5,000 keys: each rewraps only
/// its keys, two are killed and rerun, and together they leave every key
/// under the new key, with no journaled key done twice.
#[test]
fn shards_over_a_manifest_share_a_rewrap() {
    let env = Env::new();
    env.bucket("bkt");
    let keys = keys(&env);
    let src = env.path("src");
    let tree = make_tree(Path::new(&src), 4997);
    env.ok(&with(&["cp", "-r", &src, "oss://bkt/m/", "--jobs", "16"], &keys));
    let manifest = env.path("manifest.txt");
    let listing: Vec<String> = tree.keys().map(|k| format!("m/{k}")).collect();
    std::fs::write(&manifest, format!("# keys\n{}\n", listing.join("\n"))).unwrap();
    let dir = env.path("resume");
    let (old_private, new_public, new_private) =
        (env.key("keys1", "private"), env.key("keys2", "public"), env.key("keys2", "private"));
    let shard_args = |shard: &str| -> Vec<String> {
        [
            "rewrap",
            "-r",
            "oss://bkt/",
            "--manifest",
            &manifest,
            "--shard",
            shard,
            "--resume",
            &dir,
            "--jobs",
            "4",
            "--from-private-key",
            &old_private,
            "--rsa-public-key",
            &new_public,
            "--rsa-private-key",
            &new_private,
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
    };
    env.emulator()
        .faults()
        .add(FaultRule::new(Fault::Delay(std::time::Duration::from_millis(10))).operation("PutObject"));
    let mut children: Vec<_> = (0..4)
        .map(|i| {
            let args = shard_args(&format!("{i}/4"));
            env.spawn(&args.iter().map(String::as_str).collect::<Vec<_>>())
        })
        .collect();
    // Kill two once the shards have journaled some of their keys.
    let journal_lines = || -> usize {
        std::fs::read_dir(&dir).map_or(0, |entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().ends_with(".journal"))
                .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default().lines().count())
                .sum()
        })
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while journal_lines() < 200 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    for child in &mut children[..2] {
        let _ = child.kill();
    }
    for child in &mut children {
        let _ = child.wait();
    }
    env.emulator().faults().clear();
    // What the killed shards had journaled is never rewrapped again.
    let journaled: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".journal"))
        .flat_map(|e| std::fs::read_to_string(e.path()).unwrap().lines().map(str::to_owned).collect::<Vec<_>>())
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(&line).ok())
        .filter_map(|line| line["line"]["key"].as_str().map(str::to_owned))
        .collect();
    assert!(!journaled.is_empty(), "the killed shards had journaled some keys");
    let before = env.emulator().faults().requests().len();
    for i in 0..4 {
        let args = shard_args(&format!("{i}/4"));
        let out = env.ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(out.contains("0 failed"), "shard {i}: {out}");
    }
    let redone: Vec<String> = env.emulator().faults().requests()[before..]
        .iter()
        .filter(|r| r.operation() == "PutObject")
        .filter_map(|r| r.key.clone())
        .filter(|key| journaled.contains(key))
        .collect();
    assert!(redone.is_empty(), "journaled keys rewrapped again: {redone:?}");
    // Every object opens with the new key only.
    let dst = env.path("dst");
    env.ok(&["cp", "-r", "oss://bkt/m/", &dst, "--rsa-private-key", &new_private]);
    assert_eq!(read_tree(Path::new(&dst)), tree);
    // A rerun of every shard finds nothing to do.
    let puts = env.emulator().faults().count("PutObject");
    for i in 0..4 {
        let args = shard_args(&format!("{i}/4"));
        env.ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    }
    assert_eq!(env.emulator().faults().count("PutObject"), puts, "a finished rotation reruns for free");
}

/// oss2's CryptoBucket decrypts what `cp -r` uploaded (a sample of names and
/// sizes, nested and unicode), holding the same key pair.
#[test]
fn oss2_reads_what_a_tree_copy_uploaded() {
    if !oss_cse_emulator::testing::python_with_oss2("the oss2 check of cp -r") {
        return;
    }
    let env = Env::new();
    env.bucket("bkt");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let src = env.path("src");
    let names = ["len-0", "a/len-1", "a/b/len-17", "日本/len-1000", "big/len-300007"];
    for name in names {
        let n: usize = name.rsplit("len-").next().unwrap().parse().unwrap();
        let path = Path::new(&src).join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, (0..n).map(|i| (i % 251) as u8).collect::<Vec<_>>()).unwrap();
    }
    let public = repo.join("vectors/keys/key1_public_spki.pem");
    env.ok(&["cp", "-r", &src, "oss://bkt/tree/", "--rsa-public-key", public.to_str().unwrap()]);
    let keys: Vec<String> = names.iter().map(|n| format!("tree/{n}")).collect();
    let out = std::process::Command::new("python3")
        .arg(repo.join("interop/oss2_cse_peer.py"))
        .arg("read")
        .args(&keys)
        .env("OSS_ENDPOINT", env.emulator().endpoint())
        .env("OSS_ACCESS_KEY_ID", env.emulator().access_key_id())
        .env("OSS_ACCESS_KEY_SECRET", env.emulator().access_key_secret())
        .env("OSS_BUCKET", "bkt")
        .env("OSS_CSE_KEYS", repo.join("vectors/keys"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("5 passed, 0 failed"), "{stdout}");
}

/// `--manifest` given an OSS Inventory report: the keys come from its
/// CSV.gz data files (URL-encoded, MD5-checked) in the inventory's bucket;
/// only those objects are touched. An inventory of another bucket, or a
/// data file whose MD5 is not the manifest's, is refused.
#[test]
fn an_oss_inventory_report_is_a_manifest() {
    use std::io::Write as _;
    let env = Env::new();
    env.bucket("bkt");
    env.bucket("inventory");
    let keys = keys(&env);
    let src = env.path("src");
    make_tree(Path::new(&src), 30);
    env.ok(&with(&["cp", "-r", &src, "oss://bkt/", "--jobs", "8"], &keys));
    // The report lists three of the objects (one with a unicode name).
    let listed = ["many/00/f0000.txt", "日本/é t€xt.txt", "a/b/c/deep.bin"];
    let mut csv = String::new();
    for key in listed {
        let encoded: String = key
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        csv.push_str(&format!("\"bkt\",\"{encoded}\",\"\",\"1\"\n"));
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(csv.as_bytes()).unwrap();
    let data = gz.finish().unwrap();
    let data_key = "reports/bkt/inv1/data/a1574226.csv.gz";
    env.runtime
        .block_on(env.oss().put_object("inventory", data_key, oss_cse_client::Body::from(data.clone()), vec![]))
        .unwrap();
    let md5 = {
        use md5::Digest as _;
        md5::Md5::digest(&data).iter().map(|b| format!("{b:02X}")).collect::<String>()
    };
    let manifest = |source: &str, checksum: &str| {
        format!(
            r#"{{"creationTimestamp": "1642994594", "destinationBucket": "inventory", "fileFormat": "CSV",
            "fileSchema": "Bucket, Key, VersionId, Size", "files": [{{"MD5checksum": "{checksum}", "key": "{data_key}",
            "size": {}}}], "sourceBucket": "{source}", "version": "2019-09-01"}}"#,
            data.len()
        )
    };
    let path = env.path("manifest.json");
    std::fs::write(&path, manifest("other", &md5)).unwrap();
    env.fails(&["rm", "-r", "oss://bkt/", "--manifest", &path], "inventory of bucket \"other\"");
    std::fs::write(&path, manifest("bkt", "00000000000000000000000000000000")).unwrap();
    let out = env.run(&["rm", "-r", "oss://bkt/", "--manifest", &path]);
    assert_ne!(out.status.code(), Some(0), "a data file with another MD5 is refused");
    std::fs::write(&path, manifest("bkt", &md5)).unwrap();
    let out = env.ok(&["rm", "-r", "oss://bkt/", "--manifest", &path]);
    assert!(out.contains("3 done, 0 skipped, 0 failed"), "{out}");
    let left = env.ok(&["ls", "-r", "oss://bkt/"]);
    for key in listed {
        assert!(!left.contains(&format!("oss://bkt/{key}\n")), "{key} removed: {left}");
    }
    assert!(left.contains("oss://bkt/many/01/f0001.txt"), "the others stay");
}

/// A key holding terminal control sequences (`ESC ] 0 ; … BEL` sets a
/// terminal's title; `ESC [ 2 J` clears it) reaches a person's terminal
/// escaped from `ls`, `cp -r`, `rm -r` and error lines; `--json` keeps it exact.
#[test]
fn control_characters_in_keys_never_reach_the_terminal_raw() {
    let env = Env::new();
    env.bucket("bkt");
    let key = "t/evil\u{1b}]0;pwned\u{7}\u{1b}[2J.txt";
    env.runtime.block_on(env.oss().put_object("bkt", key, b"x".to_vec().into(), vec![])).unwrap();
    let raw = |out: &std::process::Output| {
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(!stdout.contains('\u{1b}') && !stderr.contains('\u{1b}'), "raw ESC: {stdout:?} {stderr:?}");
        assert!(!stdout.contains('\u{7}') && !stderr.contains('\u{7}'), "raw BEL: {stdout:?} {stderr:?}");
        format!("{stdout}{stderr}")
    };
    let listed = raw(&env.run(&["ls", "-r", "oss://bkt/"]));
    assert!(listed.contains("evil\\u{1b}]0;pwned\\u{7}\\u{1b}[2J.txt"), "{listed}");
    let private = env.key("keys1", "private");
    // Not encrypted: the copy fails for it, and says so escaped.
    raw(&env.run(&["cp", "-r", "oss://bkt/t/", &env.path("dl"), "--rsa-private-key", &private]));
    let json = env.run(&["--json", "ls", "-r", "oss://bkt/"]);
    let listing: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(listing[0]["key"], key, "JSON is exact");
    let removed = raw(&env.run(&["rm", "-r", "oss://bkt/t/"]));
    assert!(removed.contains("evil\\u{1b}"), "{removed}");
}
