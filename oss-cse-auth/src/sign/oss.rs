//! OSS request signing, as pure functions: V1 (`OSS ak:sig`, HMAC-SHA1) and
//! V4 (`OSS4-HMAC-SHA256`, region-scoped, `UNSIGNED-PAYLOAD`). Nothing here
//! sends anything; the client adds the headers these functions return.
//!
//! Checked against the official Go SDK v2's signer test vectors (see the
//! tests) and, end to end, by the emulator and by `oss2` talking to it.

use aws_lc_rs::{digest, hmac};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::Credentials;

/// The request as the signer sees it.
#[derive(Debug, Clone, Copy)]
pub struct SignableRequest<'a> {
    /// HTTP method.
    pub method: &'a str,
    /// Bucket, if the request concerns one.
    pub bucket: Option<&'a str>,
    /// Object key (unencoded), if the request concerns one.
    pub key: Option<&'a str>,
    /// Query parameters, unencoded; `None` value for a bare `?uploads`.
    pub query: &'a [(String, Option<String>)],
    /// Headers, names in any case.
    pub headers: &'a [(String, String)],
}

/// Query parameters that OSS V1 signs (the sub-resources), as oss2 lists them.
pub const V1_SUBRESOURCES: &[&str] = &[
    "acl",
    "append",
    "asyncFetch",
    "bucketInfo",
    "callback",
    "callback-var",
    "cname",
    "comp",
    "continuation-token",
    "cors",
    "delete",
    "encryption",
    "endTime",
    "group",
    "inventory",
    "inventoryId",
    "lifecycle",
    "link",
    "live",
    "location",
    "logging",
    "metaQuery",
    "objectInfo",
    "objectMeta",
    "partNumber",
    "policy",
    "position",
    "qos",
    "qosInfo",
    "referer",
    "replication",
    "replicationLocation",
    "replicationProgress",
    "requestPayment",
    "resourceGroup",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
    "restore",
    "security-token",
    "sequential",
    "stat",
    "startTime",
    "status",
    "symlink",
    "tagging",
    "transferAcceleration",
    "uploadId",
    "uploads",
    "versionId",
    "versioning",
    "versions",
    "vod",
    "website",
    "worm",
    "wormExtend",
    "wormId",
    "x-oss-process",
    "x-oss-request-payer",
    "x-oss-traffic-limit",
];

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map_or("", |(_, v)| v.as_str())
}

/// The V1 string to sign.
pub fn string_to_sign_v1(request: &SignableRequest<'_>) -> String {
    let mut oss_headers: Vec<(String, &str)> = request
        .headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim()))
        .filter(|(k, _)| k.starts_with("x-oss-"))
        .collect();
    oss_headers.sort();
    let mut subresources: Vec<&(String, Option<String>)> =
        request.query.iter().filter(|(k, _)| V1_SUBRESOURCES.contains(&k.as_str())).collect();
    subresources.sort_by(|a, b| a.0.cmp(&b.0));

    let date = match header(request.headers, "x-oss-date") {
        "" => header(request.headers, "date"),
        date => date,
    };
    let mut out = format!(
        "{}\n{}\n{}\n{}\n",
        request.method,
        header(request.headers, "content-md5"),
        header(request.headers, "content-type"),
        date
    );
    for (name, value) in oss_headers {
        out.push_str(&name);
        out.push(':');
        out.push_str(value);
        out.push('\n');
    }
    match request.bucket {
        Some(bucket) => {
            out.push('/');
            out.push_str(bucket);
            out.push('/');
            out.push_str(request.key.unwrap_or(""));
        }
        None => out.push('/'),
    }
    for (index, (name, value)) in subresources.into_iter().enumerate() {
        out.push(if index == 0 { '?' } else { '&' });
        out.push_str(name);
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            out.push('=');
            out.push_str(value);
        }
    }
    out
}

/// How a request is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme<'a> {
    /// V1: HMAC-SHA1 over the `Date` and the signed sub-resources.
    V1,
    /// V4: HMAC-SHA256 scoped to a date, region and product (`oss`).
    V4 {
        /// Region, e.g. `cn-hangzhou`.
        region: &'a str,
        /// Product, `oss` for OSS.
        product: &'a str,
    },
}

/// The headers that sign `request` at `now`, to add to it as they are: the
/// time it is signed at (V1 `date`; V4 `x-oss-date` and the content hash
/// `x-oss-content-sha256: UNSIGNED-PAYLOAD`), the security token of
/// temporary credentials, and `authorization`, computed over the request's
/// own headers and these. The signer owns them, as aws-sigv4's does, so no
/// caller can sign one time and send another.
pub fn signing_headers(
    request: &SignableRequest<'_>,
    credentials: &Credentials,
    scheme: Scheme<'_>,
    now: std::time::SystemTime,
) -> Vec<(String, String)> {
    let now = jiff::Timestamp::try_from(now).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let mut added: Vec<(String, String)> = Vec::with_capacity(4);
    if let Some(token) = credentials.security_token() {
        added.push(("x-oss-security-token".into(), token.to_owned()));
    }
    match scheme {
        Scheme::V4 { .. } => {
            added.push(("x-oss-date".into(), now.strftime("%Y%m%dT%H%M%SZ").to_string()));
            added.push(("x-oss-content-sha256".into(), "UNSIGNED-PAYLOAD".into()));
        }
        Scheme::V1 => added.push(("date".into(), now.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string())),
    }
    let headers: Vec<(String, String)> = request.headers.iter().chain(&added).cloned().collect();
    let signed = SignableRequest { headers: &headers, ..*request };
    let authorization = match scheme {
        Scheme::V4 { region, product } => authorization_v4(&signed, credentials, region, product, &[]),
        Scheme::V1 => authorization_v1(&signed, credentials),
    };
    added.push(("authorization".into(), authorization));
    added
}

/// The V1 `Authorization` header value. The request must already carry its
/// `Date` (or `x-oss-date`) and, for STS, `x-oss-security-token` header.
pub fn authorization_v1(request: &SignableRequest<'_>, credentials: &Credentials) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, credentials.access_key_secret().as_bytes());
    let signature = hmac::sign(&key, string_to_sign_v1(request).as_bytes());
    format!("OSS {}:{}", credentials.access_key_id(), STANDARD.encode(signature.as_ref()))
}

/// RFC 3986 encoding as OSS V4 wants it: unreserved characters kept, `/`
/// kept only in paths.
pub fn uri_encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') || (keep_slash && byte == b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The V4 canonical request.
pub fn canonical_request_v4(request: &SignableRequest<'_>, additional_headers: &[String]) -> String {
    let uri = match request.bucket {
        Some(bucket) => uri_encode(&format!("/{bucket}/{}", request.key.unwrap_or("")), true),
        None => "/".to_owned(),
    };
    let mut query: Vec<(String, String)> = request
        .query
        .iter()
        .map(|(k, v)| (uri_encode(k, false), uri_encode(v.as_deref().unwrap_or(""), false)))
        .collect();
    query.sort();
    let query = query
        .iter()
        .map(|(k, v)| if v.is_empty() { k.clone() } else { format!("{k}={v}") })
        .collect::<Vec<_>>()
        .join("&");
    let mut signed: Vec<(String, &str)> = request
        .headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim()))
        .filter(|(k, _)| {
            k.starts_with("x-oss-") || k == "content-type" || k == "content-md5" || additional_headers.contains(k)
        })
        .collect();
    signed.sort();
    let headers: String = signed.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let mut additional = additional_headers.to_vec();
    additional.sort();
    let payload = match header(request.headers, "x-oss-content-sha256") {
        "" => "UNSIGNED-PAYLOAD",
        value => value,
    };
    format!("{}\n{uri}\n{query}\n{headers}\n{}\n{payload}", request.method, additional.join(";"))
}

/// The V4 `Authorization` header value. The request must already carry
/// `x-oss-date` (`%Y%m%dT%H%M%SZ`) and `x-oss-content-sha256`.
pub fn authorization_v4(
    request: &SignableRequest<'_>,
    credentials: &Credentials,
    region: &str,
    product: &str,
    additional_headers: &[String],
) -> String {
    let datetime = header(request.headers, "x-oss-date");
    let date = datetime.get(..8).unwrap_or("");
    let scope = format!("{date}/{region}/{product}/aliyun_v4_request");
    let canonical = canonical_request_v4(request, additional_headers);
    let hashed = hex(digest::digest(&digest::SHA256, canonical.as_bytes()).as_ref());
    let string_to_sign = format!("OSS4-HMAC-SHA256\n{datetime}\n{scope}\n{hashed}");
    let mut key = zeroize::Zeroizing::new(format!("aliyun_v4{}", credentials.access_key_secret()).into_bytes());
    for part in [date, region, product, "aliyun_v4_request"] {
        key = zeroize::Zeroizing::new(
            hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &key), part.as_bytes()).as_ref().to_vec(),
        );
    }
    let signature = hex(hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &key), string_to_sign.as_bytes()).as_ref());
    let mut value =
        format!("OSS4-HMAC-SHA256 Credential={}/{scope},Signature={signature}", credentials.access_key_id());
    if !additional_headers.is_empty() {
        let mut additional = additional_headers.to_vec();
        additional.sort();
        value = format!("{value},AdditionalHeaders={}", additional.join(";"));
    }
    value
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
#[path = "oss_tests.rs"]
mod tests;
