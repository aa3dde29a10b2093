//! Rewriting an object's metadata by uploading its stored bytes again,
//! unchanged. Real OSS refuses a CopyObject that changes the metadata of a
//! client-side-encrypted object (0005-00000421) and an UploadPartCopy from
//! one (0042-00000309), so a new envelope (key rotation), new user metadata
//! or new server-side encryption for such an object takes a GET and a PUT
//! (or a multipart upload) of its ciphertext. Nothing is decrypted.
//!
//! The bytes are proved unchanged before OSS commits them: a single PUT
//! carries the source's MD5 (its ETag) as `Content-MD5`, so OSS refuses a
//! mismatch; a multipart re-upload compares the parts' combined CRC-64 with
//! the source's before Complete and aborts otherwise. Every read is
//! conditional on the ETag seen first. OSS has no conditional PUT: a write
//! that lands between that read and the commit is lost; the HEAD after the
//! commit reports it as [`Error::ObjectChanged`].
//!
//! A multipart re-upload given a checkpoint file records each part sent and
//! resumes from it, as long as the object is still the one read ([`resume`]).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use futures_util::TryStreamExt;
use oss_cse_core::{Part, PartPlan};
use oss_cse_envelope::consts::is_envelope_header;
use oss_cse_envelope::{Envelope, Format};

use crate::cse::abort::AbortOnDrop;
use crate::cse::transfer::{DonePart, ReuploadCheckpoint, forget_checkpoint, poisoned, save_json};
use crate::oss::types::{CompletedPart, ObjectMeta, WriteOutput};
use crate::parallel::Bounded;
use crate::{Body, ByteRange, Crc64, Error, GetOptions, OssClient, Result};

mod resume;

use resume::Resumed;

/// The largest object a single PutObject takes (5 GiB).
pub(crate) const MAX_SINGLE_PUT: u64 = 5 << 30;

/// Standard headers an object keeps, which a re-upload sends again.
const CONTENT_HEADERS: [&str; 6] =
    ["content-type", "cache-control", "content-disposition", "content-encoding", "content-language", "expires"];

/// What a re-upload writes.
pub(crate) struct Rewrite {
    /// The envelope to write, if the object has one.
    pub envelope: Option<Envelope>,
    /// Every other header of the new object: content headers, user
    /// metadata, storage class, tags, ACL, SSE.
    pub headers: Vec<(String, String)>,
    /// Preferred part size of a multipart re-upload (the envelope's own
    /// recorded part size comes first).
    pub part_size: Option<u64>,
    /// Parts in flight.
    pub parallel: usize,
    /// Objects above this size go up in parts (when the source has a CRC-64
    /// to check them against), so that they can be resumed.
    pub single_max: u64,
    /// Record the parts sent here, and resume from it.
    pub checkpoint: Option<PathBuf>,
    /// What identifies the envelope written across runs (for a rewrap: the
    /// new key's fingerprint, algorithm and matdesc). Without it a
    /// checkpoint is never resumed: a resumed upload keeps the envelope and
    /// headers it was started with, so it may only be resumed by the same
    /// intent.
    pub identity: Option<String>,
    /// Called as the stored bytes arrive to be sent again.
    pub progress: Option<crate::Progress>,
}

impl Rewrite {
    /// A digest of everything a resumed upload would keep from its first
    /// run: the envelope's identity and every header given at Initiate.
    fn intent(&self) -> Option<String> {
        use md5::Digest as _;
        let identity = self.identity.as_ref()?;
        let mut headers = self.headers.clone();
        headers.sort();
        let mut digest = md5::Md5::new();
        digest.update(identity.as_bytes());
        for (name, value) in &headers {
            digest.update([0]);
            digest.update(name.as_bytes());
            digest.update([1]);
            digest.update(value.as_bytes());
        }
        Some(hex::encode(digest.finalize()))
    }
}

/// What a re-upload needs to know of the object whose stored bytes it
/// sends again: the object it replaces, or the source of a copy.
#[derive(Debug)]
pub(crate) struct Source {
    pub bucket: String,
    pub key: String,
    pub meta: ObjectMeta,
    pub resource: String,
    pub etag: String,
    pub size: u64,
    pub crc64: Option<u64>,
    pub tags: Vec<(String, String)>,
    pub acl: String,
}

impl Source {
    /// What the new object keeps of the old besides its envelope and its
    /// server-side encryption: content headers, user metadata, storage
    /// class, tags and ACL.
    pub(crate) fn kept_headers(&self) -> Vec<(String, String)> {
        let mut headers: Vec<(String, String)> = self
            .meta
            .headers
            .iter()
            .filter(|(k, _)| {
                (k.starts_with("x-oss-meta-") && !is_envelope_header(k)) || CONTENT_HEADERS.contains(&k.as_str())
            })
            .cloned()
            .collect();
        headers.extend(self.placement_headers());
        headers
    }

    /// Storage class, tags and ACL, as request headers.
    pub(crate) fn placement_headers(&self) -> Vec<(String, String)> {
        let mut headers = Vec::new();
        if let Some(class) = self.meta.header("x-oss-storage-class") {
            headers.push(("x-oss-storage-class".to_owned(), class.to_owned()));
        }
        if !self.tags.is_empty() {
            let encode = |text: &str| oss_cse_auth::sign::oss::uri_encode(text, false);
            let tags: Vec<String> = self.tags.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect();
            headers.push(("x-oss-tagging".to_owned(), tags.join("&")));
        }
        if self.acl != "default" {
            headers.push(("x-oss-object-acl".to_owned(), self.acl.clone()));
        }
        headers
    }

    /// How a re-upload of this object sends its bytes.
    ///
    /// # Errors
    /// An object too large for any multipart plan.
    pub(crate) fn layout(&self, rewrite: &Rewrite) -> std::result::Result<ReuploadLayout, oss_cse_core::Error> {
        let source = (self.etag.as_str(), self.size, self.crc64);
        layout(source, rewrite.envelope.as_ref(), rewrite.part_size, rewrite.single_max)
    }

    /// The SSE request headers that keep the object's server-side encryption.
    pub(crate) fn sse_headers(&self) -> Vec<(String, String)> {
        self.meta.server_side_encryption.as_ref().map(|sse| sse.headers()).unwrap_or_default()
    }
}

/// The `Content-MD5` a single PUT of the source's bytes must carry: its
/// ETag, when that is an MD5 (not a multipart or appendable object's).
fn md5_of_etag(etag: &str) -> Option<String> {
    let digest = hex::decode(etag).ok().filter(|d| d.len() == 16)?;
    Some(STANDARD.encode(digest))
}

/// How a re-upload sends an object's bytes again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReuploadLayout {
    /// One PutObject, its Content-MD5 taken from the object's MD5 ETag.
    Single,
    /// A multipart upload in these parts, checked by their combined CRC-64.
    Parts(PartPlan),
}

/// The layout for an object of `size` bytes with ETag `etag` and CRC-64
/// `crc64`: one PUT when the ETag is an MD5 that OSS can check and the
/// object fits in one, up to `single_max` bytes (or any size, when there is
/// no CRC-64 to check parts against); else parts, which can be resumed.
pub(crate) fn layout(
    (etag, size, crc64): (&str, u64, Option<u64>),
    envelope: Option<&Envelope>,
    preferred: Option<u64>,
    single_max: u64,
) -> std::result::Result<ReuploadLayout, oss_cse_core::Error> {
    match md5_of_etag(etag) {
        Some(_) if size <= MAX_SINGLE_PUT && (size <= single_max || crc64.is_none()) => Ok(ReuploadLayout::Single),
        _ => part_plan(size, envelope, preferred).map(ReuploadLayout::Parts),
    }
}

/// The parts of a multipart re-upload: the envelope's own part size when it
/// recorded a usable one, else the default planning for `preferred`.
fn part_plan(
    size: u64,
    envelope: Option<&Envelope>,
    preferred: Option<u64>,
) -> std::result::Result<PartPlan, oss_cse_core::Error> {
    envelope
        .and_then(|e| e.part_size)
        .and_then(|part_size| PartPlan::new(size, part_size).ok())
        .map_or_else(|| PartPlan::with_preferred_part_size(size, preferred), Ok)
}

impl OssClient {
    /// HEAD, tags and ACL of the object a re-upload replaces.
    ///
    /// # Errors
    /// Service and transport errors; an object without an ETag.
    pub(crate) async fn read_source(&self, bucket: &str, key: &str) -> Result<Source> {
        let meta = self.head_object(bucket, key).await?;
        self.source_from_head(bucket, key, meta).await
    }

    /// [`read_source`](Self::read_source) for an object whose HEAD reply is
    /// `meta`.
    ///
    /// # Errors
    /// Service and transport errors; an object without an ETag.
    pub(crate) async fn source_from_head(&self, bucket: &str, key: &str, meta: ObjectMeta) -> Result<Source> {
        let resource = crate::cse::encryption::resource(bucket, key);
        let etag = meta.etag.clone().ok_or_else(|| Error::InvalidResponse {
            operation: "HeadObject",
            resource: resource.clone(),
            reason: "no ETag".to_owned(),
        })?;
        let tags = self.get_object_tagging(bucket, key).await?;
        let acl = self.get_object_acl(bucket, key).await?;
        let (bucket, key) = (bucket.to_owned(), key.to_owned());
        Ok(Source { bucket, key, size: meta.content_length, crc64: meta.crc64, meta, resource, etag, tags, acl })
    }

    /// Writes `source`'s stored bytes to `bucket/key` under `rewrite`: the
    /// object itself again (a rewrap, a metadata update), or a copy of it
    /// (a copy OSS would refuse). Returns what the commit reported. A
    /// checkpoint is only for the first: it trusts parts by the object
    /// being what they were read from.
    ///
    /// # Errors
    /// [`Error::ObjectChanged`] if the object changed since `source` was
    /// read (before the commit: nothing was written; after it: the object is
    /// not the one written); service, transport and integrity errors.
    pub(crate) async fn reupload(
        &self,
        bucket: &str,
        key: &str,
        source: &Source,
        rewrite: Rewrite,
    ) -> Result<WriteOutput> {
        let core = |source_error| Error::Core { resource: source.resource.clone(), source: source_error };
        let written = match source.layout(&rewrite).map_err(core)? {
            ReuploadLayout::Single => {
                let mut headers = envelope_headers(source, rewrite.envelope.as_ref())?;
                headers.extend(rewrite.headers);
                headers.extend(md5_of_etag(&source.etag).map(|md5| ("content-md5".to_owned(), md5)));
                let moved = Moved::new(rewrite.progress.clone(), source.size, 0);
                let body = self.source_body(source, None, moved.as_ref()).await?;
                self.put_object(bucket, key, body, headers).await.map_err(|e| changed_if_stale(e, source))?
            }
            ReuploadLayout::Parts(plan) => self.reupload_parts(bucket, key, source, plan, rewrite).await?,
        };
        if let (Some(expected), Some(stored)) = (source.crc64, written.crc64) {
            if expected != stored {
                return Err(Error::CrcMismatch {
                    operation: "PutObject",
                    resource: source.resource.clone(),
                    client: expected,
                    server: stored,
                });
            }
        }
        // OSS has no conditional PUT: tell the caller if another write won.
        let after = self.head_object(bucket, key).await?;
        if after.etag.as_deref() != Some(written.etag.as_str()) {
            return Err(Error::ObjectChanged { resource: crate::cse::encryption::resource(bucket, key) });
        }
        Ok(written)
    }

    async fn reupload_parts(
        &self,
        bucket: &str,
        key: &str,
        source: &Source,
        plan: PartPlan,
        rewrite: Rewrite,
    ) -> Result<WriteOutput> {
        let checkpoint =
            rewrite.checkpoint.clone().filter(|_| (source.bucket.as_str(), source.key.as_str()) == (bucket, key));
        // A Complete that must not replace an object says so too, as OSS
        // checks it there as well as at Initiate.
        let complete_headers: Vec<(String, String)> =
            rewrite.headers.iter().filter(|(name, _)| name == "x-oss-forbid-overwrite").cloned().collect();
        let (parallel, progress) = (rewrite.parallel, rewrite.progress.clone());
        let intent = rewrite.intent().unwrap_or_default();
        let resumed = match &checkpoint {
            Some(path) => self.resume_reupload(path, (bucket, key), source, &plan, &intent).await?,
            None => Resumed::Fresh,
        };
        let (mut record, done) = match resumed {
            Resumed::AlreadyDone(out) => {
                forget_checkpoint(checkpoint.as_ref()).await;
                return Ok(out);
            }
            Resumed::Continue { record, done } => (record, done),
            Resumed::Fresh => {
                let (upload_id, cse) = self.initiate_reupload(bucket, key, source, &plan, rewrite).await?;
                let ids = (bucket, key, upload_id.as_str());
                let source_id = (source.etag.as_str(), source.size);
                (ReuploadCheckpoint::new(ids, source_id, (plan.part_size(), &intent), cse), Vec::new())
            }
        };
        record.parts = done.iter().map(DonePart::of).collect();
        // Without a checkpoint nothing can resume this upload: aborted on
        // every way out but Complete, a cancelled future (a signal) included.
        let guard = AbortOnDrop::new(self, (bucket, key, &record.upload_id), checkpoint.is_none());
        if let Some(path) = &checkpoint {
            save_json(path, &record).await?;
        }
        let upload_id = record.upload_id.clone();
        let sent_before = plan.parts().filter(|p| done.iter().any(|d| d.part_number == p.number)).map(|p| p.len).sum();
        let job = Arc::new(PartCopy {
            moved: Moved::new(progress, source.size, sent_before),
            client: self.clone(),
            source: (source.bucket.clone(), source.key.clone()),
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            upload_id: upload_id.clone(),
            etag: source.etag.clone(),
            cse: record.envelope.clone(),
            record: checkpoint.clone().map(|path| (path, Mutex::new(record))),
            save_lock: tokio::sync::Mutex::new(()),
        });
        let remaining = plan.parts().filter(|p| !done.iter().any(|d| d.part_number == p.number));
        let sent = Bounded::run(parallel, remaining, |part| {
            let job = job.clone();
            async move { job.copy(part).await }
        })
        .await;
        let mut parts = match sent.map_err(|error| changed_if_stale(error, source)) {
            Ok(parts) => parts,
            Err(error) => {
                // With a checkpoint the parts sent are kept for a resume,
                // unless the source changed and they are worthless.
                if checkpoint.is_none() || matches!(error, Error::ObjectChanged { .. }) {
                    let _ = self.abort_multipart_upload(bucket, key, &upload_id).await;
                    guard.disarm();
                    forget_checkpoint(checkpoint.as_ref()).await;
                }
                return Err(error);
            }
        };
        parts.extend(done);
        // Finished in any order; combined and completed in part order.
        parts.sort_by_key(|p| p.part_number);
        let combined = parts.iter().try_fold(0u64, |crc, p| p.crc64_and_size.map(|(c, n)| Crc64::combine(crc, c, n)));
        if let (Some(expected), Some(sent)) = (source.crc64, combined) {
            if expected != sent {
                let _ = self.abort_multipart_upload(bucket, key, &upload_id).await;
                guard.disarm();
                forget_checkpoint(checkpoint.as_ref()).await;
                return Err(Error::CrcMismatch {
                    operation: "UploadPart",
                    resource: source.resource.clone(),
                    client: sent,
                    server: expected,
                });
            }
        }
        let out = self.complete_multipart_upload(bucket, key, &upload_id, &parts, complete_headers).await?;
        guard.disarm();
        forget_checkpoint(checkpoint.as_ref()).await;
        Ok(out)
    }

    /// Starts the multipart upload of a re-upload; returns its id and the
    /// envelope headers it was given (which every part carries too).
    async fn initiate_reupload(
        &self,
        bucket: &str,
        key: &str,
        source: &Source,
        plan: &PartPlan,
        rewrite: Rewrite,
    ) -> Result<(String, Vec<(String, String)>)> {
        // OSS needs a CSE upload's sizes at Initiate, and the parts carry
        // the same envelope (as oss2 and Go send it).
        let envelope = rewrite.envelope.map(|mut e| {
            if e.format == Format::V2 {
                e.data_size = Some(source.size);
                e.part_size = Some(plan.part_size());
            }
            e
        });
        let cse = envelope_headers(source, envelope.as_ref())?;
        let mut initiate = rewrite.headers;
        initiate.extend(cse.iter().cloned());
        let upload_id = self.initiate_multipart_upload(bucket, key, initiate).await?;
        Ok((upload_id, cse))
    }

    /// The source's stored bytes (or a range of them), read only if the
    /// object still has the ETag `source` saw.
    async fn source_body(&self, source: &Source, range: Option<ByteRange>, moved: Option<&Arc<Moved>>) -> Result<Body> {
        let stored = self.stored_bytes(&source.bucket, &source.key, &source.etag, range, moved).await;
        stored.map_err(|e| changed_if_stale(e, source))
    }

    /// Bytes of `bucket/key` as stored, if its ETag is still `etag`.
    async fn stored_bytes(
        &self,
        bucket: &str,
        key: &str,
        etag: &str,
        range: Option<ByteRange>,
        moved: Option<&Arc<Moved>>,
    ) -> Result<Body> {
        let options = GetOptions { range, if_match: Some(etag.to_owned()), ..GetOptions::default() };
        let got = self.get_object(bucket, key, &options).await?;
        let len = got.body.expected_len();
        let moved = moved.cloned();
        let counted = got.body.inspect_ok(move |chunk| {
            if let Some(moved) = &moved {
                moved.add(chunk.len() as u64);
            }
        });
        Ok(Body::from_stream(len, counted.map_err(std::io::Error::other)))
    }
}

/// The bytes a re-upload has read so far, reported to its progress callback.
struct Moved {
    done: std::sync::atomic::AtomicU64,
    total: u64,
    progress: crate::Progress,
}

impl Moved {
    /// `None` without a callback; `done` bytes were sent by an earlier run.
    fn new(progress: Option<crate::Progress>, total: u64, done: u64) -> Option<Arc<Self>> {
        progress.map(|progress| Arc::new(Self { done: done.into(), total, progress }))
    }

    fn add(&self, bytes: u64) {
        let done = self.done.fetch_add(bytes, std::sync::atomic::Ordering::Relaxed) + bytes;
        (self.progress)(done, Some(self.total));
    }
}

/// What every part task of a multipart re-upload shares.
struct PartCopy {
    client: OssClient,
    /// Where the bytes are read.
    source: (String, String),
    /// Where they are written.
    bucket: String,
    key: String,
    upload_id: String,
    /// Every part is read only if the object still has this ETag.
    etag: String,
    /// The envelope headers each part carries.
    cse: Vec<(String, String)>,
    /// The checkpoint file and what it records.
    record: Option<(PathBuf, Mutex<ReuploadCheckpoint>)>,
    /// Checkpoint writes, one at a time.
    save_lock: tokio::sync::Mutex<()>,
    /// The bytes read so far, for the progress callback.
    moved: Option<Arc<Moved>>,
}

impl PartCopy {
    /// Reads one part's stored bytes, uploads them as that part, and
    /// records it in the checkpoint.
    async fn copy(&self, part: Part) -> Result<CompletedPart> {
        let range = (part.len > 0).then(|| ByteRange::Inclusive { start: part.offset, end: part.end() - 1 });
        let (source_bucket, source_key) = (&self.source.0, &self.source.1);
        let body = self.client.stored_bytes(source_bucket, source_key, &self.etag, range, self.moved.as_ref()).await?;
        let cse = self.cse.clone();
        let out = self.client.upload_part(&self.bucket, &self.key, &self.upload_id, part.number, body, cse).await?;
        let crc = out.crc64.map(|crc| (crc, part.len));
        let completed = CompletedPart { part_number: part.number, etag: out.etag, crc64_and_size: crc };
        if let Some((path, state)) = &self.record {
            let _serialized = self.save_lock.lock().await;
            let snapshot = {
                let mut state = state.lock().map_err(|_| poisoned(path))?;
                state.parts.push(DonePart::of(&completed));
                state.clone()
            };
            save_json(path, &snapshot).await?;
        }
        Ok(completed)
    }
}

/// The envelope's headers, for a re-upload that writes one.
fn envelope_headers(source: &Source, envelope: Option<&Envelope>) -> Result<Vec<(String, String)>> {
    let Some(envelope) = envelope else { return Ok(Vec::new()) };
    let headers =
        envelope.to_headers().map_err(|e| Error::Envelope { resource: source.resource.clone(), source: e })?;
    Ok(headers.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// A failed `If-Match` (412) means the object changed since it was read.
fn changed_if_stale(error: Error, source: &Source) -> Error {
    match error.service_error() {
        Some(service) if service.status == 412 => Error::ObjectChanged { resource: source.resource.clone() },
        _ => error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_md5_etag_gives_a_content_md5() {
        assert_eq!(md5_of_etag("D41D8CD98F00B204E9800998ECF8427E").as_deref(), Some("1B2M2Y8AsgTpgAmY7PhCfg=="));
        assert_eq!(md5_of_etag("D41D8CD98F00B204E9800998ECF8427E-3"), None);
        assert_eq!(md5_of_etag("not hex"), None);
        assert_eq!(md5_of_etag(""), None);
    }

    #[test]
    fn large_objects_with_a_crc_go_up_in_parts() {
        let md5 = "D41D8CD98F00B204E9800998ECF8427E";
        let single = |size, crc| layout((md5, size, crc), None, Some(1 << 20), 64 << 20).unwrap();
        assert_eq!(single(64 << 20, Some(1)), ReuploadLayout::Single);
        assert!(matches!(single((64 << 20) + 1, Some(1)), ReuploadLayout::Parts(_)), "resumable");
        assert_eq!(single((64 << 20) + 1, None), ReuploadLayout::Single, "no CRC: only Content-MD5 checks it");
        assert!(matches!(single((5 << 30) + 1, None), ReuploadLayout::Parts(_)), "above 5 GiB");
        let multipart = layout(("D41D8CD98F00B204E9800998ECF8427E-2", 10, Some(1)), None, None, 64 << 20).unwrap();
        assert!(matches!(multipart, ReuploadLayout::Parts(_)), "no MD5 to check a single PUT");
    }

    #[test]
    fn without_a_recorded_part_size_the_default_planning_applies() {
        let plan = part_plan(10 << 20, None, Some(1 << 20)).unwrap();
        assert_eq!((plan.part_size(), plan.part_count()), (1 << 20, 10));
        assert_eq!(part_plan(1 << 20, None, Some(200 * 1024)).unwrap().part_count(), 6);
    }
}
