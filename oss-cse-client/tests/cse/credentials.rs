//! Every credential source of the chain against the emulator's STS and
//! metadata stand-ins (or a temporary home directory with the files), and a
//! transfer that outlives its first credential.

use std::collections::HashMap;
use std::time::Duration;

use oss_cse_client::envelope::KeyRing;
use oss_cse_client::kms::{KmsClient, KmsConfig, KmsEndpoint, KmsMasterKey};
use oss_cse_client::{
    ClientConfig, CredentialChain, Credentials, CredentialsProvider, EncryptionClient, EncryptionOptions, Error,
    ErrorKind, OssClient, PutOptions, RetryPolicy, UploadOptions,
};
use oss_cse_emulator::{Emulator, EmulatorConfig, Fault, FaultRule};

use crate::support::*;

/// A chain over `vars` only, with `home` as the home directory.
fn chain(home: &std::path::Path, vars: &[(&str, String)]) -> CredentialChain {
    let mut map: HashMap<String, String> = vars.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
    map.insert("HOME".into(), home.display().to_string());
    map.insert("ALIBABA_CLOUD_ROLE_SESSION_NAME".into(), "oss-cse-test".into());
    CredentialChain::with_lookup(move |name| map.get(name).cloned())
}

fn oss(emulator: &Emulator, credentials: &CredentialsProvider) -> OssClient {
    let config = ClientConfig::new(&emulator.endpoint(), credentials.clone())
        .unwrap()
        .retry(RetryPolicy { base_delay: Duration::from_millis(2), ..RetryPolicy::default() });
    OssClient::new(config).unwrap()
}

/// Writes and reads an object, encrypted under a KMS key, with these
/// credentials for OSS and KMS alike.
async fn round_trip(emulator: &Emulator, credentials: &CredentialsProvider, key: &str) {
    let kms = KmsClient::new(KmsConfig::new(KmsEndpoint::Url(emulator.kms_endpoint()), credentials.clone())).unwrap();
    let client = EncryptionClient::new(oss(emulator, credentials), KeyRing::new(KmsMasterKey::new(kms, "cmk-creds")));
    client.put_object(BUCKET, key, b"secret data".to_vec(), &PutOptions::default()).await.unwrap();
    let body = client.get_object(BUCKET, key, None).await.unwrap().body.collect().await.unwrap();
    assert_eq!(body, b"secret data");
}

fn write(path: &std::path::Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The variables of an OIDC (RRSA) setup against `sts`, the emulator's token
/// written to `token`.
fn oidc(h: &Harness, token: &std::path::Path, sts: String) -> [(&'static str, String); 4] {
    write(token, h.emulator.oidc_token());
    [
        ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1234567890:role/oss-cse".to_owned()),
        ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1234567890:oidc-provider/ack".to_owned()),
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token.display().to_string()),
        ("ALIBABA_CLOUD_STS_ENDPOINT", sts),
    ]
}

#[tokio::test]
async fn oidc_rrsa_through_sts() {
    let h = start().await;
    let token = h.path("oidc-token");
    let vars = oidc(&h, &token, h.emulator.sts_endpoint());
    let provider = chain(&h.path("home"), &vars).resolve().unwrap();
    assert!(provider.origin().starts_with("OIDC"), "{}", provider.origin());
    round_trip(&h.emulator, &provider, "oidc").await;
    // One credential served OSS and KMS: the cache is shared.
    assert_eq!(h.emulator.sts_issued(), 1);

    // A token STS does not accept is a credentials error naming the source.
    write(&token, "eyJ.not-the-token");
    let provider = chain(&h.path("home"), &vars).resolve().unwrap();
    let error = oss(&h.emulator, &provider).head_object(BUCKET, "oidc").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Credentials, "{error}");
    let text = format!("{:#}", anyhow_like(&error));
    assert!(text.contains("AuthenticationFail.OIDCToken.Invalid") && text.contains("OIDC"), "{text}");
}

/// The error and its causes, as the CLI prints them.
fn anyhow_like(error: &Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[tokio::test]
async fn aliyun_cli_profile_assumes_a_role() {
    let h = start().await;
    let home = h.path("home");
    let config = serde_json::json!({
        "current": "default",
        "profiles": [{
            "name": "ops", "mode": "RamRoleArn",
            "access_key_id": h.emulator.access_key_id(), "access_key_secret": h.emulator.access_key_secret(),
            "ram_role_arn": "acs:ram::1234567890:role/ops", "ram_session_name": "ops-session", "expired_seconds": 900
        }]
    });
    write(&home.join(".aliyun/config.json"), &config.to_string());
    let vars = [("ALIBABA_CLOUD_STS_ENDPOINT", h.emulator.sts_endpoint())];
    let provider = chain(&home, &vars).profile("ops").resolve().unwrap();
    assert!(provider.origin().contains("\"ops\"") && provider.origin().contains("RamRoleArn"), "{}", provider.origin());
    round_trip(&h.emulator, &provider, "role").await;
    assert_eq!(h.emulator.sts_issued(), 1);
    // The same profile chosen by ALIBABA_CLOUD_PROFILE.
    let vars = [vars[0].clone(), ("ALIBABA_CLOUD_PROFILE", "ops".to_owned())];
    assert!(chain(&home, &vars).resolve().unwrap().origin().contains("RamRoleArn"));
}

#[tokio::test]
async fn credentials_file_and_ossutil_config() {
    let h = start().await;
    let home = h.path("home");
    let (id, secret) = (h.emulator.access_key_id(), h.emulator.access_key_secret());
    write(&home.join(".ossutilconfig"), &format!("[Credentials]\naccessKeyID={id}\naccessKeySecret={secret}\n"));
    let provider = chain(&home, &[]).resolve().unwrap();
    assert!(provider.origin().contains(".ossutilconfig"), "{}", provider.origin());
    round_trip(&h.emulator, &provider, "ossutil").await;

    let shared = format!("[default]\ntype = ecs_ram_role\nrole_name = {}\n", h.emulator.ecs_role());
    write(&home.join(".alibabacloud/credentials"), &shared);
    let vars = [("ALIBABA_CLOUD_ECS_METADATA_SERVICE_ENDPOINT", h.emulator.metadata_endpoint())];
    let provider = chain(&home, &vars).resolve().unwrap();
    assert!(provider.origin().contains("credentials") && provider.origin().contains("ecs_ram_role"));
    round_trip(&h.emulator, &provider, "shared-ecs").await;
    assert_eq!(h.emulator.sts_issued(), 1);
}

#[tokio::test]
async fn ecs_ram_role_last_and_a_clear_error_off_ecs() {
    let h = start().await;
    let home = h.path("empty-home");
    let vars = [("ALIBABA_CLOUD_ECS_METADATA_SERVICE_ENDPOINT", h.emulator.metadata_endpoint())];
    let provider = chain(&home, &vars).resolve().unwrap();
    assert!(provider.origin().starts_with("ECS RAM role"), "{}", provider.origin());
    round_trip(&h.emulator, &provider, "ecs").await;

    // Off ECS: nothing listens where the metadata service would be.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let nowhere = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let provider = chain(&home, &[("ALIBABA_CLOUD_ECS_METADATA_SERVICE_ENDPOINT", nowhere)]).resolve().unwrap();
    let heads = h.emulator.faults().count("HeadObject");
    let error = oss(&h.emulator, &provider).head_object(BUCKET, "ecs").await.unwrap_err();
    let text = anyhow_like(&error);
    assert!(text.contains("no credentials found") && text.contains("OSS_ACCESS_KEY_ID"), "{text}");
    assert_eq!(h.emulator.faults().count("HeadObject"), heads, "nothing unsigned was sent");
}

#[tokio::test]
async fn a_transfer_outlives_its_first_credential() {
    let dir = tempfile::tempdir().unwrap();
    let config = EmulatorConfig::new(&dir.path().join("emulator")).sts_lifetime(Duration::from_secs(2));
    let emulator = Emulator::start(config).await.unwrap();
    let token = dir.path().join("token");
    write(&token, emulator.oidc_token());
    let vars = [
        ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1234567890:role/oss-cse".to_owned()),
        ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1234567890:oidc-provider/ack".to_owned()),
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token.display().to_string()),
        ("ALIBABA_CLOUD_STS_ENDPOINT", emulator.sts_endpoint()),
    ];
    let provider = chain(dir.path(), &vars).resolve().unwrap();
    let client = oss(&emulator, &provider);
    client.put_bucket(BUCKET).await.unwrap();

    // What an expired credential gets: OSS refuses it (the emulator enforces expiry).
    let first: Credentials = provider.credentials().await.unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let stale = oss(&emulator, &CredentialsProvider::from(first));
    let refused = stale.head_object(BUCKET, "none").await.unwrap_err();
    let service = refused.service_error().expect("a service error");
    assert_eq!((service.status, service.code.as_str()), (403, "InvalidAccessKeyId"), "{refused}");
    assert_eq!(service.ec.as_deref(), Some("0002-00000007"));

    // 12 parts, one at a time, each answered 600 ms late: about 7 s, three
    // and a half lifetimes.
    emulator.faults().add(FaultRule::new(Fault::Delay(Duration::from_millis(600))).operation("UploadPart"));
    let ring = KeyRing::new(rsa("key1", None));
    let options = EncryptionOptions {
        part_size: 100 * 1024,
        parallel: 1,
        multipart_threshold: 100 * 1024,
        ..EncryptionOptions::default()
    };
    let encrypted = EncryptionClient::new(client.clone(), ring).with_options(options).unwrap();
    let data = mod251(12 * 100 * 1024 - 7);
    let source = dir.path().join("source.bin");
    std::fs::write(&source, &data).unwrap();
    let before = emulator.sts_issued();
    encrypted.put_file(BUCKET, "long", &source, &UploadOptions::default()).await.unwrap();
    assert_eq!(emulator.faults().count("UploadPart"), 12);
    assert!(emulator.sts_issued() >= before + 3, "refreshed {} times", emulator.sts_issued() - before);
    // Each part went once: a refused one is not retried, it fails the upload.
    let body = encrypted.get_object(BUCKET, "long", None).await.unwrap().body.collect().await.unwrap();
    assert!(body == data, "the object decrypts to its plaintext");

    // A refresh that fails once the credential has expired is one clear
    // error naming the source, not a burst of 403s.
    std::fs::remove_file(&token).unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let sent = emulator.faults().requests().len();
    let error = client.head_object(BUCKET, "long").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Credentials, "{error}");
    assert!(anyhow_like(&error).contains("OIDC token file"), "{}", anyhow_like(&error));
    assert_eq!(emulator.faults().requests().len(), sent, "nothing was sent with expired credentials");
}

/// A server that answers every request with a 307 to `target`.
async fn redirector(target: String) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let target = target.clone();
            tokio::spawn(async move {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                let mut buf = vec![0u8; 64 << 10];
                let _ = socket.read(&mut buf).await;
                let reply = format!(
                    "HTTP/1.1 307 Temporary Redirect\r\nLocation: {target}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
                let _ = socket.write_all(reply.as_bytes()).await;
            });
        }
    });
    format!("http://{address}")
}

/// A redirect is never followed: not by the STS exchange (its form carries
/// the OIDC token), nor by KMS or OSS requests (signed, with keys in the
/// reply). Each would have succeeded at the redirect's target.
#[tokio::test]
async fn no_redirect_is_followed_by_sts_kms_or_oss() {
    let h = start().await;
    let vars = oidc(&h, &h.path("oidc-token"), redirector(h.emulator.sts_endpoint()).await);
    let provider = chain(&h.path("home"), &vars).resolve().unwrap();
    let error = provider.credentials().await.unwrap_err().to_string();
    assert!(error.contains("307"), "{error}");

    let fixed = CredentialsProvider::from(Credentials::new(h.emulator.access_key_id(), h.emulator.access_key_secret()));
    let kms_endpoint = redirector(h.emulator.kms_endpoint()).await;
    let kms = KmsClient::new(KmsConfig::new(KmsEndpoint::Url(kms_endpoint), fixed.clone())).unwrap();
    let error = kms.generate_data_key("cmk-creds", 32, "{}").await.map(drop).unwrap_err().to_string();
    assert!(error.contains("307"), "{error}");

    let oss_endpoint = redirector(format!("{}/{BUCKET}/k", h.emulator.endpoint())).await;
    h.oss.put_object(BUCKET, "k", b"x".to_vec().into(), vec![]).await.unwrap();
    let config = ClientConfig::new(&oss_endpoint, fixed)
        .unwrap()
        .retry(RetryPolicy { max_attempts: 1, ..RetryPolicy::default() });
    let error = OssClient::new(config).unwrap().head_object(BUCKET, "k").await.unwrap_err();
    assert_eq!(error.service_error().map(|s| s.status), Some(307), "{error}");
}

/// Credentials the service refuses as expired before the client expected
/// it (a token revoked early, a clock behind STS's) are fetched again once
/// and the request sent once more, by OSS and KMS alike; a second refusal
/// is the error, and credentials given once are not retried at all.
#[tokio::test]
async fn credentials_refused_before_their_time_are_refreshed_once() {
    let h = start().await;
    let token = h.path("oidc-token");
    let vars = oidc(&h, &token, h.emulator.sts_endpoint());
    let provider = chain(&h.path("home"), &vars).resolve().unwrap();
    round_trip(&h.emulator, &provider, "early").await;
    assert_eq!(h.emulator.sts_issued(), 1);

    // KMS is asked first (the data key), then OSS: one refresh serves both.
    h.emulator.expire_issued_credentials();
    round_trip(&h.emulator, &provider, "early").await;
    assert_eq!(h.emulator.sts_issued(), 2);
    // OSS alone.
    h.emulator.expire_issued_credentials();
    let client = oss(&h.emulator, &provider);
    client.head_object(BUCKET, "early").await.unwrap();
    assert_eq!(h.emulator.sts_issued(), 3);

    // Refused again after the refresh: the error, after exactly two tries.
    let refused = Fault::Status { status: 403, code: "InvalidAccessKeyId".into() };
    h.emulator.faults().add(FaultRule::new(refused).operation("HeadObject"));
    let before = h.emulator.faults().count("HeadObject");
    let error = client.head_object(BUCKET, "early").await.unwrap_err();
    assert_eq!(error.service_error().map(|s| s.code.as_str()), Some("InvalidAccessKeyId"), "{error}");
    assert_eq!(h.emulator.faults().count("HeadObject") - before, 2);
    assert_eq!(h.emulator.sts_issued(), 4);
    // Fixed credentials: nothing to refresh, one try.
    let before = h.emulator.faults().count("HeadObject");
    h.oss.head_object(BUCKET, "early").await.unwrap_err();
    assert_eq!(h.emulator.faults().count("HeadObject") - before, 1);
    h.emulator.faults().clear();

    // KMS refused twice (STS will not issue new ones): its error, two calls.
    write(&token, "eyJ.not-the-token");
    h.emulator.expire_issued_credentials();
    let kms = KmsClient::new(KmsConfig::new(KmsEndpoint::Url(h.emulator.kms_endpoint()), provider.clone())).unwrap();
    let (before, sts) = (h.emulator.faults().count("Kms"), h.emulator.faults().count("Sts"));
    let error = kms.encrypt("cmk-creds", "data", "").await.unwrap_err();
    assert!(
        error.to_string().contains("InvalidSecurityToken.Expired")
            || format!("{error:?}").contains("InvalidSecurityToken.Expired"),
        "{error:?}"
    );
    assert_eq!(h.emulator.faults().count("Kms") - before, 2);
    assert!(h.emulator.faults().count("Sts") > sts, "a refresh was tried");
}
