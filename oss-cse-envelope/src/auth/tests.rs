use super::*;

fn tag() -> AuthTag {
    AuthTag([5u8; TAG_LEN])
}

#[test]
fn headers_round_trip_and_bad_values_are_typed_errors() {
    assert_eq!(AuthTag::parse(&tag().header_value()).unwrap(), tag());
    for bad in ["", "v2:BQUF", "v1:not base64!", "v1:BQUF"] {
        assert!(matches!(AuthTag::parse(bad), Err(Error::InvalidAuthHeader { header: AUTH_TAG, .. })), "{bad}");
    }
    let (key, _, _) = SigningKey::generate().unwrap();
    let signature = key.sign(&tag(), SignedName::Anywhere);
    assert_eq!(Signature::parse(&signature.header_value()).unwrap(), signature);
    for bad in ["v1:00:a:AA==", "v1:0011223344556677:x:AA==", "v1:0011223344556677:a:AA==", "v1:a:b:c:d"] {
        assert!(matches!(Signature::parse(bad), Err(Error::InvalidAuthHeader { header: AUTH_SIG, .. })), "{bad}");
    }
}

#[test]
fn a_signature_verifies_only_with_its_key_its_tag_and_its_name() {
    let (key, private_pem, public_pem) = SigningKey::generate().unwrap();
    let verifying = VerifyingKey::from_pem(&public_pem).unwrap();
    assert_eq!(verifying, key.verifying_key());
    assert_eq!(SigningKey::from_pem(&private_pem).unwrap().verifying_key(), verifying);
    let anywhere = key.sign(&tag(), SignedName::Anywhere);
    assert!(verifying.verify(&anywhere, &tag(), "b", "k"));
    assert!(verifying.verify(&anywhere, &tag(), "other", "renamed"));
    assert!(!verifying.verify(&anywhere, &AuthTag([6u8; TAG_LEN]), "b", "k"));
    let named = key.sign(&tag(), SignedName::At { bucket: "b", key: "k" });
    assert!(verifying.verify(&named, &tag(), "b", "k"));
    assert!(!verifying.verify(&named, &tag(), "b", "k2"));
    assert!(!verifying.verify(&named, &tag(), "bk", ""), "the name's parts are length-prefixed");
    let (other, _, _) = SigningKey::generate().unwrap();
    assert!(!other.verifying_key().verify(&anywhere, &tag(), "b", "k"));
    let mut forged = anywhere.clone();
    forged.signature[0] ^= 1;
    assert!(!verifying.verify(&forged, &tag(), "b", "k"));
}

#[test]
fn keys_of_another_kind_are_refused_and_secrets_never_printed() {
    let rsa_private = include_str!("../rsa/testdata/rsa1024.p8.pem");
    assert!(matches!(SigningKey::from_pem(rsa_private), Err(Error::InvalidPem { .. })));
    assert!(matches!(SigningKey::from_pem("garbage"), Err(Error::InvalidPem { .. })));
    let rsa_public = include_str!("../rsa/testdata/rsa1024.pub.pem");
    let error = VerifyingKey::from_pem(rsa_public).unwrap_err();
    assert!(error.to_string().contains("not an Ed25519 key"), "{error}");
    let (key, private_pem, _) = SigningKey::generate().unwrap();
    let shown = format!("{key:?}");
    assert!(shown.contains("key_id") && !shown.contains(&private_pem[30..50]), "{shown}");
}
