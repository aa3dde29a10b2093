//! What the common mistakes are told: a directory without -r, an empty or
//! wrong PEM file (named), --no-clobber on a single copy, and outputs that
//! say what happened in words that fit.

use std::path::Path;

use crate::Env;

#[test]
fn common_mistakes_get_clear_messages() {
    let env = Env::new();
    env.bucket("bkt");
    let public = env.key("keys1", "public");
    let dir = env.path("dir");
    std::fs::create_dir_all(Path::new(&dir).join("sub")).unwrap();
    std::fs::write(Path::new(&dir).join("sub/f.txt"), b"f").unwrap();
    env.fails_with(2, &["cp", &dir, "oss://bkt/d", "--rsa-public-key", &public], "use -r");
    env.fails_with(2, &["cp", "oss://bkt/d/", &dir, "--rsa-public-key", &public], "use -r");

    // PEM files are named, and an empty one is said to be empty.
    let empty = env.path("empty.pem");
    std::fs::write(&empty, b"").unwrap();
    let file = Path::new(&dir).join("sub/f.txt").display().to_string();
    let stderr = env.fails_with(2, &["cp", &file, "oss://bkt/f", "--rsa-public-key", &empty], "empty");
    assert!(stderr.contains("empty.pem") && !stderr.contains("NUL") && !stderr.contains("key ring :"), "{stderr}");
    let text = env.path("text.pem");
    std::fs::write(&text, b"hello\n").unwrap();
    let stderr = env.fails_with(2, &["cp", &file, "oss://bkt/f", "--rsa-public-key", &text], "no -----BEGIN");
    assert!(stderr.contains("text.pem"), "{stderr}");

    // --no-clobber on one object: a download onto a file is skipped, an
    // upload onto an object refused by OSS.
    env.ok(&["cp", &file, "oss://bkt/f", "--rsa-public-key", &public]);
    let kept = env.path("kept.txt");
    std::fs::write(&kept, b"mine").unwrap();
    let out = env.ok(&["cp", "oss://bkt/f", &kept, "--no-clobber", "--rsa-private-key", &env.key("keys1", "private")]);
    assert!(out.contains("skipped"), "{out}");
    assert_eq!(std::fs::read(&kept).unwrap(), b"mine");
    env.fails(&["cp", &kept, "oss://bkt/f", "--no-clobber", "--rsa-public-key", &public], "FileAlreadyExists");
    let big = env.path("big.bin");
    std::fs::write(&big, vec![7u8; 300_000]).unwrap();
    let multipart = ["--part-size", "100K", "--multipart-threshold", "100K"];
    let args =
        [&["cp", big.as_str(), "oss://bkt/f", "--no-clobber", "--rsa-public-key", public.as_str()][..], &multipart[..]];
    env.fails(&args.concat(), "FileAlreadyExists");
    let out = env.ok(&["cat", "oss://bkt/f", "--rsa-private-key", &env.key("keys1", "private")]);
    assert_eq!(out, "f", "the object is untouched");

    // A deletion says no byte count.
    let out = env.ok(&["rm", "-r", "--force", "oss://bkt/"]);
    assert!(out.lines().any(|line| line == "removed f"), "{out}");
}
