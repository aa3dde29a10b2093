//! A few long-lived helper threads for work run beside the caller: the
//! second RSA private-key operation of an unwrap. Starting a thread per
//! object cost about 60 µs, a tenth of a small object's read.
//!
//! A job goes to an idle helper, or to a new one while there are fewer than
//! [`MAX_HELPERS`]; otherwise it runs on the caller's thread before
//! [`run_beside`] returns, so work never waits behind other callers' jobs.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Mutex, OnceLock};

type Job = Box<dyn FnOnce() + Send>;

/// More helpers than this would only compete with the callers for cores.
const MAX_HELPERS: usize = 8;

#[derive(Default)]
struct Helpers {
    /// Senders of the helpers waiting for a job.
    idle: Vec<SyncSender<Job>>,
    started: usize,
}

fn helpers() -> &'static Mutex<Helpers> {
    static HELPERS: OnceLock<Mutex<Helpers>> = OnceLock::new();
    HELPERS.get_or_init(Mutex::default)
}

/// A job's result, to be collected with [`Pending::wait`].
pub(crate) struct Pending<T>(Receiver<T>);

impl<T> Pending<T> {
    /// The job's result; `None` if it panicked.
    pub(crate) fn wait(self) -> Option<T> {
        self.0.recv().ok()
    }
}

/// Runs `work` on an idle helper thread if there is one (or one can be
/// started), else right here.
pub(crate) fn run_beside<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Pending<T> {
    let (result, pending) = sync_channel(1);
    let job: Job = Box::new(move || {
        let _ = result.send(work());
    });
    match idle_helper() {
        // A helper that is gone (it cannot be) hands the job back.
        Some(helper) => {
            if let Err(returned) = helper.send(job) {
                (returned.0)();
            }
        }
        None => job(),
    }
    Pending(pending)
}

fn idle_helper() -> Option<SyncSender<Job>> {
    let mut helpers = helpers().lock().ok()?;
    if let Some(idle) = helpers.idle.pop() {
        return Some(idle);
    }
    if helpers.started >= MAX_HELPERS {
        return None;
    }
    let (sender, jobs) = sync_channel::<Job>(1);
    let own = sender.clone();
    let spawned = std::thread::Builder::new().name("oss-cse-rsa".into()).spawn(move || helper(&jobs, &own));
    spawned.ok().map(|_| {
        helpers.started += 1;
        sender
    })
}

fn helper(jobs: &Receiver<Job>, own: &SyncSender<Job>) {
    while let Ok(job) = jobs.recv() {
        // A panicking job drops its result sender (its caller sees `None`);
        // the helper lives on.
        let _ = catch_unwind(AssertUnwindSafe(job));
        match helpers().lock() {
            Ok(mut helpers) => helpers.idle.push(own.clone()),
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_run_beside_and_helpers_are_reused() {
        let here = std::thread::current().id();
        let first = run_beside(move || std::thread::current().id() != here).wait();
        assert_eq!(first, Some(true), "ran on a helper");
        for i in 0..50u32 {
            assert_eq!(run_beside(move || i * 2).wait(), Some(i * 2));
        }
        let started = helpers().lock().map(|h| h.started).unwrap_or(usize::MAX);
        assert!(started <= MAX_HELPERS, "{started} helpers for sequential jobs");
    }

    #[test]
    fn a_panicking_job_is_none_and_the_helpers_go_on() {
        let panicked = run_beside(|| -> u8 { panic!("job fails") }).wait();
        assert_eq!(panicked, None);
        assert_eq!(run_beside(|| 7).wait(), Some(7));
    }

    #[test]
    fn many_callers_at_once_all_get_their_result() {
        let handles: Vec<_> =
            (0..32u64).map(|i| std::thread::spawn(move || run_beside(move || i + 1).wait())).collect();
        for (i, handle) in handles.into_iter().enumerate() {
            assert_eq!(handle.join().ok().flatten(), Some(i as u64 + 1));
        }
    }
}
