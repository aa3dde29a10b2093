use std::time::Duration;

use oss_cse_client::{Body, ErrorKind, GetOptions, RetryPolicy};
use oss_cse_emulator::{Fault, FaultRule};

use crate::support::*;

#[tokio::test]
async fn transient_errors_are_retried_for_replayable_requests() {
    let h = start().await;
    for fault in [Fault::Status { status: 500, code: "InternalError".into() }, Fault::SlowDown, Fault::ResetConnection]
    {
        h.emulator.faults().clear();
        h.emulator.faults().add(FaultRule::new(fault.clone()).operation("PutObject").times(2));
        let out = h.client.put_object(BUCKET, "retry", Body::from(data(1000, 2)), vec![]).await;
        assert!(out.is_ok(), "{fault:?}: {out:?}");
        assert_eq!(h.emulator.faults().fired(), 2, "{fault:?}");
    }
}

#[tokio::test]
async fn persistent_errors_surface_as_typed_errors() {
    let h = start_with(|c| c.retry(RetryPolicy::none())).await;
    h.emulator.faults().add(FaultRule::new(Fault::Status { status: 503, code: "ServiceUnavailable".into() }));
    let err = h.client.put_object(BUCKET, "x", Body::from(vec![1]), vec![]).await.unwrap_err();
    assert_eq!(err.service_error().unwrap().status, 503);
    assert!(err.is_retryable());
}

#[tokio::test]
async fn streamed_bodies_are_not_replayed() {
    let h = start().await;
    h.emulator.faults().add(
        FaultRule::new(Fault::Status { status: 500, code: "InternalError".into() }).operation("PutObject").times(1),
    );
    let stream = futures_util::stream::iter(vec![Ok(bytes::Bytes::from(vec![1u8; 100]))]);
    let err = h.client.put_object(BUCKET, "s", Body::from_stream(100, stream), vec![]).await.unwrap_err();
    assert_eq!(err.service_error().unwrap().status, 500);
    assert_eq!(h.emulator.faults().count("PutObject"), 1);
}

#[tokio::test]
async fn truncated_and_corrupted_downloads_are_errors() {
    let h = start().await;
    let bytes = data(600_000, 4);
    h.client.put_object(BUCKET, "t", Body::from(bytes.clone()), vec![]).await.unwrap();
    h.emulator.faults().add(FaultRule::new(Fault::TruncateBody { after: 300_000 }).operation("GetObject"));
    let got = h.client.get_object(BUCKET, "t", &GetOptions::default()).await.unwrap();
    let result = got.body.collect().await;
    let err = result.map(|b| b.len()).expect_err(&format!(
        "fired {} requests {:?}",
        h.emulator.faults().fired(),
        h.emulator.faults().requests()
    ));
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    h.emulator.faults().clear();
    h.emulator.faults().add(FaultRule::new(Fault::WrongCrc).operation("GetObject").times(1));
    let got = h.client.get_object(BUCKET, "t", &GetOptions::default()).await.unwrap();
    let err = got.body.collect().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Integrity, "{err}");
    // And the next read is clean.
    let got = h.client.get_object(BUCKET, "t", &GetOptions::default()).await.unwrap();
    assert_eq!(got.body.collect().await.unwrap(), bytes);
}

#[tokio::test]
async fn wrong_crc_on_upload_is_detected() {
    let h = start_with(|c| c.retry(RetryPolicy::none())).await;
    h.emulator.faults().add(FaultRule::new(Fault::WrongCrc).operation("PutObject"));
    let err = h.client.put_object(BUCKET, "c", Body::from(vec![7u8; 10]), vec![]).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Integrity, "{err}");
}

#[tokio::test]
async fn delays_past_the_timeout_time_out() {
    let h = start_with(|c| c.request_timeout(Duration::from_millis(200)).retry(RetryPolicy::none())).await;
    h.emulator.faults().add(FaultRule::new(Fault::Delay(Duration::from_secs(2))).operation("HeadObject"));
    let err = h.client.head_object(BUCKET, "nothing").await.unwrap_err();
    assert!(matches!(err, oss_cse_client::Error::Timeout { .. }), "{err}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_fraction_of_failures_is_absorbed_by_retries() {
    let h = start_with(|c| {
        c.retry(RetryPolicy {
            max_attempts: 8,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
        })
    })
    .await;
    h.emulator
        .faults()
        .add(FaultRule::new(Fault::Status { status: 503, code: "ServiceUnavailable".into() }).fraction(0.3));
    for i in 0..20 {
        let key = format!("f{i}");
        h.client.put_object(BUCKET, &key, Body::from(data(100, i)), vec![]).await.unwrap();
        let got = h.client.get_object(BUCKET, &key, &GetOptions::default()).await.unwrap();
        assert_eq!(got.body.collect().await.unwrap(), data(100, i));
    }
    assert!(h.emulator.faults().fired() > 0);
}

/// An object overwritten while a GET of it is already answered (headers
/// sent, body not yet) still streams the version the headers describe: the
/// emulator opens the data before replying, as a server must, so the
/// overwrite removing the old data cannot cut the body.
#[tokio::test]
async fn an_overwrite_does_not_cut_a_get_in_flight() {
    let h = start().await;
    let old = data(1 << 20, 1);
    h.client.put_object(BUCKET, "busy", Body::from(old.clone()), vec![]).await.unwrap();
    h.emulator
        .faults()
        .add(FaultRule::new(Fault::StallBody(std::time::Duration::from_millis(300))).operation("GetObject").nth(1));
    let got = h.client.get_object(BUCKET, "busy", &GetOptions::default()).await.unwrap();
    h.client.put_object(BUCKET, "busy", Body::from(data(1 << 20, 2)), vec![]).await.unwrap();
    assert_eq!(got.body.collect().await.unwrap(), old);
}
