//! `oss_cse.Client`: the native API. Every method releases the GIL while it
//! works (so Python threads transfer in parallel) and raises the exceptions
//! of [`crate::errors`].

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use oss_cse_client::blocking::EncryptionClient as Blocking;
use oss_cse_client::envelope::MaterialDescription;
use oss_cse_client::{ByteRange, DownloadOptions, GetOptions, PutOptions, UploadOptions};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use crate::errors::{detached, invalid, to_py};
use crate::jobs;
use crate::listing::Listing;
use crate::multipart::{self, Upload};
use crate::settings::{PemKey, Settings};
use crate::stream::ObjectStream;
use crate::writer::Writer;

/// A client-side encryption client for OSS. Objects it writes are read by
/// oss2's `CryptoBucket` and every official SDK, and the reverse.
#[pyclass(module = "oss_cse", frozen)]
pub(crate) struct Client {
    inner: Blocking,
}

/// A Python progress callable as the client's `Progress`: called with the
/// bytes done and the total (or `None`), under the GIL; an exception it
/// raises is printed by Python and does not stop the transfer.
fn progress(callback: Option<Py<PyAny>>) -> Option<oss_cse_client::Progress> {
    let callback = Arc::new(callback?);
    Some(Arc::new(move |done: u64, total: Option<u64>| {
        Python::attach(|py| {
            if let Err(error) = callback.call1(py, (done, total)) {
                error.write_unraisable(py, None);
            }
        });
    }))
}

#[pymethods]
impl Client {
    /// `endpoint` (or `region`; else the profile's), credentials (given, or
    /// the chain the official SDKs use: environment, OIDC, profile, ECS
    /// role), and keys: `keyring` (a key ring TOML file) or
    /// `rsa_public_key`/`rsa_private_key` (PEM files) with `matdesc`.
    #[new]
    #[pyo3(signature = (
        endpoint=None, region=None, *, access_key_id=None, access_key_secret=None, security_token=None,
        profile=None, keyring=None, rsa_public_key=None, rsa_private_key=None, matdesc=None,
        rsa_pem_keys=None, kms_key_id=None, kms_region=None, kms_endpoint=None,
        allow_plaintext=false, parallel=4, part_size=8 << 20, multipart_threshold=64 << 20
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        endpoint: Option<String>,
        region: Option<String>,
        access_key_id: Option<String>,
        access_key_secret: Option<String>,
        security_token: Option<String>,
        profile: Option<String>,
        keyring: Option<PathBuf>,
        rsa_public_key: Option<PathBuf>,
        rsa_private_key: Option<PathBuf>,
        matdesc: Option<BTreeMap<String, String>>,
        rsa_pem_keys: Option<Vec<PemKeyArg>>,
        kms_key_id: Option<String>,
        kms_region: Option<String>,
        kms_endpoint: Option<String>,
        allow_plaintext: bool,
        parallel: usize,
        part_size: u64,
        multipart_threshold: u64,
    ) -> PyResult<Self> {
        let settings = Settings {
            endpoint,
            region,
            access_key_id,
            access_key_secret,
            security_token,
            profile,
            keyring,
            rsa_public_key,
            rsa_private_key,
            matdesc: matdesc.map(|m| m.into_iter().collect()),
            pem_keys: rsa_pem_keys.unwrap_or_default().into_iter().map(pem_key).collect(),
            kms_key_id,
            kms_region,
            kms_endpoint,
            allow_plaintext,
            parallel,
            part_size,
            multipart_threshold,
        };
        detached(py, || {
            let client = settings.build()?;
            let inner = Blocking::new(client).map_err(|e| to_py(&e))?;
            Ok(Self { inner })
        })
    }

    /// Encrypts `data` and stores it as `bucket/key` (user metadata from
    /// `metadata`, as `x-oss-meta-*`); returns the ETag.
    #[pyo3(signature = (bucket, key, data, metadata=None))]
    fn put_bytes(
        &self,
        py: Python<'_>,
        bucket: &str,
        key: &str,
        data: Vec<u8>,
        metadata: Option<BTreeMap<String, String>>,
    ) -> PyResult<String> {
        let headers = user_metadata(metadata);
        detached(py, || {
            let options = PutOptions { headers, ..PutOptions::default() };
            let out = self.inner.put_object(bucket, key, data, &options).map_err(|e| to_py(&e))?;
            Ok(out.etag)
        })
    }

    /// The plaintext of `bucket/key`, or of its bytes `range` = `(first,
    /// last)`, both included (as oss2's `byte_range`); with `if_match`, only
    /// if the object still has that ETag. A whole read is checked (CRC-64,
    /// MD5, tag); a range is decrypted unchecked.
    #[pyo3(signature = (bucket, key, range=None, if_match=None))]
    fn get_bytes<'py>(
        &self,
        py: Python<'py>,
        bucket: &str,
        key: &str,
        range: Option<(u64, u64)>,
        if_match: Option<String>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let range = match range {
            Some((start, end)) if end < start => {
                return Err(invalid(format!("range ({start}, {end}) ends before it starts")));
            }
            Some((start, end)) => Some(ByteRange::Inclusive { start, end }),
            None => None,
        };
        let options = GetOptions { range, if_match, ..GetOptions::default() };
        let data = detached(py, || {
            let client = self.inner.async_client();
            let read = async {
                let object = client.get_object_with(bucket, key, &options).await?;
                object.body.collect().await
            };
            self.inner.run(read).map_err(|e| to_py(&e))?.map_err(|e| to_py(&e))
        })?;
        Ok(PyBytes::new(py, &data))
    }

    /// A file object over `bucket/key`: `"rb"`, a seekable reader that
    /// fetches and decrypts only the ranges read (pinned to the ETag seen
    /// when opened), buffered by `buffer_size`; `"wb"`, a streaming writer
    /// (`expected_size` known: sent as written; unknown: through a
    /// ciphertext spool) with these request `headers` (content type, user
    /// metadata...), committed by `close()` and aborted by an exception in
    /// its `with` block.
    #[pyo3(signature = (bucket, key, mode="rb", expected_size=None, buffer_size=1 << 20, headers=Vec::new()))]
    #[allow(clippy::too_many_arguments)] // Python's keyword arguments
    fn open(
        slf: Py<Self>,
        py: Python<'_>,
        bucket: &str,
        key: &str,
        mode: &str,
        expected_size: Option<u64>,
        buffer_size: usize,
        headers: Vec<(String, String)>,
    ) -> PyResult<Py<PyAny>> {
        match mode {
            "rb" => {
                let reader = py.import("oss_cse._io")?.getattr("open_reader")?;
                Ok(reader.call1((slf, bucket, key, buffer_size))?.unbind())
            }
            "wb" => {
                let client = slf.get().inner.clone();
                let writer = Writer::start(client, (bucket, key), expected_size, headers);
                Ok(Py::new(py, writer)?.into_any())
            }
            other => Err(invalid(format!("mode {other:?}: use \"rb\" or \"wb\""))),
        }
    }

    /// Encrypts the file at `path` into `bucket/key`: parallel parts above
    /// the multipart threshold, resumable with `checkpoint` (a file in a
    /// private folder), `progress(done, total)` called as bytes go.
    /// `headers` are request headers as given (content type, SSE...).
    #[pyo3(signature = (bucket, key, path, checkpoint=None, progress=None, metadata=None, headers=None))]
    #[allow(clippy::too_many_arguments)]
    fn put_file(
        &self,
        py: Python<'_>,
        bucket: &str,
        key: &str,
        path: PathBuf,
        checkpoint: Option<PathBuf>,
        progress: Option<Py<PyAny>>,
        metadata: Option<BTreeMap<String, String>>,
        headers: Option<Vec<(String, String)>>,
    ) -> PyResult<String> {
        let mut all = user_metadata(metadata);
        all.extend(headers.unwrap_or_default());
        let put = PutOptions { headers: all, progress: self::progress(progress), ..PutOptions::default() };
        detached(py, || {
            let options = UploadOptions { put, checkpoint };
            let out = self.inner.put_file(bucket, key, &path, &options).map_err(|e| to_py(&e))?;
            Ok(out.etag)
        })
    }

    /// Decrypts `bucket/key` into the file at `path` (parallel ranges; the
    /// file appears only once verified; resumable with `checkpoint`);
    /// returns the bytes written.
    #[pyo3(signature = (bucket, key, path, checkpoint=None, progress=None))]
    fn get_file(
        &self,
        py: Python<'_>,
        bucket: &str,
        key: &str,
        path: PathBuf,
        checkpoint: Option<PathBuf>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<u64> {
        let options = DownloadOptions { checkpoint, progress: self::progress(progress), ..DownloadOptions::default() };
        detached(py, || self.inner.get_file(bucket, key, &path, &options).map_err(|e| to_py(&e)))
    }

    /// One GET's plaintext as it arrives (`read`, iteration in chunks,
    /// `headers` of the plaintext asked for, `status`, `request_id`).
    /// `range` is `(first, last)` with either end `None` as oss2 takes it:
    /// `(first, None)` to the end, `(None, n)` the last `n` bytes.
    ///
    /// Conditions as OSS takes them: `if_match`/`if_none_match` an ETag,
    /// `if_modified_since`/`if_unmodified_since` Unix seconds (an unmet one
    /// is OSS's 412 or 304 error).
    #[pyo3(signature = (
        bucket, key, range=None, if_match=None, if_none_match=None, if_modified_since=None, if_unmodified_since=None
    ))]
    #[allow(clippy::too_many_arguments)] // Python's keyword arguments
    fn stream(
        &self,
        py: Python<'_>,
        bucket: &str,
        key: &str,
        range: Option<(Option<u64>, Option<u64>)>,
        if_match: Option<String>,
        if_none_match: Option<String>,
        if_modified_since: Option<u64>,
        if_unmodified_since: Option<u64>,
    ) -> PyResult<ObjectStream> {
        let range = match range {
            None | Some((None, None)) => None,
            Some((Some(start), Some(end))) if end < start => {
                return Err(invalid(format!("range ({start}, {end}) ends before it starts")));
            }
            Some((Some(start), Some(end))) => Some(ByteRange::Inclusive { start, end }),
            Some((Some(start), None)) => Some(ByteRange::From { start }),
            Some((None, Some(0))) => return Err(invalid("a range of the last 0 bytes")),
            Some((None, Some(len))) => Some(ByteRange::Suffix { len }),
        };
        let at = |seconds: u64| std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds);
        let options = GetOptions {
            range,
            if_match,
            if_none_match,
            if_modified_since: if_modified_since.map(at),
            if_unmodified_since: if_unmodified_since.map(at),
        };
        detached(py, || ObjectStream::open(self.inner.clone(), bucket, key, &options))
    }

    /// Encrypts `data` and stores it with these request `headers` (user
    /// metadata, content type, SSE...); returns the ETag, the CRC-64 OSS
    /// reported and the request id.
    fn put_with_headers(
        &self,
        py: Python<'_>,
        bucket: &str,
        key: &str,
        data: Vec<u8>,
        headers: Vec<(String, String)>,
    ) -> PyResult<(String, Option<u64>, Option<String>)> {
        detached(py, || {
            let options = PutOptions { headers, ..PutOptions::default() };
            let out = self.inner.put_object(bucket, key, data, &options).map_err(|e| to_py(&e))?;
            Ok((out.etag, out.crc64, out.request_id))
        })
    }

    /// What OSS and the envelope say of `bucket/key` (no secret): `size`,
    /// `etag`, `last_modified`, `metadata` (user metadata, the envelope
    /// left out) and `encryption` (`None`, or its format, wrap algorithm and
    /// matdesc).
    fn head<'py>(&self, py: Python<'py>, bucket: &str, key: &str) -> PyResult<Bound<'py, PyDict>> {
        let meta = detached(py, || self.inner.head_object(bucket, key).map_err(|e| to_py(&e)))?;
        let dict = PyDict::new(py);
        dict.set_item("size", meta.content_length)?;
        dict.set_item("etag", meta.etag.clone())?;
        dict.set_item("last_modified", meta.last_modified.clone())?;
        let metadata = PyDict::new(py);
        for (name, value) in &meta.headers {
            if let Some(user) = name.strip_prefix("x-oss-meta-") {
                if !oss_cse_client::envelope::consts::is_envelope_header(name) {
                    metadata.set_item(user, value)?;
                }
            }
        }
        dict.set_item("metadata", metadata)?;
        let envelope = meta.envelope().map_err(|source| {
            to_py(&oss_cse_client::Error::Envelope { resource: format!("oss://{bucket}/{key}"), source })
        })?;
        match envelope {
            Some(envelope) => {
                let encryption = PyDict::new(py);
                encryption.set_item("format", envelope.format.to_string())?;
                encryption.set_item("wrap_algorithm", envelope.wrapped.algorithm.to_string())?;
                let matdesc = MaterialDescription::describe(envelope.material_description.as_ref());
                encryption.set_item("matdesc", matdesc)?;
                dict.set_item("encryption", encryption)?;
            }
            None => dict.set_item("encryption", py.None())?,
        }
        Ok(dict)
    }

    /// The objects under `prefix`, lazily, a page at a time: dicts with
    /// `key`, `size`, `etag`, `last_modified`, `storage_class`; with a
    /// `delimiter` (`"/"`), one level, each common prefix as `{"prefix": p}`.
    #[pyo3(signature = (bucket, prefix="", delimiter=None))]
    fn list(&self, bucket: &str, prefix: &str, delimiter: Option<String>) -> Listing {
        Listing::new(self.inner.clone(), bucket, prefix, delimiter)
    }

    /// Deletes `bucket/key` (no error if it does not exist, as OSS).
    fn delete(&self, py: Python<'_>, bucket: &str, key: &str) -> PyResult<()> {
        detached(py, || self.inner.delete_object(bucket, key).map_err(|e| to_py(&e)))
    }

    /// Copies an object with its envelope (no key needed): by OSS up to its
    /// copy limit, else by a checked re-upload; returns the copy's ETag.
    fn copy(&self, py: Python<'_>, source_bucket: &str, source_key: &str, bucket: &str, key: &str) -> PyResult<String> {
        detached(py, || {
            let out = self.inner.copy_object(source_bucket, source_key, bucket, key).map_err(|e| to_py(&e))?;
            Ok(out.written.etag)
        })
    }

    /// Starts a multipart upload of `data_size` bytes in parts of
    /// `part_size` (a multiple of 16; OSS needs both at Initiate for an
    /// encrypted upload), with these request `headers`.
    #[pyo3(signature = (bucket, key, data_size, part_size, headers=Vec::new()))]
    fn initiate_multipart(
        &self,
        py: Python<'_>,
        bucket: &str,
        key: &str,
        data_size: u64,
        part_size: u64,
        headers: Vec<(String, String)>,
    ) -> PyResult<Upload> {
        detached(py, || multipart::initiate(&self.inner, (bucket, key), (data_size, part_size), headers))
    }

    /// Takes up an upload begun elsewhere (another process, a record) from
    /// the envelope headers it was begun with (`Upload.envelope_headers`),
    /// once OSS confirms the upload holds that wrapped key.
    fn reopen_multipart(
        &self,
        py: Python<'_>,
        bucket: &str,
        key: &str,
        upload_id: &str,
        envelope_headers: Vec<(String, String)>,
    ) -> PyResult<Upload> {
        detached(py, || multipart::reopen(&self.inner, (bucket, key), upload_id, &envelope_headers))
    }

    /// Encrypts and sends part `number` of `upload` (exactly its planned
    /// length; parts may go in any order and from any thread); returns its
    /// ETag and CRC-64.
    fn upload_part(
        &self,
        py: Python<'_>,
        upload: &Upload,
        number: u32,
        data: Vec<u8>,
    ) -> PyResult<(String, Option<u64>)> {
        detached(py, || multipart::upload_part(&self.inner, upload, number, data))
    }

    /// Completes `upload` with `parts` as `(number, etag)`; returns the
    /// object's ETag, its CRC-64 and the request id.
    fn complete_multipart(
        &self,
        py: Python<'_>,
        upload: &Upload,
        parts: Vec<(u32, String)>,
    ) -> PyResult<(String, Option<u64>, Option<String>)> {
        detached(py, || multipart::complete(&self.inner, upload, parts))
    }

    /// Aborts `upload`.
    fn abort_multipart(&self, py: Python<'_>, upload: &Upload) -> PyResult<()> {
        detached(py, || multipart::abort(&self.inner, upload))
    }

    /// Key rotation: re-wraps the object's data key under the RSA public key
    /// in the PEM file `rsa_public_key` (described by `matdesc`) and uploads
    /// the ciphertext again, unchanged and checked; resumable with
    /// `checkpoint`. Returns the new wrap algorithm and matdesc.
    #[pyo3(signature = (bucket, key, rsa_public_key, matdesc=None, checkpoint=None, progress=None))]
    #[allow(clippy::too_many_arguments)]
    fn rewrap(
        &self,
        py: Python<'_>,
        bucket: &str,
        key: &str,
        rsa_public_key: PathBuf,
        matdesc: Option<BTreeMap<String, String>>,
        checkpoint: Option<PathBuf>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<(String, String)> {
        let options = oss_cse_client::RewrapOptions { checkpoint, progress: self::progress(progress) };
        detached(py, || {
            let new_key = jobs::public_key_file(&rsa_public_key, matdesc)?;
            let envelope = self.inner.rewrap_with(bucket, key, &new_key, &options).map_err(|e| to_py(&e))?;
            let matdesc = MaterialDescription::describe(envelope.material_description.as_ref());
            Ok((envelope.wrapped.algorithm.to_string(), matdesc))
        })
    }

    /// Key rotation of every object under `bucket/prefix` (or the keys of
    /// `manifest`: one per line, or an OSS Inventory manifest.json) to the
    /// RSA public key in the PEM file `rsa_public_key` (described by
    /// `matdesc`), `jobs` objects at once; objects already under it are
    /// skipped. `shard=(i, n)` takes only shard i of n (one call per worker
    /// shares the job); `resume` (a private folder) keeps the journal and
    /// checkpoints, so a rerun does only what is left. Returns the summary
    /// (`done`, `skipped`, `journaled`, `other_shards`, `bytes`); with
    /// failures, raises the first one's exception carrying it as `summary`.
    #[pyo3(signature = (
        bucket, prefix, rsa_public_key, matdesc=None, shard=None, manifest=None, resume=None, jobs=8, dry_run=false
    ))]
    #[allow(clippy::too_many_arguments)] // Python's keyword arguments
    fn rewrap_prefix<'py>(
        &self,
        py: Python<'py>,
        bucket: &str,
        prefix: &str,
        rsa_public_key: PathBuf,
        matdesc: Option<BTreeMap<String, String>>,
        shard: Option<(u32, u32)>,
        manifest: Option<PathBuf>,
        resume: Option<PathBuf>,
        jobs: usize,
        dry_run: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let args = jobs::JobArgs { shard, manifest, resume, jobs, dry_run };
        let done = detached(py, || {
            let new_key = jobs::public_key_file(&rsa_public_key, matdesc)?;
            jobs::rewrap_prefix(&self.inner, (bucket, prefix), new_key, &args)
        })?;
        jobs::summary(py, &format!("rewrap of oss://{bucket}/{prefix}"), &done)
    }

    /// Copies every object under `source_bucket/source_prefix` (or the keys
    /// of `manifest`) to the same relative key under `bucket/prefix`: stored
    /// bytes and envelope as they are (no key needed), by OSS, or above the
    /// copy limit by a checked re-upload. `no_clobber` skips existing
    /// destinations; `shard`, `resume`, `jobs` and the result as
    /// `rewrap_prefix`.
    #[pyo3(signature = (
        source_bucket, source_prefix, bucket, prefix, no_clobber=false, shard=None, manifest=None, resume=None, jobs=8,
        dry_run=false
    ))]
    #[allow(clippy::too_many_arguments)] // Python's keyword arguments
    fn copy_tree<'py>(
        &self,
        py: Python<'py>,
        source_bucket: &str,
        source_prefix: &str,
        bucket: &str,
        prefix: &str,
        no_clobber: bool,
        shard: Option<(u32, u32)>,
        manifest: Option<PathBuf>,
        resume: Option<PathBuf>,
        jobs: usize,
        dry_run: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let args = jobs::JobArgs { shard, manifest, resume, jobs, dry_run };
        let source = (source_bucket, source_prefix);
        let done = detached(py, || jobs::copy_tree(&self.inner, source, (bucket, prefix), no_clobber, &args))?;
        jobs::summary(py, &format!("copy of oss://{source_bucket}/{source_prefix}"), &done)
    }

    fn __repr__(&self) -> String {
        "oss_cse.Client(...)".to_owned()
    }
}

/// One of `rsa_pem_keys`: `(public_pem, private_pem, matdesc)`, any part
/// `None`.
type PemKeyArg = (Option<String>, Option<String>, Option<BTreeMap<String, String>>);

fn pem_key((public, private, matdesc): PemKeyArg) -> PemKey {
    PemKey { public, private: private.map(zeroize::Zeroizing::new), matdesc: matdesc.map(|m| m.into_iter().collect()) }
}

/// User metadata as `x-oss-meta-*` headers.
fn user_metadata(metadata: Option<BTreeMap<String, String>>) -> Vec<(String, String)> {
    metadata
        .unwrap_or_default()
        .into_iter()
        .map(|(name, value)| (format!("x-oss-meta-{}", name.to_ascii_lowercase()), value))
        .collect()
}
