//! `cp oss://… oss://…` above the size OSS's CopyObject copies (1 GB;
//! lowered here on both sides, `OSS_CSE_COPY_LIMIT` for the CLI): the copy
//! is re-uploaded, said before it starts and counted in the result.

use crate::Env;

#[test]
fn a_copy_above_the_copy_limit_is_reuploaded_and_says_so() {
    let env = Env::with_emulator(|config| config.copy_limit(100_000).strict_cse_copy(true).strict_upload_part(true));
    env.bucket("bkt");
    let data: Vec<u8> = (0..450_000u32).map(|i| (i % 251) as u8).collect();
    let file = env.path("big.bin");
    std::fs::write(&file, &data).unwrap();
    let public = env.key("keys1", "public");
    let upload = ["cp", &file, "oss://bkt/big", "--rsa-public-key", &public, "--part-size", "100K"];
    env.ok(&[&upload[..], &["--multipart-threshold", "200K"]].concat());

    // Without the lower limit the CLI asks OSS, which refuses.
    env.fails(&["cp", "oss://bkt/big", "oss://bkt/refused"], "InvalidArgument");

    let out =
        env.command(&["cp", "oss://bkt/big", "oss://bkt/copy"]).env("OSS_CSE_COPY_LIMIT", "100000").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("450000 bytes") && stderr.contains("downloaded and uploaded again"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("re-uploaded"));

    let private = env.key("keys1", "private");
    let out = env.command(&["cat", "oss://bkt/copy", "--decrypt-key", &private]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.stdout, data);

    // --no-clobber holds for a copy too, whichever way it is made.
    let json = env
        .command(&["--json", "cp", "oss://bkt/big", "oss://bkt/copy", "--no-clobber"])
        .env("OSS_CSE_COPY_LIMIT", "100000")
        .output()
        .unwrap();
    assert!(!json.status.success());
    assert!(String::from_utf8_lossy(&json.stderr).contains("FileAlreadyExists"));
    let out = env
        .command(&["--json", "cp", "oss://bkt/big", "oss://bkt/copy2"])
        .env("OSS_CSE_COPY_LIMIT", "100000")
        .output()
        .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["reuploaded_bytes"], 450_000, "{value}");
    let small = env.path("small.bin");
    std::fs::write(&small, &data[..1000]).unwrap();
    env.ok(&["cp", &small, "oss://bkt/small", "--rsa-public-key", &public]);
    let out = env.ok(&["--json", "cp", "oss://bkt/small", "oss://bkt/small-copy"]);
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["reuploaded_bytes"], 0, "below the limit OSS copies it: {value}");
}
