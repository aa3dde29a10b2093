//! Fuzzes the checkpoint parser: a hand-edited or corrupted checkpoint file
//! is an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = oss_cse_client::fuzzing::parse_checkpoints(data);
});
