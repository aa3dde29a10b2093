//! Alibaba Cloud request signatures, as pure functions.
//!
//! - V3 (`ACS3-HMAC-SHA256`, the default): a canonical request of method,
//!   path, sorted query, the signed headers (`host`, `content-type` and every
//!   `x-acs-*`) and the body's SHA-256; its hash is signed with HMAC-SHA256
//!   and sent in an `Authorization` header.
//! - The RPC signature (`SignatureVersion=1.0`, HMAC-SHA1, which Alibaba Cloud
//!   now calls "signature method V2" and lists as discontinued): percent-encode
//!   and sort the parameters, sign `METHOD&%2F&encode(query)` with
//!   `secret + "&"`. Kept for private endpoints that still want it.

use aws_lc_rs::{digest, hmac};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// RFC 3986 percent-encoding as the RPC signature wants it (`~` kept,
/// space as `%20`, `*` as `%2A`).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The canonicalized query string: parameters (without `Signature`)
/// encoded, sorted and joined.
pub fn canonical_query(params: &[(String, String)]) -> String {
    let mut encoded: Vec<(String, String)> =
        params.iter().filter(|(k, _)| k != "Signature").map(|(k, v)| (percent_encode(k), percent_encode(v))).collect();
    encoded.sort();
    encoded.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
}

/// The string to sign for `method` and `params`.
pub fn string_to_sign(method: &str, params: &[(String, String)]) -> String {
    format!("{method}&{}&{}", percent_encode("/"), percent_encode(&canonical_query(params)))
}

/// The `Signature` parameter value.
pub fn signature(method: &str, params: &[(String, String)], access_key_secret: &str) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, format!("{access_key_secret}&").as_bytes());
    STANDARD.encode(hmac::sign(&key, string_to_sign(method, params).as_bytes()).as_ref())
}

/// The V3 algorithm name.
pub const ACS3_HMAC_SHA256: &str = "ACS3-HMAC-SHA256";

/// Lower-case hex of SHA-256 (`x-acs-content-sha256`, the canonical request hash).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(digest::digest(&digest::SHA256, bytes).as_ref())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether a header takes part in a V3 signature.
fn is_v3_signed(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name == "host" || name == "content-type" || name.starts_with("x-acs-")
}

/// The V3 canonical request and its signed-header list. `headers` must
/// already hold `x-acs-content-sha256`; headers that are not signed (see
/// the module docs) are left out.
pub fn v3_canonical_request(
    method: &str,
    path: &str,
    query: &[(String, String)],
    headers: &[(String, String)],
) -> (String, String) {
    let mut encoded: Vec<(String, String)> =
        query.iter().map(|(k, v)| (percent_encode(k), percent_encode(v))).collect();
    encoded.sort();
    let canonical_query = encoded.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    let mut signed: Vec<(String, String)> = headers
        .iter()
        .filter(|(k, _)| is_v3_signed(k))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    signed.sort();
    let canonical_headers: String = signed.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed_names = signed.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(";");
    let payload = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("x-acs-content-sha256"))
        .map_or_else(|| sha256_hex(b""), |(_, v)| v.clone());
    let request = format!("{method}\n{path}\n{canonical_query}\n{canonical_headers}\n{signed_names}\n{payload}");
    (request, signed_names)
}

/// The V3 `Authorization` header value for a request (see
/// [`v3_canonical_request`]).
pub fn v3_authorization(
    method: &str,
    path: &str,
    query: &[(String, String)],
    headers: &[(String, String)],
    access_key_id: &str,
    access_key_secret: &str,
) -> String {
    let (request, signed_names) = v3_canonical_request(method, path, query, headers);
    let string_to_sign = format!("{ACS3_HMAC_SHA256}\n{}", sha256_hex(request.as_bytes()));
    let key = hmac::Key::new(hmac::HMAC_SHA256, access_key_secret.as_bytes());
    let signature = hex(hmac::sign(&key, string_to_sign.as_bytes()).as_ref());
    format!("{ACS3_HMAC_SHA256} Credential={access_key_id},SignedHeaders={signed_names},Signature={signature}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    const V3_EXPECTED: &str = "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=content-type;host;x-acs-action;\
        x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,\
        Signature=622e2a15a05093c1d87b5bfbd090d424a2dcfd8c372149ea069cd06bc6c998b5";

    /// Computed for the same request by the official
    /// `alibabacloud_openapi_util` 0.2.4 (`Client.get_authorization`, given
    /// the same signed headers); unsigned headers such as `accept` do not
    /// change it.
    #[test]
    fn v3_matches_the_official_openapi_util() {
        let body = "CiphertextBlob=blob%2Bwith%2Fchars%3D&EncryptionContext=%7B%22a%22%3A%221%22%7D";
        let headers = pairs(&[
            ("Host", "kms.cn-hangzhou.aliyuncs.com"),
            ("x-acs-action", "Decrypt"),
            ("x-acs-version", "2016-01-20"),
            ("x-acs-date", "2026-11-29T12:00:00Z"),
            ("x-acs-signature-nonce", "0123456789abcdef0123456789abcdef"),
            ("x-acs-content-sha256", &sha256_hex(body.as_bytes())),
            ("content-type", "application/x-www-form-urlencoded"),
            ("accept", "application/json"),
        ]);
        let query = pairs(&[("B", "a b"), ("A", "x*y~")]);
        assert_eq!(v3_authorization("POST", "/", &query, &headers, "testid", "testsecret"), V3_EXPECTED);
    }

    /// The worked example of the Alibaba Cloud RPC signature documentation
    /// (ECS DescribeRegions, AccessKey secret `testsecret`).
    #[test]
    fn documented_example() {
        let params: Vec<(String, String)> = [
            ("AccessKeyId", "testid"),
            ("Action", "DescribeRegions"),
            ("Format", "XML"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2016-02-23T12:46:24Z"),
            ("Version", "2014-05-26"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        assert_eq!(
            string_to_sign("GET", &params),
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
        );
        assert_eq!(signature("GET", &params, "testsecret"), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    }

    #[test]
    fn encoding() {
        assert_eq!(percent_encode("a b*c~d/e+f="), "a%20b%2Ac~d%2Fe%2Bf%3D");
    }
}
