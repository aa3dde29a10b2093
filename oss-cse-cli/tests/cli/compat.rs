//! `--compat` and `--strict-matdesc`: what the written matdesc looks like for
//! each SDK family, and reading the official SDKs' objects with only a key.

use std::path::PathBuf;

use crate::{Env, write};

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../vectors")
}

fn stored_matdesc(env: &Env, bucket: &str, key: &str) -> String {
    let meta = env.runtime.block_on(env.oss().head_object(bucket, key)).unwrap();
    meta.header("x-oss-meta-client-side-encryption-matdesc").unwrap().to_owned()
}

#[test]
fn compat_writes_each_sdk_familys_matdesc_text() {
    let env = Env::new();
    env.bucket("bkt");
    let src = env.path("c.bin");
    let data = write(&src, 3000);
    let matdesc = r#"{"desc":"é/<x>"}"#;
    let expected = [
        ("oss2", r#"{"desc": "\u00e9/<x>"}"#),
        ("py-v2", r#"{"desc": "\u00e9/<x>"}"#),
        ("go", "{\"desc\":\"é/\\u003cx\\u003e\"}"),
        ("java", r#"{"desc":"\u00e9\/<x>"}"#),
        ("cpp", r#"{"desc":"\u00e9/<x>"}"#),
    ];
    for (compat, text) in expected {
        let url = format!("oss://bkt/{compat}");
        let public = env.key("keys1", "public");
        env.ok(&["cp", &src, &url, "--compat", compat, "--rsa-public-key", &public, "--matdesc", matdesc]);
        assert_eq!(stored_matdesc(&env, "bkt", compat), text, "{compat}");
        // Read back with the matdesc, and with only the key.
        let private = env.key("keys1", "private");
        let with = env.command(&["cat", &url, "--rsa-private-key", &private, "--matdesc", matdesc]).output().unwrap();
        assert_eq!(with.stdout, data, "{compat}");
        let only_key = env.command(&["cat", &url, "--rsa-private-key", &private]).output().unwrap();
        assert_eq!(only_key.stdout, data, "{compat}");
    }
    // Without --compat: oss2's text; the key ring file can say it too.
    env.ok(&["cp", &src, "oss://bkt/default", "--rsa-public-key", &env.key("keys1", "public"), "--matdesc", matdesc]);
    assert_eq!(stored_matdesc(&env, "bkt", "default"), expected[0].1);
    let ring = env.path("ring.toml");
    let public = env.key("keys1", "public");
    std::fs::write(
        &ring,
        format!("compat = \"go\"\n[encrypt]\nrsa_public_key = {public:?}\nmatdesc = {{ desc = \"é/<x>\" }}\n"),
    )
    .unwrap();
    env.ok(&["cp", &src, "oss://bkt/from-ring", "--keyring", &ring]);
    assert_eq!(stored_matdesc(&env, "bkt", "from-ring"), expected[2].1);
    std::fs::write(&ring, "compat = \"rust\"\n").unwrap();
    env.fails(&["cp", &src, "oss://bkt/x", "--keyring", &ring], "unknown SDK family");
    // A name clap does not know is bad usage (exit 2), before any work.
    let out = env.run(&["cp", &src, "oss://bkt/x", "--compat", "swift", "--rsa-public-key", &public]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn kms_with_an_sdk_family_that_has_no_kms_is_refused() {
    let env = Env::new();
    env.bucket("bkt");
    let src = env.path("k.bin");
    write(&src, 100);
    let kms = env.emulator().kms_endpoint();
    for compat in ["py-v2", "cpp"] {
        env.fails(
            &["cp", &src, "oss://bkt/k", "--compat", compat, "--kms-key-id", "cmk-1", "--kms-endpoint", &kms],
            "has no KMS master key",
        );
    }
    env.ok(&["cp", &src, "oss://bkt/k", "--compat", "go", "--kms-key-id", "cmk-1", "--kms-endpoint", &kms]);
    let meta = env.runtime.block_on(env.oss().head_object("bkt", "k")).unwrap();
    // The Go/Java layout stores the blob text itself, which is not base64 of base64.
    let key = meta.header("x-oss-meta-client-side-encryption-key").unwrap();
    let decoded = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, key).unwrap();
    assert!(!decoded.iter().all(u8::is_ascii_alphanumeric), "Go/Java layout: the blob, not its text");
}

/// The official Go, Java and C++ SDKs' objects with a non-ASCII matdesc,
/// decrypted offline with only the key (and with the matdesc given), and
/// refused by --strict-matdesc when the matdesc is not given.
#[test]
fn the_official_sdks_accented_matdescs_decrypt_offline() {
    let env = Env::new();
    for sdk in ["go_v1", "go_v2", "java", "cpp"] {
        let file: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(vectors().join(format!("sdks/{sdk}.json"))).unwrap())
                .unwrap();
        let case = file["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"].as_str().unwrap().ends_with("escmatdesc_len_100"))
            .unwrap();
        let (cipher, meta, out) = (env.path("c.bin"), env.path("meta.json"), env.path(&format!("{sdk}.out")));
        let ct = base64::Engine::decode(
            &base64::engine::general_purpose::STANDARD,
            case["ciphertext"]["b64"].as_str().unwrap(),
        )
        .unwrap();
        std::fs::write(&cipher, ct).unwrap();
        std::fs::write(&meta, serde_json::to_string(&case["stored_meta"]).unwrap()).unwrap();
        let private = vectors().join(format!("sdks/keys/{}_private_pkcs8.pem", case["rsa_key"].as_str().unwrap()));
        let private = private.to_str().unwrap();
        let given = serde_json::to_string(&case["mat_desc_given"]).unwrap();
        env.ok(&["decrypt", &cipher, &out, "--meta", &meta, "--rsa-private-key", private]);
        let plain = std::fs::read(&out).unwrap();
        assert_eq!(plain.len(), 100, "{sdk}");
        assert_eq!(hex_sha256(&plain), case["plaintext"]["sha256"].as_str().unwrap(), "{sdk}");
        env.ok(&["decrypt", &cipher, &out, "--meta", &meta, "--rsa-private-key", private, "--matdesc", &given]);
        assert_eq!(hex_sha256(&std::fs::read(&out).unwrap()), case["plaintext"]["sha256"].as_str().unwrap());
        env.fails(
            &["decrypt", &cipher, &out, "--meta", &meta, "--rsa-private-key", private, "--strict-matdesc"],
            "no master key matches",
        );
    }
}

fn hex_sha256(data: &[u8]) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(data))
}
