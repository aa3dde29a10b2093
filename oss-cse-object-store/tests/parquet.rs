//! A real consumer: Parquet written and read through the encrypted store
//! (`AsyncArrowWriter` over object_store's `BufWriter`, and this crate's
//! `ParquetReader` with a projection and a row-group selection), the bytes at
//! rest checked to be ciphertext, and the same object decrypted by oss2 to the
//! same file. (parquet 59 deprecates `ParquetObjectWriter`, a wrapper of that
//! `BufWriter`, and `ParquetObjectReader`, asking stores for an
//! `AsyncFileReader` of their own: `ParquetReader` is that.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::Arc;
use std::sync::atomic::Ordering;

use arrow_array::{Array, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use futures_util::TryStreamExt;
use object_store::buffered::BufWriter;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt};
use oss_cse_client::{EncryptionOptions, GetOptions};
use oss_cse_object_store::ParquetReader;
use parquet::arrow::ProjectionMask;
use parquet::arrow::async_reader::ParquetRecordBatchStreamBuilder;
use parquet::arrow::async_writer::AsyncArrowWriter;
use parquet::file::properties::WriterProperties;

use support::counting::Counting;
use support::*;

const ROWS: i64 = 60_000;
const ROW_GROUP: usize = 20_000;

fn batch() -> RecordBatch {
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new("name", DataType::Utf8, false),
        Field::new("value", DataType::Float64, false),
    ]));
    let ids = Int64Array::from_iter_values(0..ROWS);
    let names = StringArray::from_iter_values((0..ROWS).map(|i| format!("patient-{i:08}")));
    let values = Float64Array::from_iter_values((0..ROWS).map(|i| i as f64 * 0.5));
    RecordBatch::try_new(schema, vec![Arc::new(ids), Arc::new(names), Arc::new(values)]).unwrap()
}

/// Writes the batch in three row groups through `store`, in small buffered
/// parts so the encrypted multipart writer (and its spool) is what writes it.
async fn write(store: Arc<dyn ObjectStore>, path: &Path) {
    let props = WriterProperties::builder().set_max_row_group_row_count(Some(ROW_GROUP)).build();
    let sink = BufWriter::with_capacity(store, path.clone(), 128 * 1024);
    let mut writer = AsyncArrowWriter::try_new(sink, batch().schema(), Some(props)).unwrap();
    writer.write(&batch()).await.unwrap();
    writer.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parquet_round_trips_through_the_encrypted_store_and_oss2_reads_the_same_file() {
    let options = EncryptionOptions { part_size: 100 * 1024, ..EncryptionOptions::default() };
    let h = start_with(options).await;
    let path = Path::from("tables/patients.parquet");
    write(h.dyn_store(), &path).await;

    let plaintext = h.store.get(&path).await.unwrap().bytes().await.unwrap();
    let size = plaintext.len() as u64;
    assert!(size > 300 * 1024, "the file ({size} bytes) should span several parts");
    assert_eq!(&plaintext[..4], b"PAR1");
    assert_eq!(&plaintext[plaintext.len() - 4..], b"PAR1");

    // At rest: ciphertext of the same length, under the envelope.
    let raw = h.oss.get_object(BUCKET, path.as_ref(), &GetOptions::default()).await.unwrap();
    assert!(raw.meta.header("x-oss-meta-client-side-encryption-key").is_some());
    let stored = raw.body.collect().await.unwrap();
    assert_eq!(stored.len() as u64, size);
    assert_ne!(&stored[..4], b"PAR1");
    assert_ne!(stored, plaintext.to_vec());
    assert!(!stored.windows(b"patient-00012345".len()).any(|w| w == b"patient-00012345"));

    // One column of one row group: only some byte ranges are fetched.
    let counting = Arc::new(Counting::new(h.dyn_store()));
    let reader = ParquetReader::new(counting.clone(), path.clone());
    let builder = ParquetRecordBatchStreamBuilder::new(reader).await.unwrap();
    assert_eq!(builder.metadata().num_row_groups(), 3);
    let projection = ProjectionMask::roots(builder.parquet_schema(), [2]);
    let stream = builder.with_projection(projection).with_row_groups(vec![1]).build().unwrap();
    let batches: Vec<RecordBatch> = stream.try_collect().await.unwrap();
    let values: Vec<f64> = batches
        .iter()
        .flat_map(|b| {
            assert_eq!(b.num_columns(), 1);
            let column = b.column(0).as_any().downcast_ref::<Float64Array>().unwrap();
            column.values().to_vec()
        })
        .collect();
    let expected: Vec<f64> = (ROW_GROUP as i64..2 * ROW_GROUP as i64).map(|i| i as f64 * 0.5).collect();
    assert_eq!(values, expected);
    let fetched = counting.bytes.load(Ordering::Relaxed);
    let reads = counting.reads.load(Ordering::Relaxed);
    assert!(reads >= 2, "footer and column chunk: {reads} reads");
    assert!(fetched < size / 3, "{fetched} of {size} bytes fetched for one column of one row group");
    let line = format!("parquet: one column of one row group of {size} bytes: {reads} reads, {fetched} bytes");
    oss_cse_emulator::testing::report(env!("CARGO_TARGET_TMPDIR"), "parquet-ranges", &line);

    // The whole file reads back with every column.
    let reader = ParquetReader::new(h.dyn_store(), path.clone());
    let all: Vec<RecordBatch> =
        ParquetRecordBatchStreamBuilder::new(reader).await.unwrap().build().unwrap().try_collect().await.unwrap();
    assert_eq!(all.iter().map(RecordBatch::num_rows).sum::<usize>(), ROWS as usize);
    let names = all.last().unwrap().column(1).as_any().downcast_ref::<StringArray>().unwrap();
    assert_eq!(names.value(names.len() - 1), format!("patient-{:08}", ROWS - 1));

    if !oss_cse_emulator::testing::python_with_oss2("oss2 reading the Parquet file") {
        return;
    }
    let out = h.dir.path().join("from-oss2.parquet");
    let output = tokio::task::block_in_place(|| {
        oss_cse_emulator::testing::oss2_peer(&repo(), &h.emulator, BUCKET, &repo().join("vectors/keys"))
            .args(["fetch", path.as_ref(), out.to_str().unwrap()])
            .output()
            .expect("python3 runs")
    });
    assert!(output.status.success(), "oss2: {}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(std::fs::read(&out).unwrap(), plaintext.to_vec(), "oss2 decrypted another file");
}

/// One column of a file in 16 row groups, read as a query engine reads it:
/// the footer by a suffix range (one GET, no HEAD: CTR decrypts from any
/// byte), then each row group's column chunk. The data key is unwrapped
/// once for all of them (the RSA private-key operation is what a ranged
/// read paid again each time); with the material cache off, once a read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ranged_reads_of_one_object_unwrap_its_key_once() {
    use oss_cse_client::envelope::KeyRing;
    use support::counting_key::CountingKey;

    const GROUPS: usize = 16;
    let unwraps = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let key = CountingKey { inner: Box::new(rsa_key()), unwraps: unwraps.clone() };
    let options = EncryptionOptions { part_size: 100 * 1024, ..EncryptionOptions::default() };
    let h = start_with_ring(options.clone(), KeyRing::new(key)).await;
    let path = Path::from("tables/grouped.parquet");
    let props = WriterProperties::builder().set_max_row_group_row_count(Some(ROWS as usize / GROUPS)).build();
    let sink = BufWriter::with_capacity(h.dyn_store(), path.clone(), 128 * 1024);
    let mut writer = AsyncArrowWriter::try_new(sink, batch().schema(), Some(props)).unwrap();
    writer.write(&batch()).await.unwrap();
    writer.close().await.unwrap();

    let read_one_column = |store: Arc<dyn ObjectStore>| {
        let path = path.clone();
        async move {
            let counting = Arc::new(Counting::new(store));
            let builder =
                ParquetRecordBatchStreamBuilder::new(ParquetReader::new(counting.clone(), path)).await.unwrap();
            assert_eq!(builder.metadata().num_row_groups(), GROUPS);
            let projection = ProjectionMask::roots(builder.parquet_schema(), [2]);
            let batches: Vec<RecordBatch> =
                builder.with_projection(projection).build().unwrap().try_collect().await.unwrap();
            assert_eq!(batches.iter().map(RecordBatch::num_rows).sum::<usize>(), ROWS as usize);
            counting.reads.load(Ordering::Relaxed)
        }
    };
    let (heads, before) = (h.emulator.faults().count("HeadObject"), unwraps.load(Ordering::Relaxed));
    let reads = read_one_column(h.dyn_store()).await;
    let unwrapped = unwraps.load(Ordering::Relaxed) - before;
    assert!(reads > GROUPS as u64, "a footer and {GROUPS} column chunks: {reads} reads");
    assert_eq!(unwrapped, 1, "one RSA unwrap for {reads} ranged reads of one object");
    assert_eq!(h.emulator.faults().count("HeadObject"), heads, "no HEAD: the footer's suffix range is one GET");

    // The cache off: an unwrap per read.
    let off = EncryptionOptions { material_cache_entries: 0, ..options };
    let client = h.store.client().clone().with_options(off).unwrap();
    let uncached: Arc<dyn ObjectStore> = Arc::new(oss_cse_object_store::OssCseStore::new(client, BUCKET));
    let before = unwraps.load(Ordering::Relaxed);
    let reads_off = read_one_column(uncached).await;
    assert_eq!(unwraps.load(Ordering::Relaxed) - before, reads_off, "without the cache, one unwrap a read");
    let line = format!(
        "parquet: one column of {GROUPS} row groups: {reads} ranged reads, 1 RSA unwrap (material cache off: {reads_off})"
    );
    oss_cse_emulator::testing::report(env!("CARGO_TARGET_TMPDIR"), "parquet-unwraps", &line);
}
