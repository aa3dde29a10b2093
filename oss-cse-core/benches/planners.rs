//! The pure planners: the part plan of an upload, the range plan of a
//! download, and the counter block at an offset. They run once per transfer
//! or per range, so they only need to stay far below a request's cost.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use oss_cse_core::offset::counter_block_at;
use oss_cse_core::{ByteRange, DownloadPlan, PartPlan};

const GIB: u64 = 1 << 30;

fn planners(c: &mut Criterion) {
    let mut group = c.benchmark_group("planners");
    group.bench_function("part plan of 48.8 TiB, all 10,000 parts", |b| {
        b.iter(|| {
            let plan = PartPlan::with_preferred_part_size(black_box(50_000 * GIB), Some(8 << 20));
            plan.map(|p| p.parts().map(|part| part.len).sum::<u64>()).unwrap_or(0)
        });
    });
    group.bench_function("range plan of 1 GiB in 8 MiB ranges", |b| {
        b.iter(|| {
            let plan = DownloadPlan::new(black_box(GIB), None, 8 << 20);
            plan.map(|p| p.ranges().map(|r| r.len).sum::<u64>()).unwrap_or(0)
        });
    });
    group.bench_function("range plan of an unaligned 1 MiB range", |b| {
        let range = ByteRange::Inclusive { start: 123_457, end: 123_457 + (1 << 20) };
        b.iter(|| DownloadPlan::new(black_box(GIB), Some(range), 8 << 20).map(|p| p.ranges().count()).unwrap_or(0));
    });
    group.bench_function("counter block at an offset", |b| {
        let iv = [0xFFu8; 16];
        b.iter(|| counter_block_at(black_box(&iv), black_box(0x1234_5678)));
    });
    group.finish();
}

criterion_group!(benches, planners);
criterion_main!(benches);
