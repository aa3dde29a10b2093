//! Copies of objects larger than OSS's CopyObject copies (1 GB; lowered
//! here on both sides): the emulator refuses the server-side copy as OSS
//! does, and the client copies by a checked re-upload of the stored bytes
//! that keeps everything and that oss2 reads.

use oss_cse_client::envelope::KeyRing;
use oss_cse_client::{CopyOptions, EncryptionOptions, MetadataDirective, PutOptions, ReuploadLayout, UploadOptions};

use crate::rewrap::{stored, strict_with};
use crate::support::*;

/// The copy limit of both the emulator and the client in these tests.
const LIMIT: u64 = 100_000;

fn headers() -> Vec<(String, String)> {
    vec![
        ("content-type".to_owned(), "text/csv".to_owned()),
        ("x-oss-meta-owner".to_owned(), "ops".to_owned()),
        ("x-oss-tagging".to_owned(), "team=data&tier=gold".to_owned()),
        ("x-oss-object-acl".to_owned(), "private".to_owned()),
        ("x-oss-storage-class".to_owned(), "IA".to_owned()),
        ("x-oss-server-side-encryption".to_owned(), "AES256".to_owned()),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_above_the_copy_limit_is_reuploaded_with_everything_kept() {
    let h = strict_with(|config| config.copy_limit(LIMIT)).await;
    let options = EncryptionOptions { copy_limit: LIMIT, ..small_parts() };
    let client = h.client_with(KeyRing::new(rsa("key1", None)), options);
    let multipart = format!("src/multipart/len-{}", 3 * 102_400 + 7);
    let path = h.path("big");
    std::fs::write(&path, mod251(3 * 102_400 + 7)).unwrap();
    let upload =
        UploadOptions { put: PutOptions { headers: headers(), ..PutOptions::default() }, ..Default::default() };
    client.put_file(BUCKET, &multipart, &path, &upload).await.unwrap();
    let single = "src/len-150000";
    let put = PutOptions { headers: headers(), ..PutOptions::default() };
    client.put_object(BUCKET, single, mod251(150_000), &put).await.unwrap();

    // OSS would refuse to copy them server-side, and so does the emulator.
    let refused = h.oss.copy_object(BUCKET, single, BUCKET, "x", MetadataDirective::Copy, vec![]).await.unwrap_err();
    let service = refused.service_error().expect("a service error");
    assert_eq!((service.status, service.code.as_str()), (400, "InvalidArgument"), "{refused}");

    for (source, parts) in [(multipart.as_str(), Some(4)), (single, None)] {
        let copy = source.replace("src/", "copy/");
        let cost = client.copy_cost(BUCKET, source).await.unwrap().expect("above the limit");
        match (cost.layout, parts) {
            (ReuploadLayout::Parts(plan), Some(count)) => assert_eq!(plan.part_count(), count, "{source}"),
            (ReuploadLayout::Single, None) => {}
            (layout, _) => panic!("{source}: {layout:?}"),
        }
        let out = client.copy_object(BUCKET, source, BUCKET, &copy).await.unwrap();
        assert_eq!(out.reuploaded, Some(cost), "{source}");
        assert_eq!(stored(&h, &copy).await, stored(&h, source).await, "{source}: the same ciphertext");
        let (before, after) =
            (h.oss.head_object(BUCKET, source).await.unwrap(), h.oss.head_object(BUCKET, &copy).await.unwrap());
        for (name, value) in &before.headers {
            let kept = name.starts_with("x-oss-meta-")
                || ["content-type", "x-oss-storage-class", "x-oss-server-side-encryption"].contains(&name.as_str());
            if kept {
                assert_eq!(after.header(name), Some(value.as_str()), "{source}: {name}");
            }
        }
        assert_eq!(after.crc64, before.crc64, "{source}");
        let tags = h.oss.get_object_tagging(BUCKET, &copy).await.unwrap();
        assert_eq!(tags, [("team".to_owned(), "data".to_owned()), ("tier".to_owned(), "gold".to_owned())]);
        assert_eq!(h.oss.get_object_acl(BUCKET, &copy).await.unwrap(), "private");
        let got = client.get_object(BUCKET, &copy, None).await.unwrap().body.collect().await.unwrap();
        assert_eq!(got, mod251(copy.rsplit_once("len-").unwrap().1.parse().unwrap()), "{source}");

        // Never onto an existing object when told so, whichever way.
        let forbid = CopyOptions { forbid_overwrite: true, ..CopyOptions::default() };
        let refused = client.copy_object_with(BUCKET, single, BUCKET, &copy, &forbid).await.unwrap_err();
        assert_eq!(refused.service_error().map(|s| s.code.as_str()), Some("FileAlreadyExists"), "{refused}");
        assert_eq!(stored(&h, &copy).await, stored(&h, source).await, "{source}: the copy is untouched");
    }
    assert_eq!(h.emulator.faults().count("CopyObject"), 1, "only the refused one above");
    let uploads = h.oss.list_multipart_uploads(BUCKET, "").await.unwrap();
    assert!(uploads.is_empty(), "a refused re-upload leaves no upload behind: {uploads:?}");

    // At or below the limit OSS copies it.
    client.put_object(BUCKET, "src/len-1000", mod251(1000), &PutOptions::default()).await.unwrap();
    let out = client.copy_object(BUCKET, "src/len-1000", BUCKET, "copy/len-1000").await.unwrap();
    assert_eq!(out.reuploaded, None);
    assert_eq!(h.emulator.faults().count("CopyObject"), 2);

    // New tags instead of the source's (OSS's tagging REPLACE), either way; empty means none.
    for (source, copy) in [("src/len-1000", "retagged/server-side"), (single, "retagged/reuploaded")] {
        for (tagging, expected) in [("k1=v%201&k2=v2", vec![("k1", "v 1"), ("k2", "v2")]), ("", vec![])] {
            let retag = CopyOptions { tagging: Some(tagging.to_owned()), ..CopyOptions::default() };
            client.copy_object_with(BUCKET, source, BUCKET, copy, &retag).await.unwrap();
            let tags = h.oss.get_object_tagging(BUCKET, copy).await.unwrap();
            let expected: Vec<(String, String)> = expected.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
            assert_eq!(tags, expected, "{copy} with {tagging:?}");
        }
        let got = client.get_object(BUCKET, copy, None).await.unwrap().body.collect().await.unwrap();
        assert_eq!(got.len(), if source == single { 150_000 } else { 1000 }, "{copy}");
    }

    if oss_cse_emulator::testing::python_with_oss2("oss2 reading copies made by re-upload") {
        let keys = [multipart.replace("src/", "copy/"), "copy/len-150000".to_owned(), "copy/len-1000".to_owned()];
        let mut args = vec!["read"];
        args.extend(keys.iter().map(String::as_str));
        let out = tokio::task::block_in_place(|| crate::interop::python_peer(&h, &args));
        assert!(out.contains("3 passed, 0 failed"), "{out}");
    }
}
