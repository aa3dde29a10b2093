//! Fuzzes the range and part planners with arbitrary numbers: no panic, no
//! overflow, and every accepted plan is self-consistent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oss_cse_envelope::core::{ByteRange, FetchPlan, PartPlan};

fuzz_target!(|input: (u64, u64, u64, u8)| {
    let (a, b, size, kind) = input;
    let range = match kind % 3 {
        0 => ByteRange::Inclusive { start: a, end: b },
        1 => ByteRange::From { start: a },
        _ => ByteRange::Suffix { len: b },
    };
    if let Ok((first, last)) = range.resolve(size) {
        assert!(first <= last && last < size);
        let plan = FetchPlan::new(first, Some(last)).expect("resolved ranges are valid");
        assert_eq!(plan.fetch_start % 16, 0);
        assert_eq!(plan.fetch_start + plan.discard, first);
    }
    if let Ok(plan) = PartPlan::new(size, a) {
        let mut next = 0u64;
        for part in plan.parts().take(20_000) {
            assert_eq!(part.offset, next);
            next = part.end();
        }
        assert_eq!(next, size);
    }
});
