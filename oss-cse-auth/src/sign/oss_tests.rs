//! Vectors from the official Go SDK v2 (`oss/signer/signer_test.go`).

use super::*;

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

fn query(pairs: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), v.map(str::to_owned))).collect()
}

const DATE: &str = "Wed, 28 Dec 2022 10:27:41 GMT";

#[test]
fn v1_object_put() {
    let headers = headers(&[
        ("Content-MD5", "eB5eJF1ptWaXm4bijSPyxw=="),
        ("Content-Type", "text/html"),
        ("x-oss-meta-author", "alice"),
        ("x-oss-meta-magic", "abracadabra"),
        ("x-oss-date", DATE),
    ]);
    let creds = Credentials::new("ak", "sk");
    for (query, resource, expected) in [
        (vec![], "/examplebucket/nelson", "OSS ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M="),
        (query(&[("acl", None)]), "/examplebucket/nelson?acl", "OSS ak:/afkugFbmWDQ967j1vr6zygBLQk="),
    ] {
        let request = SignableRequest {
            method: "PUT",
            bucket: Some("examplebucket"),
            key: Some("nelson"),
            query: &query,
            headers: &headers,
        };
        let expected_string = format!(
            "PUT\neB5eJF1ptWaXm4bijSPyxw==\ntext/html\n{DATE}\nx-oss-date:{DATE}\nx-oss-meta-author:alice\nx-oss-meta-magic:abracadabra\n{resource}"
        );
        assert_eq!(string_to_sign_v1(&request), expected_string);
        assert_eq!(authorization_v1(&request, &creds), expected);
    }
}

#[test]
fn v1_bucket_subresources_are_sorted_and_others_ignored() {
    let headers = headers(&[("x-oss-date", DATE)]);
    let query = query(&[("resourceGroup", None), ("acl", None), ("non-resource", Some("null"))]);
    let request =
        SignableRequest { method: "GET", bucket: Some("examplebucket"), key: None, query: &query, headers: &headers };
    assert_eq!(
        string_to_sign_v1(&request),
        format!("GET\n\n\n{DATE}\nx-oss-date:{DATE}\n/examplebucket/?acl&resourceGroup")
    );
    assert_eq!(authorization_v1(&request, &Credentials::new("ak", "sk")), "OSS ak:x3E5TgOvl/i7PN618s5mEvpJDYk=");
}

fn v4_request_headers(date: &str) -> Vec<(String, String)> {
    headers(&[
        ("x-oss-head1", "value"),
        ("abc", "value"),
        ("ZAbc", "value"),
        ("XYZ", "value"),
        ("content-type", "text/plain"),
        ("x-oss-content-sha256", "UNSIGNED-PAYLOAD"),
        ("x-oss-date", date),
    ])
}

fn v4_query() -> Vec<(String, Option<String>)> {
    query(&[
        ("param1", Some("value1")),
        ("+param1", Some("value3")),
        ("|param1", Some("value4")),
        ("+param2", None),
        ("|param2", None),
        ("param2", None),
    ])
}

#[test]
fn v4_header_signature() {
    // time.Unix(1702743657, 0) = 2023-12-16T16:20:57Z
    let headers = v4_request_headers("20231216T162057Z");
    let query = v4_query();
    let request = SignableRequest {
        method: "PUT",
        bucket: Some("bucket"),
        key: Some("1234+-/123/1.txt"),
        query: &query,
        headers: &headers,
    };
    let canonical = canonical_request_v4(&request, &[]);
    assert!(canonical.starts_with("PUT\n/bucket/1234%2B-/123/1.txt\n%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2\n"), "{canonical}");
    assert_eq!(
        authorization_v4(&request, &Credentials::new("ak", "sk"), "cn-hangzhou", "oss", &[]),
        "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe"
    );
}

#[test]
fn v4_header_signature_with_sts_token() {
    // time.Unix(1702784856, 0) = 2023-12-17T03:47:36Z
    let mut headers = v4_request_headers("20231217T034736Z");
    headers.push(("x-oss-security-token".into(), "token".into()));
    let query = v4_query();
    let request = SignableRequest {
        method: "PUT",
        bucket: Some("bucket"),
        key: Some("1234+-/123/1.txt"),
        query: &query,
        headers: &headers,
    };
    let creds = Credentials::new("ak", "sk").with_security_token("token");
    assert_eq!(
        authorization_v4(&request, &creds, "cn-hangzhou", "oss", &[]),
        "OSS4-HMAC-SHA256 Credential=ak/20231217/cn-hangzhou/oss/aliyun_v4_request,Signature=b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea"
    );
}

#[test]
fn uri_encoding() {
    assert_eq!(uri_encode("a b/c+d~e", true), "a%20b/c%2Bd~e");
    assert_eq!(uri_encode("a/b", false), "a%2Fb");
    assert_eq!(uri_encode("é", false), "%C3%A9");
}

/// The signer adds the time, the token and the signature, and signs them.
#[test]
fn signing_headers_are_the_ones_signed() {
    let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_672_223_261); // Wed, 28 Dec 2022 10:27:41 GMT
    let creds = Credentials::new("ak", "sk").with_security_token("tok");
    let own = headers(&[("content-type", "text/html")]);
    let request = SignableRequest { method: "PUT", bucket: Some("b"), key: Some("k"), query: &[], headers: &own };
    let added = signing_headers(&request, &creds, Scheme::V1, at);
    let names: Vec<&str> = added.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["x-oss-security-token", "date", "authorization"]);
    assert_eq!(added[1].1, DATE);
    let all: Vec<(String, String)> = own.iter().chain(&added[..2]).cloned().collect();
    let expected = authorization_v1(&SignableRequest { headers: &all, ..request }, &creds);
    assert_eq!(added[2].1, expected);

    let added = signing_headers(&request, &creds, Scheme::V4 { region: "cn-hangzhou", product: "oss" }, at);
    let names: Vec<&str> = added.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["x-oss-security-token", "x-oss-date", "x-oss-content-sha256", "authorization"]);
    assert_eq!(added[1].1, "20221228T102741Z");
    let all: Vec<(String, String)> = own.iter().chain(&added[..3]).cloned().collect();
    let expected = authorization_v4(&SignableRequest { headers: &all, ..request }, &creds, "cn-hangzhou", "oss", &[]);
    assert_eq!(added[3].1, expected);
    assert!(expected.starts_with("OSS4-HMAC-SHA256 Credential=ak/20221228/cn-hangzhou/oss/aliyun_v4_request,"));
}
