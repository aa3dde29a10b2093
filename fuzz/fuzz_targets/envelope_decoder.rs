//! Fuzzes the envelope decoder with arbitrary header lists: it must return a
//! typed result, never panic, and whatever it accepts must re-encode and
//! decode to the same envelope (the property lives in
//! `oss_cse_envelope::fuzzing`, which the corpus replay test also runs).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| oss_cse_envelope::fuzzing::envelope_decoder(data));
