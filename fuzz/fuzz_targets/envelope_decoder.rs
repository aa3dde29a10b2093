//! Fuzzes the envelope decoder with arbitrary header lists: it must return a
//! typed result, never panic, and whatever it accepts must re-encode and
//! decode to the same envelope.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oss_cse_envelope::{Envelope, MaterialDescription};

fuzz_target!(|data: &[u8]| {
    // One header per line, `name:value`; names that are not UTF-8 are skipped
    // (HTTP header names are ASCII), values stay raw bytes.
    let headers: Vec<(&str, &[u8])> = data
        .split(|b| *b == b'\n')
        .filter_map(|line| {
            let colon = line.iter().position(|b| *b == b':')?;
            let name = std::str::from_utf8(&line[..colon]).ok()?;
            Some((name, &line[colon + 1..]))
        })
        .collect();
    if let Ok(Some(envelope)) = Envelope::from_headers(headers.iter().copied()) {
        if let Ok(encoded) = envelope.to_headers() {
            let again = Envelope::from_headers(encoded.iter().map(|(k, v)| (*k, v.as_bytes())));
            assert_eq!(again.ok().flatten().as_ref(), Some(&envelope));
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(description) = MaterialDescription::from_json(text) {
            assert_eq!(MaterialDescription::from_json(&description.to_json()).ok(), Some(description));
        }
    }
});
