//! The content cipher at chunk sizes from 16 B to 8 MiB, from a block
//! boundary and from an unaligned offset, beside RustCrypto's `aes` + `ctr`
//! on the same bytes, so the choice of aws-lc-rs stays a measured one.
//! Run by `cargo xtask bench` (or `cargo bench -p oss-cse-core --bench cipher`).

use std::hint::black_box;

use aes::cipher::{KeyIvInit, StreamCipher, StreamCipherSeek};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use oss_cse_core::{Aes256Ctr, DataKey, Iv};

const SIZES: [usize; 6] = [16, 256, 4 << 10, 64 << 10, 1 << 20, 8 << 20];

type RustCryptoCtr = ctr::Ctr128BE<aes::Aes256>;

fn cipher(c: &mut Criterion) {
    let (key, iv) = ([7u8; 32], [9u8; 16]);
    let (data_key, data_iv) = match (DataKey::from_slice(&key), Iv::from_slice(&iv)) {
        (Ok(k), Ok(i)) => (k, i),
        _ => return,
    };
    let mut ours = Aes256Ctr::new(&data_key, &data_iv);
    let mut theirs = RustCryptoCtr::new(&key.into(), &iv.into());
    for (name, offset) in [("aligned", 0u64), ("offset 7", 7)] {
        let mut group = c.benchmark_group(format!("cipher/{name}"));
        for size in SIZES {
            let mut buf = vec![0x5Au8; size];
            group.throughput(Throughput::Bytes(size as u64));
            group.bench_with_input(BenchmarkId::new("aws-lc-rs", size), &size, |b, _| {
                b.iter(|| {
                    ours.seek(offset);
                    ours.apply_keystream(black_box(&mut buf));
                });
            });
            group.bench_with_input(BenchmarkId::new("rustcrypto", size), &size, |b, _| {
                b.iter(|| {
                    theirs.seek(offset);
                    theirs.apply_keystream(black_box(&mut buf));
                });
            });
        }
        group.finish();
    }
}

criterion_group!(benches, cipher);
criterion_main!(benches);
