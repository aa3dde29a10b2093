//! The envelope codec (metadata headers to an envelope and back), RSA-2048
//! wrap and unwrap of one object's key and IV, and the KMS layout codec.
//! Run by `cargo xtask bench` (or `cargo bench -p oss-cse-envelope`).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use oss_cse_envelope::core::ContentMaterial;
use oss_cse_envelope::kms_layout::{KmsLayout, ciphertext_blob, wrapped_from_blob};
use oss_cse_envelope::{Envelope, Format, MasterKey, RsaMasterKey, WrappedValue};

fn envelope(c: &mut Criterion) {
    let Ok((key, _, _)) = RsaMasterKey::generate(2048) else { return };
    let material = ContentMaterial::generate(&mut rand_core::UnwrapErr(rand::rngs::SysRng));
    let Ok(wrapped) = futures::executor::block_on(key.wrap(&material, Format::V2)) else { return };
    let envelope = Envelope::new(Format::V2, wrapped);
    let Ok(headers) = envelope.to_headers() else { return };

    let mut group = c.benchmark_group("envelope");
    group.bench_function("V2 headers to an envelope", |b| {
        b.iter(|| Envelope::from_headers(black_box(&headers).iter().map(|(k, v)| (*k, v.as_bytes()))).is_ok());
    });
    group.bench_function("envelope to V2 headers", |b| b.iter(|| black_box(&envelope).to_headers().is_ok()));
    group.bench_function("RSA-2048 wrap (key and IV, OAEP)", |b| {
        b.iter(|| futures::executor::block_on(key.wrap(black_box(&material), Format::V2)).is_ok());
    });
    group.bench_function("RSA-2048 unwrap (key and IV, side by side)", |b| {
        b.iter(|| futures::executor::block_on(key.unwrap(black_box(&envelope))).is_ok());
    });
    // A KMS CiphertextBlob as KMS returns it (base64 text), stored in the
    // layout of the Go and Java SDKs and read back.
    let blob = "ZGVmYXVsdC1rZXktaWQtMTIzNDU2Nzg5MGFiY2RlZjAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVm";
    group.bench_function("KMS blob layout, store and read back", |b| {
        b.iter(|| {
            let stored = wrapped_from_blob(black_box(blob), KmsLayout::BlobText, WrappedValue::DataKey);
            stored.and_then(|bytes| ciphertext_blob(&bytes, WrappedValue::DataKey)).is_ok()
        });
    });
    group.finish();
}

criterion_group!(benches, envelope);
criterion_main!(benches);
