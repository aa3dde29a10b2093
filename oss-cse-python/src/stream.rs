//! `Client.stream(bucket, key, range)`: one GET's plaintext as it arrives,
//! decrypted chunk by chunk (never the whole object in memory), with the
//! reply's headers as a reader of it would see them: `Content-Length` and
//! `Content-Range` of the plaintext asked for. A whole read's checks (CRC-64,
//! MD5, tag) fail the read that reaches the end.

use std::sync::Mutex;

use bytes::Bytes;
use futures_util::StreamExt;
use oss_cse_client::blocking::EncryptionClient as Blocking;
use oss_cse_client::{DecryptingBody, GetOptions};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use crate::errors::{Error, detached, to_py};

struct Body {
    body: Option<DecryptingBody>,
    pending: Bytes,
    /// The CRC-64 of the ciphertext received, when it is checked.
    crc64: Option<u64>,
}

/// A GET's plaintext, readable and iterable.
#[pyclass(module = "oss_cse", frozen)]
pub(crate) struct ObjectStream {
    client: Blocking,
    state: Mutex<Body>,
    headers: Vec<(String, String)>,
    status: u16,
    request_id: Option<String>,
    content_length: u64,
}

impl ObjectStream {
    pub(crate) fn open(client: Blocking, bucket: &str, key: &str, options: &GetOptions) -> PyResult<Self> {
        let object = client
            .run(client.async_client().get_object_with(bucket, key, options))
            .map_err(|e| to_py(&e))?
            .map_err(|e| to_py(&e))?;
        let (first, last) = object.range.unwrap_or((0, object.size.saturating_sub(1)));
        let content_length = if object.size == 0 { 0 } else { last + 1 - first };
        let mut headers: Vec<(String, String)> = object
            .meta
            .headers
            .iter()
            .filter(|(name, _)| !matches!(name.as_str(), "content-length" | "content-range"))
            .cloned()
            .collect();
        headers.push(("content-length".to_owned(), content_length.to_string()));
        if object.range.is_some() {
            headers.push(("content-range".to_owned(), format!("bytes {first}-{last}/{}", object.size)));
        }
        Ok(Self {
            client,
            state: Mutex::new(Body { crc64: object.body.crc64(), body: Some(object.body), pending: Bytes::new() }),
            status: if object.range.is_some() { 206 } else { 200 },
            request_id: object.meta.request_id.clone(),
            headers,
            content_length,
        })
    }

    /// Up to `limit` bytes (all that is left for `None`); empty at the end.
    fn take(&self, limit: Option<usize>) -> PyResult<Vec<u8>> {
        let mut state = self.state.lock().map_err(|_| Error::new_err("a stream was poisoned"))?;
        let mut out = Vec::new();
        loop {
            if limit.is_some_and(|limit| out.len() >= limit) {
                return Ok(out);
            }
            if !state.pending.is_empty() {
                let n = limit.map_or(state.pending.len(), |limit| (limit - out.len()).min(state.pending.len()));
                out.extend_from_slice(&state.pending.split_to(n));
                continue;
            }
            let Some(body) = state.body.as_mut() else { return Ok(out) };
            let next = self.client.run(body.next()).map_err(|e| to_py(&e))?;
            state.crc64 = body.crc64();
            match next {
                Some(Ok(chunk)) => state.pending = chunk,
                Some(Err(error)) => {
                    state.body = None;
                    return Err(to_py(&error));
                }
                None => {
                    state.body = None;
                    return Ok(out);
                }
            }
        }
    }
}

#[pymethods]
impl ObjectStream {
    /// Up to `size` bytes (`-1` or none: the rest).
    #[pyo3(signature = (size=-1))]
    fn read<'py>(&self, py: Python<'py>, size: Option<isize>) -> PyResult<Bound<'py, PyBytes>> {
        let limit = size.and_then(|size| usize::try_from(size).ok());
        let data = detached(py, || self.take(limit))?;
        Ok(PyBytes::new(py, &data))
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    /// The next chunk of 64 KiB or less.
    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyBytes>>> {
        let data = detached(py, || self.take(Some(64 * 1024)))?;
        Ok((!data.is_empty()).then(|| PyBytes::new(py, &data)))
    }

    /// Stops reading; the rest of the body is dropped.
    fn close(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.body = None;
            state.pending = Bytes::new();
        }
    }

    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (name, value) in &self.headers {
            dict.set_item(name, value)?;
        }
        Ok(dict)
    }

    #[getter]
    fn status(&self) -> u16 {
        self.status
    }

    #[getter]
    fn request_id(&self) -> Option<String> {
        self.request_id.clone()
    }

    /// The CRC-64 of the ciphertext received so far, for a whole read
    /// (checked against the server's `x-oss-hash-crc64ecma` at the end);
    /// `None` for a range.
    #[getter]
    fn crc64(&self) -> Option<u64> {
        self.state.lock().ok().and_then(|state| state.crc64)
    }

    #[getter]
    fn content_length(&self) -> u64 {
        self.content_length
    }
}
