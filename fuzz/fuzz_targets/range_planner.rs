//! Fuzzes the range and part planners with arbitrary numbers: no panic, no
//! overflow, and every accepted plan is self-consistent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oss_cse_envelope::core::{ByteRange, DownloadPlan, FetchPlan, PartPlan};

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
        // Wherever a reply starts at or before the fetch, it delivers the range.
        let reply = plan.reply(plan.fetch_start.saturating_sub(b % 64), size).expect("the range is satisfiable");
        assert_eq!(reply.remaining, last + 1 - first);
    }
    if let Ok(plan) = DownloadPlan::new(size, (kind % 4 != 3).then_some(range), a) {
        // The ranges are contiguous, block-aligned, and fill the output.
        let (mut fetched, mut output) = (None, 0u64);
        for r in plan.ranges().take(20_000) {
            assert_eq!(r.start % 16, 0);
            assert!(fetched.is_none_or(|end| end == r.start) && r.output_offset == output);
            fetched = Some(r.start + r.len);
            output += r.kept();
        }
        assert!(plan.range_count() <= 10_000);
        assert_eq!(output, plan.output_len());
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
