//! V2 RSA objects written by oss2 (`RsaProvider`) and by alibabacloud-oss-v2.

use oss_cse_envelope::consts::V2_PREFIX;
use oss_cse_envelope::{Format, WrapAlgorithm};

use crate::support::*;

fn check_file(file: &str) -> usize {
    let vectors = load(file);
    let mut checked = 0;
    for case in cases(&vectors) {
        let name = case["name"].as_str().unwrap();
        let envelope = envelope_of(&case["stored_meta"]);
        assert_eq!(envelope.format, Format::V2, "{name}");
        assert_eq!(envelope.wrapped.algorithm, WrapAlgorithm::RsaPkcs1V15, "{name}");
        assert_eq!(envelope.wrapped.wrapped_key.len(), 256, "{name}");
        // What the SDK sent on PUT is the same envelope it stored.
        assert_eq!(envelope_of(&case["request"]["headers"]), envelope, "{name}: request vs stored");
        assert_reencodes(&envelope, &case["stored_meta"], V2_PREFIX);

        // One case of the Python v2 SDK file does not repeat `mat_desc`; the
        // writer used the same key and description for all of them.
        if case.get("mat_desc").is_some() {
            assert_eq!(envelope.material_description, matdesc_of(&case["mat_desc"]), "{name}: matdesc");
        }
        let matdesc = envelope.material_description.clone();
        for (public, private) in [("public_spki", "private_pkcs1"), ("public_pkcs1", "private_pkcs8")] {
            let ring = oss_cse_envelope::KeyRing::new(rsa_key("key1", public, private, matdesc.clone()));
            let material = unwrap_with(&ring, &envelope);
            assert_eq!(material.key().expose_secret().to_vec(), hex_of(&case["data_key_hex"]), "{name}: data key");
            assert_eq!(material.iv().expose_secret().to_vec(), hex_of(&case["iv_hex"]), "{name}: IV");
            check_content(case, &material);
        }
        checked += 1;
    }
    checked
}

#[test]
fn oss2_rsa_provider_objects() {
    assert_eq!(check_file("v2_rsa_simple.json"), 8);
}

#[test]
fn python_v2_sdk_objects() {
    assert_eq!(check_file("ossv2_sdk.json"), 8);
}

#[test]
fn caller_content_md5_and_length_are_recorded() {
    let vectors = load("v2_rsa_simple.json");
    let with_md5 = cases(&vectors)
        .iter()
        .find(|c| c["stored_meta"].get("x-oss-meta-client-side-encryption-unencrypted-content-md5").is_some())
        .expect("a case with caller Content-MD5");
    let envelope = envelope_of(&with_md5["stored_meta"]);
    assert!(envelope.unencrypted_content_md5.is_some());
    assert_eq!(envelope.unencrypted_content_length, Some(with_md5["plaintext"]["len"].as_u64().unwrap()));
}

#[test]
fn pem_forms_and_wrapped_sizes() {
    let formats = load("keyformats.json");
    assert_eq!(formats["sizes"]["wrapped_key_bytes"], 256);
    for row in formats["matrix"].as_array().unwrap() {
        let public = row["public"].as_str().unwrap();
        let private = row["private"].as_str().unwrap();
        let key = rsa_key("key1", public, private, None);
        assert_eq!(key.bits(), 2048, "{public}+{private}");
    }
}
