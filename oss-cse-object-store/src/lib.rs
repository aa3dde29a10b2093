#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod attributes;
mod error;
mod list;
mod multipart;
#[cfg(feature = "parquet")]
mod parquet;
mod read;
mod write;

use std::fmt;

use async_trait::async_trait;
use futures_util::stream::BoxStream;
use object_store::path::Path;
use object_store::{
    CopyOptions, GetOptions, GetResult, ListResult, MultipartUpload, ObjectMeta, ObjectStore, PutMultipartOptions,
    PutOptions, PutPayload, PutResult,
};
use oss_cse_client::EncryptionClient;

pub use error::Error;
pub use multipart::EncryptedUpload;
#[cfg(feature = "parquet")]
pub use parquet::ParquetReader;

/// An [`ObjectStore`] over one OSS bucket whose objects are encrypted on the
/// client with the official SDKs' envelope format: what it writes, oss2 and
/// the Go and Java SDKs decrypt, and the reverse.
///
/// Sizes, ranges and offsets are plaintext ones (AES-CTR keeps lengths, and a
/// range at any byte offset fetches only its 16-byte-aligned blocks). The
/// key ring, plaintext policy, part size and parallel are the
/// [`EncryptionClient`]'s. Cheap to clone.
#[derive(Clone)]
pub struct OssCseStore {
    client: EncryptionClient,
    bucket: String,
}

impl OssCseStore {
    /// A store over `bucket`, reading and writing through `client`.
    pub fn new(client: EncryptionClient, bucket: impl Into<String>) -> Self {
        Self { client, bucket: bucket.into() }
    }

    /// The encryption client underneath.
    pub fn client(&self) -> &EncryptionClient {
        &self.client
    }

    /// The bucket.
    pub fn bucket(&self) -> &str {
        &self.bucket
    }
}

impl fmt::Debug for OssCseStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OssCseStore").field("bucket", &self.bucket).field("client", &self.client).finish()
    }
}

impl fmt::Display for OssCseStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OssCseStore(oss://{})", self.bucket)
    }
}

#[async_trait]
impl ObjectStore for OssCseStore {
    async fn put_opts(
        &self,
        location: &Path,
        payload: PutPayload,
        opts: PutOptions,
    ) -> object_store::Result<PutResult> {
        self.put(location, payload, opts).await
    }

    async fn put_multipart_opts(
        &self,
        location: &Path,
        opts: PutMultipartOptions,
    ) -> object_store::Result<Box<dyn MultipartUpload>> {
        let headers = self.headers(location, &opts.attributes, &opts.tags)?;
        let options = oss_cse_client::PutOptions { headers, ..oss_cse_client::PutOptions::default() };
        let upload =
            EncryptedUpload::start(self.client.clone(), self.bucket.clone(), location.as_ref().to_owned(), options);
        Ok(Box::new(upload))
    }

    async fn get_opts(&self, location: &Path, options: GetOptions) -> object_store::Result<GetResult> {
        self.get(location, options).await
    }

    fn delete_stream(
        &self,
        locations: BoxStream<'static, object_store::Result<Path>>,
    ) -> BoxStream<'static, object_store::Result<Path>> {
        self.delete_batches(locations)
    }

    fn list(&self, prefix: Option<&Path>) -> BoxStream<'static, object_store::Result<ObjectMeta>> {
        self.list_objects(prefix, None)
    }

    fn list_with_offset(
        &self,
        prefix: Option<&Path>,
        offset: &Path,
    ) -> BoxStream<'static, object_store::Result<ObjectMeta>> {
        self.list_objects(prefix, Some(offset))
    }

    async fn list_with_delimiter(&self, prefix: Option<&Path>) -> object_store::Result<ListResult> {
        self.list_delimited(prefix).await
    }

    async fn copy_opts(&self, from: &Path, to: &Path, options: CopyOptions) -> object_store::Result<()> {
        self.copy(from, to, options).await
    }
}
