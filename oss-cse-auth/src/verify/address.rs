//! What a request to an OSS-compatible server addresses: the bucket and key
//! from the Host header (virtual-hosted) or the path (path-style), and its
//! decoded query, as OSS reads them.

use percent_encoding::percent_decode_str;

/// Percent-decoded text (invalid UTF-8 replaced).
pub fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// A query string's decoded `(name, value)` pairs, in order; a bare name
/// has no value.
pub fn parse_query(raw: Option<&str>) -> Vec<(String, Option<String>)> {
    raw.unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (decode(k), Some(decode(v))),
            None => (decode(pair), None),
        })
        .collect()
}

/// The bucket a Host names, if it is virtual-hosted: `<bucket>.localhost`,
/// `<bucket>.oss-<region>[-internal].aliyuncs.com` (what the SDKs send even
/// to an IP address they were given as the endpoint, when a CNAME or a
/// proxy stands in front), or `<bucket>.<name>` for one of the server's own
/// host `names`. An IP address, `localhost` or an endpoint without a bucket
/// label names none (path-style).
pub fn virtual_host_bucket<'a>(host: &'a str, names: &[&str]) -> Option<&'a str> {
    let host = host.rsplit_once(':').filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit())).map_or(host, |h| h.0);
    if host.parse::<std::net::IpAddr>().is_ok() {
        return None;
    }
    // Everything before the server's name is the bucket (a name with dots or
    // slashes in it is the server's to refuse as InvalidBucketName).
    let before = |suffix: &str| {
        let cut = host.len().checked_sub(suffix.len() + 1)?;
        (host.get(cut..)? == format!(".{suffix}").as_str()).then(|| &host[..cut])
    };
    let bucket = before("localhost")
        .or_else(|| names.iter().find_map(|name| before(name)))
        .or_else(|| host.strip_suffix(".aliyuncs.com").and_then(|h| h.split_once(".oss-")).map(|(bucket, _)| bucket));
    bucket.filter(|bucket| !bucket.is_empty())
}

/// Bucket and key of a request: from the Host when it is virtual-hosted
/// (see [`virtual_host_bucket`]), else from the path (`/bucket/key`).
pub fn bucket_and_key(host: &str, path: &str, names: &[&str]) -> (Option<String>, Option<String>) {
    let path = decode(path.trim_start_matches('/'));
    if let Some(bucket) = virtual_host_bucket(host, names) {
        return (Some(bucket.to_owned()), (!path.is_empty()).then_some(path));
    }
    match path.split_once('/') {
        Some((bucket, key)) => (Some(bucket.to_owned()), (!key.is_empty()).then(|| key.to_owned())),
        None if path.is_empty() => (None, None),
        None => (Some(path), None),
    }
}

/// What a server reads of a request first: its headers (names lower-case,
/// values kept whole: user metadata may be UTF-8, which `to_str` would drop,
/// breaking the signature), the bucket and key it addresses (see
/// [`bucket_and_key`], with the server's own host `names`) and its query.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// Headers, names lower-case.
    pub headers: Vec<(String, String)>,
    /// The bucket addressed.
    pub bucket: Option<String>,
    /// The object key.
    pub key: Option<String>,
    /// The query, decoded, in order.
    pub query: Vec<(String, Option<String>)>,
}

impl Incoming {
    /// Reads `parts`.
    pub fn read(parts: &http::request::Parts, names: &[&str]) -> Self {
        let headers = parts
            .headers
            .iter()
            .map(|(k, v)| (k.as_str().to_ascii_lowercase(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        let host = parts.headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("");
        let (bucket, key) = bucket_and_key(host, parts.uri.path(), names);
        Self { headers, bucket, key, query: parse_query(parts.uri.query()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(host: &str, path: &str) -> (Option<String>, Option<String>) {
        bucket_and_key(host, path, &["gw.example"])
    }

    fn some(bucket: &str, key: Option<&str>) -> (Option<String>, Option<String>) {
        (Some(bucket.to_owned()), key.map(str::to_owned))
    }

    #[test]
    fn buckets_come_from_the_host_or_the_path() {
        assert_eq!(both("127.0.0.1:9000", "/records/2026/a%20b.pdf"), some("records", Some("2026/a b.pdf")));
        assert_eq!(both("records.oss-cn-hangzhou.aliyuncs.com", "/2026/a.pdf"), some("records", Some("2026/a.pdf")));
        assert_eq!(both("records.oss-cn-hangzhou.aliyuncs.com:9100", "/"), some("records", None));
        assert_eq!(both("records.oss-cn-beijing-internal.aliyuncs.com", "/k"), some("records", Some("k")));
        assert_eq!(both("records.localhost:9000", "/k/"), some("records", Some("k/")));
        assert_eq!(both("records.gw.example:443", "/k"), some("records", Some("k")));
        // The endpoint itself, an IP, an unknown name: path-style.
        assert_eq!(both("oss-cn-hangzhou.aliyuncs.com", "/records/k"), some("records", Some("k")));
        assert_eq!(both("[::1]:9000", "/records/k"), some("records", Some("k")));
        assert_eq!(both("localhost:9000", "/records"), some("records", None));
        assert_eq!(both("records.elsewhere.com", "/other/k"), some("other", Some("k")));
        assert_eq!(both("127.0.0.1", "/"), (None, None));
    }

    #[test]
    #[allow(clippy::unwrap_used)]
    fn a_request_is_read_as_a_server_sees_it() {
        let request = http::Request::builder()
            .uri("/2026/r%C3%A9sum%C3%A9.pdf?uploads&prefix=a")
            .header("Host", "records.oss-cn-hangzhou.aliyuncs.com")
            .header("X-OSS-Meta-Owner", "Zoë".as_bytes())
            .body(())
            .unwrap();
        let (parts, ()) = request.into_parts();
        let incoming = Incoming::read(&parts, &[]);
        assert_eq!((incoming.bucket.as_deref(), incoming.key.as_deref()), (Some("records"), Some("2026/résumé.pdf")));
        assert!(incoming.headers.contains(&("x-oss-meta-owner".to_owned(), "Zoë".to_owned())), "UTF-8 kept whole");
        assert_eq!(incoming.query, parse_query(Some("uploads&prefix=a")));
    }

    #[test]
    fn queries_are_decoded_in_order() {
        let query = parse_query(Some("uploads&prefix=a%2Fb&max-keys=10"));
        assert_eq!(
            query,
            vec![
                ("uploads".to_owned(), None),
                ("prefix".to_owned(), Some("a/b".to_owned())),
                ("max-keys".to_owned(), Some("10".to_owned()))
            ]
        );
    }
}
