//! Entry points for the fuzz targets and the hostile-input tests (not part
//! of the API): the parsers that read what a server or a checkpoint file
//! says, on arbitrary bytes, and a checkpoint editor that keeps the MAC.
#![doc(hidden)]

use crate::oss::types::{ContentRange, ServerSideEncryption};
use crate::oss::xml;

/// Parses bytes as an upload, a download and a re-upload checkpoint, as a
/// resume does before it checks anything against the server. Returns which
/// parsed.
pub fn parse_checkpoints(bytes: &[u8]) -> (bool, bool, bool) {
    crate::cse::transfer::parse_checkpoints(bytes)
}

/// Rewrites the checkpoint at `path` with `edit` applied to its record and a
/// MAC that checks, as only the owner of its folder could: what a resume
/// checks beyond the MAC is tested with it.
///
/// # Errors
/// A checkpoint that cannot be read, parsed or written.
pub fn edit_checkpoint(path: &std::path::Path, edit: impl FnOnce(&mut serde_json::Value)) -> crate::Result<()> {
    crate::cse::transfer::edit_checkpoint(path, edit)
}

/// Runs every reply parser on `bytes`: each XML reply the client reads, an
/// OSS error body (or x-oss-err header), a Content-Range value, SSE and
/// object metadata headers. They must return
/// a value or an error, never panic; a Content-Range they accept must be a
/// well-formed range.
///
/// # Panics
/// When a parser breaks that property: that is what the fuzzer looks for.
pub fn parse_replies(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let _ = xml::list_objects(text);
    let _ = xml::list_parts(text);
    let _ = xml::list_uploads(text);
    let _ = xml::bucket_encryption(text);
    let _ = xml::list_buckets(text);
    let _ = xml::parse::<xml::ErrorBody>(text, "Error");
    let _ = xml::parse::<xml::InitiateResult>(text, "InitiateMultipartUploadResult");
    let _ = xml::parse::<xml::EtagResult>(text, "CompleteMultipartUploadResult");
    if let Some(range) = ContentRange::parse(text) {
        assert!(range.start <= range.end && range.end < range.total, "accepted a malformed Content-Range");
    }
    let headers: Vec<(String, String)> = text
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let _ = ServerSideEncryption::from_headers(&headers);
    // The same lines as reply headers (x-oss-err among them), and the text
    // as an error body: the error and metadata readers.
    let mut map = http::HeaderMap::new();
    for (name, value) in &headers {
        if let (Ok(name), Ok(value)) = (http::HeaderName::try_from(name.as_str()), http::HeaderValue::try_from(value)) {
            map.append(name, value);
        }
    }
    let _ = crate::oss::reply::object_meta(&map);
    let _ = crate::oss::reply::service_error(404, &map, text);
    let _ = crate::oss::reply::service_error(404, &map, "");
}
