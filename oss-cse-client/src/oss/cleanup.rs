//! Background clean-up that outlives a cancelled operation: the encryption
//! layer aborts there the multipart uploads of transfers dropped without a
//! checkpoint, and a program about to exit waits for it (bounded) with
//! [`Cleanup::finish`].

use std::time::Duration;

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
    pub(crate) fn spawn(&self, task: impl std::future::Future<Output = ()> + Send + 'static) {
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            self.tasks.spawn_on(task, &runtime);
        }
    }
}
