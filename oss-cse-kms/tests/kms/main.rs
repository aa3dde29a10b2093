//! The KMS client and master key over real HTTP against the emulator's KMS.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::time::Duration;

use oss_cse_auth::Credentials;
use oss_cse_emulator::{Emulator, EmulatorConfig, Fault, FaultRule};
use oss_cse_envelope::core::{ContentMaterial, DataKey, Iv};
use oss_cse_envelope::kms_layout::{KmsLayout, ciphertext_blob};
use oss_cse_envelope::{
    Compat, Envelope, Error as EnvelopeError, Format, KeyRing, MasterKey, MaterialDescription, WrappedValue,
};
use oss_cse_kms::{KmsClient, KmsConfig, KmsEndpoint, KmsErrorKind, KmsMasterKey, KmsRetry};

struct Harness {
    emulator: Emulator,
    _dir: tempfile::TempDir,
}

async fn start() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let emulator = Emulator::start(EmulatorConfig::new(dir.path())).await.unwrap();
    Harness { emulator, _dir: dir }
}

impl Harness {
    fn client_with(&self, secret: &str) -> KmsClient {
        let retry =
            KmsRetry { max_attempts: 4, base_delay: Duration::from_millis(2), max_delay: Duration::from_millis(10) };
        let config = KmsConfig::new(
            KmsEndpoint::Url(self.emulator.kms_endpoint()),
            Credentials::new(self.emulator.access_key_id(), secret),
        )
        .retry(retry);
        KmsClient::new(config).unwrap()
    }

    fn client(&self) -> KmsClient {
        self.client_with(self.emulator.access_key_secret())
    }

    fn kms_calls(&self) -> usize {
        self.emulator.faults().count("Kms")
    }
}

fn material() -> ContentMaterial {
    ContentMaterial::new(
        DataKey::from_slice(&[0x42; 32]).unwrap(),
        Iv::from_slice(&[0x17, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 0, 9, 9, 9, 9]).unwrap(),
    )
}

fn kms_error(error: &EnvelopeError) -> &oss_cse_kms::Error {
    match error {
        EnvelopeError::Provider { source, .. } => source.downcast_ref().expect("a KMS error"),
        other => panic!("not a provider error: {other}"),
    }
}

#[tokio::test]
async fn oss2_layout_round_trip_with_generate_data_key() {
    let h = start().await;
    let key = KmsMasterKey::new(h.client(), "cmk-a");
    let (material, wrapped) = key.new_material(material(), Format::V2).await.unwrap();
    assert_ne!(material.key().expose_secret(), &[0x42; 32], "GenerateDataKey supplied the key");
    // oss2 layout: the header base64-decodes to the blob text.
    assert_eq!(ciphertext_blob(&wrapped.wrapped_key, WrappedValue::DataKey).unwrap().1, KmsLayout::Oss2);
    let envelope = Envelope::new(Format::V2, wrapped);
    let back = key.unwrap(&envelope).await.unwrap();
    assert_eq!(back.key().expose_secret(), material.key().expose_secret());
    assert_eq!(back.iv().expose_secret(), material.iv().expose_secret());
    assert_eq!(h.kms_calls(), 4, "GenerateDataKey + Encrypt, then two Decrypts");
}

#[tokio::test]
async fn go_java_layout_and_v1_round_trip() {
    let h = start().await;
    let key = KmsMasterKey::new(h.client(), "cmk-b").with_go_java_layout();
    for format in [Format::V2, Format::V1] {
        let (material, wrapped) = key.new_material(material(), format).await.unwrap();
        assert_eq!(material.key().expose_secret(), &[0x42; 32], "Go/Java wrap the local key");
        assert_eq!(ciphertext_blob(&wrapped.wrapped_key, WrappedValue::DataKey).unwrap().1, KmsLayout::BlobText);
        let envelope = Envelope::new(format, wrapped);
        let headers = envelope.to_headers().unwrap();
        let decoded = Envelope::from_headers(headers.iter().map(|(k, v)| (*k, v.as_bytes()))).unwrap().unwrap();
        let back = key.unwrap(&decoded).await.unwrap();
        assert_eq!(back.iv().expose_secret(), material.iv().expose_secret(), "{format}");
    }
}

/// `--compat` picks the layout: oss2's for oss2, the Go/Java layout for go
/// and java; py-v2 and cpp have no KMS master key and are refused.
#[tokio::test]
async fn compat_chooses_the_layout_and_refuses_sdks_without_kms() {
    let h = start().await;
    for (compat, layout) in
        [(Compat::Oss2, KmsLayout::Oss2), (Compat::Go, KmsLayout::BlobText), (Compat::Java, KmsLayout::BlobText)]
    {
        let key = KmsMasterKey::new(h.client(), "cmk-c").with_compat(compat).unwrap();
        let (_, wrapped) = key.new_material(material(), Format::V2).await.unwrap();
        assert_eq!(ciphertext_blob(&wrapped.wrapped_key, WrappedValue::DataKey).unwrap().1, layout, "{compat}");
        assert_eq!(ciphertext_blob(&wrapped.wrapped_start, WrappedValue::Start).unwrap().1, layout, "{compat}");
    }
    for compat in [Compat::PyV2, Compat::Cpp] {
        let error = KmsMasterKey::new(h.client(), "cmk-c").with_compat(compat).unwrap_err();
        assert!(matches!(error, EnvelopeError::CompatWithoutKms { .. }), "{error:?}");
    }
}

/// The official SDK's KMS objects (oss2 V2 and V1) unwrap through KMS over HTTP.
#[tokio::test]
async fn official_sdk_kms_vectors_unwrap_over_http() {
    let h = start().await;
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../vectors");
    let mut checked = 0;
    for (file, key_field) in [("v2_kms.json", "iv_hex"), ("v1.json", "counter_block_hex")] {
        let vectors: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(root.join(file)).unwrap()).unwrap();
        for case in vectors["cases"].as_array().unwrap().iter().filter(|c| c.get("kms_cmk").is_some()) {
            let headers = oss_cse_emulator::testing::stored_meta_headers(case);
            let envelope =
                Envelope::from_headers(headers.iter().map(|(k, v)| (k.as_str(), v.as_bytes()))).unwrap().unwrap();
            let mut key = KmsMasterKey::new(h.client(), case["kms_cmk"].as_str().unwrap());
            if let Some(passphrase) = case["passphrase"].as_str() {
                key = key.with_oss2_passphrase(passphrase);
            }
            if let Some(md) = case["mat_desc"].as_object() {
                key = key.with_material_description(
                    md.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned())).collect(),
                );
            }
            let ring = KeyRing::new(key);
            let material = ring.select(&envelope).unwrap().unwrap(&envelope).await.unwrap();
            assert_eq!(
                hex::encode(material.key().expose_secret()),
                case["data_key_hex"].as_str().unwrap(),
                "{}",
                case["name"]
            );
            assert_eq!(
                hex::encode(material.iv().expose_secret()),
                case[key_field].as_str().unwrap(),
                "{}",
                case["name"]
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 13);
}

#[tokio::test]
async fn missing_key_and_denied_permission_are_typed_and_not_retried() {
    let h = start().await;
    h.emulator.kms().remove_key("gone");
    let err = KmsMasterKey::new(h.client(), "gone").new_material(material(), Format::V2).await.unwrap_err();
    assert_eq!(kms_error(&err).kind(), KmsErrorKind::KeyNotFound, "{err}");
    assert!(!err.is_retryable());
    assert_eq!(h.kms_calls(), 1);
    assert!(kms_error(&err).request_id().is_some_and(|id| !id.is_empty()));

    h.emulator.kms().deny(h.emulator.access_key_id());
    let err = KmsMasterKey::new(h.client(), "cmk").wrap(&material(), Format::V2).await.unwrap_err();
    assert_eq!(kms_error(&err).kind(), KmsErrorKind::PermissionDenied, "{err}");
    assert_eq!(h.kms_calls(), 3, "two parallel Encrypts, each refused once");
}

#[tokio::test]
async fn throttling_then_success() {
    let h = start().await;
    h.emulator.faults().add(FaultRule::new(Fault::SlowDown).operation("Kms").times(2));
    let key = KmsMasterKey::new(h.client(), "cmk-t").with_go_java_layout().with_cache_lifetime(Duration::ZERO);
    let wrapped = key.wrap(&material(), Format::V2).await.unwrap();
    assert_eq!(h.emulator.faults().fired(), 2);
    assert_eq!(h.kms_calls(), 4);
    key.unwrap(&Envelope::new(Format::V2, wrapped)).await.unwrap();
}

#[tokio::test]
async fn persistent_throttling_is_a_retryable_error() {
    let h = start().await;
    h.emulator.faults().add(FaultRule::new(Fault::SlowDown).operation("Kms"));
    let err = h.client().encrypt("cmk", "aGk=", "").await.unwrap_err();
    assert_eq!(err.kind(), KmsErrorKind::Throttled);
    assert!(err.is_retryable());
    assert_eq!(h.kms_calls(), 4, "max_attempts");
}

#[tokio::test]
async fn signature_rejection() {
    let h = start().await;
    let err = h.client_with("not-the-secret").encrypt("cmk", "aGk=", "").await.unwrap_err();
    assert_eq!(err.kind(), KmsErrorKind::Authentication, "{err}");
    assert_eq!(h.kms_calls(), 1);
}

#[tokio::test]
async fn decrypts_are_cached_and_contexts_checked() {
    let h = start().await;
    let context: BTreeMap<String, String> = [("tenant".to_owned(), "a".to_owned())].into();
    let key = KmsMasterKey::new(h.client(), "cmk-c").with_encryption_context(&context);
    let (_, wrapped) = key.new_material(material(), Format::V2).await.unwrap();
    let envelope = Envelope::new(Format::V2, wrapped);
    let before = h.kms_calls();
    for _ in 0..10 {
        key.unwrap(&envelope).await.unwrap();
    }
    assert_eq!(h.kms_calls() - before, 2, "one Decrypt per blob, then the cache");

    let uncached =
        KmsMasterKey::new(h.client(), "cmk-c").with_encryption_context(&context).with_cache_lifetime(Duration::ZERO);
    let before = h.kms_calls();
    for _ in 0..3 {
        uncached.unwrap(&envelope).await.unwrap();
    }
    assert_eq!(h.kms_calls() - before, 6);

    let other: BTreeMap<String, String> = [("tenant".to_owned(), "b".to_owned())].into();
    let wrong = KmsMasterKey::new(h.client(), "cmk-c").with_encryption_context(&other);
    let err = wrong.unwrap(&envelope).await.unwrap_err();
    assert_eq!(kms_error(&err).kind(), KmsErrorKind::InvalidParameter, "{err}");
    let none = KmsMasterKey::new(h.client(), "cmk-c");
    assert!(none.unwrap(&envelope).await.is_err(), "no context is not the same context");
}

#[tokio::test]
async fn kms_and_rsa_keys_share_a_key_ring() {
    let h = start().await;
    let rsa_pem = |name: &str| {
        std::fs::read_to_string(std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../vectors/keys").join(name))
            .unwrap()
    };
    let rsa = oss_cse_envelope::RsaMasterKey::from_pem(
        Some(&rsa_pem("key1_public_spki.pem")),
        Some(&rsa_pem("key1_private_pkcs1.pem")),
    )
    .unwrap()
    .with_material_description(MaterialDescription::new().with("desc", "rsa"));
    let kms = KmsMasterKey::new(h.client(), "cmk-r")
        .with_material_description(MaterialDescription::new().with("desc", "kms"));
    let ring = KeyRing::new(kms).with_decrypting_key(rsa);
    let (_, wrapped) = ring.encrypting_key().unwrap().new_material(material(), Format::V2).await.unwrap();
    let mut envelope = Envelope::new(Format::V2, wrapped);
    envelope.material_description = Some(MaterialDescription::new().with("desc", "kms"));
    assert!(ring.select(&envelope).unwrap().unwrap(&envelope).await.is_ok());
    let rsa_key = ring.keys().nth(1).unwrap();
    let mut rsa_envelope = Envelope::new(Format::V2, rsa_key.wrap(&material(), Format::V2).await.unwrap());
    rsa_envelope.material_description = Some(MaterialDescription::new().with("desc", "rsa"));
    let back = ring.select(&rsa_envelope).unwrap().unwrap(&rsa_envelope).await.unwrap();
    assert_eq!(back.key().expose_secret(), &[0x42; 32]);
}

#[test]
fn debug_output_hides_secrets() {
    let client = KmsClient::new(KmsConfig::new(
        KmsEndpoint::Region("cn-hangzhou".into()),
        Credentials::new("AKID", "topsecret"),
    ))
    .unwrap();
    let key = KmsMasterKey::new(client, "cmk").with_oss2_passphrase("my-passphrase");
    let rendered = format!("{key:?}");
    assert!(!rendered.contains("topsecret") && !rendered.contains("my-passphrase"), "{rendered}");
}

/// A secret a hostile reply carries: no error message may repeat it.
const SECRET_B64: &str = "c2VjcmV0LWtleS1tYXRlcmlhbC0zMi1ieXRlcy0hIQ==";

fn json_reply(body: &str) -> Fault {
    Fault::Reply { status: 200, content_type: "application/json", body: bytes::Bytes::from(body.to_owned()) }
}

/// Replies a broken or hostile KMS endpoint might send, and the calls they
/// answer. Each must end in a typed error, within a time bound, without
/// echoing key material.
#[tokio::test]
async fn hostile_kms_replies_are_typed_errors() {
    let h = start().await;
    let oss2 = KmsMasterKey::new(h.client(), "cmk-h").with_cache_lifetime(Duration::ZERO);
    let go = KmsMasterKey::new(h.client(), "cmk-h").with_go_java_layout().with_cache_lifetime(Duration::ZERO);
    let (_, wrapped) = oss2.new_material(material(), Format::V2).await.unwrap();
    let envelope = Envelope::new(Format::V2, wrapped);

    let long_plaintext = format!("{{\"Plaintext\":\"{}\"}}", "QUFB".repeat(400));
    let decrypt_replies = [
        json_reply("{}"),
        json_reply("{\"Plaintext\": 5}"),
        json_reply("{\"Plaintext\": \"!!! not base64\"}"),
        json_reply("{\"Plaintext\": \"AAAA\"}"),
        json_reply(&long_plaintext),
        json_reply(&format!("{{\"Plaintext\": \"{SECRET_B64}")),
        json_reply("{\"Code\": \"Forbidden.KeyNotFound\", \"Message\": \"a 200 that is an error\"}"),
        json_reply("<html>Sign in to the hotel Wi-Fi</html>"),
        json_reply(""),
        Fault::Reply { status: 500, content_type: "text/html", body: bytes::Bytes::from_static(b"<h1>oops</h1>") },
        Fault::EndlessBody { status: 200 },
        Fault::EndlessBody { status: 502 },
    ];
    let generate_replies = [
        json_reply(&format!("{{\"KeyId\": \"cmk-h\", \"CiphertextBlob\": \"\", \"Plaintext\": \"{SECRET_B64}\"}}")),
        json_reply(&format!("{{\"KeyId\": \"cmk-h\", \"CiphertextBlob\": \"***\", \"Plaintext\": \"{SECRET_B64}\"}}")),
        json_reply("{\"KeyId\": \"cmk-h\", \"CiphertextBlob\": \"Zm9v\", \"Plaintext\": \"AAAA\"}"),
        json_reply(&format!("{{\"KeyId\": \"cmk-h\", \"Plaintext\": \"{SECRET_B64}\"}}")),
    ];
    let encrypt_replies = [json_reply("{\"CiphertextBlob\": \"\"}"), json_reply("{\"CiphertextBlob\": \"%%%\"}")];

    let mut cases = 0;
    for (call, replies) in
        [("Decrypt", &decrypt_replies[..]), ("GenerateDataKey", &generate_replies), ("Encrypt", &encrypt_replies)]
    {
        for reply in replies {
            h.emulator.faults().clear();
            h.emulator.faults().add(FaultRule::new(reply.clone()).operation("Kms"));
            let outcome = async {
                match call {
                    "Decrypt" => oss2.unwrap(&envelope).await.map(drop),
                    "GenerateDataKey" => oss2.new_material(material(), Format::V2).await.map(drop),
                    _ => go.wrap(&material(), Format::V2).await.map(drop),
                }
            };
            let outcome = tokio::time::timeout(Duration::from_secs(20), outcome)
                .await
                .unwrap_or_else(|_| panic!("{call} with {reply:?}: hung"));
            let error = outcome.expect_err(&format!("{call} accepted {reply:?}"));
            let message = error.to_string();
            assert!(
                matches!(
                    error,
                    EnvelopeError::Provider { .. }
                        | EnvelopeError::KmsPlaintextNotBase64 { .. }
                        | EnvelopeError::MalformedUnwrap { .. }
                        | EnvelopeError::InvalidKmsBlob { .. }
                ),
                "{call} with {reply:?}: {message}"
            );
            assert!(!message.contains(SECRET_B64) && !message.contains("c2VjcmV0"), "{call}: {message}");
            assert!(message.len() < 1_000, "{call}: {message}");
            cases += 1;
        }
    }
    oss_cse_emulator::testing::report(
        env!("CARGO_TARGET_TMPDIR"),
        "hostile-kms-replies",
        &format!("hostile KMS replies: {cases} cases, each a typed error"),
    );
}

/// Both signature methods the emulator checks: V3 (the default) and the RPC
/// signature kept for private endpoints; a body changed after signing is
/// refused under V3, whose signature covers the body's hash.
#[tokio::test]
async fn v3_and_rpc_signatures_are_both_verified() {
    let h = start().await;
    let v3 = h.client();
    let blob = v3.encrypt("key-v3", "aGVsbG8=", "").await.unwrap();
    assert_eq!(*v3.decrypt(&blob, "").await.unwrap(), "aGVsbG8=");
    let rpc = KmsClient::new(
        KmsConfig::new(
            KmsEndpoint::Url(h.emulator.kms_endpoint()),
            Credentials::new(h.emulator.access_key_id(), h.emulator.access_key_secret()),
        )
        .signature(oss_cse_kms::KmsSignature::Rpc),
    )
    .unwrap();
    assert_eq!(*rpc.decrypt(&blob, "").await.unwrap(), "aGVsbG8=");

    let signer = Credentials::new(h.emulator.access_key_id(), h.emulator.access_key_secret());
    let signed =
        v3.signed_request(&signer, "Decrypt", &[("CiphertextBlob", &blob)], "nonce-1", jiff::Timestamp::now()).unwrap();
    assert!(signed.headers.iter().any(|(k, v)| k == "authorization" && v.starts_with("ACS3-HMAC-SHA256 ")));
    let send = |body: String| {
        let mut request = reqwest::Client::new().post(h.emulator.kms_endpoint());
        for (k, v) in signed.headers.iter().filter(|(k, _)| k != "host") {
            request = request.header(k, v);
        }
        request.body(body).send()
    };
    assert_eq!(send(signed.body.clone()).await.unwrap().status(), 200);
    let tampered = send(signed.body.replace("CiphertextBlob=", "CiphertextBlob=x")).await.unwrap();
    assert_eq!(tampered.status(), 400);
    assert!(tampered.text().await.unwrap().contains("ContentSHA256NotMatched"));
}

/// A wrap that fails (connection refused, a timeout, a 5xx after retries)
/// never shows the data key it was sending: not in the error's message,
/// its sources, or `Debug`.
#[tokio::test]
async fn a_failed_wrap_never_shows_the_data_key() {
    let h = start().await;
    let data_key = "U0VDUkVULWRhdGEta2V5LW5ldmVyLXRvLWJlLXByaW50ZWQ=";
    let encoded = oss_cse_auth::sign::acs::percent_encode(data_key);
    let refused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        format!("http://127.0.0.1:{port}")
    };
    // Accepts connections and never answers.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_url = format!("http://{}", silent.local_addr().unwrap());
    let _keep = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            held.push(socket);
        }
    });
    h.emulator.faults().add(FaultRule::new(Fault::Status { status: 503, code: "ServiceUnavailable".into() }));
    let quick = KmsRetry { max_attempts: 2, base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(2) };
    let credentials = Credentials::new(h.emulator.access_key_id(), h.emulator.access_key_secret());
    for (what, url) in [("refused", refused), ("timeout", silent_url), ("5xx", h.emulator.kms_endpoint())] {
        let config =
            KmsConfig::new(KmsEndpoint::Url(url), credentials.clone()).retry(quick).timeout(Duration::from_millis(300));
        let client = KmsClient::new(config).unwrap();
        let err = client.encrypt("key-1", data_key, "").await.unwrap_err();
        let mut shown = format!("{err:?}");
        let mut source: Option<&dyn std::error::Error> = Some(&err);
        while let Some(cause) = source {
            shown.push_str(&format!(" | {cause}"));
            source = cause.source();
        }
        assert!(!shown.contains(data_key) && !shown.contains(&encoded), "{what}: {shown}");
        assert!(!shown.contains("Plaintext"), "{what}: {shown}");
    }
}

/// The emulator's KMS and STS fronts check time and nonce as Alibaba Cloud
/// does: a signed call dated 2001 is refused (InvalidTimeStamp.Expired), and
/// the same signed call sent twice is taken once (SignatureNonceUsed), for
/// V3 and RPC signatures, KMS and STS alike.
#[tokio::test]
async fn stale_and_replayed_calls_are_refused() {
    let h = start().await;
    let v3 = h.client();
    let blob = v3.encrypt("key-time", "aGVsbG8=", "").await.unwrap();
    let signer = Credentials::new(h.emulator.access_key_id(), h.emulator.access_key_secret());
    let send = |signed: &oss_cse_kms::SignedRequest| {
        let mut request = reqwest::Client::new().post(h.emulator.kms_endpoint());
        for (k, v) in signed.headers.iter().filter(|(k, _)| k != "host") {
            request = request.header(k, v);
        }
        let body = signed.body.clone();
        async move {
            let reply = request.body(body).send().await.unwrap();
            (reply.status().as_u16(), reply.text().await.unwrap())
        }
    };
    let rpc = KmsClient::new(
        KmsConfig::new(KmsEndpoint::Url(h.emulator.kms_endpoint()), signer.clone())
            .signature(oss_cse_kms::KmsSignature::Rpc),
    )
    .unwrap();
    let long_ago: jiff::Timestamp = "2001-01-01T00:00:00Z".parse().unwrap();
    let now = jiff::Timestamp::now();
    for client in [&v3, &rpc] {
        let decrypt = [("CiphertextBlob", blob.as_str())];
        let old = client.signed_request(&signer, "Decrypt", &decrypt, "n-old", long_ago).unwrap();
        let (status, text) = send(&old).await;
        assert_eq!(status, 400);
        assert!(text.contains("InvalidTimeStamp.Expired"), "{text}");
        let nonce = format!("n-{}", rand::random::<u64>());
        let signed = client.signed_request(&signer, "Decrypt", &decrypt, &nonce, now).unwrap();
        assert_eq!(send(&signed).await.0, 200);
        let (status, text) = send(&signed).await;
        assert_eq!(status, 400);
        assert!(text.contains("SignatureNonceUsed"), "{text}");
    }
    // STS AssumeRole (an RPC-signed form) the same.
    let assume = |nonce: &str, time: jiff::Timestamp| {
        let mut params: Vec<(String, String)> = [
            ("Action", "AssumeRole"),
            ("Version", "2015-04-01"),
            ("Format", "JSON"),
            ("AccessKeyId", signer.access_key_id()),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
            ("SignatureNonce", nonce),
            ("RoleArn", "acs:ram::1234567890:role/oss-cse"),
            ("RoleSessionName", "replay-test"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        params.push(("Timestamp".into(), time.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()));
        let signature = oss_cse_auth::sign::acs::signature("POST", &params, signer.access_key_secret());
        params.push(("Signature".into(), signature));
        let encode = oss_cse_auth::sign::acs::percent_encode;
        let form = params.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&");
        let request = reqwest::Client::new()
            .post(h.emulator.sts_endpoint())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form);
        async move {
            let reply = request.send().await.unwrap();
            (reply.status().as_u16(), reply.text().await.unwrap())
        }
    };
    let (_, old) = assume("sts-old", long_ago).await;
    assert!(old.contains("InvalidTimeStamp.Expired"), "{old}");
    let (status, first) = assume("sts-once", now).await;
    assert_eq!(status, 200, "{first}");
    let (_, again) = assume("sts-once", now).await;
    assert!(again.contains("SignatureNonceUsed"), "{again}");
}
