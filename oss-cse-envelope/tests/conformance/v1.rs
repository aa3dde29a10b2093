//! Format V1 objects written by oss2 2.10.0 (RSA-OAEP and KMS).

use oss_cse_envelope::consts::{V1_KEY, V1_START};
use oss_cse_envelope::{Format, WrapAlgorithm};

use crate::kms::RecordedKms;
use crate::support::*;

#[test]
fn rsa_oaep_objects() {
    let vectors = load("v1.json");
    let mut checked = 0;
    for case in cases(&vectors).iter().filter(|c| c["writer"].as_str().unwrap().contains("LocalRsaProvider")) {
        let name = case["name"].as_str().unwrap();
        let envelope = envelope_of(&case["stored_meta"]);
        assert_eq!(envelope.format, Format::V1, "{name}");
        assert_eq!(envelope.wrapped.algorithm, WrapAlgorithm::RsaOaepSha1, "{name}");
        assert_eq!(envelope_of(&case["request"]["headers"]), envelope, "{name}");
        assert_reencodes(&envelope, &case["stored_meta"], "x-oss-meta-oss-");
        let material = unwrap_with(&ring("key1", None), &envelope);
        assert_eq!(material.key().expose_secret().to_vec(), hex_of(&case["data_key_hex"]), "{name}");
        assert_eq!(material.iv().counter(), u128::from(case["counter_start_int"].as_u64().unwrap()), "{name}");
        assert_eq!(material.iv().expose_secret().to_vec(), hex_of(&case["counter_block_hex"]), "{name}");
        check_content(case, &material);
        checked += 1;
    }
    assert_eq!(checked, 8);
}

#[test]
fn user_headers_survive_beside_the_envelope() {
    let vectors = load("v1.json");
    let case = cases(&vectors).iter().find(|c| c["name"] == "v1_rsa_user-headers").unwrap();
    let envelope = envelope_of(&case["stored_meta"]);
    assert_eq!(envelope.format, Format::V1);
    let material = unwrap_with(&ring("key1", None), &envelope);
    check_content(case, &material);
}

#[test]
fn kms_objects() {
    let vectors = load("v1.json");
    let mut checked = 0;
    for case in cases(&vectors).iter().filter(|c| c["writer"].as_str().unwrap().contains("AliKMSProvider")) {
        let name = case["name"].as_str().unwrap();
        let envelope = envelope_of(&case["stored_meta"]);
        assert_eq!(envelope.wrapped.algorithm, WrapAlgorithm::KmsAliCloud, "{name}");
        assert_reencodes(&envelope, &case["stored_meta"], "x-oss-meta-oss-");
        let kms = RecordedKms::from_calls(&case["kms_calls_on_get_oss2_2_19"], &case["kms_calls_on_put"]);
        let material = futures::executor::block_on(oss_cse_envelope::MasterKey::unwrap(&kms, &envelope)).unwrap();
        assert_eq!(material.key().expose_secret().to_vec(), hex_of(&case["data_key_hex"]), "{name}");
        assert_eq!(material.iv().counter(), u128::from(case["counter_start_int"].as_u64().unwrap()), "{name}");
        // The blobs sent to Decrypt are the header strings as they are.
        let sent = kms.sent_blobs();
        assert_eq!(sent, vec![case["stored_meta"][V1_KEY].clone(), case["stored_meta"][V1_START].clone()], "{name}");
        check_content(case, &material);
        // Writing: the start plaintext sent to Encrypt is the decimal counter.
        let put = case["kms_calls_on_put"].as_array().unwrap();
        let encrypt = put.iter().find(|c| c["action"] == "Encrypt").unwrap();
        let start_text =
            oss_cse_envelope::kms_layout::kms_plaintext(&material, oss_cse_envelope::WrappedValue::Start, Format::V1);
        assert_eq!(encrypt["params"]["Plaintext"]["value"].as_str().unwrap(), start_text.as_str(), "{name}");
        checked += 1;
    }
    assert_eq!(checked, 4);
}
