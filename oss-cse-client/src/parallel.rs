//! The one parallel driver of part and range transfers (uploads,
//! downloads, streams, re-uploads): at most a given number of tasks at once,
//! each in its own tokio task; the first failure ends the transfer.

use tokio::task::JoinSet;

use crate::{Error, Result};

/// At most `parallel` tasks at once; the first failure ends the transfer.
pub(crate) struct Bounded<T> {
    tasks: JoinSet<Result<T>>,
    parallel: usize,
}

impl<T: Send + 'static> Bounded<T> {
    pub(crate) fn new(parallel: usize) -> Self {
        Self { tasks: JoinSet::new(), parallel: parallel.max(1) }
    }

    /// Whether another task may start now.
    pub(crate) fn has_room(&self) -> bool {
        self.tasks.len() < self.parallel
    }

    pub(crate) fn spawn(&mut self, task: impl std::future::Future<Output = Result<T>> + Send + 'static) {
        // The task runs in the caller's span, so a subscriber sees each part
        // or range inside the transfer it belongs to.
        self.tasks.spawn(tracing::Instrument::in_current_span(task));
    }

    /// The next finished task's result; `None` once all have finished. On a
    /// failure the other tasks are aborted.
    pub(crate) async fn next(&mut self) -> Option<Result<T>> {
        let finished = next_finished(&mut self.tasks).await;
        if matches!(finished, Some(Err(_))) {
            self.tasks.abort_all();
        }
        finished
    }

    /// Runs `job` over every item, `parallel` at a time; results in the order
    /// they finish. On the first failure no new task starts, and the tasks
    /// in flight are waited for (not aborted) before the failure is
    /// returned: none outlives the call, and one that records its part in a
    /// checkpoint finishes recording it (an aborted task's file operation
    /// would still land, on the blocking pool, after the call returned).
    pub(crate) async fn run<I, F, Fut>(parallel: usize, items: I, job: F) -> Result<Vec<T>>
    where
        I: IntoIterator,
        F: Fn(I::Item) -> Fut,
        Fut: std::future::Future<Output = Result<T>> + Send + 'static,
    {
        let mut running = Self::new(parallel);
        let mut queue = items.into_iter();
        let mut results = Vec::new();
        loop {
            while running.has_room() {
                let Some(item) = queue.next() else { break };
                running.spawn(job(item));
            }
            match next_finished(&mut running.tasks).await {
                None => return Ok(results),
                Some(Ok(result)) => results.push(result),
                Some(Err(error)) => {
                    while running.tasks.join_next().await.is_some() {}
                    return Err(error);
                }
            }
        }
    }
}

/// The next finished task of a set.
async fn next_finished<T: 'static>(tasks: &mut JoinSet<Result<T>>) -> Option<Result<T>> {
    let finished = match tasks.join_next().await? {
        Ok(result) => result,
        Err(join) => Err(Error::TaskFailed { reason: join.to_string() }),
    };
    Some(finished)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A task that panics is a bug of ours, said as such: not an
    /// `InvalidArgument` blaming the caller.
    #[tokio::test]
    async fn a_panicked_task_is_task_failed() {
        let mut tasks: JoinSet<Result<()>> = JoinSet::new();
        #[allow(clippy::panic)]
        tasks.spawn(async { panic!("injected") });
        let error = next_finished(&mut tasks).await.map(|r| r.map_err(|e| e.kind()));
        assert!(matches!(error, Some(Err(crate::ErrorKind::Internal))), "{error:?}");
    }
}
