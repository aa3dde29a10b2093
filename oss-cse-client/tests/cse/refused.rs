//! An upload the server refuses is an error naming the server's refusal,
//! every time. The emulator, like OSS, answers a refused request at once
//! and closes the connection while the body is still being sent, so the
//! client's write breaks and the reply is racing the broken pipe: each shape
//! is run many times.

use oss_cse_client::envelope::KeyRing;
use oss_cse_client::{
    ClientConfig, Credentials, EncryptionClient, EncryptionOptions, Error, OssClient, PutOptions, UploadOptions,
};
use oss_cse_emulator::{Fault, FaultRule};

use crate::support::*;

/// Runs per shape: the race went the wrong way in most runs before the fix.
const RUNS: usize = 12;

/// A client of the emulator signing with `id` and `secret`, uploading in
/// parts above `multipart_threshold`.
fn signing_as(h: &Harness, (id, secret): (&str, &str), multipart_threshold: u64) -> EncryptionClient {
    let config = ClientConfig::new(&h.emulator.endpoint(), Credentials::new(id, secret)).unwrap();
    let options = EncryptionOptions { multipart_threshold, ..EncryptionOptions::default() };
    EncryptionClient::new(OssClient::new(config).unwrap(), KeyRing::new(rsa("key1", None)))
        .with_options(options)
        .unwrap()
}

/// The server's error code of a failed upload, or a panic naming what came instead.
fn refusal(result: oss_cse_client::Result<impl std::fmt::Debug>, what: &str) -> String {
    match result {
        Err(Error::Service { error, .. }) => error.code,
        other => panic!("{what}: expected the server's refusal, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_upload_reports_the_servers_error_every_time() {
    let h = start().await;
    let file = h.path("3mb.bin");
    std::fs::write(&file, mod251(3_000_000)).unwrap();
    let (id, secret) = (h.emulator.access_key_id(), h.emulator.access_key_secret());
    let cases = [
        ("missing bucket", (id, secret), "nosuchbucket", "NoSuchBucket"),
        ("wrong secret", (id, "not-the-secret"), BUCKET, "SignatureDoesNotMatch"),
        ("wrong key id", ("LTAInobody", secret), BUCKET, "InvalidAccessKeyId"),
    ];
    for (what, signer, bucket, code) in cases {
        // Single PUTs of every body kind: in memory (re-sendable), a file and
        // a stream of known length (each sent once).
        let client = signing_as(&h, signer, 64 << 20);
        for run in 0..RUNS {
            let memory = client.put_object(bucket, "k", mod251(3_000_000), &PutOptions::default()).await;
            assert_eq!(refusal(memory, what), code, "{what} in memory, run {run}");
            let single = client.put_file(bucket, "k", &file, &UploadOptions::default()).await;
            assert_eq!(refusal(single, what), code, "{what} file, run {run}");
            let reader = tokio::fs::File::open(&file).await.unwrap();
            let sized = PutOptions { expected_size: Some(3_000_000), ..PutOptions::default() };
            let stream = client.put_stream(bucket, "k", reader, &sized).await;
            assert_eq!(refusal(stream, what), code, "{what} stream, run {run}");
        }
        // In parts (refused at Initiate), resumable or not, file or stream.
        let client = signing_as(&h, signer, 1 << 20);
        let resumable = UploadOptions { checkpoint: Some(h.path("ck.json")), ..UploadOptions::default() };
        for options in [UploadOptions::default(), resumable] {
            let parts = client.put_file(bucket, "k", &file, &options).await;
            assert_eq!(refusal(parts, what), code, "{what} multipart");
        }
        let reader = tokio::fs::File::open(&file).await.unwrap();
        assert_eq!(refusal(client.put_stream(bucket, "k", reader, &PutOptions::default()).await, what), code);
    }
    assert!(h.oss.list_all_objects(BUCKET, "").await.unwrap().is_empty(), "nothing was stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_part_reports_the_servers_error_and_nothing_is_left() {
    let h = start().await;
    let client = h.client_with(KeyRing::new(rsa("key1", None)), small_parts());
    let file = h.path("parts.bin");
    std::fs::write(&file, mod251(1_000_000)).unwrap();
    let denied = Fault::Status { status: 403, code: "AccessDenied".into() };
    for run in 0..RUNS {
        h.emulator.faults().clear();
        h.emulator.faults().add(FaultRule::new(denied.clone()).operation("UploadPart"));
        let result = client.put_file(BUCKET, "parts", &file, &UploadOptions::default()).await;
        assert_eq!(refusal(result, "a denied part"), "AccessDenied", "run {run}");
        h.emulator.faults().clear();
        assert!(h.oss.list_multipart_uploads(BUCKET, "").await.unwrap().is_empty(), "run {run}: upload left");
    }
}
