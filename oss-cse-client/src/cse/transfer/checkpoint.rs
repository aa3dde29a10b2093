//! Checkpoint files of resumable transfers: what they hold (never a
//! plaintext key), how they are written (atomically, owner-only) and read
//! (size-capped), and when they are forgotten.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use oss_cse_core::{DownloadPlan, PartPlan};
use serde::{Deserialize, Serialize};

use super::CHECKPOINT_VERSION;
use crate::Result;
use crate::local::io_error;
use crate::oss::types::CompletedPart;

/// A finished part in an upload checkpoint.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct DonePart {
    pub(crate) number: u32,
    pub(crate) etag: String,
    pub(crate) crc64: u64,
    pub(crate) size: u64,
}

impl DonePart {
    /// The record of a part the server acknowledged.
    pub(crate) fn of(part: &CompletedPart) -> Self {
        let (crc64, size) = part.crc64_and_size.unwrap_or_default();
        Self { number: part.part_number, etag: part.etag.clone(), crc64, size }
    }
}

/// What the checkpoint of a re-upload (a rewrap of a large object) records:
/// the source it copies, the upload, the envelope given at Initiate (wrapped
/// values only) and the parts sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ReuploadCheckpoint {
    pub(crate) version: u32,
    pub(crate) kind: String,
    pub(crate) bucket: String,
    pub(crate) key: String,
    pub(crate) upload_id: String,
    pub(crate) source_etag: String,
    pub(crate) source_size: u64,
    pub(crate) part_size: u64,
    /// A digest of the envelope's identity and the headers given at
    /// Initiate: a resume with anything else starts over.
    pub(crate) intent: String,
    pub(crate) envelope: Vec<(String, String)>,
    pub(crate) parts: Vec<DonePart>,
}

/// What a re-upload checkpoint says of the re-upload about to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReuploadFit {
    /// The same source bytes in the same parts, written the same way: resume.
    Resume,
    /// The object is no longer the source the parts came from, or another
    /// part size, envelope or header set is wanted now.
    SourceChanged,
}

impl ReuploadCheckpoint {
    /// A new record of a re-upload of `bucket/key`.
    pub(crate) fn new(
        (bucket, key, upload_id): (&str, &str, &str),
        (source_etag, source_size): (&str, u64),
        (part_size, intent): (u64, &str),
        envelope: Vec<(String, String)>,
    ) -> Self {
        Self {
            version: CHECKPOINT_VERSION,
            kind: "reupload".into(),
            bucket: bucket.into(),
            key: key.into(),
            upload_id: upload_id.into(),
            source_etag: source_etag.into(),
            source_size,
            part_size,
            intent: intent.into(),
            envelope,
            parts: Vec::new(),
        }
    }

    /// Whether this checkpoint belongs to a re-upload of `bucket/key`, now
    /// at ETag `etag` and `size` bytes, in parts of `part_size`, with the
    /// digest `intent` of what is written (empty: never resume).
    ///
    /// # Errors
    /// Why it cannot be used at all (another version, kind or object).
    pub(crate) fn fit(
        &self,
        (bucket, key): (&str, &str),
        (etag, size): (&str, u64),
        (part_size, intent): (u64, &str),
    ) -> std::result::Result<ReuploadFit, &'static str> {
        if self.version != CHECKPOINT_VERSION || self.kind != "reupload" {
            return Err("not a re-upload checkpoint of this version");
        }
        if self.bucket != bucket || self.key != key {
            return Err("it belongs to another object");
        }
        if (self.source_etag.as_str(), self.source_size, self.part_size) != (etag, size, part_size)
            || intent.is_empty()
            || self.intent != intent
        {
            return Ok(ReuploadFit::SourceChanged);
        }
        Ok(ReuploadFit::Resume)
    }

    /// The recorded parts the server `listed` as recorded (see
    /// [`confirmed_parts`]).
    pub(crate) fn confirmed_parts(
        &self,
        plan: &PartPlan,
        listed: &[crate::oss::types::PartSummary],
    ) -> Vec<CompletedPart> {
        confirmed_parts(&self.parts, plan, listed)
    }
}

/// What an upload checkpoint records.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct UploadCheckpoint {
    pub(super) version: u32,
    pub(super) kind: String,
    pub(super) bucket: String,
    pub(super) key: String,
    pub(super) upload_id: String,
    pub(super) file: PathBuf,
    pub(super) file_size: u64,
    pub(super) file_mtime_ns: u128,
    pub(super) part_size: u64,
    /// The envelope as headers: wrapped key and IV only.
    pub(super) envelope: Vec<(String, String)>,
    pub(super) parts: Vec<DonePart>,
    /// The data key and IV sealed under the directory's local key, so a
    /// public-only key can resume (see `seal`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) sealed_material: Option<String>,
}

/// What a download checkpoint records.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct DownloadCheckpoint {
    pub(super) version: u32,
    pub(super) kind: String,
    pub(super) bucket: String,
    pub(super) key: String,
    pub(super) etag: String,
    pub(super) size: u64,
    pub(super) first: u64,
    pub(super) last: u64,
    pub(super) part_size: u64,
    pub(super) temp: PathBuf,
    /// Finished ranges: index and CRC-64 of the ciphertext received.
    pub(super) done: Vec<(u64, u64)>,
}

/// What an upload checkpoint says of the upload about to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum UploadFit {
    /// The same file, unchanged, with the same part size: resume it.
    Resume,
    /// The same object and file, but the file (or the part size) changed:
    /// the parts sent are not this file's.
    SourceChanged,
}

impl UploadCheckpoint {
    /// Whether this checkpoint belongs to an upload of `file` (of `size`
    /// bytes, modified at `mtime`) to `bucket/key` in parts of `part_size`.
    ///
    /// # Errors
    /// Why it cannot be used at all (another version, kind, object or file).
    pub(super) fn fit(
        &self,
        (bucket, key): (&str, &str),
        (file, size, mtime): (&Path, u64, u128),
        part_size: u64,
    ) -> std::result::Result<UploadFit, &'static str> {
        if self.version != CHECKPOINT_VERSION || self.kind != "upload" {
            return Err("not an upload checkpoint of this version");
        }
        if self.bucket != bucket || self.key != key || self.file != file {
            return Err("it belongs to another object or file");
        }
        if (self.file_size, self.file_mtime_ns, self.part_size) != (size, mtime, part_size) {
            return Ok(UploadFit::SourceChanged);
        }
        Ok(UploadFit::Resume)
    }

    /// The parts this checkpoint records that can be trusted (see
    /// [`confirmed_parts`]).
    pub(super) fn confirmed_parts(
        &self,
        plan: &PartPlan,
        listed: &[crate::oss::types::PartSummary],
    ) -> Vec<CompletedPart> {
        confirmed_parts(&self.parts, plan, listed)
    }
}

/// The recorded parts that can be trusted: the server `listed` them with the
/// same ETag and size, they have the size `plan` gives them, and each counts
/// once (an edited checkpoint may repeat one).
fn confirmed_parts(
    parts: &[DonePart],
    plan: &PartPlan,
    listed: &[crate::oss::types::PartSummary],
) -> Vec<CompletedPart> {
    let mut seen = std::collections::HashSet::new();
    parts
        .iter()
        .filter(|p| {
            plan.part(p.number).is_ok_and(|planned| planned.len == p.size)
                && listed.iter().any(|s| s.part_number == p.number && s.etag == p.etag && s.size == p.size)
                && seen.insert(p.number)
        })
        .map(|p| CompletedPart { part_number: p.number, etag: p.etag.clone(), crc64_and_size: Some((p.crc64, p.size)) })
        .collect()
}

impl DownloadCheckpoint {
    /// Whether this checkpoint is of the same download: the same object at
    /// the same ETag, the same bytes, the same ranges.
    pub(super) fn fits(&self, (bucket, key, etag): (&str, &str, &str), plan: &DownloadPlan) -> bool {
        self.version == CHECKPOINT_VERSION
            && self.kind == "download"
            && (self.bucket.as_str(), self.key.as_str(), self.etag.as_str()) == (bucket, key, etag)
            && (self.size, self.first, self.last, self.part_size)
                == (plan.object_size(), plan.first(), plan.last(), plan.range_size())
    }
}

pub(super) async fn file_identity(path: &Path) -> Result<(u64, u128)> {
    let meta = tokio::fs::metadata(path).await.map_err(io_error("reading metadata of", path))?;
    let mtime = meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
    Ok((meta.len(), mtime))
}

/// Parses bytes as an upload, a download and a re-upload checkpoint, as a
/// resume does before it checks anything against the server (for the fuzz
/// target); a re-upload checkpoint that parses is also fitted against an
/// object, which must not panic either.
pub(crate) fn parse_checkpoints(bytes: &[u8]) -> (bool, bool, bool) {
    // A checkpoint file wraps its record; the record alone parses too.
    let wrapped = crate::checkpoint::record_text(bytes);
    let bytes = wrapped.as_deref().map_or(bytes, str::as_bytes);
    let upload = serde_json::from_slice::<UploadCheckpoint>(bytes).is_ok();
    let download = serde_json::from_slice::<DownloadCheckpoint>(bytes).is_ok();
    let reupload = serde_json::from_slice::<ReuploadCheckpoint>(bytes).ok();
    if let Some(record) = &reupload {
        let _ = record.fit(("b", "k"), ("E", 1), (16, "I"));
        if let Ok(plan) = PartPlan::new(1 << 20, 1 << 16) {
            let _ = record.confirmed_parts(&plan, &[]);
        }
    }
    (upload, download, reupload.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oss::types::PartSummary;

    fn upload() -> UploadCheckpoint {
        UploadCheckpoint {
            version: CHECKPOINT_VERSION,
            kind: "upload".into(),
            bucket: "b".into(),
            key: "k".into(),
            upload_id: "U".into(),
            file: PathBuf::from("/data/f"),
            file_size: 250_000,
            file_mtime_ns: 7,
            part_size: 102_400,
            envelope: Vec::new(),
            sealed_material: None,
            parts: vec![
                DonePart { number: 1, etag: "E1".into(), crc64: 11, size: 102_400 },
                DonePart { number: 2, etag: "E2".into(), crc64: 22, size: 102_400 },
                DonePart { number: 2, etag: "E2".into(), crc64: 22, size: 102_400 },
                DonePart { number: 3, etag: "E3".into(), crc64: 33, size: 45_200 },
                DonePart { number: 9, etag: "E9".into(), crc64: 99, size: 1 },
            ],
        }
    }

    #[test]
    fn an_upload_checkpoint_fits_only_its_own_file_and_object() {
        let file = Path::new("/data/f");
        let here = ("b", "k");
        assert_eq!(upload().fit(here, (file, 250_000, 7), 102_400), Ok(UploadFit::Resume));
        assert_eq!(upload().fit(here, (file, 250_001, 7), 102_400), Ok(UploadFit::SourceChanged));
        assert_eq!(upload().fit(here, (file, 250_000, 8), 102_400), Ok(UploadFit::SourceChanged));
        assert_eq!(upload().fit(here, (file, 250_000, 7), 204_800), Ok(UploadFit::SourceChanged));
        assert!(upload().fit(("b", "other"), (file, 250_000, 7), 102_400).is_err());
        assert!(upload().fit(here, (Path::new("/data/g"), 250_000, 7), 102_400).is_err());
        let mut old = upload();
        old.version += 1;
        assert!(old.fit(here, (file, 250_000, 7), 102_400).is_err());
    }

    #[test]
    fn only_parts_the_server_has_as_recorded_are_kept_once() {
        let plan = PartPlan::new(250_000, 102_400).unwrap_or_else(|e| panic!("{e}"));
        let listed = |number: u32, etag: &str, size: u64| PartSummary {
            part_number: number,
            etag: etag.into(),
            size,
            crc64: None,
        };
        // Part 2 listed with another ETag (re-sent since), 3 as recorded, 9
        // outside the plan, 1 not listed at all.
        let server = [listed(2, "OTHER", 102_400), listed(3, "E3", 45_200), listed(9, "E9", 1)];
        let kept: Vec<u32> = upload().confirmed_parts(&plan, &server).iter().map(|p| p.part_number).collect();
        assert_eq!(kept, [3]);
        let server = [listed(1, "E1", 102_400), listed(2, "E2", 102_400)];
        let kept: Vec<u32> = upload().confirmed_parts(&plan, &server).iter().map(|p| p.part_number).collect();
        assert_eq!(kept, [1, 2], "part 2 is recorded twice and kept once");
    }

    #[test]
    fn a_reupload_checkpoint_fits_only_the_same_source_in_the_same_parts() {
        let record = ReuploadCheckpoint::new(("b", "k", "U"), ("E1", 500), (100, "I"), Vec::new());
        let here = ("b", "k");
        assert_eq!(record.fit(here, ("E1", 500), (100, "I")), Ok(ReuploadFit::Resume));
        assert_eq!(record.fit(here, ("E2", 500), (100, "I")), Ok(ReuploadFit::SourceChanged), "overwritten");
        assert_eq!(record.fit(here, ("E1", 501), (100, "I")), Ok(ReuploadFit::SourceChanged));
        assert_eq!(record.fit(here, ("E1", 500), (200, "I")), Ok(ReuploadFit::SourceChanged), "other parts");
        assert_eq!(record.fit(here, ("E1", 500), (100, "J")), Ok(ReuploadFit::SourceChanged), "another key");
        assert_eq!(record.fit(here, ("E1", 500), (100, "")), Ok(ReuploadFit::SourceChanged), "no identity");
        assert!(record.fit(("b", "other"), ("E1", 500), (100, "I")).is_err());
        let mut upload_kind = record.clone();
        upload_kind.kind = "upload".into();
        assert!(upload_kind.fit(here, ("E1", 500), (100, "I")).is_err());
    }

    #[test]
    fn a_download_checkpoint_fits_the_same_object_bytes_and_ranges() {
        let plan = DownloadPlan::new(1000, Some(crate::ByteRange::Inclusive { start: 17, end: 640 }), 256)
            .unwrap_or_else(|e| panic!("{e}"));
        let checkpoint = DownloadCheckpoint {
            version: CHECKPOINT_VERSION,
            kind: "download".into(),
            bucket: "b".into(),
            key: "k".into(),
            etag: "E".into(),
            size: 1000,
            first: 17,
            last: 640,
            part_size: 256,
            temp: PathBuf::new(),
            done: Vec::new(),
        };
        assert!(checkpoint.fits(("b", "k", "E"), &plan));
        assert!(!checkpoint.fits(("b", "k", "E2"), &plan), "the object changed");
        let other = DownloadPlan::new(1000, None, 256).unwrap_or_else(|e| panic!("{e}"));
        assert!(!checkpoint.fits(("b", "k", "E"), &other), "other bytes");
        let wider = DownloadPlan::new(1000, Some(crate::ByteRange::Inclusive { start: 17, end: 640 }), 512)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!checkpoint.fits(("b", "k", "E"), &wider), "other ranges");
    }
}
