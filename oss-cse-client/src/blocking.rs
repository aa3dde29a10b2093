//! A blocking facade over the async [`EncryptionClient`](crate::EncryptionClient),
//! for programs without an async runtime. It owns a small runtime and drives
//! the same async code with `block_on`; nothing here is a second
//! implementation. Calling it from inside an async runtime is refused with
//! [`Error::InsideAsyncRuntime`] rather than deadlocking.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt;
use oss_cse_envelope::{Envelope, MasterKey};

use crate::oss::types::WriteOutput;
use crate::{
    ByteRange, CopyOptions, CopyOutput, DecryptingBody, DownloadOptions, Error, ObjectMeta, PutOptions, Result,
    UploadOptions,
};

/// Chunks in flight between a `Read` source and the upload.
const PUMP_DEPTH: usize = 4;
/// Size of each chunk read from a `Read` source.
const PUMP_CHUNK: usize = 1 << 20;

/// The blocking encryption client. Cheap to clone.
#[derive(Debug, Clone)]
pub struct EncryptionClient {
    inner: crate::EncryptionClient,
    runtime: Arc<tokio::runtime::Runtime>,
}

impl EncryptionClient {
    /// Wraps an async client with a runtime of its own (two worker threads).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if the runtime cannot start.
    pub fn new(inner: crate::EncryptionClient) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("oss-cse-blocking")
            .enable_all()
            .build()
            .map_err(|e| Error::invalid_argument(format!("cannot start the blocking client's runtime: {e}")))?;
        Ok(Self { inner, runtime: Arc::new(runtime) })
    }

    /// The async client inside.
    pub fn async_client(&self) -> &crate::EncryptionClient {
        &self.inner
    }

    fn block_on<F: std::future::Future>(&self, future: F) -> Result<F::Output> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::InsideAsyncRuntime);
        }
        Ok(self.runtime.block_on(future))
    }

    /// Runs any async operation of the client (or of its [`OssClient`](crate::OssClient),
    /// through [`async_client`](Self::async_client)) to completion on this
    /// facade's runtime: the way to reach the operations without a blocking
    /// method of their own, such as the low-level multipart calls or listings.
    ///
    /// ```no_run
    /// # fn example(client: &oss_cse_client::blocking::EncryptionClient) -> oss_cse_client::Result<()> {
    /// let meta = client.run(client.async_client().oss().head_object("bucket", "key"))??;
    /// # let _ = meta; Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InsideAsyncRuntime`] when called from inside an async runtime.
    pub fn run<F: std::future::Future>(&self, future: F) -> Result<F::Output> {
        self.block_on(future)
    }

    /// See [`crate::EncryptionClient::put_object`].
    ///
    /// # Errors
    /// As the async method, and [`Error::InsideAsyncRuntime`].
    pub fn put_object(
        &self,
        bucket: &str,
        key: &str,
        plaintext: impl Into<Vec<u8>>,
        options: &PutOptions,
    ) -> Result<WriteOutput> {
        self.block_on(self.inner.put_object(bucket, key, plaintext, options))?
    }

    /// Uploads `len` bytes read from `reader`: a thread pumps chunks through
    /// a bounded channel into the async upload, so memory stays at a few MiB.
    ///
    /// # Errors
    /// As [`crate::EncryptionClient::put_reader`], and read errors of `reader`.
    pub fn put_reader<R: Read + Send + 'static>(
        &self,
        bucket: &str,
        key: &str,
        mut reader: R,
        len: u64,
        options: &PutOptions,
    ) -> Result<WriteOutput> {
        let (tx, rx) = tokio::sync::mpsc::channel::<std::io::Result<Bytes>>(PUMP_DEPTH);
        let pump = std::thread::spawn(move || {
            let mut remaining = len;
            while remaining > 0 {
                let mut buf = vec![0u8; remaining.min(PUMP_CHUNK as u64) as usize];
                let item = reader.read_exact(&mut buf).map(|()| Bytes::from(buf));
                let failed = item.is_err();
                if tx.blocking_send(item).is_err() || failed {
                    return;
                }
                remaining -= PUMP_CHUNK.min(remaining as usize) as u64;
            }
        });
        let stream =
            futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) }).boxed();
        let source = tokio_util::io::StreamReader::new(stream);
        let result = self.block_on(self.inner.put_reader(bucket, key, source, len, options));
        let _ = pump.join();
        result?
    }

    /// See [`crate::EncryptionClient::put_file`].
    ///
    /// # Errors
    /// As the async method, and [`Error::InsideAsyncRuntime`].
    pub fn put_file(&self, bucket: &str, key: &str, path: &Path, options: &UploadOptions) -> Result<WriteOutput> {
        self.block_on(self.inner.put_file(bucket, key, path, options))?
    }

    /// Opens an object (or a range) for reading; the reader decrypts as it goes.
    ///
    /// # Errors
    /// As [`crate::EncryptionClient::get_object`].
    pub fn get_object(&self, bucket: &str, key: &str, range: Option<ByteRange>) -> Result<ObjectReader> {
        let object = self.block_on(self.inner.get_object(bucket, key, range))??;
        Ok(ObjectReader {
            runtime: self.runtime.clone(),
            meta: object.meta,
            envelope: object.envelope,
            body: object.body,
            pending: Bytes::new(),
        })
    }

    /// See [`crate::EncryptionClient::get_file`].
    ///
    /// # Errors
    /// As the async method, and [`Error::InsideAsyncRuntime`].
    pub fn get_file(&self, bucket: &str, key: &str, path: &Path, options: &DownloadOptions) -> Result<u64> {
        self.block_on(self.inner.get_file(bucket, key, path, options))?
    }

    /// See [`crate::EncryptionClient::copy_object`].
    ///
    /// # Errors
    /// As the async method, and [`Error::InsideAsyncRuntime`].
    pub fn copy_object(&self, source_bucket: &str, source_key: &str, bucket: &str, key: &str) -> Result<CopyOutput> {
        self.block_on(self.inner.copy_object(source_bucket, source_key, bucket, key))?
    }

    /// See [`crate::EncryptionClient::copy_object_with`].
    ///
    /// # Errors
    /// As the async method, and [`Error::InsideAsyncRuntime`].
    pub fn copy_object_with(
        &self,
        source_bucket: &str,
        source_key: &str,
        bucket: &str,
        key: &str,
        options: &CopyOptions,
    ) -> Result<CopyOutput> {
        self.block_on(self.inner.copy_object_with(source_bucket, source_key, bucket, key, options))?
    }

    /// See [`crate::EncryptionClient::update_metadata`].
    ///
    /// # Errors
    /// As the async method, and [`Error::InsideAsyncRuntime`].
    pub fn update_metadata(&self, bucket: &str, key: &str, headers: Vec<(String, String)>) -> Result<WriteOutput> {
        self.block_on(self.inner.update_metadata(bucket, key, headers))?
    }

    /// See [`crate::EncryptionClient::resume_upload_from_server`].
    ///
    /// # Errors
    /// As the async method, and [`Error::InsideAsyncRuntime`].
    pub fn resume_upload_from_server(
        &self,
        bucket: &str,
        key: &str,
        path: &Path,
        options: &PutOptions,
    ) -> Result<Option<WriteOutput>> {
        self.block_on(self.inner.resume_upload_from_server(bucket, key, path, options))?
    }

    /// See [`crate::OssClient::head_object`].
    ///
    /// # Errors
    /// As the async method, and [`Error::InsideAsyncRuntime`].
    pub fn head_object(&self, bucket: &str, key: &str) -> Result<ObjectMeta> {
        self.block_on(self.inner.oss().head_object(bucket, key))?
    }

    /// See [`crate::OssClient::delete_object`].
    ///
    /// # Errors
    /// As the async method, and [`Error::InsideAsyncRuntime`].
    pub fn delete_object(&self, bucket: &str, key: &str) -> Result<()> {
        self.block_on(self.inner.oss().delete_object(bucket, key))?
    }

    /// See [`crate::EncryptionClient::rewrap`].
    ///
    /// # Errors
    /// As the async method.
    pub fn rewrap(&self, bucket: &str, key: &str, new_key: &dyn MasterKey) -> Result<Envelope> {
        self.block_on(self.inner.rewrap(bucket, key, new_key))?
    }

    /// See [`crate::EncryptionClient::rewrap_with`].
    ///
    /// # Errors
    /// As the async method.
    pub fn rewrap_with(
        &self,
        bucket: &str,
        key: &str,
        new_key: &dyn MasterKey,
        options: &crate::RewrapOptions,
    ) -> Result<Envelope> {
        self.block_on(self.inner.rewrap_with(bucket, key, new_key, options))?
    }
}

/// A decrypting object reader implementing [`std::io::Read`].
#[derive(Debug)]
pub struct ObjectReader {
    runtime: Arc<tokio::runtime::Runtime>,
    /// Metadata of the object.
    pub meta: ObjectMeta,
    /// Its envelope, if encrypted.
    pub envelope: Option<Envelope>,
    body: DecryptingBody,
    pending: Bytes,
}

impl Read for ObjectReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pending.is_empty() {
            // block_on inside a runtime panics: refuse as the client does.
            if tokio::runtime::Handle::try_current().is_ok() {
                return Err(std::io::Error::other(Error::InsideAsyncRuntime));
            }
            match self.runtime.block_on(self.body.next()) {
                None => return Ok(0),
                Some(Ok(chunk)) => self.pending = chunk,
                Some(Err(error)) => return Err(std::io::Error::other(error)),
            }
        }
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.pending[..n]);
        self.pending = self.pending.slice(n..);
        Ok(n)
    }
}
