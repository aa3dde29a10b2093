//! Resuming an interrupted multipart re-upload (a rewrap or metadata update
//! of a large object) from its checkpoint. Parts already sent are trusted
//! only while the object is still the source they were read from, and only
//! if the server lists them as recorded; anything else starts over.

use std::path::Path;

use oss_cse_core::PartPlan;

use super::Source;
use crate::cse::transfer::{ReuploadCheckpoint, ReuploadFit, load_json};
use crate::oss::types::{CompletedPart, ObjectMeta, WriteOutput};
use crate::{Error, OssClient, Result};

/// What a re-upload's checkpoint says to do.
pub(super) enum Resumed {
    /// Nothing to resume: start a new upload.
    Fresh,
    /// Continue this upload with the envelope it was initiated with; these
    /// parts are done.
    Continue { record: ReuploadCheckpoint, done: Vec<CompletedPart> },
    /// A previous run completed it and stopped before removing its checkpoint.
    AlreadyDone(WriteOutput),
}

impl OssClient {
    /// What the checkpoint at `path` says of re-uploading `source` in `plan`.
    ///
    /// # Errors
    /// [`Error::Checkpoint`] for a checkpoint of another kind or object, or
    /// an unreadable one; service and transport errors.
    pub(super) async fn resume_reupload(
        &self,
        path: &Path,
        (bucket, key): (&str, &str),
        source: &Source,
        plan: &PartPlan,
        intent: &str,
    ) -> Result<Resumed> {
        let Some(record) = load_json::<ReuploadCheckpoint>(path).await?.trusted() else { return Ok(Resumed::Fresh) };
        let bad = |reason: &str| Error::Checkpoint { path: path.to_owned(), reason: reason.to_owned() };
        let fit = record.fit((bucket, key), (&source.etag, source.size), (plan.part_size(), intent)).map_err(bad)?;
        if fit == ReuploadFit::SourceChanged {
            if source.size == record.source_size && record.intent == intent && carries(&source.meta, &record.envelope) {
                return Ok(Resumed::AlreadyDone(WriteOutput {
                    etag: source.etag.clone(),
                    crc64: source.crc64,
                    request_id: source.meta.request_id.clone(),
                }));
            }
            // The parts sent are another object's bytes.
            let _ = self.abort_multipart_upload(bucket, key, &record.upload_id).await;
            return Ok(Resumed::Fresh);
        }
        let listed = match self.list_parts(bucket, key, &record.upload_id).await {
            Ok(listed) => listed,
            Err(e) if e.service_error().is_some_and(|s| s.code == "NoSuchUpload") => return Ok(Resumed::Fresh),
            Err(e) => return Err(e),
        };
        // The server's record of the upload's wrapped key must be the one
        // this checkpoint says was sent.
        if listed.holds_envelope(&record.envelope) == Some(false) {
            let _ = self.abort_multipart_upload(bucket, key, &record.upload_id).await;
            return Ok(Resumed::Fresh);
        }
        let done = record.confirmed_parts(plan, &listed.parts);
        Ok(Resumed::Continue { record, done })
    }
}

/// Whether an object's headers carry every one of `envelope`'s headers with
/// the same value: the object is the upload this envelope was sent with.
fn carries(meta: &ObjectMeta, envelope: &[(String, String)]) -> bool {
    !envelope.is_empty() && envelope.iter().all(|(k, v)| meta.header(k) == Some(v.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_object_with_every_envelope_header_carries_it() {
        let meta = |pairs: &[(&str, &str)]| ObjectMeta {
            headers: pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
            ..ObjectMeta::default()
        };
        let envelope = vec![("x-oss-meta-a".to_owned(), "1".to_owned()), ("x-oss-meta-b".to_owned(), "2".to_owned())];
        assert!(carries(&meta(&[("x-oss-meta-a", "1"), ("x-oss-meta-b", "2"), ("etag", "E")]), &envelope));
        assert!(!carries(&meta(&[("x-oss-meta-a", "1"), ("x-oss-meta-b", "3")]), &envelope));
        assert!(!carries(&meta(&[("x-oss-meta-a", "1")]), &envelope));
        assert!(!carries(&meta(&[]), &[]), "no envelope is no proof");
    }
}
