use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use oss_cse_client::envelope::KeyRing;
use oss_cse_client::{ByteRange, DownloadOptions, ErrorKind, PutOptions, UploadOptions};
use oss_cse_emulator::{Fault, FaultRule};

use crate::support::*;

fn write_file(h: &Harness, name: &str, len: usize) -> (std::path::PathBuf, Vec<u8>) {
    let data: Vec<u8> = (0..len).map(|i| (i.wrapping_mul(7919) >> 3) as u8).collect();
    let path = h.path(name);
    std::fs::write(&path, &data).unwrap();
    (path, data)
}

#[tokio::test]
async fn file_upload_in_parallel_parts_and_parallel_download() {
    let h = start().await;
    let client = h.client_with(KeyRing::new(rsa("key1", None)), small_parts());
    let (src, data) = write_file(&h, "src.bin", 1_234_567);
    let progress = Arc::new(AtomicU64::new(0));
    let seen = progress.clone();
    let put = PutOptions {
        compute_md5: true,
        progress: Some(Arc::new(move |done, _| {
            seen.fetch_max(done, Ordering::Relaxed);
        })),
        ..PutOptions::default()
    };
    client.put_file(BUCKET, "big", &src, &UploadOptions { put, checkpoint: None }).await.unwrap();
    assert_eq!(progress.load(Ordering::Relaxed), data.len() as u64);
    assert_eq!(h.emulator.faults().count("UploadPart"), 13);
    let meta = h.oss.head_object(BUCKET, "big").await.unwrap();
    assert_eq!(meta.header("x-oss-meta-client-side-encryption-part-size"), Some("102400"));
    assert_eq!(meta.header("x-oss-meta-client-side-encryption-data-size"), Some("1234567"));

    let dest = h.path("dest.bin");
    let written = client.get_file(BUCKET, "big", &dest, &DownloadOptions::default()).await.unwrap();
    assert_eq!(written, data.len() as u64);
    assert_eq!(std::fs::read(&dest).unwrap(), data);
    let ranged = h.path("ranged.bin");
    let options = DownloadOptions {
        range: Some(ByteRange::Inclusive { start: 100_003, end: 700_000 }),
        ..DownloadOptions::default()
    };
    client.get_file(BUCKET, "big", &ranged, &options).await.unwrap();
    assert_eq!(std::fs::read(&ranged).unwrap(), &data[100_003..=700_000]);
    // And the single-request stream reads the same object.
    assert_eq!(client.get_object(BUCKET, "big", None).await.unwrap().body.collect().await.unwrap(), data);
}

#[tokio::test]
async fn small_files_are_one_put_and_empty_files_work() {
    let h = start().await;
    let client = h.client_with(KeyRing::new(rsa("key1", None)), small_parts());
    for len in [0usize, 1, 17, 150_000] {
        let (src, data) = write_file(&h, &format!("f{len}"), len);
        client.put_file(BUCKET, &format!("f{len}"), &src, &UploadOptions::default()).await.unwrap();
        let dest = h.path(&format!("f{len}.out"));
        client.get_file(BUCKET, &format!("f{len}"), &dest, &DownloadOptions::default()).await.unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), data, "{len}");
    }
    assert_eq!(h.emulator.faults().count("UploadPart"), 0);
}

#[tokio::test]
async fn interrupted_upload_resumes_from_its_checkpoint_without_resending_parts() {
    let h = start().await;
    let options = oss_cse_client::EncryptionOptions { parallel: 1, ..small_parts() };
    let client = h.client_with(KeyRing::new(rsa("key1", None)), options);
    let (src, data) = write_file(&h, "resume.bin", 1_000_000);
    let checkpoint = h.path("upload.checkpoint");
    h.emulator
        .faults()
        .add(FaultRule::new(Fault::Status { status: 403, code: "AccessDenied".into() }).operation("UploadPart").nth(4));
    let upload = UploadOptions { checkpoint: Some(checkpoint.clone()), ..UploadOptions::default() };
    let err = client.put_file(BUCKET, "resumed", &src, &upload).await.unwrap_err();
    assert_eq!(err.service_error().unwrap().status, 403);
    let saved = std::fs::read_to_string(&checkpoint).unwrap();
    assert!(saved.contains("\"upload_id\""), "{saved}");
    // Only the wrapped key is in the checkpoint, never the data key.
    assert!(saved.contains("client-side-encryption-key"));
    h.emulator.faults().clear();
    let before = h.emulator.faults().count("UploadPart");
    client.put_file(BUCKET, "resumed", &src, &upload).await.unwrap();
    assert_eq!(h.emulator.faults().count("UploadPart") - before, 10 - 3, "parts 1-3 were not sent again");
    assert!(!checkpoint.exists());
    assert_eq!(client.get_object(BUCKET, "resumed", None).await.unwrap().body.collect().await.unwrap(), data);
}

/// An upload begun with only a public key resumes with only that key: the
/// checkpoint holds the data key sealed under a local key file (mode 0600)
/// beside it. A sealed value that does not open (tampered, or another
/// directory's key) makes the upload start over, never write wrong bytes.
#[tokio::test]
async fn an_upload_with_only_a_public_key_resumes() {
    let h = start().await;
    let options = oss_cse_client::EncryptionOptions { parallel: 1, ..small_parts() };
    let public = || oss_cse_client::envelope::RsaMasterKey::from_pem(Some(&pem("key1_public_spki.pem")), None).unwrap();
    let client = h.client_with(KeyRing::new(public()), options.clone());
    let (src, data) = write_file(&h, "public.bin", 1_000_000);
    let dir = h.path("checkpoints");
    std::fs::create_dir_all(&dir).unwrap();
    let checkpoint = dir.join("public.checkpoint");
    let upload = UploadOptions { checkpoint: Some(checkpoint.clone()), ..UploadOptions::default() };
    let refuse_fourth =
        || FaultRule::new(Fault::Status { status: 403, code: "AccessDenied".into() }).operation("UploadPart").nth(4);
    h.emulator.faults().add(refuse_fourth());
    assert!(client.put_file(BUCKET, "public", &src, &upload).await.is_err());
    let saved = std::fs::read_to_string(&checkpoint).unwrap();
    assert!(saved.contains("sealed_material"), "{saved}");
    h.emulator.faults().clear();
    let before = h.emulator.faults().count("UploadPart");
    client.put_file(BUCKET, "public", &src, &upload).await.unwrap();
    assert_eq!(h.emulator.faults().count("UploadPart") - before, 10 - 3, "parts 1-3 were not sent again");
    let reader = h.client(KeyRing::new(rsa("key1", None)));
    assert_eq!(reader.get_object(BUCKET, "public", None).await.unwrap().body.collect().await.unwrap(), data);

    // A tampered sealed value: the upload starts over and the object is still right.
    h.emulator.faults().add(refuse_fourth());
    assert!(client.put_file(BUCKET, "again", &src, &upload).await.is_err());
    // Edited as the folder's owner could (the checkpoint's MAC holds): the
    // sealed value's own AES-GCM tag must catch it.
    oss_cse_client::fuzzing::edit_checkpoint(&checkpoint, |record| {
        let sealed = record["sealed_material"].as_str().unwrap().to_owned();
        let flipped = if sealed.starts_with('A') { sealed.replacen('A', "B", 1) } else { format!("A{}", &sealed[1..]) };
        record["sealed_material"] = serde_json::Value::String(flipped);
    })
    .unwrap();
    h.emulator.faults().clear();
    let before = h.emulator.faults().count("UploadPart");
    client.put_file(BUCKET, "again", &src, &upload).await.unwrap();
    assert_eq!(h.emulator.faults().count("UploadPart") - before, 10, "started over");
    assert_eq!(reader.get_object(BUCKET, "again", None).await.unwrap().body.collect().await.unwrap(), data);
}

#[tokio::test]
async fn upload_with_a_lost_checkpoint_resumes_from_the_server() {
    let h = start().await;
    let options = oss_cse_client::EncryptionOptions { parallel: 1, ..small_parts() };
    let client = h.client_with(KeyRing::new(rsa("key1", None)), options);
    let (src, data) = write_file(&h, "lost.bin", 700_000);
    let checkpoint = h.path("lost.checkpoint");
    h.emulator
        .faults()
        .add(FaultRule::new(Fault::Status { status: 403, code: "AccessDenied".into() }).operation("UploadPart").nth(5));
    let upload = UploadOptions { checkpoint: Some(checkpoint.clone()), ..UploadOptions::default() };
    client.put_file(BUCKET, "lost", &src, &upload).await.unwrap_err();
    std::fs::remove_file(&checkpoint).unwrap();
    h.emulator.faults().clear();
    let before = h.emulator.faults().count("UploadPart");
    let out = client.resume_upload_from_server(BUCKET, "lost", &src, &PutOptions::default()).await.unwrap();
    assert!(out.is_some());
    assert_eq!(h.emulator.faults().count("UploadPart") - before, 7 - 4);
    assert_eq!(client.get_object(BUCKET, "lost", None).await.unwrap().body.collect().await.unwrap(), data);
    assert!(client.resume_upload_from_server(BUCKET, "lost", &src, &PutOptions::default()).await.unwrap().is_none());

    // An upload someone else began for the same key with only the public key
    // (so under a data key they know), with parts of their own bytes: none
    // is this file's ciphertext, so it is not continued.
    let public = oss_cse_client::envelope::RsaMasterKey::from_pem(Some(&pem("key1_public_spki.pem")), None).unwrap();
    let stranger =
        h.client_with(KeyRing::new(public), oss_cse_client::EncryptionOptions { parallel: 1, ..small_parts() });
    let theirs = h.path("theirs.bin");
    std::fs::write(&theirs, vec![0x5A; 700_000]).unwrap();
    h.emulator
        .faults()
        .add(FaultRule::new(Fault::Status { status: 403, code: "AccessDenied".into() }).operation("UploadPart").nth(3));
    stranger
        .put_file(
            BUCKET,
            "lost",
            &theirs,
            &UploadOptions { checkpoint: Some(h.path("theirs.ck")), ..UploadOptions::default() },
        )
        .await
        .unwrap_err();
    h.emulator.faults().clear();
    assert_eq!(h.oss.list_multipart_uploads(BUCKET, "lost").await.unwrap().len(), 1);
    assert!(client.resume_upload_from_server(BUCKET, "lost", &src, &PutOptions::default()).await.unwrap().is_none());
    assert!(h.oss.list_multipart_uploads(BUCKET, "lost").await.unwrap().is_empty(), "theirs is aborted");
}

#[tokio::test]
async fn changed_source_is_detected() {
    let h = start().await;
    let client = h.client_with(
        KeyRing::new(rsa("key1", None)),
        oss_cse_client::EncryptionOptions { parallel: 1, ..small_parts() },
    );
    let (src, _) = write_file(&h, "changing.bin", 500_000);
    let checkpoint = h.path("changing.checkpoint");
    h.emulator
        .faults()
        .add(FaultRule::new(Fault::Status { status: 403, code: "AccessDenied".into() }).operation("UploadPart").nth(2));
    let upload = UploadOptions { checkpoint: Some(checkpoint.clone()), ..UploadOptions::default() };
    client.put_file(BUCKET, "changing", &src, &upload).await.unwrap_err();
    h.emulator.faults().clear();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let (_, new_data) = write_file(&h, "changing.bin", 600_000);
    // The checkpoint no longer matches the file: a fresh upload of the new content.
    client.put_file(BUCKET, "changing", &src, &upload).await.unwrap();
    assert_eq!(client.get_object(BUCKET, "changing", None).await.unwrap().body.collect().await.unwrap(), new_data);
}

#[tokio::test]
async fn interrupted_download_resumes_and_never_leaves_a_partial_destination() {
    let h = start().await;
    let client = h.client_with(
        KeyRing::new(rsa("key1", None)),
        oss_cse_client::EncryptionOptions { parallel: 1, ..small_parts() },
    );
    let (src, data) = write_file(&h, "down.bin", 1_000_000);
    client.put_file(BUCKET, "down", &src, &UploadOptions::default()).await.unwrap();
    let dest = h.path("down.out");
    let checkpoint = h.path("down.checkpoint");
    // Every range after the third breaks mid-body, retries included.
    h.emulator.faults().add(FaultRule::new(Fault::TruncateBody { after: 5000 }).operation("GetObject").after(3));
    let options = DownloadOptions { checkpoint: Some(checkpoint.clone()), ..DownloadOptions::default() };
    let err = client.get_file(BUCKET, "down", &dest, &options).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert!(!dest.exists(), "no destination that looks complete");
    assert!(checkpoint.exists());
    h.emulator.faults().clear();
    let before = h.emulator.faults().count("GetObject");
    client.get_file(BUCKET, "down", &dest, &options).await.unwrap();
    assert_eq!(h.emulator.faults().count("GetObject") - before, 10 - 3, "finished ranges are not fetched again");
    assert_eq!(std::fs::read(&dest).unwrap(), data);
    assert!(!checkpoint.exists());
}

#[tokio::test]
async fn a_download_with_a_wrong_crc_leaves_nothing_behind() {
    let h = start().await;
    let client = h.client_with(KeyRing::new(rsa("key1", None)), small_parts());
    client.put_object(BUCKET, "crc", vec![9u8; 300_000], &PutOptions::default()).await.unwrap();
    h.emulator.faults().add(FaultRule::new(Fault::WrongCrc).operation("HeadObject"));
    let dest = h.path("crc.out");
    let err = client.get_file(BUCKET, "crc", &dest, &DownloadOptions::default()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Integrity, "{err}");
    assert!(!dest.exists());
    let leftovers: Vec<_> = std::fs::read_dir(h._dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[tokio::test]
async fn transient_faults_mid_transfer_are_absorbed() {
    let h = start().await;
    let client = h.client_with(KeyRing::new(rsa("key1", None)), small_parts());
    let (src, data) = write_file(&h, "faulty.bin", 900_000);
    h.emulator.faults().add(FaultRule::new(Fault::SlowDown).operation("UploadPart").times(3));
    h.emulator.faults().add(
        FaultRule::new(Fault::Status { status: 500, code: "InternalError".into() })
            .operation("CompleteMultipartUpload")
            .times(1),
    );
    client.put_file(BUCKET, "faulty", &src, &UploadOptions::default()).await.unwrap();
    h.emulator.faults().add(
        FaultRule::new(Fault::Status { status: 503, code: "ServiceUnavailable".into() })
            .operation("GetObject")
            .times(2),
    );
    h.emulator.faults().add(FaultRule::new(Fault::TruncateBody { after: 1000 }).operation("GetObject").times(2));
    let dest = h.path("faulty.out");
    client.get_file(BUCKET, "faulty", &dest, &DownloadOptions::default()).await.unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), data);
}

#[tokio::test]
async fn streams_of_unknown_length() {
    let h = start().await;
    let client = h.client_with(KeyRing::new(rsa("key1", None)), small_parts());
    for (name, len) in [("short", 50_000usize), ("exact", 102_400), ("long", 350_000)] {
        let data = mod251(len);
        let reader = std::io::Cursor::new(data.clone());
        client.put_stream(BUCKET, name, reader, &PutOptions::default()).await.unwrap();
        let got = client.get_object(BUCKET, name, Some(ByteRange::From { start: 3 })).await.unwrap();
        assert_eq!(got.body.collect().await.unwrap(), &data[3..], "{name}");
    }
    assert_eq!(h.emulator.faults().count("UploadPart"), 4 + 1, "long: 4 parts; exact: one full part");
}

#[test]
fn blocking_facade_over_the_same_async_client() {
    // The emulator runs on its own runtime thread; the test thread has none.
    let server = tokio::runtime::Runtime::new().unwrap();
    let h = server.block_on(start());
    let client =
        oss_cse_client::blocking::EncryptionClient::new(h.client_with(KeyRing::new(rsa("key1", None)), small_parts()))
            .unwrap();
    let data = mod251(300_000);
    client
        .put_reader(BUCKET, "blocking", std::io::Cursor::new(data.clone()), data.len() as u64, &PutOptions::default())
        .unwrap();
    let mut reader =
        client.get_object(BUCKET, "blocking", Some(ByteRange::Inclusive { start: 5, end: 250_004 })).unwrap();
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut reader, &mut out).unwrap();
    assert_eq!(out, &data[5..250_005]);
    let dest = h.path("blocking.out");
    client.get_file(BUCKET, "blocking", &dest, &DownloadOptions::default()).unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), data);
    client.update_metadata(BUCKET, "blocking", vec![("x-oss-meta-owner".into(), "ops".into())]).unwrap();
    let meta = client.head_object(BUCKET, "blocking").unwrap();
    assert_eq!(meta.header("x-oss-meta-owner"), Some("ops"));
    let listed = client.run(client.async_client().oss().list_all_objects(BUCKET, "block")).unwrap().unwrap();
    assert_eq!(listed.len(), 1);
    client.delete_object(BUCKET, "blocking").unwrap();
    assert!(client.head_object(BUCKET, "blocking").is_err());
    // Inside a runtime it refuses instead of deadlocking.
    let err = server.block_on(async { client.put_object(BUCKET, "x", vec![1], &PutOptions::default()) }).unwrap_err();
    assert!(matches!(err, oss_cse_client::Error::InsideAsyncRuntime), "{err}");
    // So does a reader used inside one: an error, not a panic.
    client.put_object(BUCKET, "read-inside", vec![7; 100], &PutOptions::default()).unwrap();
    let mut reader = client.get_object(BUCKET, "read-inside", None).unwrap();
    let read = server.block_on(async { std::io::Read::read(&mut reader, &mut [0u8; 10]) }).unwrap_err();
    assert!(read.to_string().contains("inside an async runtime"), "{read}");
    drop(client);
    server.block_on(h.emulator.shutdown());
}

#[tokio::test]
async fn a_checkpoint_left_by_a_completed_upload_does_not_resend_anything() {
    let h = start().await;
    let client = h.client_with(
        KeyRing::new(rsa("key1", None)),
        oss_cse_client::EncryptionOptions { parallel: 1, ..small_parts() },
    );
    let (src, data) = write_file(&h, "done.bin", 450_000);
    let checkpoint = h.path("done.checkpoint");
    let backup = h.path("done.checkpoint.saved");
    // Keep the checkpoint as it stood once every part was recorded: what a
    // run killed between CompleteMultipartUpload and removing it leaves.
    let (watched, saved) = (checkpoint.clone(), backup.clone());
    let progress: oss_cse_client::Progress = Arc::new(move |done, total| {
        if Some(done) == total {
            let _ = std::fs::copy(&watched, &saved);
        }
    });
    let upload = UploadOptions {
        put: PutOptions { progress: Some(progress), ..PutOptions::default() },
        checkpoint: Some(checkpoint.clone()),
    };
    client.put_file(BUCKET, "done", &src, &upload).await.unwrap();
    assert!(!checkpoint.exists() && backup.exists());
    std::fs::rename(&backup, &checkpoint).unwrap();
    let (parts, initiates) = (h.emulator.faults().count("UploadPart"), h.emulator.faults().requests().len());
    let again = UploadOptions { checkpoint: Some(checkpoint.clone()), ..UploadOptions::default() };
    client.put_file(BUCKET, "done", &src, &again).await.unwrap();
    assert_eq!(h.emulator.faults().count("UploadPart"), parts, "nothing re-sent");
    assert!(h.emulator.faults().requests().len() - initiates <= 2, "only ListParts and HEAD");
    assert!(!checkpoint.exists());
    assert_eq!(client.get_object(BUCKET, "done", None).await.unwrap().body.collect().await.unwrap(), data);
}

/// A range whose GET keeps failing is tried `max_attempts` times in all, not
/// `max_attempts` per whole-range retry (the HTTP client already retries a
/// request; only a body that breaks mid-stream is fetched again whole).
#[tokio::test]
async fn a_failing_range_is_tried_max_attempts_times_not_squared() {
    let h = start().await;
    let client = h.client_with(
        KeyRing::new(rsa("key1", None)),
        oss_cse_client::EncryptionOptions { parallel: 1, ..small_parts() },
    );
    let (src, _) = write_file(&h, "flaky.bin", 300_000);
    client.put_file(BUCKET, "flaky", &src, &UploadOptions::default()).await.unwrap();
    h.emulator.faults().add(
        oss_cse_emulator::FaultRule::new(oss_cse_emulator::Fault::Status {
            status: 503,
            code: "ServiceUnavailable".into(),
        })
        .operation("GetObject"),
    );
    let before = h.emulator.faults().count("GetObject");
    let err = client.get_file(BUCKET, "flaky", &h.path("flaky.out"), &DownloadOptions::default()).await.unwrap_err();
    assert_eq!(err.service_error().map(|s| s.status), Some(503), "{err}");
    let attempts = h.emulator.faults().count("GetObject") - before;
    let max = oss_cse_client::RetryPolicy::default().max_attempts as usize;
    assert_eq!(attempts, max, "GETs for one failing range");
    assert!(!h.path("flaky.out").exists());
}
