//! A caller's Content-MD5 names the plaintext: on every put path a wrong one
//! is refused before anything is committed, so an earlier version of the key
//! stays readable, and a right one (base64 or hex) is stored and checked.

use md5::Digest as _;
use oss_cse_client::envelope::KeyRing;
use oss_cse_client::types::WriteOutput;
use oss_cse_client::{EncryptionClient, Error, PutOptions, UploadOptions};

use crate::support::*;

const EMPTY_MD5: &str = "1B2M2Y8AsgTpgAmY7PhCfg==";

fn with_md5(md5: &str, expected_size: Option<u64>) -> PutOptions {
    PutOptions { headers: vec![("Content-MD5".into(), md5.into())], expected_size, ..PutOptions::default() }
}

/// The put paths, each taking the content and the options.
async fn put(
    h: &Harness,
    client: &EncryptionClient,
    path: &str,
    key: &str,
    data: &[u8],
    options: &PutOptions,
) -> oss_cse_client::Result<WriteOutput> {
    let reader = std::io::Cursor::new(data.to_vec());
    match path {
        "put_object" => client.put_object(BUCKET, key, data.to_vec(), options).await,
        "put_reader" => client.put_reader(BUCKET, key, reader, data.len() as u64, options).await,
        "put_stream" => client.put_stream(BUCKET, key, reader, options).await,
        "put_file" => {
            let file = h.path(&format!("{key}.src"));
            std::fs::write(&file, data).unwrap();
            client.put_file(BUCKET, key, &file, &UploadOptions { put: options.clone(), checkpoint: None }).await
        }
        other => unreachable!("{other}"),
    }
}

#[tokio::test]
async fn a_wrong_content_md5_is_refused_on_every_put_path_and_the_earlier_version_stays() {
    let h = start().await;
    let client = h.client_with(KeyRing::new(rsa("key1", None)), small_parts());
    let earlier = b"the earlier version".to_vec();
    // 0 bytes, one part, several parts (streamed, spooled, from a file).
    let cases: [(&str, usize, bool); 9] = [
        ("put_object", 1000, false),
        ("put_reader", 1000, false),
        ("put_reader", 0, false),
        ("put_stream", 1000, false),
        ("put_stream", 350_000, true),
        ("put_stream", 350_000, false),
        ("put_file", 1000, false),
        ("put_file", 350_000, false),
        ("put_object", 0, false),
    ];
    for (path, len, sized) in cases {
        let name = format!("{path} {len} sized={sized}");
        let key = format!("k{}-{len}-{sized}", path.len());
        let data = mod251(len);
        client.put_object(BUCKET, &key, earlier.clone(), &PutOptions::default()).await.unwrap();
        let wrong_md5 = if len == 0 { "XUFAKrxLKna5cZ2REBfFkg==" } else { EMPTY_MD5 };
        let wrong = with_md5(wrong_md5, sized.then_some(len as u64));
        let refused = put(&h, &client, path, &key, &data, &wrong).await;
        assert!(
            matches!(&refused, Err(Error::ContentMd5Mismatch { given, .. }) if given == wrong_md5),
            "{name}: {refused:?}"
        );
        let kept = client.get_object(BUCKET, &key, None).await.unwrap().body.collect().await.unwrap();
        assert_eq!(kept, earlier, "{name}: the earlier version stays");
        assert!(h.oss.list_multipart_uploads(BUCKET, "").await.unwrap().is_empty(), "{name}: no upload left");

        // The right digest, in either form, is stored and read back.
        let digest = md5::Md5::digest(&data);
        for given in [base64::Engine::encode(&base64::engine::general_purpose::STANDARD, digest), hex::encode(digest)] {
            put(&h, &client, path, &key, &data, &with_md5(&given, sized.then_some(len as u64))).await.unwrap();
            let got = client.get_object(BUCKET, &key, None).await.unwrap().body.collect().await.unwrap();
            assert_eq!(got, data, "{name} with {given}");
        }
    }
}
