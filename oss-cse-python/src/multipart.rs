//! The low-level multipart upload, as the official SDKs' crypto context
//! has it: sizes fixed at initiate, one data key and IV for the upload,
//! parts encrypted at their own counter (any order, any thread).

use oss_cse_client::blocking::EncryptionClient as Blocking;
use oss_cse_client::types::CompletedPart;
use oss_cse_client::{MultipartUpload, PutOptions};
use pyo3::prelude::*;

use crate::errors::to_py;

/// An upload begun by `Client.initiate_multipart`.
#[pyclass(module = "oss_cse", frozen)]
pub(crate) struct Upload {
    pub(crate) inner: MultipartUpload,
}

#[pymethods]
impl Upload {
    #[getter]
    fn upload_id(&self) -> String {
        self.inner.upload_id.clone()
    }

    #[getter]
    fn part_size(&self) -> u64 {
        self.inner.plan.part_size()
    }

    #[getter]
    fn part_count(&self) -> u32 {
        self.inner.plan.part_count()
    }

    /// The envelope headers every part carries (wrapped key and IV,
    /// algorithms, matdesc, sizes): what a record keeps to take the upload
    /// up again with `Client.reopen_multipart`. Nothing secret.
    #[getter]
    fn envelope_headers(&self) -> Vec<(String, String)> {
        self.inner.envelope_headers().to_vec()
    }
}

/// Starts a multipart upload of `data_size` bytes in parts of `part_size`.
pub(crate) fn initiate(
    client: &Blocking,
    (bucket, key): (&str, &str),
    (data_size, part_size): (u64, u64),
    headers: Vec<(String, String)>,
) -> PyResult<Upload> {
    let options = PutOptions { headers, ..PutOptions::default() };
    let begun = client.async_client().initiate_multipart(bucket, key, data_size, part_size, &options);
    let inner = client.run(begun).map_err(|e| to_py(&e))?.map_err(|e| to_py(&e))?;
    Ok(Upload { inner })
}

/// Takes up the upload `upload_id` from the envelope headers it began with.
pub(crate) fn reopen(
    client: &Blocking,
    (bucket, key): (&str, &str),
    upload_id: &str,
    envelope_headers: &[(String, String)],
) -> PyResult<Upload> {
    let reopened = client.async_client().reopen_multipart(bucket, key, upload_id, envelope_headers);
    let inner = client.run(reopened).map_err(|e| to_py(&e))?.map_err(|e| to_py(&e))?;
    Ok(Upload { inner })
}

/// Encrypts and sends part `number`; its ETag and CRC-64.
pub(crate) fn upload_part(
    client: &Blocking,
    upload: &Upload,
    number: u32,
    data: Vec<u8>,
) -> PyResult<(String, Option<u64>)> {
    let sent = client.async_client().upload_part(&upload.inner, number, data);
    let part = client.run(sent).map_err(|e| to_py(&e))?.map_err(|e| to_py(&e))?;
    Ok((part.etag, part.crc64_and_size.map(|(crc, _)| crc)))
}

/// Completes `upload` with `parts` as `(number, etag)`.
pub(crate) fn complete(
    client: &Blocking,
    upload: &Upload,
    parts: Vec<(u32, String)>,
) -> PyResult<(String, Option<u64>, Option<String>)> {
    let parts = parts.into_iter().map(|(number, etag)| CompletedPart::new(number, etag)).collect();
    let done = client.async_client().complete_multipart(&upload.inner, parts);
    let out = client.run(done).map_err(|e| to_py(&e))?.map_err(|e| to_py(&e))?;
    Ok((out.etag, out.crc64, out.request_id))
}

/// Aborts `upload`: its parts are discarded.
pub(crate) fn abort(client: &Blocking, upload: &Upload) -> PyResult<()> {
    let aborted = client.async_client().abort_multipart(&upload.inner);
    client.run(aborted).map_err(|e| to_py(&e))?.map_err(|e| to_py(&e))
}
