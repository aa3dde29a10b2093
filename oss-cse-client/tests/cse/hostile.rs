//! Hostile input to the transfer paths: a server that reports an absurd
//! size, and checkpoint files edited by hand. Each ends in the right bytes or
//! a typed error; none panics, allocates without bound, or touches a file
//! the transfer does not own.

use oss_cse_client::envelope::KeyRing;
use oss_cse_client::{
    DownloadOptions, EncryptionClient, EncryptionOptions, ErrorKind, PlaintextPolicy, PutOptions, UploadOptions,
};
use oss_cse_emulator::{Fault, FaultRule};
use serde_json::{Value, json};

use crate::support::*;

const LEN: usize = 1_000_000;

fn client(h: &Harness) -> EncryptionClient {
    let options = EncryptionOptions { parallel: 1, plaintext_policy: PlaintextPolicy::PassThrough, ..small_parts() };
    h.client_with(KeyRing::new(rsa("key1", None)), options)
}

#[tokio::test]
async fn a_head_reply_with_an_absurd_size_is_refused() {
    let h = start().await;
    let client = client(&h);
    client.put_object(BUCKET, "cse", mod251(LEN), &PutOptions::default()).await.unwrap();
    h.oss.put_object(BUCKET, "plain", mod251(LEN).into(), vec![]).await.unwrap();
    for (key, delta) in [
        ("cse", i64::MAX),
        ("plain", i64::MAX),
        ("cse", 1 << 40),
        ("plain", 1 << 40),
        ("plain", 20 << 40),
        ("plain", 16),
    ] {
        h.emulator.faults().clear();
        h.emulator.faults().add(FaultRule::new(Fault::WrongContentLength { delta }).operation("HeadObject"));
        let dest = h.path(&format!("absurd-{key}-{delta}"));
        let err = client.get_file(BUCKET, key, &dest, &DownloadOptions::default()).await.unwrap_err();
        assert!(
            matches!(
                err.kind(),
                ErrorKind::InvalidResponse | ErrorKind::Integrity | ErrorKind::Service | ErrorKind::Io
            ),
            "{key} {delta}: {err}"
        );
        assert!(!dest.exists(), "{key} {delta}: a destination was left");
        let leftovers: Vec<_> = std::fs::read_dir(h.path(""))
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains("oss-cse-partial"))
            .collect();
        assert!(leftovers.is_empty(), "{key} {delta}: temporary files left: {leftovers:?}");
    }
}

/// Starts a download of `key` that fails after three ranges, leaving a
/// checkpoint.
async fn interrupted_download(h: &Harness, client: &EncryptionClient, options: &DownloadOptions) {
    h.emulator.faults().clear();
    h.emulator.faults().add(FaultRule::new(Fault::TruncateBody { after: 5000 }).operation("GetObject").after(3));
    let dest = h.path("edited.out");
    client.get_file(BUCKET, "edited", &dest, options).await.unwrap_err();
    h.emulator.faults().clear();
}

#[tokio::test]
async fn a_hand_edited_download_checkpoint_cannot_corrupt_or_misdirect() {
    let h = start().await;
    let client = client(&h);
    let data = mod251(LEN);
    client.put_object(BUCKET, "edited", data.clone(), &PutOptions::default()).await.unwrap();
    let checkpoint = h.path("download.checkpoint");
    let options = DownloadOptions { checkpoint: Some(checkpoint.clone()), ..DownloadOptions::default() };
    let dest = h.path("edited.out");
    let victim = h.path("victim.txt");

    type Edit = fn(&mut Value, &std::path::Path);
    let edits: Vec<(&str, Edit)> = vec![
        ("indices out of the plan, repeated, with wrong CRCs", |c, _| {
            let done = c["done"].as_array_mut().unwrap();
            let first = done[0].clone();
            done.extend([json!([u64::MAX, 1]), json!([1u64 << 40, 5]), json!([9, 0]), first.clone(), first]);
        }),
        ("a temporary file that is someone else's", |c, victim| c["temp"] = json!(victim)),
        ("a temporary file elsewhere with our name", |c, _| {
            let name = std::path::Path::new(c["temp"].as_str().unwrap()).file_name().unwrap().to_owned();
            c["temp"] = json!(std::env::temp_dir().join("elsewhere").join(name));
        }),
        ("a zero part size", |c, _| c["part_size"] = json!(0)),
        ("an absurd size and a reversed range", |c, _| {
            c["size"] = json!(u64::MAX);
            c["first"] = json!(10);
            c["last"] = json!(2);
        }),
        ("another object's", |c, _| c["key"] = json!("other")),
        ("a future version", |c, _| c["version"] = json!(99)),
    ];
    // Each edit is made as the folder's owner could (the MAC still holds):
    // what a resume checks beyond the MAC must catch it.
    for (what, edit) in &edits {
        std::fs::write(&victim, b"precious").unwrap();
        interrupted_download(&h, &client, &options).await;
        oss_cse_client::fuzzing::edit_checkpoint(&checkpoint, |record| edit(record, &victim)).unwrap();
        client.get_file(BUCKET, "edited", &dest, &options).await.unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(std::fs::read(&dest).unwrap(), data, "{what}");
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious", "{what}: a file the checkpoint named was touched");
        std::fs::remove_file(&dest).unwrap();
    }
    // Made by anyone else (the MAC fails): a fresh start, every range
    // fetched again, the victim untouched and no partial file left.
    for (what, edit) in &edits {
        std::fs::write(&victim, b"precious").unwrap();
        interrupted_download(&h, &client, &options).await;
        let mut file: Value = serde_json::from_slice(&std::fs::read(&checkpoint).unwrap()).unwrap();
        edit(&mut file["record"], &victim);
        std::fs::write(&checkpoint, serde_json::to_vec(&file).unwrap()).unwrap();
        let before = h.emulator.faults().count("GetObject");
        client.get_file(BUCKET, "edited", &dest, &options).await.unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(h.emulator.faults().count("GetObject") - before, LEN.div_ceil(100 * 1024), "{what}: from scratch");
        assert_eq!(std::fs::read(&dest).unwrap(), data, "{what}");
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious", "{what}: a file the checkpoint named was touched");
        std::fs::remove_file(&dest).unwrap();
        assert_eq!(partials(&h), Vec::<String>::new(), "{what}");
    }

    // Unreadable checkpoints start over too; one too large to be ours is an
    // error naming the file.
    for (what, bytes) in [
        ("not JSON", b"\x00\xffnot json".to_vec()),
        ("wrong shape", br#"{"version": 1, "kind": "download", "done": "all"}"#.to_vec()),
    ] {
        std::fs::write(&checkpoint, bytes).unwrap();
        client.get_file(BUCKET, "edited", &dest, &options).await.unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(std::fs::read(&dest).unwrap(), data, "{what}");
        std::fs::remove_file(&dest).unwrap();
    }
    std::fs::write(&checkpoint, vec![b' '; 5 << 20]).unwrap();
    let err = client.get_file(BUCKET, "edited", &dest, &options).await.unwrap_err();
    assert!(matches!(err, oss_cse_client::Error::Io { .. }), "far too large: {err}");
    assert!(err.to_string().contains("download.checkpoint"), "{err}");
    assert!(!dest.exists());
}

/// The download partial files left in the test's folder.
fn partials(h: &Harness) -> Vec<String> {
    std::fs::read_dir(h.path(""))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("oss-cse-partial"))
        .collect()
}

#[tokio::test]
async fn a_hand_edited_upload_checkpoint_cannot_corrupt_the_object() {
    let h = start().await;
    let client = client(&h);
    let data = mod251(LEN);
    let src = h.path("upload.src");
    std::fs::write(&src, &data).unwrap();
    let checkpoint = h.path("upload.checkpoint");
    let options = UploadOptions { checkpoint: Some(checkpoint.clone()), ..UploadOptions::default() };

    type Edit = fn(&mut Value);
    let edits: Vec<(&str, Edit)> = vec![
        ("parts out of the plan, repeated, with wrong ETags and sizes", |c| {
            let parts = c["parts"].as_array_mut().unwrap();
            let mut first = parts[0].clone();
            parts.push(first.clone());
            first["number"] = json!(0);
            parts.push(first.clone());
            first["number"] = json!(10_001);
            parts.push(first.clone());
            first["number"] = json!(5);
            first["etag"] = json!("0123456789ABCDEF0123456789ABCDEF");
            parts.push(first.clone());
            first["number"] = json!(6);
            first["size"] = json!(1);
            parts.push(first);
        }),
        ("an unknown upload id", |c| c["upload_id"] = json!("not-an-upload")),
        ("another data key", |c| {
            for pair in c["envelope"].as_array_mut().unwrap() {
                if pair[0].as_str().unwrap().ends_with("-encryption-key") {
                    pair[1] = json!("AAAA");
                }
            }
        }),
    ];
    for (what, edit) in edits {
        let key = format!("up-{}", what.len());
        h.emulator.faults().clear();
        h.emulator.faults().add(
            FaultRule::new(Fault::Status { status: 403, code: "AccessDenied".into() }).operation("UploadPart").nth(4),
        );
        client.put_file(BUCKET, &key, &src, &options).await.unwrap_err();
        h.emulator.faults().clear();
        oss_cse_client::fuzzing::edit_checkpoint(&checkpoint, edit).unwrap();
        match client.put_file(BUCKET, &key, &src, &options).await {
            Ok(_) => {
                let got = client.get_object(BUCKET, &key, None).await.unwrap().body.collect().await.unwrap();
                assert_eq!(got, data, "{what}: the object differs");
            }
            // A checkpoint whose envelope cannot be read is refused by name.
            Err(err) => {
                assert!(matches!(err.kind(), ErrorKind::Crypto), "{what}: {err}");
                let _ = std::fs::remove_file(&checkpoint);
            }
        }
    }
}

/// A GET sent without Range is a whole read whatever comes back: a 206 to
/// it (a flipped or truncated body, no CRC-64) would skip the tag, the
/// length, CRC-64 and MD5 checks and `require_verified`, so it is an
/// integrity error before any plaintext is returned, for the async client
/// and the blocking reader. A ranged read is unaffected.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partial_reply_to_a_whole_read_is_an_integrity_error() {
    let h = start().await;
    let authentication = oss_cse_client::Authentication { write_tags: true, ..Default::default() };
    let options = EncryptionOptions { require_verified: true, authentication, ..small_parts() };
    let client = h.client_with(KeyRing::new(rsa("key1", None)), options);
    let data = mod251(300_000);
    client
        .put_object(BUCKET, "whole", data.clone(), &PutOptions { compute_md5: true, ..PutOptions::default() })
        .await
        .unwrap();
    for (keep, flip) in [(None, Some(1)), (Some(150_000), None), (None, None)] {
        h.emulator.faults().clear();
        h.emulator.faults().add(FaultRule::new(Fault::PartialWhole { keep, flip }).operation("GetObject"));
        let error = client.get_object(BUCKET, "whole", None).await.map(drop).unwrap_err();
        assert!(matches!(error, oss_cse_client::Error::ReplyMismatch { .. }), "{keep:?} {flip:?}: {error}");
        assert_eq!(error.kind(), ErrorKind::Integrity, "{error}");
        // The blocking client on a thread of its own (it refuses to run
        // inside a runtime, and its runtime must be dropped outside one).
        let from_thread = client.clone();
        let read = tokio::task::spawn_blocking(move || {
            let blocking = move || {
                let client = oss_cse_client::blocking::EncryptionClient::new(from_thread)?;
                client.get_object(BUCKET, "whole", None).map(drop)
            };
            std::thread::spawn(blocking).join().unwrap()
        })
        .await
        .unwrap()
        .unwrap_err();
        assert_eq!(read.kind(), ErrorKind::Integrity, "blocking {keep:?} {flip:?}: {read}");
        // A file download asks for ranges, and checks the whole: unaffected.
        let dest = h.path("whole.out");
        client.get_file(BUCKET, "whole", &dest, &DownloadOptions::default()).await.unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), data);
    }
    // The fault turns only replies to requests without Range; a ranged read still works.
    let ranged = client.get_object(BUCKET, "whole", Some(oss_cse_client::ByteRange::Inclusive { start: 7, end: 99 }));
    assert_eq!(ranged.await.unwrap().body.collect().await.unwrap(), &data[7..100]);
    h.emulator.faults().clear();
    assert_eq!(client.get_object(BUCKET, "whole", None).await.unwrap().body.collect().await.unwrap(), data);
}

/// A checkpoint in a folder others can write to is refused
/// (`Error::NotPrivate`, naming the folder) before anything is read or
/// written there, for uploads and downloads; nothing is uploaded either.
#[cfg(unix)]
#[tokio::test]
async fn a_checkpoint_in_a_shared_folder_is_refused_and_nothing_is_written_there() {
    use std::os::unix::fs::PermissionsExt as _;
    let h = start().await;
    let client = client(&h);
    let shared = h.path("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::write(shared.join("planted.checkpoint"), b"{}").unwrap();
    let src = h.path("shared.src");
    std::fs::write(&src, mod251(LEN)).unwrap();
    let checkpoint = Some(shared.join("planted.checkpoint"));
    let upload = UploadOptions { checkpoint: checkpoint.clone(), ..UploadOptions::default() };
    let error = client.put_file(BUCKET, "shared", &src, &upload).await.unwrap_err();
    assert!(matches!(error, oss_cse_client::Error::NotPrivate { .. }), "{error}");
    assert!(error.to_string().contains("writable by group or others (mode 0777)"), "{error}");
    client.put_object(BUCKET, "shared", mod251(10), &PutOptions::default()).await.unwrap();
    let download = DownloadOptions { checkpoint, ..DownloadOptions::default() };
    let error = client.get_file(BUCKET, "shared", &h.path("shared.out"), &download).await.unwrap_err();
    assert!(matches!(error, oss_cse_client::Error::NotPrivate { .. }), "{error}");
    let left: Vec<_> = std::fs::read_dir(&shared).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, ["planted.checkpoint"], "nothing written into the shared folder");
    assert!(h.oss.list_multipart_uploads(BUCKET, "").await.unwrap().is_empty());
}

/// The checkpoint a download writes before its first range (naming its
/// partial file) is authenticated like every later one: a run that fails at
/// once still resumes from it, and the partial is reused, not left behind.
#[tokio::test]
async fn a_download_checkpoint_written_before_any_range_is_authenticated() {
    let h = start().await;
    let client = client(&h);
    client.put_object(BUCKET, "early", mod251(LEN), &PutOptions::default()).await.unwrap();
    let checkpoint = h.path("early.checkpoint");
    let options = DownloadOptions { checkpoint: Some(checkpoint.clone()), ..DownloadOptions::default() };
    let denied = Fault::Status { status: 403, code: "AccessDenied".into() };
    h.emulator.faults().add(FaultRule::new(denied).operation("GetObject").nth(1));
    let dest = h.path("early.out");
    client.get_file(BUCKET, "early", &dest, &options).await.unwrap_err();
    h.emulator.faults().clear();
    let file: Value = serde_json::from_slice(&std::fs::read(&checkpoint).unwrap()).unwrap();
    assert!(file["mac"].is_string() && file["record"]["temp"].is_string(), "{file}");
    let partial = std::path::PathBuf::from(file["record"]["temp"].as_str().unwrap());
    assert!(partial.exists());
    client.get_file(BUCKET, "early", &dest, &options).await.unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), mod251(LEN));
    assert!(!partial.exists() && partials(&h).is_empty(), "{:?}", partials(&h));
}
