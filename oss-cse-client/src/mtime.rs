//! A file's modification time kept with its object: recorded as user
//! metadata when a tree is uploaded ([`MTIME_HEADER`], as `oss-cse cp -r`
//! and `sync` write it), and given back to the file when it is downloaded
//! ([`DownloadOptions::keep_mtime`](crate::DownloadOptions::keep_mtime)), so
//! that a later `sync` sees an unchanged file as unchanged.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::ObjectMeta;

/// The user metadata holding a file's modification time, as
/// `seconds.nanoseconds` since the epoch.
pub const MTIME_HEADER: &str = "x-oss-meta-oss-cse-mtime";

/// A modification time as [`MTIME_HEADER`] records it (`seconds.nanoseconds`
/// since the epoch; the epoch for a time before it or none).
pub fn format_mtime(time: Option<SystemTime>) -> String {
    let since = time.and_then(|t| t.duration_since(UNIX_EPOCH).ok()).unwrap_or_default();
    format!("{}.{:09}", since.as_secs(), since.subsec_nanos())
}

/// The time a [`MTIME_HEADER`] value records, if it is one.
pub fn parse_mtime(text: &str) -> Option<SystemTime> {
    let (secs, nanos) = text.split_once('.')?;
    Some(UNIX_EPOCH + Duration::new(secs.parse().ok()?, nanos.parse().ok()?))
}

/// An object's modification time: the one recorded in [`MTIME_HEADER`],
/// else when OSS last wrote it (`Last-Modified`, whole seconds).
pub fn object_mtime(meta: &ObjectMeta) -> Option<SystemTime> {
    if let Some(recorded) = meta.header(MTIME_HEADER) {
        return parse_mtime(recorded);
    }
    let written = meta.last_modified.as_deref()?;
    let time = jiff::fmt::rfc2822::parse(written).ok()?.timestamp();
    Some(UNIX_EPOCH + Duration::from_secs(u64::try_from(time.as_second()).ok()?))
}

/// Gives the file at `path` the object's modification time. A failure is
/// logged, not returned: the file itself is complete and verified.
pub(crate) fn keep(path: &Path, meta: &ObjectMeta) {
    let Some(time) = object_mtime(meta) else { return };
    let set = std::fs::File::options().write(true).open(path).and_then(|file| file.set_modified(time));
    if let Err(error) = set {
        tracing::warn!(path = %path.display(), %error, "could not set the downloaded file's modification time");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_times_round_trip_and_last_modified_is_the_fallback() {
        let time = UNIX_EPOCH + Duration::new(1_700_000_000, 123_456_789);
        assert_eq!(format_mtime(Some(time)), "1700000000.123456789");
        assert_eq!(parse_mtime("1700000000.123456789"), Some(time));
        assert_eq!(parse_mtime("garbage"), None);
        let meta = |headers: Vec<(String, String)>, last_modified: Option<&str>| ObjectMeta {
            headers,
            last_modified: last_modified.map(str::to_owned),
            ..ObjectMeta::default()
        };
        let recorded = meta(vec![(MTIME_HEADER.to_owned(), "1700000000.123456789".to_owned())], None);
        assert_eq!(object_mtime(&recorded), Some(time));
        let written = meta(vec![], Some("Tue, 14 Nov 2023 22:13:20 GMT"));
        assert_eq!(object_mtime(&written), Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000)));
        assert_eq!(object_mtime(&meta(vec![], None)), None);
    }
}
