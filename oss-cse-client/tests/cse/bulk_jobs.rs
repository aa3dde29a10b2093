//! The ready-made prefix jobs: rotation and copies, sharded and rerun.

use std::sync::Arc;

use oss_cse_client::bulk::{JobOptions, PrefixJob, Rotation, Shard, copy_keys, prefix_keys, rewrap_keys};
use oss_cse_client::envelope::{KeyRing, MasterKey};
use oss_cse_client::{EncryptionOptions, PutOptions};

use crate::support::*;

#[tokio::test]
async fn a_prefix_is_copied_by_two_shards_and_rotated_once() {
    let h = start().await;
    let writer = h.client(KeyRing::new(rsa("key1", Some("old"))));
    for i in 0..6 {
        writer.put_object(BUCKET, &format!("jobs/src/{i}"), mod251(1000 + i), &PutOptions::default()).await.unwrap();
    }
    let client = Arc::new(h.client(KeyRing::decrypt_only()));
    // Two shards share the copy: every object once.
    let mut copied = 0;
    for index in 0..2 {
        let keys = prefix_keys(&h.oss, (BUCKET, "jobs/src/"), None).await.unwrap();
        let job = PrefixJob {
            options: JobOptions { shard: Some(Shard::new(index, 2).unwrap()), ..JobOptions::default() },
            ..PrefixJob::default()
        };
        let summary =
            copy_keys(client.clone(), (BUCKET, "jobs/src/"), (BUCKET, "jobs/dst/"), keys, (&job, true), |_| {})
                .await
                .unwrap();
        assert!(summary.succeeded(), "{:?}", summary.failed);
        assert_eq!(summary.done + summary.other_shards, 6);
        copied += summary.done;
    }
    assert_eq!(copied, 6);
    let reader = h.client(KeyRing::new(rsa("key1", Some("old"))));
    for i in 0..6 {
        let got = reader.get_object(BUCKET, &format!("jobs/dst/{i}"), None).await.unwrap();
        assert_eq!(got.body.collect().await.unwrap(), mod251(1000 + i));
    }
    // Again without overwriting: nothing to do.
    let keys = prefix_keys(&h.oss, (BUCKET, "jobs/src/"), None).await.unwrap();
    let job = PrefixJob::default();
    let again = copy_keys(client, (BUCKET, "jobs/src/"), (BUCKET, "jobs/dst/"), keys, (&job, true), |_| {});
    let again = again.await.unwrap();
    assert_eq!((again.done, again.skipped), (0, 6));

    // Rotation of the copies to key2: done once, then every object is skipped.
    let new_key: Arc<dyn MasterKey> = Arc::new(rsa("key2", Some("new")));
    let old = h.client_with(KeyRing::new(rsa("key1", Some("old"))), EncryptionOptions::default());
    let rotation =
        Arc::new(Rotation::new(old, new_key, vec![rsa("key1", Some("old")).material_description().cloned()]));
    for expected_done in [6, 0] {
        let keys = prefix_keys(&h.oss, (BUCKET, "jobs/dst/"), None).await.unwrap();
        let summary = rewrap_keys(rotation.clone(), BUCKET, keys, &PrefixJob::default(), |_| {}).await.unwrap();
        assert!(summary.succeeded(), "{:?}", summary.failed);
        assert_eq!((summary.done, summary.skipped), (expected_done, 6 - expected_done));
    }
    let rotated = h.client(KeyRing::new(rsa("key2", Some("new"))));
    let got = rotated.get_object(BUCKET, "jobs/dst/3", None).await.unwrap();
    assert_eq!(got.body.collect().await.unwrap(), mod251(1003));
}
