//! Clean-up that outlives a cancelled transfer. A multipart upload begun by
//! a transfer that is dropped (a signal, a timeout, a caller that gave up)
//! without a checkpoint to resume it stays on the server, billed, until
//! someone aborts it: [`AbortOnDrop`] aborts it in the background, and a
//! program about to exit waits for that (bounded) with [`Cleanup::finish`].

use std::time::Duration;

use crate::OssClient;

/// How long one background abort may take.
const ABORT_TIMEOUT: Duration = Duration::from_secs(10);

/// The background clean-up of the clients sharing it (see the module docs).
/// Give clients one with [`ClientConfig::cleanup`](crate::ClientConfig::cleanup)
/// to wait for it before exiting; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Cleanup {
    tasks: tokio_util::task::TaskTracker,
}

impl Cleanup {
    /// A clean-up with nothing in flight.
    pub fn new() -> Self {
        Self::default()
    }

    /// Waits until the clean-up begun so far has finished, at most `limit`;
    /// whether it all did.
    pub async fn finish(&self, limit: Duration) -> bool {
        self.tasks.close();
        let finished = tokio::time::timeout(limit, self.tasks.wait()).await.is_ok();
        self.tasks.reopen();
        finished
    }

    /// Runs `task` in the background on the current runtime (nothing, outside one).
    fn spawn(&self, task: impl std::future::Future<Output = ()> + Send + 'static) {
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            self.tasks.spawn_on(task, &runtime);
        }
    }
}

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
