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
        // HEAD has no body: the code comes from the status.
        assert_eq!(err.service_error().unwrap().status, 403, "{region:?}");
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
