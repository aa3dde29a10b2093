//! `--authenticate`, `--require-authenticated`, `--sign-key` and
//! `--trusted-signer` end to end: a tampered, stripped or forged object exits
//! 7 (integrity) and leaves no file.

use oss_cse_client::envelope::auth::SigningKey;
use oss_cse_client::{Body, GetOptions};

use super::*;

/// Rewrites `key`'s stored bytes and user metadata as a bucket writer could.
fn tamper(env: &Env, key: &str, edit: impl FnOnce(&mut Vec<u8>, &mut Vec<(String, String)>)) {
    env.runtime.block_on(async {
        let oss = env.oss();
        let got = oss.get_object("bkt", key, &GetOptions::default()).await.unwrap();
        let mut meta: Vec<(String, String)> =
            got.meta.headers.iter().filter(|(k, _)| k.starts_with("x-oss-meta-")).cloned().collect();
        let mut bytes = got.body.collect().await.unwrap();
        edit(&mut bytes, &mut meta);
        oss.put_object("bkt", key, Body::from(bytes), meta).await.unwrap();
    });
}

/// A writer's Ed25519 key pair in files: (signing key, verifying key).
fn writer_keys(env: &Env) -> (String, String) {
    let (_, signing_pem, verifying_pem) = SigningKey::generate().unwrap();
    let (sign, trust) = (env.path("writer.pem"), env.path("writer.pub.pem"));
    std::fs::write(&sign, signing_pem.as_bytes()).unwrap();
    std::fs::write(&trust, verifying_pem).unwrap();
    (sign, trust)
}

#[test]
fn tampered_stripped_and_forged_objects_exit_7_and_leave_no_file() {
    let env = Env::new();
    env.bucket("bkt");
    let (public, private) = (env.key("keys1", "public"), env.key("keys1", "private"));
    let src = env.path("f.bin");
    let data = write(&src, 3_000_000);
    env.ok(&["cp", &src, "oss://bkt/f", "--rsa-public-key", &public, "--authenticate"]);
    let out = env.path("out.bin");
    env.ok(&["cp", "oss://bkt/f", &out, "--rsa-private-key", &private, "--require-authenticated"]);
    assert_eq!(std::fs::read(&out).unwrap(), data);
    std::fs::remove_file(&out).unwrap();

    env.ok(&["cp", &src, "oss://bkt/flipped", "--rsa-public-key", &public, "--authenticate"]);
    tamper(&env, "flipped", |bytes, _| bytes[1_234_567] ^= 0x20);
    env.fails_with(7, &["cp", "oss://bkt/flipped", &out, "--rsa-private-key", &private], "authentication failed");
    assert!(!std::path::Path::new(&out).exists());
    env.fails_with(7, &["cat", "oss://bkt/flipped", "--rsa-private-key", &private], "authentication failed");

    env.ok(&["cp", &src, "oss://bkt/stripped", "--rsa-public-key", &public, "--authenticate"]);
    tamper(&env, "stripped", |_, meta| meta.retain(|(k, _)| k != "x-oss-meta-oss-cse-tag"));
    let args = ["cp", "oss://bkt/stripped", &out, "--rsa-private-key", &private, "--require-authenticated"];
    env.fails_with(7, &args, "no authentication tag");
    assert!(!std::path::Path::new(&out).exists());

    // Signed by the writer; forged by someone holding only the public key.
    let (sign, trust) = writer_keys(&env);
    env.ok(&["cp", &src, "oss://bkt/signed", "--rsa-public-key", &public, "--sign-key", &sign]);
    env.ok(&["cp", &src, "oss://bkt/forged", "--rsa-public-key", &public, "--authenticate"]);
    env.ok(&["cp", "oss://bkt/signed", &out, "--rsa-private-key", &private, "--trusted-signer", &trust]);
    std::fs::remove_file(&out).unwrap();
    let args = ["cp", "oss://bkt/forged", &out, "--rsa-private-key", &private, "--trusted-signer", &trust];
    env.fails_with(7, &args, "not signed");
    assert!(!std::path::Path::new(&out).exists());
    // The same through a key ring file's [authentication] table.
    let ring = env.path("ring.toml");
    std::fs::write(
        &ring,
        format!(
            "[encrypt]\nrsa_public_key = {public:?}\nrsa_private_key = {private:?}\n\n[authentication]\n\
             sign_key = {sign:?}\ntrusted_signers = [{trust:?}]\n"
        ),
    )
    .unwrap();
    env.ok(&["cp", &src, "oss://bkt/via-ring", "--keyring", &ring]);
    env.ok(&["cp", "oss://bkt/via-ring", &out, "--keyring", &ring]);
    std::fs::remove_file(&out).unwrap();
    env.fails_with(7, &["cp", "oss://bkt/forged", &out, "--keyring", &ring], "not signed");
    assert!(!std::path::Path::new(&out).exists());
    // A signing key that is not Ed25519 is bad input.
    env.fails_with(2, &["cp", &src, "oss://bkt/x", "--rsa-public-key", &public, "--sign-key", &private], "Ed25519");
}

/// A 206 in reply to a whole read (a proxy's, with the CRC-64 header gone)
/// would have switched off the tag, the signature, CRC-64, MD5, the length
/// check and `--require-verified`: `cat` and `cp … -` exit 7 and print
/// nothing, for a flipped and for a truncated body.
#[test]
fn a_partial_reply_to_a_whole_read_exits_7_with_nothing_written() {
    let env = Env::new();
    env.bucket("bkt");
    let (public, private) = (env.key("keys1", "public"), env.key("keys1", "private"));
    let (sign, trust) = writer_keys(&env);
    let src = env.path("f.bin");
    let data = write(&src, 3_000_000);
    env.ok(&["cp", &src, "oss://bkt/f", "--rsa-public-key", &public, "--sign-key", &sign, "--md5"]);
    let strict = ["--rsa-private-key", &private, "--trusted-signer", &trust, "--require-verified"];
    for (keep, flip) in [(None, Some(1)), (Some(1_500_000), None)] {
        env.emulator().faults().clear();
        env.emulator().faults().add(FaultRule::new(Fault::PartialWhole { keep, flip }).operation("GetObject"));
        for command in [&["cat", "oss://bkt/f"][..], &["cp", "oss://bkt/f", "-"][..]] {
            let args: Vec<&str> = command.iter().chain(strict.iter()).copied().collect();
            let out = env.run(&args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(7), "{args:?} {keep:?} {flip:?}: {stderr}");
            assert!(stderr.contains("does not answer the request"), "{stderr}");
            assert!(out.stdout.is_empty(), "{args:?}: {} bytes reached stdout", out.stdout.len());
        }
    }
    env.emulator().faults().clear();
    let args: Vec<&str> = ["cat", "oss://bkt/f"].iter().chain(strict.iter()).copied().collect();
    assert_eq!(env.run(&args).stdout, data);
}

/// Offline `decrypt --keyring` applies the ring's `[authentication]` table
/// as a download does: an object forged with the public key alone (no tag,
/// no signature) exits 7 and writes nothing; a signed object's ciphertext
/// and envelope decrypt; its ciphertext tampered with exits 7, no file.
#[test]
fn offline_decrypt_applies_the_key_rings_authentication() {
    let env = Env::new();
    env.bucket("bkt");
    let (public, private) = (env.key("keys1", "public"), env.key("keys1", "private"));
    let (sign, trust) = writer_keys(&env);
    let src = env.path("f.bin");
    let data = write(&src, 300_000);
    let ring = env.path("ring.toml");
    let table =
        format!("[encrypt]\nrsa_private_key = {private:?}\n\n[authentication]\ntrusted_signers = [{trust:?}]\n");
    std::fs::write(&ring, table).unwrap();
    let out = env.path("out.bin");

    // Forged offline with only the public key: no tag, no signature.
    let (forged, forged_meta) = (env.path("forged.bin"), env.path("forged.json"));
    env.ok(&["encrypt", &src, &forged, "--meta-out", &forged_meta, "--rsa-public-key", &public]);
    env.fails_with(7, &["decrypt", &forged, &out, "--meta", &forged_meta, "--keyring", &ring], "no authentication tag");
    assert!(!std::path::Path::new(&out).exists());

    // A signed object, as stored: ciphertext and envelope.
    env.ok(&["cp", &src, "oss://bkt/signed", "--rsa-public-key", &public, "--sign-key", &sign]);
    let (mut stored, meta) = env.runtime.block_on(async {
        let got = env.oss().get_object("bkt", "signed", &GetOptions::default()).await.unwrap();
        let meta: serde_json::Map<String, serde_json::Value> = got
            .meta
            .headers
            .iter()
            .filter(|(k, _)| k.starts_with("x-oss-meta-"))
            .map(|(k, v)| (k.clone(), v.clone().into()))
            .collect();
        (got.body.collect().await.unwrap(), meta)
    });
    let (cipher, meta_path) = (env.path("signed.bin"), env.path("signed.json"));
    std::fs::write(&meta_path, serde_json::Value::Object(meta).to_string()).unwrap();
    std::fs::write(&cipher, &stored).unwrap();
    env.ok(&["decrypt", &cipher, &out, "--meta", &meta_path, "--keyring", &ring]);
    assert_eq!(std::fs::read(&out).unwrap(), data);
    std::fs::remove_file(&out).unwrap();
    stored[1234] ^= 0x40;
    std::fs::write(&cipher, &stored).unwrap();
    env.fails_with(7, &["decrypt", &cipher, &out, "--meta", &meta_path, "--keyring", &ring], "authentication failed");
    assert!(!std::path::Path::new(&out).exists());
}

/// `--require-signed-name`: a trusted signature must cover the object's name
/// (`--sign-name`), so an object signed "anywhere" and copied elsewhere in
/// the bucket is refused (exit 7) where a plain `--trusted-signer` takes it.
#[test]
fn require_signed_name_refuses_signatures_that_do_not_bind_the_name() {
    let env = Env::new();
    env.bucket("bkt");
    let (public, private) = (env.key("keys1", "public"), env.key("keys1", "private"));
    let (sign, trust) = writer_keys(&env);
    let src = env.path("f.bin");
    write(&src, 1000);
    env.ok(&["cp", &src, "oss://bkt/anywhere", "--rsa-public-key", &public, "--sign-key", &sign]);
    env.ok(&["cp", &src, "oss://bkt/named", "--rsa-public-key", &public, "--sign-key", &sign, "--sign-name"]);
    env.ok(&["cp", "oss://bkt/anywhere", "oss://bkt/elsewhere"]);
    let out = env.path("out.bin");
    let read = |key: &str, strict: bool| {
        let url = format!("oss://bkt/{key}");
        let mut args =
            vec!["cp", url.as_str(), out.as_str(), "--rsa-private-key", &private, "--trusted-signer", &trust];
        if strict {
            args.push("--require-signed-name");
        }
        let status = env.run(&args).status.code();
        let _ = std::fs::remove_file(&out);
        status
    };
    assert_eq!(read("elsewhere", false), Some(0), "a signature over the tag alone verifies anywhere");
    assert_eq!(read("elsewhere", true), Some(7));
    assert_eq!(read("anywhere", true), Some(7));
    assert_eq!(read("named", true), Some(0));
}
