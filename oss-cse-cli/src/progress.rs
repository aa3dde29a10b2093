//! Progress on a terminal's stderr: a bar per transfer (named after what
//! moves, its total once known, "completing" while the server assembles the
//! object) and a bar per bulk job (objects done of the total once the
//! listing or walk has ended, then with an ETA; objects in flight, bytes,
//! failures, rate). Nothing without a terminal, with `--json` or with
//! `--no-progress`.

use std::io::IsTerminal as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use futures_util::{Stream, StreamExt};
use indicatif::{HumanBytes, ProgressBar, ProgressDrawTarget, ProgressFinish, ProgressStyle};
use oss_cse_client::Progress;

use crate::session::Session;

/// Whether this session draws bars.
fn shown(session: &Session) -> bool {
    !session.progress.no_progress && !session.json && std::io::stderr().is_terminal()
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()).progress_chars("=> ")
}

/// A bar for one transfer labelled `label` (a file's name, an object's URL)
/// and the callback that drives it; `None` when no bar is shown. Without a
/// total it counts bytes until the callback brings one.
pub(crate) fn transfer_bar(session: &Session, label: &str, total: Option<u64>) -> Option<(ProgressBar, Progress)> {
    if !shown(session) {
        return None;
    }
    const SIZED: &str = "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}";
    const UNSIZED: &str = "{msg} {bytes} {bytes_per_sec}";
    let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr())
        .with_style(style(if total.is_some() { SIZED } else { UNSIZED }))
        .with_message(crate::exit::shown(label).into_owned());
    let (handle, label) = (bar.clone(), crate::exit::shown(label).into_owned());
    let sized = AtomicBool::new(total.is_some());
    let progress: Progress = Arc::new(move |done, total| {
        if let Some(total) = total {
            if !sized.swap(true, Ordering::Relaxed) {
                handle.set_style(style(SIZED));
            }
            handle.set_length(total);
            // The last bytes are sent; the server now assembles the object.
            if done >= total && total > 0 {
                handle.set_message(format!("{label} (completing)"));
            }
        }
        handle.set_position(done);
    });
    Some((bar, progress))
}

/// The counts a bulk job's bar shows.
#[derive(Default)]
struct Counts {
    /// Items the job has taken from the listing, walk or manifest.
    taken: AtomicU64,
    /// Whether the listing has ended: `taken` is then the total.
    listed: AtomicBool,
}

/// One bar for a bulk job.
pub(crate) struct JobBar {
    bar: Option<ProgressBar>,
    counts: Arc<Counts>,
    started: Instant,
    /// Objects in flight at most (`--jobs`).
    jobs: u64,
    finished: u64,
    bytes: u64,
    failed: u64,
}

impl JobBar {
    pub(crate) fn new(session: &Session, jobs: usize) -> Self {
        let bar = shown(session).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
                .with_finish(ProgressFinish::AndClear)
                .with_style(style("{spinner} {pos} objects {msg} {elapsed}"));
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
            bar
        });
        let counts = Arc::default();
        Self { bar, counts, started: Instant::now(), jobs: jobs.max(1) as u64, finished: 0, bytes: 0, failed: 0 }
    }

    /// `items`, counted as the job takes them; the count is the job's
    /// total once they end.
    pub(crate) fn count<S: Stream>(&self, items: S) -> impl Stream<Item = S::Item> + use<S> {
        let (counting, ending) = (self.counts.clone(), self.counts.clone());
        let end = futures_util::stream::once(async move {
            ending.listed.store(true, Ordering::Relaxed);
            None
        });
        items
            .inspect(move |_| {
                counting.taken.fetch_add(1, Ordering::Relaxed);
            })
            .map(Some)
            .chain(end)
            .filter_map(std::future::ready)
    }

    /// One item finished, having moved `bytes` (or failed); `print` writes
    /// its line without tearing the bar.
    pub(crate) fn finished(&mut self, bytes: u64, failed: bool, print: impl FnOnce()) {
        self.finished += 1;
        self.bytes += bytes;
        self.failed += u64::from(failed);
        let Some(bar) = &self.bar else { return print() };
        let taken = self.counts.taken.load(Ordering::Relaxed);
        if self.counts.listed.load(Ordering::Relaxed) && bar.length().is_none() {
            bar.set_length(taken);
            bar.set_style(style("{spinner} {pos}/{len} objects {msg} {elapsed}, ETA {eta}"));
        }
        bar.set_position(self.finished);
        let in_flight = taken.saturating_sub(self.finished).min(self.jobs);
        let seconds = self.started.elapsed().as_secs_f64().max(0.001);
        let rate = HumanBytes((self.bytes as f64 / seconds) as u64);
        bar.set_message(format!(
            "({in_flight} in flight, {}, {rate}/s, {} failed)",
            HumanBytes(self.bytes),
            self.failed
        ));
        bar.suspend(print);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_counted_listing_gives_the_total_once_it_ends() {
        let bar = JobBar::new(&Session::default(), 4);
        let mut items = Box::pin(bar.count(futures_util::stream::iter([1, 2, 3])));
        assert_eq!(items.next().await, Some(1));
        assert!(!bar.counts.listed.load(Ordering::Relaxed));
        assert_eq!((items.next().await, items.next().await, items.next().await), (Some(2), Some(3), None));
        assert_eq!(bar.counts.taken.load(Ordering::Relaxed), 3);
        assert!(bar.counts.listed.load(Ordering::Relaxed));
    }
}
