use proptest::prelude::*;

use super::*;

#[test]
fn counter_for_offsets() {
    let iv = u128::to_be_bytes(0x3a42_5d88_ceb7_8ce4_0000_0000_bee4_265f);
    assert_eq!(counter_block_at(&iv, 1), u128::to_be_bytes(0x3a42_5d88_ceb7_8ce4_0000_0000_bee4_2660));
    assert_eq!(counter_block_for_offset(&iv, 992).unwrap(), counter_block_at(&iv, 62));
    assert_eq!(counter_block_for_offset(&iv, 17).unwrap_err(), Error::UnalignedOffset { offset: 17 });
    assert_eq!(counter_block_at(&[0xFF; 16], 1), [0; 16]);
}

/// The fetch plans recorded from oss2 in `ranged_get.json`.
#[test]
fn fetch_plans_match_the_official_sdk() {
    let cases = [
        ((17, Some(40)), "bytes=16-40", 1),
        ((0, Some(15)), "bytes=0-15", 0),
        ((15, Some(16)), "bytes=0-16", 15),
        ((1, Some(1)), "bytes=0-1", 1),
        ((17, None), "bytes=16-", 1),
        ((999, Some(999)), "bytes=992-999", 7),
        ((990, Some(1500)), "bytes=976-1500", 14),
    ];
    for ((start, end), header, discard) in cases {
        let plan = FetchPlan::new(start, end).unwrap();
        assert_eq!(plan.fetch_range().header_value(), header);
        assert_eq!(plan.discard, discard);
    }
    assert!(FetchPlan::new(5, Some(4)).is_err());
}

#[test]
fn byte_ranges_resolve_like_http() {
    assert_eq!(ByteRange::Inclusive { start: 17, end: 40 }.resolve(1000).unwrap(), (17, 40));
    assert_eq!(ByteRange::Inclusive { start: 990, end: 1500 }.resolve(1000).unwrap(), (990, 999));
    assert_eq!(ByteRange::From { start: 17 }.resolve(1000).unwrap(), (17, 999));
    assert_eq!(ByteRange::Suffix { len: 10 }.resolve(1000).unwrap(), (990, 999));
    assert_eq!(ByteRange::Suffix { len: 5000 }.resolve(1000).unwrap(), (0, 999));
    assert_eq!(
        ByteRange::From { start: 1000 }.resolve(1000).unwrap_err(),
        Error::RangeNotSatisfiable { start: 1000, object_size: 1000 }
    );
    assert!(ByteRange::Suffix { len: 1 }.resolve(0).is_err());
    assert!(ByteRange::Suffix { len: 0 }.resolve(10).is_err());
    assert!(ByteRange::Inclusive { start: 3, end: 2 }.resolve(10).is_err());
}

#[test]
fn part_plan_validation() {
    assert_eq!(PartPlan::new(259_121, 102_400).unwrap().part_count(), 3);
    let last = PartPlan::new(259_121, 102_400).unwrap().part(3).unwrap();
    assert_eq!(last, Part { number: 3, offset: 204_800, len: 54_321 });
    assert_eq!(PartPlan::new(1, 100).unwrap_err(), Error::PartSizeNotMultipleOf16 { part_size: 100 });
    assert_eq!(PartPlan::new(1, 0).unwrap_err(), Error::PartSizeNotMultipleOf16 { part_size: 0 });
    // A small part size is fine when it is the only part.
    assert_eq!(PartPlan::new(100, 112).unwrap().part_count(), 1);
    assert_eq!(
        PartPlan::new(300_000, 1024).unwrap_err(),
        Error::PartSizeTooSmall { part_size: 1024, min: MIN_PART_SIZE }
    );
    assert!(matches!(PartPlan::new(10_001 * 102_400, 102_400), Err(Error::TooManyParts { parts: 10_001, .. })));
    assert!(matches!(PartPlan::new(1, MAX_PART_SIZE + 16), Err(Error::PartSizeTooLarge { .. })));
    let empty = PartPlan::new(0, 102_400).unwrap();
    assert_eq!(empty.parts().collect::<Vec<_>>(), vec![Part { number: 1, offset: 0, len: 0 }]);
    assert!(empty.part(0).is_err());
    assert!(empty.part(2).is_err());
}

#[test]
fn preferred_part_size_follows_the_sdk_rule() {
    assert_eq!(PartPlan::with_preferred_part_size(1 << 20, None).unwrap().part_size(), DEFAULT_PART_SIZE);
    // 200 GiB does not fit in 10,000 parts of 10 MiB: doubled to 40 MiB.
    let big = PartPlan::with_preferred_part_size(200 << 30, None).unwrap();
    assert_eq!(big.part_size(), 40 << 20);
    assert_eq!(PartPlan::with_preferred_part_size(1 << 29, Some(1000)).unwrap().part_size(), MIN_PART_SIZE);
    assert_eq!(PartPlan::with_preferred_part_size(1 << 29, Some(102_401)).unwrap().part_size(), 102_416);
    assert!(PartPlan::with_preferred_part_size(u64::MAX, None).is_err());
}

proptest! {
    /// Part counters tile the object exactly: consecutive parts abut, cover
    /// every byte once, and each part's counter is the whole-object counter at
    /// its offset.
    #[test]
    fn parts_tile_the_object(total in 0u64..(1 << 40), factor in 6_400u64..(1 << 20), iv in any::<[u8; 16]>()) {
        let part_size = factor * 16;
        if let Ok(plan) = PartPlan::new(total, part_size) {
            let mut next = 0;
            for part in plan.parts() {
                prop_assert_eq!(part.offset, next);
                prop_assert!(part.len <= part_size);
                prop_assert!(part.len == part_size || part.number == plan.part_count());
                prop_assert_eq!(part.counter_block(&iv), counter_block_for_offset(&iv, part.offset).unwrap());
                prop_assert_eq!(plan.part(part.number).unwrap(), part);
                next = part.end();
            }
            prop_assert_eq!(next, total);
        }
    }

    /// The fetch plan starts on a block boundary at most 15 bytes before the
    /// user's start, and the counter there decrypts the user's first byte.
    #[test]
    fn fetch_plan_alignment(start in any::<u64>(), len in 0u64..1 << 20) {
        let end = start.checked_add(len);
        let plan = FetchPlan::new(start, end).unwrap();
        prop_assert_eq!(plan.fetch_start % 16, 0);
        prop_assert_eq!(plan.fetch_start + plan.discard, start);
        prop_assert!(plan.discard < 16);
        prop_assert_eq!(plan.fetch_end, end);
    }

    #[test]
    fn resolve_never_panics(start in any::<u64>(), end in any::<u64>(), size in any::<u64>()) {
        for range in [ByteRange::Inclusive { start, end }, ByteRange::From { start }, ByteRange::Suffix { len: end }] {
            if let Ok((first, last)) = range.resolve(size) {
                prop_assert!(first <= last && last < size);
            }
        }
    }
}
