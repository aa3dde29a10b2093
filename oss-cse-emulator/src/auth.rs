//! Server-side verification of OSS V1 and V4 signatures, written from the
//! server's side (parse the Authorization header, rebuild what the client
//! should have signed), independently of the client crate's signer, so a
//! signing bug on either side fails the tests.

use aws_lc_rs::{constant_time, digest, hmac};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::server::OssError;

/// The parts of a request a signature covers.
#[derive(Debug)]
pub(crate) struct Signed<'a> {
    pub method: &'a str,
    pub bucket: Option<&'a str>,
    pub key: Option<&'a str>,
    /// Decoded query parameters.
    pub query: &'a [(String, Option<String>)],
    /// Headers, names lower-case.
    pub headers: &'a [(String, String)],
}

/// Why a request was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum AuthFailure {
    /// No or unparsable Authorization header.
    Missing,
    /// Unknown AccessKey id.
    UnknownKey,
    /// Signature does not match.
    Mismatch,
    /// A presigned URL past its `Expires`.
    Expired,
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
pub(crate) fn is_subresource(name: &str) -> bool {
    SUBRESOURCES.split_whitespace().any(|s| s == name)
}

impl Signed<'_> {
    fn header(&self, name: &str) -> &str {
        self.headers.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_deref().unwrap_or(""))
    }

    /// Whether this is a V1 presigned URL (`OSSAccessKeyId`, `Expires` and
    /// `Signature` in the query, no Authorization header): its time is its
    /// `Expires`, not a Date header.
    pub(crate) fn is_presigned_v1(&self) -> bool {
        self.header("authorization").is_empty()
            && ["OSSAccessKeyId", "Expires", "Signature"].iter().all(|p| self.query(p).is_some())
    }

    /// Checks the Authorization header (or a V1 presigned URL's query)
    /// against `secret_of(access_key_id)`; `now` judges a URL's expiry.
    pub(crate) fn verify(
        &self,
        secret_of: impl Fn(&str) -> Option<String>,
        now: jiff::Timestamp,
    ) -> Result<String, AuthFailure> {
        let authorization = self.header("authorization");
        if self.is_presigned_v1() {
            let (id, expires, signature) = (
                self.query("OSSAccessKeyId").unwrap_or_default(),
                self.query("Expires").unwrap_or_default(),
                self.query("Signature").unwrap_or_default(),
            );
            let secret = secret_of(id).ok_or(AuthFailure::UnknownKey)?;
            let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, secret.as_bytes());
            let expected = STANDARD.encode(hmac::sign(&key, self.v1_string_dated(expires).as_bytes()).as_ref());
            if !same(&expected, signature) {
                return Err(AuthFailure::Mismatch);
            }
            return match expires.parse::<i64>() {
                Ok(expires) if now.as_second() <= expires => Ok(id.to_owned()),
                _ => Err(AuthFailure::Expired),
            };
        }
        if let Some(rest) = authorization.strip_prefix("OSS4-HMAC-SHA256 ") {
            self.verify_v4(rest, secret_of)
        } else if let Some(rest) = authorization.strip_prefix("OSS ") {
            let (id, signature) = rest.rsplit_once(':').ok_or(AuthFailure::Missing)?;
            let secret = secret_of(id).ok_or(AuthFailure::UnknownKey)?;
            let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, secret.as_bytes());
            let expected = STANDARD.encode(hmac::sign(&key, self.v1_string().as_bytes()).as_ref());
            same(&expected, signature).then(|| id.to_owned()).ok_or(AuthFailure::Mismatch)
        } else {
            Err(AuthFailure::Missing)
        }
    }

    fn v1_string(&self) -> String {
        let date = match self.header("x-oss-date") {
            "" => self.header("date"),
            d => d,
        };
        self.v1_string_dated(date)
    }

    /// The V1 string to sign with `date` in its date line (a presigned URL
    /// puts its `Expires` there).
    fn v1_string_dated(&self, date: &str) -> String {
        let mut oss: Vec<(&str, &str)> =
            self.headers.iter().filter(|(k, _)| k.starts_with("x-oss-")).map(|(k, v)| (k.as_str(), v.trim())).collect();
        oss.sort();
        let mut text =
            format!("{}\n{}\n{}\n{date}\n", self.method, self.header("content-md5"), self.header("content-type"));
        for (k, v) in oss {
            text.push_str(&format!("{k}:{v}\n"));
        }
        match self.bucket {
            Some(b) => text.push_str(&format!("/{b}/{}", self.key.unwrap_or(""))),
            None => text.push('/'),
        }
        let mut sub: Vec<&(String, Option<String>)> =
            self.query.iter().filter(|(k, _)| SUBRESOURCES.split_whitespace().any(|s| s == k)).collect();
        sub.sort_by(|a, b| a.0.cmp(&b.0));
        let sub: Vec<String> = sub
            .iter()
            .map(|(k, v)| match v.as_deref() {
                Some(v) if !v.is_empty() => format!("{k}={v}"),
                _ => k.clone(),
            })
            .collect();
        if !sub.is_empty() {
            text.push('?');
            text.push_str(&sub.join("&"));
        }
        text
    }

    fn verify_v4(&self, fields: &str, secret_of: impl Fn(&str) -> Option<String>) -> Result<String, AuthFailure> {
        // "Credential=ak/date/region/product/aliyun_v4_request, AdditionalHeaders=a;b, Signature=hex"
        let mut credential = None;
        let mut additional: Vec<String> = Vec::new();
        let mut signature = None;
        for field in fields.split(',') {
            let (name, value) = field.trim().split_once('=').ok_or(AuthFailure::Missing)?;
            match name {
                "Credential" => credential = Some(value),
                "AdditionalHeaders" => additional = value.split(';').map(str::to_ascii_lowercase).collect(),
                "Signature" => signature = Some(value),
                _ => return Err(AuthFailure::Missing),
            }
        }
        let (credential, signature) = credential.zip(signature).ok_or(AuthFailure::Missing)?;
        let parts: Vec<&str> = credential.split('/').collect();
        let [id, date, region, product, "aliyun_v4_request"] = parts[..] else { return Err(AuthFailure::Missing) };
        let secret = secret_of(id).ok_or(AuthFailure::UnknownKey)?;
        let datetime = self.header("x-oss-date");
        if !datetime.starts_with(date) {
            return Err(AuthFailure::Mismatch);
        }
        let scope = format!("{date}/{region}/{product}/aliyun_v4_request");
        let canonical = self.v4_canonical(&additional);
        let hashed = hex::encode(digest::digest(&digest::SHA256, canonical.as_bytes()));
        let to_sign = format!("OSS4-HMAC-SHA256\n{datetime}\n{scope}\n{hashed}");
        let mut key = format!("aliyun_v4{secret}").into_bytes();
        for part in [date, region, product, "aliyun_v4_request"] {
            key = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &key), part.as_bytes()).as_ref().to_vec();
        }
        let expected = hex::encode(hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &key), to_sign.as_bytes()));
        same(&expected, signature).then(|| id.to_owned()).ok_or(AuthFailure::Mismatch)
    }

    fn v4_canonical(&self, additional: &[String]) -> String {
        let path = match self.bucket {
            Some(b) => format!("/{b}/{}", self.key.unwrap_or("")),
            None => "/".to_owned(),
        };
        let mut query: Vec<(String, String)> =
            self.query.iter().map(|(k, v)| (encode(k, false), encode(v.as_deref().unwrap_or(""), false))).collect();
        query.sort();
        let query: Vec<String> =
            query.into_iter().map(|(k, v)| if v.is_empty() { k } else { format!("{k}={v}") }).collect();
        let mut headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .filter(|(k, _)| {
                k.starts_with("x-oss-") || k == "content-type" || k == "content-md5" || additional.contains(k)
            })
            .map(|(k, v)| (k.as_str(), v.trim()))
            .collect();
        headers.sort();
        let headers: String = headers.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
        let mut additional = additional.to_vec();
        additional.sort();
        format!(
            "{}\n{}\n{}\n{headers}\n{}\n{}",
            self.method,
            encode(&path, true),
            query.join("&"),
            additional.join(";"),
            self.header("x-oss-content-sha256")
        )
    }
}

fn same(expected: &str, given: &str) -> bool {
    constant_time::verify_slices_are_equal(expected.as_bytes(), given.as_bytes()).is_ok()
}

/// RFC 3986 percent-encoding of everything but unreserved characters (and
/// `/` in paths).
pub(crate) fn encode(text: &str, keep_slash: bool) -> String {
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
    let text = header("x-oss-date").filter(|d| !d.is_empty()).or_else(|| header("date"))?;
    if let Ok(time) = jiff::fmt::rfc2822::parse(text) {
        return Some(time.timestamp());
    }
    let parsed = jiff::fmt::strtime::parse("%Y%m%dT%H%M%SZ", text).ok()?;
    jiff::tz::Offset::UTC.to_timestamp(parsed.to_datetime().ok()?).ok()
}

/// Refuses a request without a readable date (`AccessDenied`) or dated more
/// than 15 minutes from `now` (`RequestTimeTooSkewed`), as OSS does.
pub(crate) fn check_request_time(headers: &[(String, String)], now: jiff::Timestamp) -> Result<(), OssError> {
    let Some(time) = request_time(headers) else {
        return Err(OssError::new(403, "AccessDenied", "The request has no valid Date or x-oss-date header."));
    };
    if now.duration_since(time).abs() > MAX_SKEW {
        return Err(OssError::new(
            403,
            "RequestTimeTooSkewed",
            "The difference between the request time and the current time is too large.",
        ));
    }
    Ok(())
}

#[cfg(test)]
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
