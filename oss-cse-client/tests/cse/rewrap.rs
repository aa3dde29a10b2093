//! Key rotation, metadata updates and SSE conversion of encrypted objects
//! against an emulator that refuses what OSS refuses (0005-00000421 on any
//! metadata change by CopyObject, header-less parts, SSE self-copies): the
//! ciphertext is uploaded again, unchanged, with everything else kept.

use oss_cse_client::envelope::KeyRing;
use oss_cse_client::{Error, GetOptions, PutOptions, RewrapOptions, ServerSideEncryption, UploadOptions};
use oss_cse_emulator::{Emulator, EmulatorConfig, Fault, FaultRule};

use crate::support::*;

/// An emulator with every strict option, and a client of it.
pub(crate) async fn strict() -> Harness {
    strict_with(|config| config).await
}

/// [`strict`], with more settings.
pub(crate) async fn strict_with(adjust: impl FnOnce(EmulatorConfig) -> EmulatorConfig) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let config = EmulatorConfig::new(&dir.path().join("emulator")).strict_upload_part(true).strict_cse_copy(true);
    let emulator = Emulator::start(adjust(config)).await.unwrap();
    let config = oss_cse_client::ClientConfig::new(
        &emulator.endpoint(),
        oss_cse_client::Credentials::new(emulator.access_key_id(), emulator.access_key_secret()),
    )
    .unwrap();
    let oss = oss_cse_client::OssClient::new(config).unwrap();
    oss.put_bucket(BUCKET).await.unwrap();
    Harness { emulator, oss, _dir: dir }
}

pub(crate) async fn stored(h: &Harness, key: &str) -> Vec<u8> {
    h.oss.get_object(BUCKET, key, &GetOptions::default()).await.unwrap().body.collect().await.unwrap()
}

/// A multipart object (multipart ETag, so no MD5 to check a single PUT
/// against) is rebuilt part by part with its own part size; content type,
/// user metadata, tags, ACL, storage class and SSE all survive; the old key
/// no longer opens it and the new one does.
#[tokio::test]
async fn rewrap_of_a_multipart_object_keeps_everything_but_the_key() {
    let h = strict().await;
    let old = h.client_with(KeyRing::new(rsa("key1", Some("old"))), small_parts());
    let data = mod251(450_000);
    let path = h.path("big");
    std::fs::write(&path, &data).unwrap();
    let headers = vec![
        ("content-type".to_owned(), "text/csv".to_owned()),
        ("x-oss-meta-owner".to_owned(), "ops".to_owned()),
        ("x-oss-tagging".to_owned(), "team=data&tier=gold".to_owned()),
        ("x-oss-object-acl".to_owned(), "private".to_owned()),
        ("x-oss-storage-class".to_owned(), "IA".to_owned()),
        ("x-oss-server-side-encryption".to_owned(), "AES256".to_owned()),
    ];
    let options = UploadOptions { put: PutOptions { headers, ..PutOptions::default() }, ..UploadOptions::default() };
    old.put_file(BUCKET, "big", &path, &options).await.unwrap();
    let before = h.oss.head_object(BUCKET, "big").await.unwrap();
    assert!(before.etag.as_deref().unwrap().contains('-'), "a multipart object");
    let ciphertext = stored(&h, "big").await;
    let cost = old.rewrap_cost(BUCKET, "big").await.unwrap();
    match cost.layout {
        oss_cse_client::ReuploadLayout::Parts(plan) => assert_eq!((plan.part_size(), plan.part_count()), (102_400, 5)),
        single => panic!("a multipart object is re-uploaded in parts, not {single:?}"),
    }
    assert_eq!(cost.bytes, 450_000);

    old.rewrap(BUCKET, "big", &rsa("key2", Some("new"))).await.unwrap();
    let after = h.oss.head_object(BUCKET, "big").await.unwrap();
    assert_eq!(stored(&h, "big").await, ciphertext, "ciphertext unchanged");
    for name in ["content-type", "x-oss-meta-owner", "x-oss-storage-class", "x-oss-server-side-encryption"] {
        assert_eq!(after.header(name), before.header(name), "{name}");
    }
    assert_eq!(after.header("x-oss-meta-client-side-encryption-part-size"), Some("102400"));
    let tags = h.oss.get_object_tagging(BUCKET, "big").await.unwrap();
    assert_eq!(tags, [("team".to_owned(), "data".to_owned()), ("tier".to_owned(), "gold".to_owned())]);
    assert_eq!(h.oss.get_object_acl(BUCKET, "big").await.unwrap(), "private");
    let new = h.client(KeyRing::new(rsa("key2", Some("new"))));
    assert_eq!(new.get_object(BUCKET, "big", None).await.unwrap().body.collect().await.unwrap(), data);
    assert!(old.get_object(BUCKET, "big", None).await.is_err(), "the old key no longer opens it");
    // Parts were sent with the envelope, as the strict emulator requires.
    assert!(h.emulator.faults().count("UploadPart") >= 2 * 5);
}

/// A single-part object goes up in one PutObject with the source's MD5 as
/// Content-MD5; a metadata update of an encrypted object takes the same
/// path and keeps the envelope, tags and ACL.
#[tokio::test]
async fn single_objects_are_reuploaded_with_their_md5() {
    let h = strict().await;
    let client = h.client(KeyRing::new(rsa("key1", None)));
    let tagged = vec![("x-oss-tagging".to_owned(), "a=1".to_owned())];
    client
        .put_object(BUCKET, "doc", mod251(3000), &PutOptions { headers: tagged, ..PutOptions::default() })
        .await
        .unwrap();
    let ciphertext = stored(&h, "doc").await;
    client.update_metadata(BUCKET, "doc", vec![("x-oss-meta-state".into(), "final".into())]).await.unwrap();
    let meta = h.oss.head_object(BUCKET, "doc").await.unwrap();
    assert_eq!(meta.header("x-oss-meta-state"), Some("final"));
    assert_eq!(h.oss.get_object_tagging(BUCKET, "doc").await.unwrap(), [("a".to_owned(), "1".to_owned())]);
    assert_eq!(stored(&h, "doc").await, ciphertext);
    assert_eq!(client.get_object(BUCKET, "doc", None).await.unwrap().body.collect().await.unwrap(), mod251(3000));
    assert_eq!(h.emulator.faults().count("CopyObject"), 0, "an encrypted object is never REPLACE-copied");
}

/// An overwrite between the rewrap's first look and its read is detected
/// (the read is conditional on the ETag), and the newer object is kept.
#[tokio::test]
async fn an_overwrite_during_a_rewrap_is_detected_and_kept() {
    let h = strict().await;
    let client = h.client(KeyRing::new(rsa("key1", None)));
    client.put_object(BUCKET, "race", mod251(1000), &PutOptions::default()).await.unwrap();
    let delay = std::time::Duration::from_millis(400);
    h.emulator.faults().add(FaultRule::new(Fault::Delay(delay)).operation("GetObject").times(1));
    let new_key = rsa("key2", None);
    let rewrap = client.rewrap(BUCKET, "race", &new_key);
    let overwrite = async {
        // Once the rewrap's conditional GET is held by the fault (not after a
        // fixed sleep, which a loaded machine can outrun), the object changes.
        while h.emulator.faults().fired() == 0 {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        client.put_object(BUCKET, "race", b"newer".to_vec(), &PutOptions::default()).await.unwrap();
    };
    let (rewrapped, ()) = tokio::join!(rewrap, overwrite);
    assert!(matches!(rewrapped, Err(Error::ObjectChanged { .. })), "{rewrapped:?}");
    assert_eq!(client.get_object(BUCKET, "race", None).await.unwrap().body.collect().await.unwrap(), b"newer");
}

/// SSE conversion: where OSS refuses the self-copy of an encrypted object,
/// the object is uploaded again under the new SSE, envelope unchanged.
#[tokio::test]
async fn sse_conversion_falls_back_to_a_reupload() {
    let h = strict().await;
    let client = h.client(KeyRing::new(rsa("key1", None)));
    client.put_object(BUCKET, "enc/a", mod251(2000), &PutOptions::default()).await.unwrap();
    h.oss.put_object(BUCKET, "enc/plain", oss_cse_client::Body::from(vec![1, 2]), vec![]).await.unwrap();
    let done = h.oss.encrypt_existing_objects(BUCKET, "enc/", &ServerSideEncryption::Aes256).await.unwrap();
    assert_eq!(done.len(), 2);
    for key in ["enc/a", "enc/plain"] {
        let meta = h.oss.head_object(BUCKET, key).await.unwrap();
        assert_eq!(meta.header("x-oss-server-side-encryption"), Some("AES256"), "{key}");
    }
    assert_eq!(client.get_object(BUCKET, "enc/a", None).await.unwrap().body.collect().await.unwrap(), mod251(2000));
}

/// A rewrap of a large object that stops midway resumes from its checkpoint:
/// only the parts not yet sent go up again, the object keeps its ciphertext
/// and ends under the new key. Until then the old object stays readable. A
/// rerun with another new key does not finish the first run's upload: it
/// starts over.
#[tokio::test]
async fn an_interrupted_rewrap_resumes_from_its_checkpoint() {
    let h = strict().await;
    let old = h.client_with(KeyRing::new(rsa("key1", None)), small_parts());
    let data = mod251(450_000);
    old.put_object(BUCKET, "large", data.clone(), &PutOptions::default()).await.unwrap();
    let ciphertext = stored(&h, "large").await;
    let cost = old.rewrap_cost(BUCKET, "large").await.unwrap();
    assert!(matches!(cost.layout, oss_cse_client::ReuploadLayout::Parts(p) if p.part_count() == 5), "{cost:?}");
    let checkpoint = h.path("rewrap.checkpoint.json");
    let options = RewrapOptions { checkpoint: Some(checkpoint.clone()), ..RewrapOptions::default() };

    // Every UploadPart after the third is refused: the run stops with at most
    // 3 of 5 sent (parts still in flight when the first refusal arrives are
    // dropped, and may not be recorded).
    let refused = Fault::Status { status: 403, code: "AccessDenied".into() };
    h.emulator.faults().add(FaultRule::new(refused).operation("UploadPart").after(3));
    let new_key = rsa("key2", Some("new"));
    assert!(old.rewrap_with(BUCKET, "large", &new_key, &options).await.is_err());
    let record: serde_json::Value = serde_json::from_slice(&std::fs::read(&checkpoint).unwrap()).unwrap();
    let recorded = record["record"]["parts"].as_array().unwrap().len();
    assert!((1..=3).contains(&recorded), "{recorded} parts recorded");
    assert_eq!(h.oss.list_multipart_uploads(BUCKET, "large").await.unwrap().len(), 1, "the upload is kept");
    assert_eq!(old.get_object(BUCKET, "large", None).await.unwrap().body.collect().await.unwrap(), data);

    // Resumed: only the parts not recorded.
    h.emulator.faults().clear();
    let before = h.emulator.faults().count("UploadPart");
    let envelope = old.rewrap_with(BUCKET, "large", &new_key, &options).await.unwrap();
    assert_eq!(h.emulator.faults().count("UploadPart") - before, 5 - recorded, "only the parts not yet sent");
    assert_eq!(envelope.material_description.unwrap().get("desc"), Some("new"));
    assert!(!checkpoint.exists(), "a finished rewrap forgets its checkpoint");
    assert!(h.oss.list_multipart_uploads(BUCKET, "large").await.unwrap().is_empty());
    assert_eq!(stored(&h, "large").await, ciphertext, "ciphertext unchanged");
    let new = h.client(KeyRing::new(rsa("key2", Some("new"))));
    assert_eq!(new.get_object(BUCKET, "large", None).await.unwrap().body.collect().await.unwrap(), data);
    assert!(old.get_object(BUCKET, "large", None).await.is_err(), "the old key no longer opens it");

    // Stopped again (now from key2), then rerun towards another key: the
    // first run's upload, begun for key1, is abandoned and all 5 parts go up.
    let refused = Fault::Status { status: 403, code: "AccessDenied".into() };
    h.emulator.faults().add(FaultRule::new(refused).operation("UploadPart").after(3));
    let via_two = h.client_with(KeyRing::new(rsa("key2", Some("new"))), small_parts());
    assert!(via_two.rewrap_with(BUCKET, "large", &rsa("key1", Some("back")), &options).await.is_err());
    h.emulator.faults().clear();
    let before = h.emulator.faults().count("UploadPart");
    via_two.rewrap_with(BUCKET, "large", &rsa("key1", Some("other")), &options).await.unwrap();
    assert_eq!(h.emulator.faults().count("UploadPart") - before, 5, "another matdesc: started over");
    assert!(h.oss.list_multipart_uploads(BUCKET, "large").await.unwrap().is_empty(), "the stale upload is aborted");
    let back = h.client(KeyRing::new(rsa("key1", Some("other"))));
    assert_eq!(back.get_object(BUCKET, "large", None).await.unwrap().body.collect().await.unwrap(), data);
}
