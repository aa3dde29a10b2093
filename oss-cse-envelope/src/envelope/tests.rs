use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;

fn v2_headers() -> Vec<(String, String)> {
    vec![
        (V2_KEY.into(), STANDARD.encode([1u8; 256])),
        (V2_START.into(), STANDARD.encode([2u8; 256])),
        (V2_CEK_ALG.into(), CEK_AES_CTR.into()),
        (V2_WRAP_ALG.into(), WRAP_RSA_PKCS1.into()),
    ]
}

fn decode(headers: &[(String, String)]) -> Result<Option<Envelope>, Error> {
    Envelope::from_headers(headers.iter().map(|(k, v)| (k.as_str(), v.as_bytes())))
}

fn with(mut headers: Vec<(String, String)>, name: &str, value: &str) -> Vec<(String, String)> {
    headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
    headers.push((name.into(), value.into()));
    headers
}

fn without(mut headers: Vec<(String, String)>, name: &str) -> Vec<(String, String)> {
    headers.retain(|(k, _)| k != name);
    headers
}

#[test]
fn decodes_v2_and_round_trips() {
    let headers = with(with(v2_headers(), V2_MATDESC, r#"{"desc": "a"}"#), V2_DATA_SIZE, "259121");
    let headers = with(with(headers, V2_PART_SIZE, "102400"), V2_UNENCRYPTED_CONTENT_LENGTH, "7");
    let headers = with(headers, V2_UNENCRYPTED_CONTENT_MD5, "1B2M2Y8AsgTpgAmY7PhCfg==");
    let envelope = decode(&headers).unwrap().unwrap();
    assert_eq!(envelope.format, Format::V2);
    assert_eq!(envelope.wrapped.algorithm, WrapAlgorithm::RsaPkcs1V15);
    assert_eq!(envelope.wrapped.wrapped_key, vec![1; 256]);
    assert_eq!(envelope.data_size, Some(259_121));
    assert_eq!(envelope.part_size, Some(102_400));
    assert_eq!(envelope.unencrypted_content_length, Some(7));
    let encoded: BTreeMap<_, _> = envelope.to_headers().unwrap().into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    let original: BTreeMap<_, _> = headers.into_iter().collect();
    assert_eq!(encoded, original);
}

#[test]
fn names_are_case_insensitive() {
    let headers: Vec<_> = v2_headers().into_iter().map(|(k, v)| (k.to_uppercase(), v)).collect();
    assert!(decode(&headers).unwrap().is_some());
    let go_style: Vec<_> = v2_headers()
        .into_iter()
        .map(|(k, v)| {
            (k.split('-').map(|w| format!("{}{}", &w[..1].to_uppercase(), &w[1..])).collect::<Vec<_>>().join("-"), v)
        })
        .collect();
    assert!(decode(&go_style).unwrap().is_some());
}

#[test]
fn no_headers_means_not_encrypted() {
    assert!(
        decode(&[("content-length".into(), "5".into()), ("x-oss-meta-other".into(), "x".into())]).unwrap().is_none()
    );
    assert!(!Envelope::is_present([("x-oss-meta-other", "x")]));
    assert!(Envelope::is_present([("X-Oss-Meta-Client-Side-Encryption-Wrap-Alg", "x")]));
}

#[test]
fn every_required_v2_header_is_checked() {
    for header in [V2_KEY, V2_START, V2_CEK_ALG, V2_WRAP_ALG] {
        let err = decode(&without(v2_headers(), header)).unwrap_err();
        assert!(matches!(err, Error::MissingHeader { header: h } if h == header), "{header}: {err}");
        let err = decode(&with(v2_headers(), header, "  ")).unwrap_err();
        assert!(matches!(err, Error::MissingHeader { .. }), "{header} blank: {err}");
    }
}

#[test]
fn malformed_values_are_typed_errors() {
    type Case = (Vec<(String, String)>, fn(&Error) -> bool);
    let cases: Vec<Case> = vec![
        (with(v2_headers(), V2_KEY, "not base64!"), |e| matches!(e, Error::InvalidBase64 { header: V2_KEY })),
        (with(v2_headers(), V2_CEK_ALG, "AES/GCM/NoPadding"), |e| matches!(e, Error::UnsupportedCekAlgorithm { .. })),
        (with(v2_headers(), V2_WRAP_ALG, "ROT13"), |e| matches!(e, Error::UnsupportedWrapAlgorithm { .. })),
        (with(v2_headers(), V2_DATA_SIZE, "-1"), |e| matches!(e, Error::InvalidNumber { header: V2_DATA_SIZE, .. })),
        (with(v2_headers(), V2_PART_SIZE, "99999999999999999999999"), |e| matches!(e, Error::InvalidNumber { .. })),
        (with(v2_headers(), V2_MATDESC, "[1]"), |e| matches!(e, Error::InvalidMaterialDescription { .. })),
        (with(v2_headers(), V2_KEY, &"A".repeat(MAX_HEADER_VALUE_LEN + 4)), |e| {
            matches!(e, Error::HeaderTooLong { .. })
        }),
        (with(v2_headers(), V2_KEY, "AAAA\u{e9}"), |e| matches!(e, Error::NonAsciiHeader { .. })),
    ];
    for (headers, check) in cases {
        let err = decode(&headers).unwrap_err();
        assert!(check(&err), "unexpected error {err:?}");
    }
    let mut duplicated = v2_headers();
    duplicated.push((V2_KEY.to_uppercase(), STANDARD.encode([1u8; 4])));
    assert!(matches!(decode(&duplicated).unwrap_err(), Error::DuplicateHeader { header: V2_KEY }));
}

#[test]
fn error_messages_clip_untrusted_values() {
    let long_label = "X".repeat(5000);
    let err = decode(&with(v2_headers(), V2_WRAP_ALG, &long_label)).unwrap_err();
    assert!(err.to_string().len() < 200, "{err}");
}

#[test]
fn unpadded_base64_is_accepted() {
    let unpadded = STANDARD.encode([7u8; 32]).trim_end_matches('=').to_owned();
    let envelope = decode(&with(v2_headers(), V2_KEY, &unpadded)).unwrap().unwrap();
    assert_eq!(envelope.wrapped.wrapped_key, vec![7; 32]);
}

#[test]
fn v1_decodes_with_gcm_label_and_encodes_back() {
    let headers = vec![
        (V1_KEY.to_owned(), STANDARD.encode([3u8; 256])),
        (V1_START.to_owned(), STANDARD.encode([4u8; 256])),
        (V1_CEK_ALG.to_owned(), CEK_V1_GCM_LABEL.to_owned()),
        (V1_WRAP_ALG.to_owned(), "rsa".to_owned()),
        (V1_UNENCRYPTED_CONTENT_LENGTH.to_owned(), "1000".to_owned()),
    ];
    let envelope = decode(&headers).unwrap().unwrap();
    assert_eq!(envelope.format, Format::V1);
    assert_eq!(envelope.wrapped.algorithm, WrapAlgorithm::RsaOaepSha1);
    assert_eq!(envelope.unencrypted_content_length, Some(1000));
    let encoded: BTreeMap<_, _> = envelope.to_headers().unwrap().into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    assert_eq!(encoded, headers.into_iter().collect());
    let mut pkcs1 = envelope.clone();
    pkcs1.wrapped.algorithm = WrapAlgorithm::RsaPkcs1V15;
    assert!(matches!(pkcs1.to_headers(), Err(Error::WrapAlgorithmNotInFormat { .. })));
}

#[test]
fn v1_key_wins_over_v2_headers() {
    let mut headers = v2_headers();
    headers.push((V1_KEY.into(), STANDARD.encode([1u8; 8])));
    assert!(matches!(decode(&headers).unwrap_err(), Error::MissingHeader { header: V1_START }));
}

#[test]
fn debug_shows_lengths_not_bytes() {
    let envelope = decode(&v2_headers()).unwrap().unwrap();
    let rendered = format!("{envelope:?}");
    assert!(rendered.contains("wrapped_key_len: 256"), "{rendered}");
    assert!(!rendered.contains("[1, 1"), "{rendered}");
}

fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![prop::sample::select(ENVELOPE_HEADERS.to_vec()).prop_map(str::to_owned), "[a-zA-Z-]{0,40}",]
}

fn header_value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..64),
        "[A-Za-z0-9+/=]{0,400}".prop_map(String::into_bytes),
        prop::sample::select(vec![CEK_AES_CTR, CEK_V1_GCM_LABEL, WRAP_RSA_PKCS1, WRAP_KMS, "rsa", "kms", "{}", "12"])
            .prop_map(|s| s.as_bytes().to_vec()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Arbitrary header maps never panic the decoder, and anything it
    /// accepts encodes and decodes to the same envelope.
    #[test]
    fn decoder_never_panics(headers in prop::collection::vec((header_name(), header_value()), 0..12)) {
        if let Ok(Some(envelope)) = Envelope::from_headers(headers.iter().map(|(k, v)| (k.as_str(), v.as_slice()))) {
            if let Ok(encoded) = envelope.to_headers() {
                let again = Envelope::from_headers(encoded.iter().map(|(k, v)| (*k, v.as_bytes()))).unwrap().unwrap();
                prop_assert_eq!(again, envelope);
            }
        }
    }
}

/// The matdesc is the one header SDKs write beyond ASCII: Go as raw UTF-8,
/// Java as UTF-8 bytes through ISO-8859-1 (not always valid UTF-8). Both are
/// read, kept as read, and written back unchanged; control bytes are not.
#[test]
fn matdesc_beyond_ascii_is_read_and_written_back_as_read() {
    let go = "{\"desc\":\"clé \\u003cb\\u003e\",\"path/key\":\"日本😀\"}";
    let envelope = decode(&with(v2_headers(), V2_MATDESC, go)).unwrap().unwrap();
    let md = envelope.material_description.as_ref().unwrap();
    assert_eq!(md.get("desc"), Some("clé <b>"));
    assert_eq!(md.get("path/key"), Some("日本😀"));
    let written = envelope.to_headers().unwrap();
    assert!(written.contains(&(V2_MATDESC, go.to_owned())), "{written:?}");

    // Not UTF-8: one character per byte.
    let mut headers: Vec<(String, Vec<u8>)> = v2_headers().into_iter().map(|(k, v)| (k, v.into_bytes())).collect();
    headers.push((V2_MATDESC.to_owned(), b"{\"desc\":\"cl\xc3?\\/x\"}".to_vec()));
    let envelope = Envelope::from_headers(headers.iter().map(|(k, v)| (k.as_str(), v.as_slice()))).unwrap().unwrap();
    assert_eq!(envelope.material_description.unwrap().get("desc"), Some("cl\u{c3}?/x"));

    for control in ["{\"a\":\"b\u{1}\"}", "{\"a\":\"b\u{7f}\"}", "{\"a\":\"b\nc\"}"] {
        let error = decode(&with(v2_headers(), V2_MATDESC, control)).unwrap_err();
        assert!(matches!(error, Error::NonAsciiHeader { header: V2_MATDESC }), "{control:?}: {error:?}");
    }
    // Elsewhere non-ASCII is still refused.
    assert!(matches!(
        decode(&with(v2_headers(), V2_WRAP_ALG, "RSA/NONE/PKCS1Padding\u{e9}")),
        Err(Error::NonAsciiHeader { .. })
    ));
}
