//! One column of a Parquet file read through the encrypted store
//! (`oss-cse-object-store`) beside the same read of the same file stored as
//! plaintext, through the same store, client and emulator (which only skips
//! the unwrap and the decryption): wall and client CPU time per read, and the
//! bytes the emulator sent for each (its `/proc/PID/io` write count).

use std::sync::Arc;
use std::time::Instant;

use arrow_array::{Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use futures_util::TryStreamExt;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt};
use oss_cse_client::{Body, EncryptionClient, EncryptionOptions, PlaintextPolicy};
use oss_cse_object_store::{OssCseStore, ParquetReader};
use parquet::arrow::{ArrowWriter, ParquetRecordBatchStreamBuilder, ProjectionMask};
use parquet::file::properties::WriterProperties;

use crate::wire::cpu_seconds;
use crate::{BUCKET, BoxResult, Report, Server, rsa_ring};

const ROW_GROUP: usize = 256 * 1024;

/// A file of `rows` rows: an id, a 16-byte name and a value per row, in row
/// groups of 256 Ki rows, uncompressed (so bytes fetched are bytes stored).
fn parquet_file(rows: usize) -> BoxResult<Vec<u8>> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new("name", DataType::Utf8, false),
        Field::new("value", DataType::Float64, false),
    ]));
    let props = WriterProperties::builder().set_max_row_group_row_count(Some(ROW_GROUP)).build();
    let mut out = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut out, schema.clone(), Some(props))?;
    for start in (0..rows).step_by(ROW_GROUP) {
        let range = start as i64..(start + ROW_GROUP).min(rows) as i64;
        let ids = Int64Array::from_iter_values(range.clone());
        let names = StringArray::from_iter_values(range.clone().map(|i| format!("patient-{i:08}")));
        let values = Float64Array::from_iter_values(range.map(|i| i as f64 * 0.5));
        writer.write(&RecordBatch::try_new(schema.clone(), vec![Arc::new(ids), Arc::new(names), Arc::new(values)])?)?;
    }
    writer.close()?;
    Ok(out)
}

/// Reads the `value` column of every row group and returns its sum.
async fn read_value_column(store: Arc<dyn ObjectStore>, path: &Path) -> BoxResult<f64> {
    let builder = ParquetRecordBatchStreamBuilder::new(ParquetReader::new(store, path.clone())).await?;
    let mask = ProjectionMask::roots(builder.parquet_schema(), [2]);
    let batches: Vec<RecordBatch> = builder.with_projection(mask).build()?.try_collect().await?;
    let mut sum = 0.0;
    for batch in &batches {
        let column = batch.column(0).as_any().downcast_ref::<Float64Array>().ok_or("not a Float64 column")?;
        sum += column.values().iter().sum::<f64>();
    }
    Ok(sum)
}

/// Time and bytes of `reps` reads, alternating with the baseline's.
struct Reads {
    wall: f64,
    cpu: f64,
    served: u64,
}

pub(crate) async fn parquet_benches(report: &mut Report, quick: bool, server: &Server) -> BoxResult<()> {
    let rows = if quick { 1 << 20 } else { 4 << 20 };
    let reps = if quick { 3 } else { 8 };
    let file = parquet_file(rows)?;
    let size = file.len() as u64;
    let ring = rsa_ring()?;
    let encrypted: Arc<dyn ObjectStore> =
        Arc::new(OssCseStore::new(EncryptionClient::new(server.oss.clone(), ring.clone()), BUCKET));
    let options = EncryptionOptions { plaintext_policy: PlaintextPolicy::PassThrough, ..EncryptionOptions::default() };
    let plain: Arc<dyn ObjectStore> =
        Arc::new(OssCseStore::new(EncryptionClient::new(server.oss.clone(), ring).with_options(options)?, BUCKET));
    let (encrypted_path, plain_path) = (Path::from("parquet/encrypted.parquet"), Path::from("parquet/plain.parquet"));
    encrypted.put(&encrypted_path, file.clone().into()).await?;
    server.oss.put_object(BUCKET, plain_path.as_ref(), Body::from(file), vec![]).await?;
    let expected: f64 = (0..rows).map(|i| i as f64 * 0.5).sum();
    let mut runs = [Reads { wall: 0.0, cpu: 0.0, served: 0 }, Reads { wall: 0.0, cpu: 0.0, served: 0 }];
    for rep in 0..=reps {
        for (which, (store, path)) in [(&encrypted, &encrypted_path), (&plain, &plain_path)].into_iter().enumerate() {
            let (start, cpu, served) = (Instant::now(), cpu_seconds(), server.process.bytes_written());
            let sum = read_value_column(store.clone(), path).await?;
            if sum != expected {
                return Err(format!("the value column summed to {sum}, not {expected}").into());
            }
            // The first round warms connections, the RSA helper and the page cache.
            if rep > 0 {
                runs[which].wall += start.elapsed().as_secs_f64();
                runs[which].cpu += cpu_seconds() - cpu;
                runs[which].served += server.process.bytes_written() - served;
            }
        }
    }
    let [enc, base] = runs;
    let per = |x: f64| x / reps as f64 * 1e3;
    let mib = |b: u64| b as f64 / reps as f64 / (1 << 20) as f64;
    let what = format!("1 of 3 columns, {:.0} MiB file", size as f64 / (1 << 20) as f64);
    report.add(
        "parquet",
        format!("{what}: wall"),
        per(enc.wall),
        "ms",
        "plain store",
        Some(enc.wall / base.wall),
        Some("<= 1.15"),
    );
    report.add(
        "parquet",
        format!("{what}: client CPU"),
        per(enc.cpu),
        "ms",
        "plain store",
        Some(enc.cpu / base.cpu),
        Some("<= 1.15"),
    );
    report.add(
        "parquet",
        format!("{what}: bytes served"),
        mib(enc.served),
        "MiB",
        "plain store",
        Some(enc.served as f64 / base.served.max(1) as f64),
        None,
    );
    Ok(())
}
