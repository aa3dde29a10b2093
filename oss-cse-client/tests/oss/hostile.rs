//! A server that lies or talks nonsense: every reply the client cannot trust
//! ends in a typed error, quickly and within bounded memory.

use std::time::Duration;

use bytes::Bytes;
use oss_cse_client::{Body, ByteRange, ErrorKind, GetOptions, RetryPolicy};
use oss_cse_emulator::{Fault, FaultRule};

use crate::support::*;

/// A whole test must finish well within this, whatever the server does.
const PATIENCE: Duration = Duration::from_secs(20);

#[tokio::test]
async fn a_lying_content_length_is_caught() {
    let h = start_with(|c| c.retry(RetryPolicy::none())).await;
    let bytes = data(600_000, 9);
    h.client.put_object(BUCKET, "cl", Body::from(bytes.clone()), vec![]).await.unwrap();
    let ranged =
        GetOptions { range: Some(ByteRange::Inclusive { start: 1000, end: 400_999 }), ..GetOptions::default() };
    for delta in [-100_i64, -1, 1, 100] {
        // Whole object: a shorter claim delivers a consistent but short body
        // (caught by the CRC), a longer one breaks off (caught as transport).
        h.emulator.faults().clear();
        h.emulator.faults().add(FaultRule::new(Fault::WrongContentLength { delta }).operation("GetObject"));
        let outcome = match h.client.get_object(BUCKET, "cl", &GetOptions::default()).await {
            Ok(got) => got.body.collect().await,
            Err(error) => Err(error),
        };
        let error = outcome.expect_err(&format!("delta {delta}: a lying Content-Length went unnoticed"));
        assert!(matches!(error.kind(), ErrorKind::Integrity | ErrorKind::Transport), "delta {delta}: {error}");

        // Ranged: Content-Range and Content-Length disagree before any byte is used.
        let error = match h.client.get_object(BUCKET, "cl", &ranged).await {
            Ok(got) => got.body.collect().await.expect_err("ranged read with a lying length"),
            Err(error) => error,
        };
        assert!(
            matches!(error.kind(), ErrorKind::InvalidResponse | ErrorKind::Integrity | ErrorKind::Transport),
            "ranged, delta {delta}: {error}"
        );
    }
    h.emulator.faults().clear();
    let got = h.client.get_object(BUCKET, "cl", &GetOptions::default()).await.unwrap();
    assert_eq!(got.body.collect().await.unwrap(), bytes);
}

fn reply(status: u16, content_type: &'static str, body: &'static str) -> Fault {
    Fault::Reply { status, content_type, body: Bytes::from_static(body.as_bytes()) }
}

/// Replies a broken server, a captive portal or a hostile proxy might send.
fn nonsense() -> Vec<Fault> {
    vec![
        reply(200, "application/xml", ""),
        reply(200, "text/html", "<html><body>Sign in to the hotel Wi-Fi</body></html>"),
        reply(200, "application/xml", "<?xml version=\"1.0\"?><InitiateMultipartUploadResult><UploadId>"),
        reply(200, "application/xml", "<ListBucketResult><Contents><Key>a</Key><Size>-5</Size></Contents>"),
        reply(
            200,
            "application/xml",
            "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><x>&b;</x>",
        ),
        Fault::Reply { status: 200, content_type: "application/xml", body: Bytes::from_static(b"<a>\xff\xfe</a>") },
        reply(500, "text/plain", "upstream exploded"),
        reply(403, "application/xml", "<Error><Code>AccessDenied</Code><Message>no"),
        Fault::EndlessBody { status: 200 },
        Fault::EndlessBody { status: 503 },
    ]
}

#[tokio::test]
async fn nonsense_replies_are_typed_errors() {
    let h = start_with(|c| {
        c.retry(RetryPolicy {
            max_attempts: 2,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(2),
        })
    })
    .await;
    h.client.put_object(BUCKET, "obj", Body::from(data(10, 1)), vec![]).await.unwrap();
    let upload = h.client.initiate_multipart_upload(BUCKET, "mp", vec![]).await.unwrap();
    let mut cases = 0;
    for fault in nonsense() {
        for operation in
            ["ListObjects", "InitiateMultipartUpload", "ListParts", "CompleteMultipartUpload", "HeadObject"]
        {
            h.emulator.faults().clear();
            h.emulator.faults().add(FaultRule::new(fault.clone()).operation(operation));
            let call = async {
                match operation {
                    "ListObjects" => h.client.list_objects_v2(BUCKET, "", None, None, None).await.map(drop),
                    "InitiateMultipartUpload" => {
                        h.client.initiate_multipart_upload(BUCKET, "mp2", vec![]).await.map(drop)
                    }
                    "ListParts" => h.client.list_parts(BUCKET, "mp", &upload).await.map(drop),
                    "CompleteMultipartUpload" => {
                        h.client.complete_multipart_upload(BUCKET, "mp", &upload, &[], vec![]).await.map(drop)
                    }
                    _ => h.client.head_object(BUCKET, "obj").await.map(drop),
                }
            };
            let outcome = tokio::time::timeout(PATIENCE, call)
                .await
                .unwrap_or_else(|_| panic!("{operation} with {fault:?}: hung"));
            cases += 1;
            // HEAD has no body to distrust: an empty 200 reply is a (bodiless) success.
            if operation == "HeadObject" && outcome.is_ok() {
                continue;
            }
            let error = outcome.expect_err(&format!("{operation} accepted {fault:?}"));
            assert!(
                matches!(error.kind(), ErrorKind::InvalidResponse | ErrorKind::Service | ErrorKind::Transport),
                "{operation} with {fault:?}: {error}"
            );
            assert!(error.to_string().len() < 2_000, "an error message echoes a hostile body: {error}");
        }
    }
    oss_cse_emulator::testing::report(
        env!("CARGO_TARGET_TMPDIR"),
        "hostile-oss-replies",
        &format!("hostile OSS replies: {cases} cases, each a typed error"),
    );
}

#[tokio::test]
async fn a_listing_of_more_parts_than_an_upload_can_have_is_refused() {
    let h = start_with(|c| c.retry(RetryPolicy::none())).await;
    let upload = h.client.initiate_multipart_upload(BUCKET, "many", vec![]).await.unwrap();
    let parts: String = (1..=10_001)
        .map(|n| format!("<Part><PartNumber>{n}</PartNumber><ETag>\"E\"</ETag><Size>1</Size></Part>"))
        .collect();
    let body = format!("<ListPartsResult><IsTruncated>false</IsTruncated>{parts}</ListPartsResult>");
    let fault = Fault::Reply { status: 200, content_type: "application/xml", body: Bytes::from(body) };
    h.emulator.faults().add(FaultRule::new(fault).operation("ListParts"));
    let err = h.client.list_parts(BUCKET, "many", &upload).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{err}");
}
