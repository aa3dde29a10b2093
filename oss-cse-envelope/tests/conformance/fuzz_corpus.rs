//! Replays the committed fuzz corpus of the envelope decoder, so every input
//! the fuzzer once found interesting stays a regression test in plain
//! `cargo test` (the fuzzer itself runs with `cargo xtask fuzz`).

#[test]
fn the_envelope_decoder_corpus_replays_cleanly() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/envelope_decoder");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        oss_cse_envelope::fuzzing::envelope_decoder(&std::fs::read(&path).unwrap());
        replayed += 1;
    }
    println!("replayed {replayed} corpus inputs");
    assert!(replayed >= 100, "the corpus in {} has only {replayed} inputs", dir.display());
}
