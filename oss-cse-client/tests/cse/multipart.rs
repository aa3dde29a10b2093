//! The low-level multipart upload, and taking one up in another client.

use oss_cse_client::envelope::KeyRing;
use oss_cse_client::{Error, PutOptions};

use crate::support::*;

#[tokio::test]
async fn an_upload_begun_by_one_client_is_finished_by_another_from_its_envelope() {
    let h = start().await;
    let plaintext = mod251(250 * 1024);
    let first = h.client(KeyRing::new(rsa("key1", None)));
    let upload = first.initiate_multipart(BUCKET, "taken-up", 250 * 1024, 100 * 1024, &PutOptions::default()).await;
    let upload = upload.unwrap();
    let one = first.upload_part(&upload, 1, plaintext[..100 * 1024].to_vec()).await.unwrap();
    let record = upload.envelope_headers().to_vec();
    assert!(record.iter().any(|(k, _)| k.ends_with("-data-size")) && record.iter().any(|(k, _)| k.ends_with("-key")));

    // Another client (another process) with the same key takes it up.
    let second = h.client(KeyRing::new(rsa("key1", None)));
    let reopened = second.reopen_multipart(BUCKET, "taken-up", &upload.upload_id, &record).await.unwrap();
    assert_eq!(reopened.plan, upload.plan);
    let two = second.upload_part(&reopened, 2, plaintext[100 * 1024..200 * 1024].to_vec()).await.unwrap();
    let three = second.upload_part(&reopened, 3, plaintext[200 * 1024..].to_vec()).await.unwrap();
    second.complete_multipart(&reopened, vec![one, two, three]).await.unwrap();
    let got = second.get_object(BUCKET, "taken-up", None).await.unwrap();
    assert_eq!(got.body.collect().await.unwrap(), plaintext);

    // A record whose wrapped key is not the upload's (planted, or of another
    // upload) is refused before a byte is encrypted under it.
    let other = first.initiate_multipart(BUCKET, "other", 250 * 1024, 100 * 1024, &PutOptions::default()).await;
    let other = other.unwrap();
    let planted = second.reopen_multipart(BUCKET, "taken-up-2", &other.upload_id, &record).await;
    assert!(planted.is_err(), "another key's upload");
    let mismatched = second.reopen_multipart(BUCKET, "other", &other.upload_id, &record).await;
    assert!(matches!(mismatched, Err(Error::Refused { .. })), "{mismatched:?}");
    let no_sizes: Vec<(String, String)> = record.iter().filter(|(k, _)| !k.ends_with("-part-size")).cloned().collect();
    let refused = second.reopen_multipart(BUCKET, "other", &other.upload_id, &no_sizes).await;
    assert!(matches!(refused, Err(Error::InvalidArgument { .. })), "{refused:?}");
    // A key ring that cannot unwrap it.
    let stranger = h.client(KeyRing::new(rsa("key2", None)));
    let record = other.envelope_headers().to_vec();
    assert!(stranger.reopen_multipart(BUCKET, "other", &other.upload_id, &record).await.is_err());
    first.abort_multipart(&other).await.unwrap();
}
