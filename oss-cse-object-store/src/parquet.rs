//! Parquet's async reader over an `ObjectStore` (feature `parquet`): the
//! `AsyncFileReader` that parquet 59 asks stores to provide now that its own
//! `ParquetObjectReader` is deprecated. Column chunks are fetched with
//! `get_ranges` (coalesced by `object_store`), the footer with one suffix
//! range, so a projection or a row-group selection reads only its bytes.

use std::ops::Range;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use object_store::path::Path;
use object_store::{GetOptions, GetRange, ObjectStore, ObjectStoreExt};
use parquet::arrow::arrow_reader::ArrowReaderOptions;
use parquet::arrow::async_reader::{AsyncFileReader, MetadataSuffixFetch};
use parquet::errors::{ParquetError, Result};
use parquet::file::metadata::{ParquetMetaData, ParquetMetaDataReader};

/// Reads one Parquet file from a store, for
/// `ParquetRecordBatchStreamBuilder::new`.
#[derive(Debug, Clone)]
pub struct ParquetReader {
    store: Arc<dyn ObjectStore>,
    path: Path,
}

impl ParquetReader {
    /// A reader of `path` in `store` (an [`OssCseStore`](crate::OssCseStore)
    /// or any other).
    pub fn new(store: Arc<dyn ObjectStore>, path: Path) -> Self {
        Self { store, path }
    }
}

fn external(error: object_store::Error) -> ParquetError {
    ParquetError::External(Box::new(error))
}

impl AsyncFileReader for ParquetReader {
    fn get_bytes(&mut self, range: Range<u64>) -> BoxFuture<'_, Result<Bytes>> {
        async move { self.store.get_range(&self.path, range).await.map_err(external) }.boxed()
    }

    fn get_byte_ranges(&mut self, ranges: Vec<Range<u64>>) -> BoxFuture<'_, Result<Vec<Bytes>>> {
        async move { self.store.get_ranges(&self.path, &ranges).await.map_err(external) }.boxed()
    }

    fn get_metadata<'a>(
        &'a mut self,
        options: Option<&'a ArrowReaderOptions>,
    ) -> BoxFuture<'a, Result<Arc<ParquetMetaData>>> {
        async move {
            let metadata = ParquetMetaDataReader::new()
                .with_arrow_reader_options(options)
                .load_via_suffix_and_finish(self)
                .await?;
            Ok(Arc::new(metadata))
        }
        .boxed()
    }
}

/// The footer is read as a suffix range: no HEAD for the size first.
impl MetadataSuffixFetch for &mut ParquetReader {
    fn fetch_suffix(&mut self, suffix: usize) -> BoxFuture<'_, Result<Bytes>> {
        let options = GetOptions { range: Some(GetRange::Suffix(suffix as u64)), ..GetOptions::default() };
        async move {
            let result = self.store.get_opts(&self.path, options).await.map_err(external)?;
            result.bytes().await.map_err(external)
        }
        .boxed()
    }
}
