use oss_cse_client::{Body, ClientConfig, Credentials, GetOptions, OssClient, RetryPolicy, SignatureVersion};

use crate::support::*;

#[tokio::test]
async fn v1_and_v4_both_verify_and_wrong_secrets_are_refused() {
    let h = start().await;
    let base = || {
        ClientConfig::new(
            &h.emulator.endpoint(),
            Credentials::new(h.emulator.access_key_id(), h.emulator.access_key_secret()),
        )
        .unwrap()
    };
    let v1 = OssClient::new(base()).unwrap();
    assert_eq!(v1.config().signature_version(), SignatureVersion::V1);
    let v4 = OssClient::new(base().region("cn-hangzhou")).unwrap();
    assert_eq!(v4.config().signature_version(), SignatureVersion::V4);
    for (name, client) in [("v1", &v1), ("v4", &v4)] {
        let key = format!("signed/{name} key+=&?.txt");
        client
            .put_object(BUCKET, &key, Body::from(vec![1, 2, 3]), vec![("x-oss-meta-x".into(), " padded ".into())])
            .await
            .unwrap();
        let got = client.get_object(BUCKET, &key, &GetOptions::default()).await.unwrap();
        assert_eq!(got.body.collect().await.unwrap(), vec![1, 2, 3]);
        client.list_objects_v2(BUCKET, "signed/", Some("/"), None, Some(5)).await.unwrap();
    }
    for region in [None, Some("cn-hangzhou")] {
        let mut config =
            ClientConfig::new(&h.emulator.endpoint(), Credentials::new(h.emulator.access_key_id(), "wrong-secret"))
                .unwrap()
                .retry(RetryPolicy::none());
        if let Some(region) = region {
            config = config.region(region);
        }
        let err = OssClient::new(config).unwrap().head_object(BUCKET, "signed/v1 key+=&?.txt").await.unwrap_err();
        // HEAD has no body: the code comes from the x-oss-err header.
        assert_eq!(err.service_error().unwrap().status, 403, "{region:?}");
        assert_eq!(err.service_error().unwrap().code, "SignatureDoesNotMatch", "{region:?}");
        let config =
            ClientConfig::new(&h.emulator.endpoint(), Credentials::new(h.emulator.access_key_id(), "wrong")).unwrap();
        let err =
            OssClient::new(config).unwrap().put_object(BUCKET, "x", Body::from(vec![1]), vec![]).await.unwrap_err();
        assert_eq!(err.service_error().unwrap().code, "SignatureDoesNotMatch");
    }
    let stranger = ClientConfig::new(&h.emulator.endpoint(), Credentials::new("nobody", "x")).unwrap();
    let err = OssClient::new(stranger).unwrap().list_buckets().await.unwrap_err();
    assert_eq!(err.service_error().unwrap().code, "InvalidAccessKeyId");
}

#[test]
fn addressing_follows_the_sdks() {
    use oss_cse_client::Addressing;
    let creds = || Credentials::new("a", "b");
    assert_eq!(ClientConfig::new("http://127.0.0.1:9000", creds()).unwrap().addressing_style(), Addressing::PathStyle);
    assert_eq!(ClientConfig::new("localhost:9000", creds()).unwrap().addressing_style(), Addressing::PathStyle);
    let public = ClientConfig::new("oss-cn-hangzhou.aliyuncs.com", creds()).unwrap();
    assert_eq!(public.addressing_style(), Addressing::VirtualHosted);
    assert_eq!(public.region_name(), Some("cn-hangzhou"));
    assert_eq!(public.signature_version(), SignatureVersion::V4);
    assert!(ClientConfig::new("ftp://x", creds()).is_err());
    assert!(ClientConfig::new("http://host/path", creds()).is_err());
    let creds_debug = format!("{:?}", Credentials::new("AKID", "supersecret").with_security_token("tok123"));
    assert!(!creds_debug.contains("supersecret") && !creds_debug.contains("tok123"), "{creds_debug}");
}

#[test]
fn credentials_from_the_environment_names() {
    let lookup = |vars: &'static [(&'static str, &'static str)]| {
        move |name: &str| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned())
    };
    let oss = Credentials::from_lookup(lookup(&[
        ("OSS_ACCESS_KEY_ID", "a"),
        ("OSS_ACCESS_KEY_SECRET", "b"),
        ("OSS_SESSION_TOKEN", "t"),
    ]))
    .unwrap();
    assert_eq!(oss.access_key_id(), "a");
    let ali = Credentials::from_lookup(lookup(&[
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "c"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "d"),
    ]))
    .unwrap();
    assert_eq!(ali.access_key_id(), "c");
    assert!(Credentials::from_lookup(lookup(&[])).is_err());
}

/// Sends a raw HTTP/1.1 request (any Host header) and returns the reply.
async fn raw(addr: std::net::SocketAddr, request: String) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut reply = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), stream.read_to_end(&mut reply)).await;
    String::from_utf8_lossy(&reply).into_owned()
}

fn signed_v1(h: &Harness, method: &str, bucket: &str, key: Option<&str>, date: &str) -> String {
    let headers = vec![("date".to_owned(), date.to_owned())];
    let request =
        oss_cse_client::sign::SignableRequest { method, bucket: Some(bucket), key, query: &[], headers: &headers };
    oss_cse_client::sign::authorization_v1(
        &request,
        &Credentials::new(h.emulator.access_key_id(), h.emulator.access_key_secret()),
    )
}

fn http_date(time: jiff::Timestamp) -> String {
    time.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// A well-signed request dated outside 15 minutes is a replay: 403
/// RequestTimeTooSkewed, as OSS answers. One dated now passes.
#[tokio::test]
async fn a_replayed_request_is_refused() {
    let h = start().await;
    let addr = h.emulator.addr();
    let old = http_date(jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * 400));
    let now = http_date(jiff::Timestamp::now());
    for (date, expected) in [(old.as_str(), "403"), (now.as_str(), "200")] {
        let auth = signed_v1(&h, "GET", BUCKET, None, date);
        let reply = raw(
            addr,
            format!("GET /{BUCKET}/ HTTP/1.1\r\nHost: {addr}\r\nDate: {date}\r\nAuthorization: {auth}\r\nConnection: close\r\n\r\n"),
        )
        .await;
        assert!(reply.starts_with(&format!("HTTP/1.1 {expected}")), "{date}: {reply}");
        if expected == "403" {
            assert!(reply.contains("<Code>RequestTimeTooSkewed</Code>"), "{reply}");
        }
    }
}

/// A bucket name taken from the Host header is a directory in the store:
/// `../../x` would write outside the data directory. Refused as
/// InvalidBucketName, signed or not.
#[tokio::test]
async fn a_bucket_name_with_a_path_is_refused() {
    let h = start().await;
    let addr = h.emulator.addr();
    let escape = format!("escaped-{:08x}", rand_suffix());
    let outside = h._dir.path().parent().unwrap().join(&escape);
    let bucket = format!("../../{escape}");
    let date = http_date(jiff::Timestamp::now());
    for (method, key) in [("PUT", None), ("PUT", Some("obj"))] {
        let auth = signed_v1(&h, method, &bucket, key, &date);
        let path = key.map_or("/".to_owned(), |k| format!("/{k}"));
        let reply = raw(
            addr,
            format!(
                "{method} {path} HTTP/1.1\r\nHost: {bucket}.localhost\r\nDate: {date}\r\nAuthorization: {auth}\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
            ),
        )
        .await;
        assert!(reply.starts_with("HTTP/1.1 400"), "{reply}");
        assert!(reply.contains("<Code>InvalidBucketName</Code>"), "{reply}");
        assert!(!outside.exists(), "{} was created", outside.display());
    }
}

/// What ali-oss sends when its endpoint is an IP address and a client sets
/// the Host: `<bucket>.oss-<region>.aliyuncs.com` to the server's address.
/// OSS reads the bucket from that Host, and so does the emulator (it used to
/// take the path's first segment as the bucket).
#[tokio::test]
async fn a_virtual_hosted_request_sent_to_an_address_names_its_bucket() {
    let h = start().await;
    let addr = h.emulator.addr();
    let date = http_date(jiff::Timestamp::now());
    let auth = signed_v1(&h, "PUT", BUCKET, Some("hosted/obj"), &date);
    let host = format!("{BUCKET}.oss-cn-hangzhou.aliyuncs.com");
    let reply = raw(
        addr,
        format!(
            "PUT /hosted/obj HTTP/1.1\r\nHost: {host}\r\nDate: {date}\r\nAuthorization: {auth}\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
        ),
    )
    .await;
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    let stored = h.client.get_object(BUCKET, "hosted/obj", &GetOptions::default()).await.unwrap();
    assert_eq!(stored.body.collect().await.unwrap(), b"hello");
}

fn rand_suffix() -> u32 {
    std::process::id() ^ (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos())
}

/// V1 presigned URLs (the SDKs' `sign_url`): the query carries the key id,
/// `Expires` and the signature; past `Expires` the URL is refused, and a
/// changed signature too.
#[tokio::test]
async fn presigned_v1_urls() {
    let h = start().await;
    h.client.put_object(BUCKET, "shared.txt", Body::from(b"presigned".to_vec()), vec![]).await.unwrap();
    let url = |expires: i64, tamper: bool| {
        let headers = vec![("date".to_owned(), expires.to_string())];
        let request = oss_cse_client::sign::SignableRequest {
            method: "GET",
            bucket: Some(BUCKET),
            key: Some("shared.txt"),
            query: &[],
            headers: &headers,
        };
        let credentials = Credentials::new(h.emulator.access_key_id(), h.emulator.access_key_secret());
        let authorization = oss_cse_client::sign::authorization_v1(&request, &credentials);
        let mut signature = authorization.rsplit_once(':').unwrap().1.to_owned();
        if tamper {
            signature.replace_range(0..1, if signature.starts_with('A') { "B" } else { "A" });
        }
        format!(
            "{}/{BUCKET}/shared.txt?OSSAccessKeyId={}&Expires={expires}&Signature={}",
            h.emulator.endpoint(),
            h.emulator.access_key_id(),
            oss_cse_client::sign::uri_encode(&signature, false)
        )
    };
    let now = jiff::Timestamp::now().as_second();
    let reply = reqwest::get(url(now + 60, false)).await.unwrap();
    assert_eq!(reply.status().as_u16(), 200);
    assert_eq!(reply.text().await.unwrap(), "presigned");
    let expired = reqwest::get(url(now - 60, false)).await.unwrap();
    assert_eq!(expired.status().as_u16(), 403);
    assert!(expired.text().await.unwrap().contains("expired"));
    let tampered = reqwest::get(url(now + 60, true)).await.unwrap().text().await.unwrap();
    assert!(tampered.contains("SignatureDoesNotMatch"), "{tampered}");
}

/// V4 signed the way the official Go SDK v1 (3.0.2, `AuthV4`) signs it: no
/// `x-oss-date`, and its `Date` header's text verbatim on the timestamp line
/// of the string to sign (`OSS4-HMAC-SHA256\nSat, 05 Dec 2026 23:17:47
/// GMT\n20261205/cn-hangzhou/oss/aliyun_v4_request\n<hash>`, from the SDK's
/// debug log), canonical URI `/bucket/key`, `UNSIGNED-PAYLOAD`. That text,
/// not an ISO 8601 rewrite of it, is what is signed. And a V4 scope naming
/// another region than the emulator's is refused as OSS refuses it
/// (0002-00000226).
#[tokio::test]
async fn v4_with_the_time_in_date_and_a_wrong_region() {
    use aws_lc_rs::{digest, hmac};
    let dir = tempfile::tempdir().unwrap();
    let config = oss_cse_emulator::EmulatorConfig::new(dir.path()).region(Some("cn-hangzhou".to_owned()));
    let emulator = oss_cse_emulator::Emulator::start(config).await.unwrap();
    let credentials = Credentials::new(emulator.access_key_id(), emulator.access_key_secret());
    let client =
        OssClient::new(ClientConfig::new(&emulator.endpoint(), credentials).unwrap().region("cn-hangzhou")).unwrap();
    client.put_bucket(BUCKET).await.unwrap();
    client.put_object(BUCKET, "go/sdk", Body::from(b"from Go".to_vec()), vec![]).await.unwrap();
    let now = jiff::Timestamp::now();
    let day = now.strftime("%Y%m%d").to_string();
    let headers =
        vec![("date".to_owned(), http_date(now)), ("x-oss-content-sha256".to_owned(), "UNSIGNED-PAYLOAD".to_owned())];
    let request = oss_cse_client::sign::SignableRequest {
        method: "GET",
        bucket: Some(BUCKET),
        key: Some("go/sdk"),
        query: &[],
        headers: &headers,
    };
    let canonical = oss_cse_client::sign::canonical_request_v4(&request, &[]);
    assert!(canonical.starts_with(&format!("GET\n/{BUCKET}/go/sdk\n")), "{canonical}");
    let sign = |region: &str, timestamp_line: &str| {
        let scope = format!("{day}/{region}/oss/aliyun_v4_request");
        let hashed = hex::encode(digest::digest(&digest::SHA256, canonical.as_bytes()));
        let to_sign = format!("OSS4-HMAC-SHA256\n{timestamp_line}\n{scope}\n{hashed}");
        let mut key = format!("aliyun_v4{}", emulator.access_key_secret()).into_bytes();
        for part in [day.as_str(), region, "oss", "aliyun_v4_request"] {
            key = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &key), part.as_bytes()).as_ref().to_vec();
        }
        let signature = hex::encode(hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &key), to_sign.as_bytes()));
        format!("OSS4-HMAC-SHA256 Credential={}/{scope},Signature={signature}", emulator.access_key_id())
    };
    let send = |authorization: String| {
        let mut builder = reqwest::Client::new().get(format!("{}/{BUCKET}/go/sdk", emulator.endpoint()));
        for (k, v) in &headers {
            builder = builder.header(k, v);
        }
        builder.header("authorization", authorization).send()
    };
    let reply = send(sign("cn-hangzhou", &http_date(now))).await.unwrap();
    assert_eq!(reply.status(), 200);
    assert_eq!(reply.text().await.unwrap(), "from Go");
    let iso = now.strftime("%Y%m%dT%H%M%SZ").to_string();
    let reply = send(sign("cn-hangzhou", &iso)).await.unwrap();
    assert_eq!(reply.status(), 403, "the Date header's text is what is signed, not a rewrite of it");
    assert!(reply.text().await.unwrap().contains("SignatureDoesNotMatch"));
    let reply = send(sign("cn-beijing", &http_date(now))).await.unwrap();
    assert_eq!(reply.status(), 400);
    assert_eq!(reply.headers().get("x-oss-ec").unwrap(), "0002-00000226");
    assert!(reply.text().await.unwrap().contains("<Code>InvalidArgument</Code>"));
    emulator.shutdown().await;
}
