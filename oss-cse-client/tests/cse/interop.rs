//! Interoperability: objects the official SDKs wrote decrypt with ours, and
//! oss2's CryptoBucket decrypts what we write (and the reverse), live.

use oss_cse_client::Credentials;
use oss_cse_client::core::{ContentMaterial, DataKey, Iv};
use oss_cse_client::envelope::{Compat, KeyRing, MaterialDescription};
use oss_cse_client::kms::{KmsClient, KmsConfig, KmsEndpoint, KmsMasterKey};
use oss_cse_client::{Body, ByteRange, EncryptionOptions, PutOptions, UploadOptions};

use crate::support::*;

fn vectors(file: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(repo().join("vectors").join(file)).unwrap()).unwrap()
}

fn hex32(value: &serde_json::Value) -> Vec<u8> {
    value
        .as_str()
        .unwrap()
        .as_bytes()
        .chunks(2)
        .map(|c| u8::from_str_radix(std::str::from_utf8(c).unwrap(), 16).unwrap())
        .collect()
}

/// The SDK's ciphertext of a case: inline, a side file, or re-made from the
/// recorded data key and IV (the conformance tests prove it equal by SHA-256).
fn ciphertext(case: &serde_json::Value) -> Vec<u8> {
    if let Some(b64) = case["ciphertext"]["b64"].as_str() {
        return base64::Engine::decode(&base64::engine::general_purpose::STANDARD, b64).unwrap();
    }
    let len = case["ciphertext"]["len"].as_u64().unwrap() as usize;
    let iv = case.get("iv_hex").or(case.get("counter_block_hex")).unwrap();
    let material = ContentMaterial::new(
        DataKey::from_slice(&hex32(&case["data_key_hex"])).unwrap(),
        Iv::from_slice(&hex32(iv)).unwrap(),
    );
    let mut data = mod251(len);
    material.cipher().apply_keystream(&mut data);
    data
}

#[tokio::test]
async fn objects_written_by_the_official_sdks_decrypt() {
    let h = start().await;
    let kms = KmsClient::new(KmsConfig::new(
        KmsEndpoint::Url(h.emulator.kms_endpoint()),
        Credentials::new(h.emulator.access_key_id(), h.emulator.access_key_secret()),
    ))
    .unwrap();
    let mut checked = 0;
    for file in
        ["v2_rsa_simple.json", "ossv2_sdk.json", "v1.json", "v2_kms.json", "v2_multipart.json", "behaviours.json"]
    {
        let vectors = vectors(file);
        for case in vectors["cases"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c.get("stored_meta").is_some() && c.get("data_key_hex").is_some())
        {
            let name = case["name"].as_str().unwrap();
            let key = format!("official/{name}");
            let headers = oss_cse_emulator::testing::stored_meta_headers(case);
            h.oss.put_object(BUCKET, &key, Body::from(ciphertext(case)), headers).await.unwrap();
            let matdesc: Option<MaterialDescription> = case["stored_meta"]
                .get("x-oss-meta-client-side-encryption-matdesc")
                .map(|m| MaterialDescription::from_json(m.as_str().unwrap()).unwrap());
            let ring = match case.get("kms_cmk").and_then(|k| k.as_str()) {
                Some(cmk) => {
                    let mut master = KmsMasterKey::new(kms.clone(), cmk);
                    if let Some(passphrase) = case["passphrase"].as_str() {
                        master = master.with_oss2_passphrase(passphrase);
                    }
                    if let Some(md) = matdesc {
                        master = master.with_material_description(md);
                    }
                    KeyRing::new(master)
                }
                None => {
                    let rsa = rsa("key1", None);
                    KeyRing::new(match matdesc {
                        Some(md) => rsa.with_material_description(md),
                        None => rsa,
                    })
                }
            };
            let client = h.client(ring);
            let plaintext = mod251(case["plaintext"]["len"].as_u64().unwrap() as usize);
            let got = client.get_object(BUCKET, &key, None).await.unwrap();
            assert_eq!(got.body.collect().await.unwrap(), plaintext, "{name}");
            if plaintext.len() > 40 {
                let ranged =
                    client.get_object(BUCKET, &key, Some(ByteRange::Inclusive { start: 17, end: 40 })).await.unwrap();
                assert_eq!(ranged.body.collect().await.unwrap(), &plaintext[17..=40], "{name} ranged");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 8 + 8 + 12 + 9 + 2 + 1);
}

pub(crate) fn python_peer(h: &Harness, args: &[&str]) -> String {
    python_peer_holding(h, "key1", args)
}

/// The oss2 peer holding only the key pair `key` of the vectors; its
/// output, which must be a success.
fn python_peer_holding(h: &Harness, key: &str, args: &[&str]) -> String {
    let output = run_python_peer(h, key, args);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "oss2 peer {args:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn run_python_peer(h: &Harness, key: &str, args: &[&str]) -> std::process::Output {
    run_python_peer_with(h, key, "", args)
}

/// The oss2 peer holding key pair `key` described by `matdesc` (JSON, or
/// empty for none).
fn run_python_peer_with(h: &Harness, key: &str, matdesc: &str, args: &[&str]) -> std::process::Output {
    oss_cse_emulator::testing::oss2_peer(&repo(), &h.emulator, BUCKET, &repo().join("vectors/keys"))
        .args(args)
        .env("OSS_CSE_PEER_KEY", key)
        .env("OSS_CSE_PEER_MATDESC", matdesc)
        .output()
        .expect("python3 runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oss2_cryptobucket_reads_ours_and_we_read_its() {
    if !oss_cse_emulator::testing::python_with_oss2("the live oss2 interop check") {
        return;
    }
    let h = start().await;
    let options =
        EncryptionOptions { part_size: 102_400, multipart_threshold: 200_000, ..EncryptionOptions::default() };
    let client = h.client_with(KeyRing::new(rsa("key1", None)), options);
    let mut ours = Vec::new();
    for len in [0usize, 1, 15, 16, 17, 1000, 65_541] {
        let key = format!("from-oss-cse/len-{len}");
        client.put_object(BUCKET, &key, mod251(len), &PutOptions::default()).await.unwrap();
        ours.push(key);
    }
    let len = 3 * 102_400 + 7;
    let path = h.path("multipart.bin");
    std::fs::write(&path, mod251(len)).unwrap();
    let key = format!("from-oss-cse/multipart/len-{len}");
    client.put_file(BUCKET, &key, &path, &UploadOptions::default()).await.unwrap();
    ours.push(key);
    let mut args = vec!["read"];
    args.extend(ours.iter().map(String::as_str));
    let out = tokio::task::block_in_place(|| python_peer(&h, &args));
    assert!(out.contains("8 passed, 0 failed"), "{out}");

    let out = tokio::task::block_in_place(|| python_peer(&h, &["write"]));
    assert!(out.contains("8 passed, 0 failed"), "{out}");
    for len in [0usize, 1, 15, 16, 17, 1000, 65_541] {
        let got = client.get_object(BUCKET, &format!("from-oss2/len-{len}"), None).await.unwrap();
        assert_eq!(got.body.collect().await.unwrap(), mod251(len), "{len}");
    }
    let key = format!("from-oss2/multipart/len-{len}");
    assert_eq!(client.get_object(BUCKET, &key, None).await.unwrap().body.collect().await.unwrap(), mod251(len));
    let dest = h.path("from-oss2.out");
    client.get_file(BUCKET, &key, &dest, &Default::default()).await.unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), mod251(len));
}

/// Key rotation as oss2 sees it: objects written by oss2 and by us under
/// key1, single and multipart, rewrapped by us to key2, are read by oss2
/// holding only key2 (and no longer by oss2 holding key1).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oss2_reads_rewrapped_objects_with_only_the_new_key() {
    if !oss_cse_emulator::testing::python_with_oss2("the live oss2 interop check") {
        return;
    }
    let h = start().await;
    let client = h.client_with(KeyRing::new(rsa("key1", None)), small_parts());
    let out = tokio::task::block_in_place(|| python_peer(&h, &["write"]));
    assert!(out.contains("8 passed, 0 failed"), "{out}");
    let len = 3 * 102_400 + 7;
    let path = h.path("multipart.bin");
    std::fs::write(&path, mod251(len)).unwrap();
    client
        .put_file(BUCKET, &format!("from-oss-cse/multipart/len-{len}"), &path, &UploadOptions::default())
        .await
        .unwrap();
    client.put_object(BUCKET, "from-oss-cse/len-1000", mod251(1000), &PutOptions::default()).await.unwrap();
    let keys = [
        "from-oss2/len-1000".to_owned(),
        "from-oss2/len-0".to_owned(),
        format!("from-oss2/multipart/len-{len}"),
        "from-oss-cse/len-1000".to_owned(),
        format!("from-oss-cse/multipart/len-{len}"),
    ];
    for key in &keys {
        client.rewrap(BUCKET, key, &rsa("key2", None)).await.unwrap_or_else(|e| panic!("{key}: {e}"));
    }
    let mut args = vec!["read"];
    args.extend(keys.iter().map(String::as_str));
    let out = tokio::task::block_in_place(|| python_peer_holding(&h, "key2", &args));
    assert!(out.contains("5 passed, 0 failed"), "{out}");
    let stale = tokio::task::block_in_place(|| run_python_peer(&h, "key1", &["read", "from-oss2/len-1000"]));
    assert!(!stale.status.success(), "the old key no longer opens a rewrapped object");
}

/// Every `--compat` choice as oss2 reads it: objects written for each SDK
/// family with a matdesc that every style spells differently (`/`, `<`, `&`,
/// non-ASCII) are read by oss2 given the same matdesc, except Go's non-ASCII
/// text, which is raw UTF-8 for Go's raw-text matching and which oss2 reads
/// as ISO-8859-1 (so it finds no matching materials: a fact of oss2).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oss2_reads_every_compat_choice_that_applies_to_it() {
    if !oss_cse_emulator::testing::python_with_oss2("the live oss2 interop check") {
        return;
    }
    let h = start().await;
    let ascii = MaterialDescription::new().with("desc", "rotation/2026 <a&b>").with("owner", "team \"x\"");
    let accented = MaterialDescription::new().with("desc", "clé/été Ω").with("path", "日本😀");
    let mut readable = Vec::new();
    let mut go_accented = String::new();
    for (label, matdesc) in [("ascii", &ascii), ("accented", &accented)] {
        for compat in Compat::ALL {
            let options = EncryptionOptions { compat, ..EncryptionOptions::default() };
            let client =
                h.client_with(KeyRing::new(rsa("key1", None).with_material_description(matdesc.clone())), options);
            let key = format!("compat/{label}/{compat}/len-1000");
            client.put_object(BUCKET, &key, mod251(1000), &PutOptions::default()).await.unwrap();
            let stored = client.oss().head_object(BUCKET, &key).await.unwrap();
            let text = stored.header("x-oss-meta-client-side-encryption-matdesc").unwrap().to_owned();
            assert_eq!(text, matdesc.to_json_in(compat.matdesc_style()), "{key}");
            // We read every choice back, with the matdesc and with only the key.
            for ring in [
                KeyRing::new(rsa("key1", None).with_material_description(matdesc.clone())),
                KeyRing::new(rsa("key1", None)),
            ] {
                let got = h.client(ring).get_object(BUCKET, &key, None).await.unwrap();
                assert_eq!(got.body.collect().await.unwrap(), mod251(1000), "{key}");
            }
            if label == "accented" && compat == Compat::Go {
                go_accented = key;
            } else {
                readable.push(key);
            }
        }
    }
    let peer = |matdesc: &MaterialDescription, keys: &[String]| {
        let mut args = vec!["read"];
        args.extend(keys.iter().map(String::as_str));
        tokio::task::block_in_place(|| run_python_peer_with(&h, "key1", &matdesc.to_json(), &args))
    };
    let (ascii_keys, accented_keys): (Vec<_>, Vec<_>) =
        readable.into_iter().partition(|k| k.starts_with("compat/ascii/"));
    for (matdesc, keys) in [(&ascii, &ascii_keys), (&accented, &accented_keys)] {
        let out = peer(matdesc, keys);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
        assert!(stdout.contains(&format!("{} passed, 0 failed", keys.len())), "{stdout}");
    }
    assert_eq!(ascii_keys.len() + accented_keys.len(), 9);
    let out = peer(&accented, &[go_accented]);
    assert!(!out.status.success(), "oss2 reads Go's raw UTF-8 matdesc as ISO-8859-1 and finds no key");
}
