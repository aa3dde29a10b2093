//! `Client.open(bucket, key, "wb")`: a streaming writer. Bytes written go
//! through a bounded channel to the client's `put_stream`, running on a
//! thread of its own, so memory stays at a few chunks. With
//! `expected_size` the stream is sent as it is written (and a stream of
//! another length is refused before the upload completes); without it, the
//! unknown-length rule applies: a stream longer than one part is encrypted
//! into a temporary ciphertext spool first (never plaintext on disk). Closing
//! commits; leaving a `with` block by an exception, or dropping the writer
//! unclosed, aborts: nothing is stored.

use std::sync::Mutex;
use std::thread::JoinHandle;

use bytes::Bytes;
use oss_cse_client::PutOptions;
use oss_cse_client::blocking::EncryptionClient as Blocking;
use oss_cse_client::types::WriteOutput;
use pyo3::prelude::*;

use crate::errors::{Error, detached, to_py};

/// Chunks buffered between `write` and the upload.
const DEPTH: usize = 4;

type Chunk = std::io::Result<Bytes>;

/// A writable object (`write`, `close`, a context manager).
#[pyclass(module = "oss_cse", frozen)]
pub(crate) struct Writer {
    sender: Mutex<Option<tokio::sync::mpsc::Sender<Chunk>>>,
    upload: Mutex<Option<JoinHandle<oss_cse_client::Result<WriteOutput>>>>,
    etag: Mutex<Option<String>>,
}

impl Writer {
    pub(crate) fn start(
        client: Blocking,
        (bucket, key): (&str, &str),
        expected_size: Option<u64>,
        headers: Vec<(String, String)>,
    ) -> Self {
        let (sender, receiver) = tokio::sync::mpsc::channel::<Chunk>(DEPTH);
        let (bucket, key) = (bucket.to_owned(), key.to_owned());
        let upload = std::thread::spawn(move || {
            let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
                receiver.recv().await.map(|chunk| (chunk, receiver))
            });
            let reader = tokio_util::io::StreamReader::new(Box::pin(stream));
            let options = PutOptions { expected_size, headers, ..PutOptions::default() };
            client.run(client.async_client().put_stream(&bucket, &key, reader, &options))?
        });
        Self { sender: Mutex::new(Some(sender)), upload: Mutex::new(Some(upload)), etag: Mutex::new(None) }
    }

    /// Ends the stream (with `failure`, the upload is aborted) and waits for
    /// the upload; its ETag, or its error.
    fn finish(&self, failure: Option<String>) -> PyResult<Option<String>> {
        let sender = self.sender.lock().map_err(|_| Error::new_err("a writer was poisoned"))?.take();
        if let (Some(sender), Some(reason)) = (&sender, failure) {
            let _ = sender.blocking_send(Err(std::io::Error::other(reason)));
        }
        drop(sender);
        let upload = self.upload.lock().map_err(|_| Error::new_err("a writer was poisoned"))?.take();
        let Some(upload) = upload else {
            return Ok(self.etag.lock().ok().and_then(|etag| etag.clone()));
        };
        let written = upload.join().map_err(|_| Error::new_err("internal error: the upload thread panicked"))?;
        let etag = written.map_err(|e| to_py(&e))?.etag;
        if let Ok(mut kept) = self.etag.lock() {
            *kept = Some(etag.clone());
        }
        Ok(Some(etag))
    }
}

#[pymethods]
impl Writer {
    /// Writes `data` (blocks while the upload catches up); returns its length.
    fn write(&self, py: Python<'_>, data: Vec<u8>) -> PyResult<usize> {
        let len = data.len();
        let sender = self.sender.lock().map_err(|_| Error::new_err("a writer was poisoned"))?.clone();
        let Some(sender) = sender else {
            return Err(pyo3::exceptions::PyValueError::new_err("write to a closed writer"));
        };
        let sent = detached(py, || Ok(sender.blocking_send(Ok(Bytes::from(data))).is_ok()))?;
        if !sent {
            // The upload ended early: its error says why.
            detached(py, || self.finish(None))?;
            return Err(Error::new_err("the upload ended before the stream did"));
        }
        Ok(len)
    }

    /// Completes the upload; returns the object's ETag.
    fn close(&self, py: Python<'_>) -> PyResult<Option<String>> {
        detached(py, || self.finish(None))
    }

    /// Nothing to do: bytes go on as they are written (file objects have it).
    fn flush(&self) {}

    fn writable(&self) -> bool {
        true
    }

    /// Ends the stream without storing anything.
    fn abort(&self, py: Python<'_>) -> PyResult<()> {
        let _ = detached(py, || self.finish(Some("aborted by the caller".to_owned())));
        Ok(())
    }

    #[getter]
    fn closed(&self) -> bool {
        self.sender.lock().map_or(true, |sender| sender.is_none())
    }

    #[getter]
    fn etag(&self) -> Option<String> {
        self.etag.lock().ok().and_then(|etag| etag.clone())
    }

    fn __enter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    #[pyo3(signature = (kind=None, _value=None, _traceback=None))]
    fn __exit__(
        &self,
        py: Python<'_>,
        kind: Option<Py<PyAny>>,
        _value: Option<Py<PyAny>>,
        _traceback: Option<Py<PyAny>>,
    ) -> PyResult<bool> {
        match kind {
            Some(_) => self.abort(py).map(|()| false),
            None => self.close(py).map(|_| false),
        }
    }
}

impl Drop for Writer {
    /// A writer dropped unclosed stores nothing.
    fn drop(&mut self) {
        if let Ok(sender) = self.sender.get_mut() {
            if let Some(sender) = sender.take() {
                // Waits for room: a stream that merely ended would be stored.
                let _ = sender.blocking_send(Err(std::io::Error::other("the writer was dropped unclosed")));
            }
        }
        if let Ok(upload) = self.upload.get_mut() {
            if let Some(upload) = upload.take() {
                let _ = upload.join();
            }
        }
    }
}
