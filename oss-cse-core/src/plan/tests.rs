use proptest::prelude::*;

use super::*;

#[test]
fn a_ranged_download_starts_on_a_block_and_skips_to_the_first_byte() {
    let plan = DownloadPlan::new(1000, Some(ByteRange::Inclusive { start: 17, end: 640 }), 256).unwrap();
    assert_eq!((plan.first(), plan.last(), plan.output_len(), plan.fetched_len()), (17, 640, 624, 625));
    let ranges: Vec<FetchRange> = plan.ranges().collect();
    assert_eq!(ranges.len(), 3);
    assert_eq!(ranges[0], FetchRange { index: 0, start: 16, len: 256, skip: 1, output_offset: 0 });
    assert_eq!(ranges[1], FetchRange { index: 1, start: 272, len: 256, skip: 0, output_offset: 255 });
    assert_eq!(ranges[2], FetchRange { index: 2, start: 528, len: 113, skip: 0, output_offset: 511 });
    assert!(!plan.is_whole());
}

#[test]
fn an_empty_object_is_one_empty_range() {
    let plan = DownloadPlan::new(0, None, 1024).unwrap();
    assert_eq!((plan.output_len(), plan.range_count()), (0, 1));
    assert_eq!(plan.range(0), Some(FetchRange { index: 0, start: 0, len: 0, skip: 0, output_offset: 0 }));
    assert_eq!(plan.range(1), None);
    assert!(DownloadPlan::new(0, Some(ByteRange::From { start: 0 }), 1024).is_err());
}

#[test]
fn huge_objects_get_larger_ranges_not_more_of_them() {
    let plan = DownloadPlan::new(1 << 40, None, 1 << 20).unwrap();
    assert!(plan.range_count() <= MAX_DOWNLOAD_RANGES);
    assert_eq!(plan.range_size() % BLOCK_LEN, 0);
    assert!(DownloadPlan::new(100, None, 17).is_err());
    assert!(DownloadPlan::new(100, None, 0).is_err());
}

#[test]
fn replies_are_planned_from_where_they_start() {
    let plan = FetchPlan::new(17, Some(40)).unwrap();
    assert_eq!(plan.fetch_range(), ByteRange::Inclusive { start: 16, end: 40 });
    assert_eq!(plan.reply(16, 1000).unwrap(), ReplyPlan { first: 17, last: 40, skip: 1, remaining: 24 });
    // A server that ignored the range and sent the whole object.
    assert_eq!(plan.reply(0, 1000).unwrap(), ReplyPlan { first: 17, last: 40, skip: 17, remaining: 24 });
    assert_eq!(plan.reply(32, 1000).unwrap_err(), Error::ReplyStartsLate { returned: 32, wanted: 17 });
    assert!(matches!(plan.reply(16, 10), Err(Error::RangeNotSatisfiable { .. })));
    let open = FetchPlan::new(990, None).unwrap();
    assert_eq!(open.fetch_range(), ByteRange::From { start: 976 });
    assert_eq!(open.reply(976, 1000).unwrap(), ReplyPlan { first: 990, last: 999, skip: 14, remaining: 10 });
    assert_eq!(whole_reply(0, 0).unwrap(), ReplyPlan { first: 0, last: 0, skip: 0, remaining: 0 });
    assert_eq!(whole_reply(0, 5).unwrap().remaining, 5);
    assert!(whole_reply(3, 5).is_err());
}

#[test]
fn a_suffix_is_planned_from_its_reply_alone() {
    // The last 10 of 1000 bytes, served from 990 (no block alignment: CTR
    // starts anywhere), or the whole object by a server that ignored Range.
    assert_eq!(suffix_reply(10, 990, 1000).unwrap(), ReplyPlan { first: 990, last: 999, skip: 0, remaining: 10 });
    assert_eq!(suffix_reply(10, 0, 1000).unwrap(), ReplyPlan { first: 990, last: 999, skip: 990, remaining: 10 });
    assert_eq!(suffix_reply(5000, 0, 1000).unwrap(), ReplyPlan { first: 0, last: 999, skip: 0, remaining: 1000 });
    assert!(suffix_reply(10, 995, 1000).is_err(), "a reply starting late");
    assert!(suffix_reply(0, 0, 1000).is_err());
    assert!(suffix_reply(10, 0, 0).is_err(), "an empty object has no last bytes");
}

fn any_range() -> impl Strategy<Value = Option<ByteRange>> {
    prop_oneof![
        Just(None),
        (0u64..5000, 0u64..5000).prop_map(|(a, b)| Some(ByteRange::Inclusive { start: a.min(b), end: a.max(b) })),
        (0u64..5000).prop_map(|start| Some(ByteRange::From { start })),
        (1u64..5000).prop_map(|len| Some(ByteRange::Suffix { len })),
    ]
}

proptest! {
    /// Against a byte-by-byte model: the ranges fetch exactly the blocks
    /// that hold the wanted bytes, each from a block boundary, and put every
    /// wanted byte once, in order, at its place in the output.
    #[test]
    fn download_plans_match_a_byte_by_byte_model(
        size in 0u64..5000,
        range in any_range(),
        blocks in 1u64..40,
    ) {
        let Ok(plan) = DownloadPlan::new(size, range, blocks * BLOCK_LEN) else {
            // Only an unsatisfiable range is refused.
            prop_assert!(range.is_some_and(|r| r.resolve(size).is_err()));
            return Ok(());
        };
        let wanted: Vec<u64> = match range {
            None => (0..size).collect(),
            Some(r) => { let (a, b) = r.resolve(size).unwrap(); (a..=b).collect() }
        };
        let mut output: Vec<u64> = Vec::new();
        let mut next_fetch = None;
        for r in plan.ranges() {
            prop_assert_eq!(r.start % BLOCK_LEN, 0);
            prop_assert!(r.len <= plan.range_size() && r.skip < BLOCK_LEN.max(1));
            prop_assert!(r.index == 0 || r.skip == 0);
            if let Some(expected) = next_fetch { prop_assert_eq!(r.start, expected); }
            next_fetch = Some(r.start + r.len);
            prop_assert_eq!(r.output_offset, output.len() as u64);
            output.extend((r.start + r.skip)..(r.start + r.len));
        }
        prop_assert_eq!(&output, &wanted);
        prop_assert_eq!(plan.output_len(), wanted.len() as u64);
        prop_assert_eq!(plan.fetched_len(), plan.ranges().map(|r| r.len).sum::<u64>());
        prop_assert_eq!(plan.is_whole(), range.is_none());
    }

    /// A ranged GET's reply, wherever the server started it at or before the
    /// first wanted byte, delivers exactly the wanted bytes.
    #[test]
    fn reply_plans_deliver_exactly_the_wanted_bytes(
        total in 1u64..5000,
        start in 0u64..5000,
        len in proptest::option::of(1u64..3000),
        back in 0u64..64,
    ) {
        let end = len.map(|n| start + n - 1);
        let plan = FetchPlan::new(start, end).unwrap();
        let returned = plan.fetch_start.saturating_sub(back);
        match plan.reply(returned, total) {
            Err(Error::RangeNotSatisfiable { .. }) => prop_assert!(start >= total),
            Err(e) => prop_assert!(false, "{e}"),
            Ok(reply) => {
                let last = end.map_or(total - 1, |e| e.min(total - 1));
                prop_assert_eq!(returned + reply.skip, start);
                prop_assert_eq!(reply.remaining, last + 1 - start);
            }
        }
    }
}
