//! Server-side verification of OSS V1, V2 and V4 signatures (headers and
//! presigned URLs), as OSS checks them, for the servers of the workspace
//! (the emulator, the gateway). Written from the server's side (parse the
//! Authorization header, rebuild what the client should have signed),
//! independently of [`crate::sign`], so a signing bug on either side fails
//! the tests.

use aws_lc_rs::constant_time;

mod address;
mod v1;
mod v2;
mod v4;

pub use address::{Incoming, bucket_and_key, decode, parse_query, virtual_host_bucket};

/// The parts of a request a signature covers.
#[derive(Debug)]
pub struct Signed<'a> {
    /// The HTTP method.
    pub method: &'a str,
    /// The bucket addressed, from the Host or the path.
    pub bucket: Option<&'a str>,
    /// The object key (`Some("")` for a bucket request).
    pub key: Option<&'a str>,
    /// Decoded query parameters.
    pub query: &'a [(String, Option<String>)],
    /// Headers, names lower-case.
    pub headers: &'a [(String, String)],
}

/// Why a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthFailure {
    /// No or unparsable Authorization header.
    Missing,
    /// Unknown AccessKey id.
    UnknownKey,
    /// Signature does not match.
    Mismatch,
    /// A presigned URL past its `Expires`.
    Expired,
    /// A V4 credential scope that cannot be read, or whose date is not the
    /// request's.
    BadCredential,
    /// A V4 credential scope with no region.
    EmptyRegion,
    /// A V4 credential scope naming another region than the emulator's.
    WrongRegion,
}

/// The error OSS answers a refused request with: HTTP status, code,
/// message, and the EC where OSS gives one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    /// HTTP status.
    pub status: u16,
    /// OSS's error code.
    pub code: &'static str,
    /// OSS's message.
    pub message: &'static str,
    /// OSS's EC, where known.
    pub ec: Option<&'static str>,
}

const fn refusal(status: u16, code: &'static str, message: &'static str) -> Refusal {
    Refusal { status, code, message, ec: None }
}

impl AuthFailure {
    /// The error OSS answers with.
    pub fn refusal(&self) -> Refusal {
        match self {
            Self::Missing => refusal(403, "AccessDenied", "Authorization header is invalid or missing."),
            Self::UnknownKey => {
                refusal(403, "InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist in our records.")
            }
            Self::Mismatch => refusal(
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.",
            ),
            Self::Expired => refusal(403, "AccessDenied", "Request has expired."),
            Self::BadCredential => refusal(400, "InvalidArgument", "Invalid credential in Authorization header."),
            Self::EmptyRegion => refusal(400, "InvalidArgument", "The signing region in credential is invalid."),
            Self::WrongRegion => Refusal {
                ec: Some("0002-00000226"),
                ..refusal(400, "InvalidArgument", "Invalid signing region in Authorization header.")
            },
        }
    }
}

/// The sub-resources V1 signs (as the official SDKs list them).
const SUBRESOURCES: &str = "acl append asyncFetch bucketInfo callback callback-var cname comp continuation-token cors \
    delete encryption endTime group inventory inventoryId lifecycle link live location logging metaQuery objectInfo \
    objectMeta partNumber policy position qos qosInfo referer replication replicationLocation replicationProgress \
    requestPayment resourceGroup response-cache-control response-content-disposition response-content-encoding \
    response-content-language response-content-type response-expires restore security-token sequential stat \
    startTime status symlink tagging transferAcceleration uploadId uploads versionId versioning versions vod website \
    worm wormExtend wormId x-oss-process x-oss-request-payer x-oss-traffic-limit";

/// Whether a query parameter is an OSS sub-resource (one that selects an
/// operation, e.g. `acl`, `uploads`, `tagging`).
pub fn is_subresource(name: &str) -> bool {
    SUBRESOURCES.split_whitespace().any(|s| s == name)
}

/// Who signed a request, and how.
#[derive(Debug)]
pub struct Verified {
    /// The AccessKey id.
    pub caller: String,
    /// A presigned URL (its time is its expiry, not a request date).
    pub presigned: bool,
}

impl Verified {
    fn header(id: &str) -> Self {
        Self { caller: id.to_owned(), presigned: false }
    }

    fn presigned(id: &str) -> Self {
        Self { caller: id.to_owned(), presigned: true }
    }
}

impl Signed<'_> {
    fn header(&self, name: &str) -> &str {
        self.headers.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_deref().unwrap_or(""))
    }

    /// `/bucket/key`, or `/` for the service.
    fn resource_path(&self) -> String {
        match self.bucket {
            Some(b) => format!("/{b}/{}", self.key.unwrap_or("")),
            None => "/".to_owned(),
        }
    }

    /// V2 and V4 sign every query parameter but the signature itself,
    /// encoded and sorted: `a=1&b&c=3`.
    fn signed_query(&self) -> String {
        let mut query: Vec<(String, String)> = self
            .query
            .iter()
            .filter(|(k, _)| k != "x-oss-signature")
            .map(|(k, v)| (encode(k, false), encode(v.as_deref().unwrap_or(""), false)))
            .collect();
        query.sort();
        let query: Vec<String> =
            query.into_iter().map(|(k, v)| if v.is_empty() { k } else { format!("{k}={v}") }).collect();
        query.join("&")
    }

    /// Checks the Authorization header (V1 `OSS`, V2 `OSS2`, V4
    /// `OSS4-HMAC-SHA256`) or a presigned URL's query (V1, V2, V4) against
    /// `secret_of(access_key_id)`. `region`, when the emulator has one, is
    /// the only region a V4 scope may name; `now` judges a URL's expiry.
    ///
    /// # Errors
    /// Why the request is refused.
    pub fn verify(
        &self,
        secret_of: impl Fn(&str) -> Option<String>,
        region: Option<&str>,
        now: jiff::Timestamp,
    ) -> Result<Verified, AuthFailure> {
        let authorization = self.header("authorization");
        if authorization.is_empty() {
            return match self.query("x-oss-signature-version") {
                Some("OSS4-HMAC-SHA256") => self.verify_v4_url(secret_of, region, now),
                Some("OSS2") => self.verify_v2_url(secret_of, now),
                Some(_) => Err(AuthFailure::Missing),
                None if self.is_presigned_v1() => self.verify_v1_url(secret_of, now),
                None => Err(AuthFailure::Missing),
            };
        }
        if let Some(rest) = authorization.strip_prefix("OSS4-HMAC-SHA256 ") {
            self.verify_v4_header(rest, secret_of, region)
        } else if let Some(rest) = authorization.strip_prefix("OSS2 ") {
            self.verify_v2_header(rest, secret_of)
        } else if let Some(rest) = authorization.strip_prefix("OSS ") {
            self.verify_v1_header(rest, secret_of)
        } else {
            Err(AuthFailure::Missing)
        }
    }
}

/// The named fields of an Authorization header's comma-separated
/// `name<separator>value` list, in `names` order; an unknown name is refused.
fn auth_fields<'a, const N: usize>(
    text: &'a str,
    separator: char,
    names: [&str; N],
) -> Result<[Option<&'a str>; N], AuthFailure> {
    let mut found = [None; N];
    for field in text.split(',') {
        let (name, value) = field.trim().split_once(separator).ok_or(AuthFailure::Missing)?;
        let slot = names.iter().position(|n| *n == name).ok_or(AuthFailure::Missing)?;
        found[slot] = Some(value);
    }
    Ok(found)
}

fn same(expected: &str, given: &str) -> bool {
    constant_time::verify_slices_are_equal(expected.as_bytes(), given.as_bytes()).is_ok()
}

/// RFC 3986 percent-encoding of everything but unreserved characters (and
/// `/` in paths).
pub fn encode(text: &str, keep_slash: bool) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) || (keep_slash && b == b'/') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The largest difference between a request's date and now that OSS accepts.
const MAX_SKEW: jiff::SignedDuration = jiff::SignedDuration::from_mins(15);

/// The request's signing time: `x-oss-date` (V4's `20231203T121212Z`, or an
/// HTTP date) or else `Date`.
fn request_time(headers: &[(String, String)]) -> Option<jiff::Timestamp> {
    let header = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim());
    parse_time(header("x-oss-date").filter(|d| !d.is_empty()).or_else(|| header("date"))?)
}

/// An HTTP date or V4's `20231203T121212Z`.
fn parse_time(text: &str) -> Option<jiff::Timestamp> {
    if let Ok(time) = jiff::fmt::rfc2822::parse(text) {
        return Some(time.timestamp());
    }
    let parsed = jiff::fmt::strtime::parse("%Y%m%dT%H%M%SZ", text).ok()?;
    jiff::tz::Offset::UTC.to_timestamp(parsed.to_datetime().ok()?).ok()
}

/// An HTTP date as V4's `20231203T121212Z`.
fn iso8601(http_date: &str) -> Option<String> {
    let time = jiff::fmt::rfc2822::parse(http_date.trim()).ok()?.timestamp();
    Some(time.strftime("%Y%m%dT%H%M%SZ").to_string())
}

/// Refuses a request without a readable date (`AccessDenied`) or dated more
/// than 15 minutes from `now` (`RequestTimeTooSkewed`), as OSS does: an old
/// signed request cannot be replayed.
///
/// # Errors
/// The refusal OSS answers with.
pub fn check_request_time(headers: &[(String, String)], now: jiff::Timestamp) -> Result<(), Refusal> {
    let Some(time) = request_time(headers) else {
        return Err(refusal(403, "AccessDenied", "The request has no valid Date or x-oss-date header."));
    };
    if now.duration_since(time).abs() > MAX_SKEW {
        return Err(refusal(
            403,
            "RequestTimeTooSkewed",
            "The difference between the request time and the current time is too large.",
        ));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod time_tests {
    use super::*;

    fn headers(name: &str, value: &str) -> Vec<(String, String)> {
        vec![(name.to_owned(), value.to_owned())]
    }

    #[test]
    fn requests_outside_fifteen_minutes_are_refused() {
        let now: jiff::Timestamp = "2026-11-29T12:00:00Z".parse().unwrap_or_else(|e| panic!("{e}"));
        assert!(check_request_time(&headers("date", "Sun, 29 Nov 2026 12:14:00 GMT"), now).is_ok());
        assert!(check_request_time(&headers("x-oss-date", "20261129T114600Z"), now).is_ok());
        for (name, value) in [
            ("date", "Sun, 29 Nov 2026 12:16:00 GMT"),
            ("date", "Thu, 01 Jan 2015 00:00:00 GMT"),
            ("x-oss-date", "20261129T114400Z"),
        ] {
            let error = check_request_time(&headers(name, value), now).map(|()| "accepted").unwrap_err();
            assert_eq!(error.code, "RequestTimeTooSkewed", "{value}");
        }
        assert_eq!(check_request_time(&[], now).unwrap_err().code, "AccessDenied");
        assert_eq!(check_request_time(&headers("date", "yesterday"), now).unwrap_err().code, "AccessDenied");
    }
}
