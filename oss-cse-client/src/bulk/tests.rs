use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;

fn keys(n: usize) -> Vec<(String, usize)> {
    (0..n).map(|i| (format!("k/{i:04}"), i)).collect()
}

#[tokio::test]
async fn failures_do_not_stop_the_job_and_are_listed() {
    let work = |i: usize| async move {
        match i % 10 {
            3 => Err(Error::invalid_argument("injected")),
            5 => Ok(Outcome::Skipped { reason: "unchanged".into() }),
            _ => Ok(Outcome::Done { bytes: 100 }),
        }
    };
    let mut reported = 0;
    let summary =
        run_job(items_from(keys(100)), &JobOptions { jobs: 7, ..JobOptions::default() }, work, |_| reported += 1)
            .await
            .unwrap();
    assert_eq!((summary.done, summary.skipped, summary.failed.len()), (80, 10, 10));
    assert_eq!((summary.bytes, reported), (8000, 100));
    assert!(!summary.succeeded());
}

#[tokio::test]
async fn no_more_than_jobs_items_run_at_once() {
    let now = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let work = |_: usize| {
        let (now, peak) = (now.clone(), peak.clone());
        async move {
            let running = now.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(running, Ordering::SeqCst);
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
            now.fetch_sub(1, Ordering::SeqCst);
            Ok(Outcome::Done { bytes: 0 })
        }
    };
    run_job(items_from(keys(60)), &JobOptions { jobs: 5, ..JobOptions::default() }, work, |_| {}).await.unwrap();
    assert!(peak.load(Ordering::SeqCst) <= 5);
}

/// A rerun with the journal does only what the first run did not finish;
/// a torn last line (a kill mid-write) is ignored.
#[tokio::test]
async fn the_journal_skips_finished_items_on_a_rerun() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("jobs/one.journal");
    let options = JobOptions { jobs: 4, journal: Some(journal.clone()), shard: None };
    let fail_odd = |i: usize| async move {
        if i % 2 == 1 { Err(Error::invalid_argument("later")) } else { Ok(Outcome::Done { bytes: 1 }) }
    };
    let first = run_job(items_from(keys(50)), &options, fail_odd, |_| {}).await.unwrap();
    assert_eq!((first.done, first.failed.len()), (25, 25));
    let mut text = std::fs::read(&journal).unwrap();
    text.extend_from_slice(br#"{"key":"k/00"#);
    std::fs::write(&journal, text).unwrap();
    let ran = Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = |i: usize| {
        let ran = ran.clone();
        async move {
            ran.lock().unwrap().push(i);
            Ok(Outcome::Done { bytes: 1 })
        }
    };
    let second = run_job(items_from(keys(50)), &options, record, |_| {}).await.unwrap();
    assert_eq!((second.done, second.journaled), (25, 25));
    assert!(ran.lock().unwrap().iter().all(|i| i % 2 == 1), "only the items that had failed");
    assert!(!journal.exists(), "a job that finished forgets its journal");
    let third = run_job(items_from(keys(50)), &options, |_: usize| async { Ok(Outcome::Done { bytes: 1 }) }, |_| {})
        .await
        .unwrap();
    assert_eq!((third.done, third.journaled), (50, 0), "the next run is a new job");
}

#[tokio::test]
async fn shards_run_only_their_keys_and_together_all() {
    let mut seen = Vec::new();
    for index in 0..3 {
        let options = JobOptions { shard: Some(Shard::new(index, 3).unwrap()), ..JobOptions::default() };
        let summary = run_job(
            items_from(keys(300)),
            &options,
            |_: usize| async { Ok(Outcome::Done { bytes: 0 }) },
            |r| seen.push(r.key.to_owned()),
        )
        .await
        .unwrap();
        assert_eq!(summary.done + summary.other_shards, 300);
    }
    seen.sort();
    assert_eq!(seen, keys(300).into_iter().map(|(k, _)| k).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_failing_item_stream_stops_the_job() {
    let items = futures_util::stream::iter(vec![
        Ok(("a".to_owned(), 1usize)),
        Err(Error::invalid_argument("listing refused")),
        Ok(("b".to_owned(), 2)),
    ]);
    let result = run_job(items, &JobOptions::default(), |_| async { Ok(Outcome::Done { bytes: 0 }) }, |_| {}).await;
    assert!(result.is_err());
}

/// A journal line this user's oss-cse did not write (a forged MAC, none at
/// all, or a genuine line edited to name another key) does not make the job
/// skip its item: it is done again.
#[tokio::test]
async fn journal_lines_someone_else_wrote_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("jobs/forged.journal");
    let options = JobOptions { jobs: 1, journal: Some(journal.clone()), shard: None };
    let fail_all_but_first = |i: usize| async move {
        if i == 0 { Ok(Outcome::Done { bytes: 1 }) } else { Err(Error::invalid_argument("later")) }
    };
    let first = run_job(items_from(keys(5)), &options, fail_all_but_first, |_| {}).await.unwrap();
    assert_eq!((first.done, first.failed.len()), (1, 4));
    let genuine = std::fs::read_to_string(&journal).unwrap();
    let edited = genuine.replace("k/00", "k/04");
    let forged = [
        r#"{"mac":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","line":{"key":"k/01","outcome":"done"}}"#,
        r#"{"key":"k/02","outcome":"done","bytes":1}"#,
        r#"{"line":{"key":"k/03","outcome":"done"}}"#,
    ];
    std::fs::write(&journal, format!("{genuine}{}\n{edited}", forged.join("\n"))).unwrap();
    let ran = Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = |i: usize| {
        let ran = ran.clone();
        async move {
            ran.lock().unwrap().push(i);
            Ok(Outcome::Done { bytes: 1 })
        }
    };
    let second = run_job(items_from(keys(5)), &options, record, |_| {}).await.unwrap();
    assert_eq!(second.journaled, 1, "only the genuine line counts");
    let mut ran = ran.lock().unwrap().clone();
    ran.sort_unstable();
    assert_eq!(ran, [1, 2, 3, 4], "every item but the first is done again");
}
