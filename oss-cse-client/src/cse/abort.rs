//! The multipart upload of a transfer that has no checkpoint to resume it
//! from, aborted when the transfer is dropped before it completes (a signal,
//! a timeout, a caller that gave up): left on the server it would be billed
//! until someone aborted it.

use std::time::Duration;

use crate::OssClient;

/// How long one background abort may take.
const ABORT_TIMEOUT: Duration = Duration::from_secs(10);

/// A multipart upload that is aborted (in the background, on the client's
/// [`Cleanup`]) if this guard is dropped before [`disarm`](Self::disarm):
/// held by transfers that have no checkpoint to resume the upload from.
#[derive(Debug)]
pub(crate) struct AbortOnDrop {
    oss: OssClient,
    upload: Option<(String, String, String)>,
}

impl AbortOnDrop {
    /// Guards the upload `upload_id` of `bucket/key`; with `armed` false it
    /// does nothing (the upload has a checkpoint and is kept for a resume).
    pub(crate) fn new(oss: &OssClient, (bucket, key, upload_id): (&str, &str, &str), armed: bool) -> Self {
        let upload = armed.then(|| (bucket.to_owned(), key.to_owned(), upload_id.to_owned()));
        Self { oss: oss.clone(), upload }
    }

    /// The upload was completed or aborted: nothing left to do.
    pub(crate) fn disarm(mut self) {
        self.upload = None;
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some((bucket, key, upload_id)) = self.upload.take() {
            let oss = self.oss.clone();
            tracing::debug!(resource = %format!("oss://{bucket}/{key}"), "aborting the unfinished upload of a cancelled transfer");
            let cleanup = oss.config().cleanup.clone();
            cleanup.spawn(async move {
                let _ =
                    tokio::time::timeout(ABORT_TIMEOUT, oss.abort_multipart_upload(&bucket, &key, &upload_id)).await;
            });
        }
    }
}
