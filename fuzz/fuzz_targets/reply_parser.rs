//! Fuzzes the parsers of what an OSS server says (XML replies, error bodies,
//! Content-Range, SSE headers): a hostile or broken server gets an error
//! back, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| oss_cse_client::fuzzing::parse_replies(data));
