//! Reads: `object_store`'s ranges and conditions as the encryption
//! client's, and its replies as `GetResult`s with plaintext offsets and sizes.

use std::ops::Range;

use chrono::{DateTime, Utc};
use futures_util::{StreamExt, TryStreamExt};
use object_store::path::Path;
use object_store::{GetOptions, GetRange, GetResult, GetResultPayload, ObjectMeta};
use oss_cse_client::{ByteRange, GetOptions as OssGetOptions};

use crate::OssCseStore;
use crate::attributes;
use crate::error::{Error, from_client, generic};

/// `range` as the client's plaintext range (end inclusive).
pub(crate) fn byte_range(range: &GetRange) -> Result<ByteRange, String> {
    range.is_valid().map_err(|e| e.to_string())?;
    Ok(match *range {
        GetRange::Bounded(Range { start, end }) => ByteRange::Inclusive { start, end: end - 1 },
        GetRange::Offset(start) => ByteRange::From { start },
        GetRange::Suffix(len) => ByteRange::Suffix { len },
    })
}

/// An HTTP date (`Last-Modified`) or an ISO 8601 time (a listing's).
pub(crate) fn parse_time(value: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc2822(value)
        .or_else(|_| DateTime::parse_from_rfc3339(value))
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

impl OssCseStore {
    /// `object_store`'s GET options as the client's (the range apart).
    fn conditions(options: &GetOptions) -> OssGetOptions {
        OssGetOptions {
            range: None,
            if_match: options.if_match.clone(),
            if_none_match: options.if_none_match.clone(),
            if_modified_since: options.if_modified_since.map(Into::into),
            if_unmodified_since: options.if_unmodified_since.map(Into::into),
        }
    }

    pub(crate) fn object_meta(
        &self,
        location: &Path,
        size: u64,
        etag: Option<String>,
        last_modified: Option<&str>,
        header: &'static str,
    ) -> object_store::Result<ObjectMeta> {
        let value = last_modified.unwrap_or_default();
        let last_modified = parse_time(value).ok_or_else(|| {
            generic(Error::InvalidTime {
                bucket: self.bucket.clone(),
                key: location.to_string(),
                header,
                value: value.to_owned(),
            })
        })?;
        Ok(ObjectMeta { location: location.clone(), last_modified, size, e_tag: etag, version: None })
    }

    pub(crate) async fn get(&self, location: &Path, options: GetOptions) -> object_store::Result<GetResult> {
        let key = location.as_ref();
        if let Some(version) = options.version.clone() {
            return Err(generic(Error::VersionNotSupported {
                bucket: self.bucket.clone(),
                key: key.to_owned(),
                version,
            }));
        }
        let mut conditions = Self::conditions(&options);
        if options.head {
            let head = self.client.oss().head_object_with(&self.bucket, key, &conditions).await;
            let head = head.map_err(|e| from_client(e, key))?;
            let meta = self.object_meta(
                location,
                head.content_length,
                head.etag.clone(),
                head.last_modified.as_deref(),
                "Last-Modified",
            )?;
            let attributes = attributes::from_headers(head.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            // A HEAD returns no bytes, so its range is empty.
            let range = 0..0;
            let payload = GetResultPayload::Stream(futures_util::stream::empty().boxed());
            return Ok(GetResult { payload, meta, range, attributes });
        }
        conditions.range = options.range.as_ref().map(byte_range).transpose().map_err(|reason| {
            generic(Error::InvalidRange { bucket: self.bucket.clone(), key: key.to_owned(), reason })
        })?;
        let object = self.client.get_object_with(&self.bucket, key, &conditions).await;
        let object = object.map_err(|e| from_client(e, key))?;
        let meta = self.object_meta(
            location,
            object.size,
            object.meta.etag.clone(),
            object.meta.last_modified.as_deref(),
            "Last-Modified",
        )?;
        let range = object.range.map_or(0..object.size, |(first, last)| first..last + 1);
        let attributes = attributes::from_headers(object.meta.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let path = key.to_owned();
        let body = object.body.map_err(move |e| from_client(e, &path));
        Ok(GetResult { payload: GetResultPayload::Stream(body.boxed()), meta, range, attributes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_become_inclusive_plaintext_ranges() {
        assert_eq!(byte_range(&GetRange::Bounded(2..5)).unwrap(), ByteRange::Inclusive { start: 2, end: 4 });
        assert_eq!(byte_range(&GetRange::Offset(3)).unwrap(), ByteRange::From { start: 3 });
        assert_eq!(byte_range(&GetRange::Suffix(2)).unwrap(), ByteRange::Suffix { len: 2 });
        assert!(byte_range(&GetRange::Bounded(5..5)).is_err());
    }

    #[test]
    fn both_time_formats_parse_and_garbage_does_not() {
        let http = parse_time("Fri, 04 Dec 2026 17:58:01 GMT").unwrap();
        let iso = parse_time("2026-12-04T17:58:01.000Z").unwrap();
        assert_eq!(http, iso);
        assert!(parse_time("yesterday").is_none());
        assert!(parse_time("").is_none());
    }
}
