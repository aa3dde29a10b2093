//! Replays the committed fuzz corpora of the reply and checkpoint parsers,
//! so every input the fuzzer once found interesting stays a regression test
//! in plain `cargo test` (the fuzzer itself runs with `cargo xtask fuzz`).

fn replay(target: &str, run: impl Fn(&[u8])) -> usize {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus").join(target);
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        run(&std::fs::read(entry.unwrap().path()).unwrap());
        replayed += 1;
    }
    replayed
}

#[test]
fn the_reply_and_checkpoint_parser_corpora_replay_cleanly() {
    let replies = replay("reply_parser", oss_cse_client::fuzzing::parse_replies);
    assert!(replies >= 8, "the reply_parser corpus has only {replies} inputs");
    let checkpoints = replay("checkpoint_parser", |bytes| {
        let _ = oss_cse_client::fuzzing::parse_checkpoints(bytes);
    });
    assert!(checkpoints >= 100, "the checkpoint_parser corpus has only {checkpoints} inputs");
    // The seed of the re-upload (resumable rewrap) checkpoint parses as one.
    let seed =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/checkpoint_parser/reupload.json");
    assert_eq!(oss_cse_client::fuzzing::parse_checkpoints(&std::fs::read(seed).unwrap()), (false, false, true));
}
