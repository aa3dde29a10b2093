//! Multipart uploads: each part encrypted on its own at its counter equals
//! one CTR stream over the whole object; and the resumable upload record.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use oss_cse_envelope::core::PartPlan;
use oss_cse_envelope::{Envelope, Format, WrapAlgorithm, WrappedMaterial};

use crate::support::*;

#[test]
fn parts_encrypt_at_their_counters() {
    let vectors = load("v2_multipart.json");
    for case in cases(&vectors) {
        let name = case["name"].as_str().unwrap();
        let envelope = envelope_of(&case["stored_meta"]);
        let data_size = case["data_size"].as_u64().unwrap();
        let part_size = case["part_size"].as_u64().unwrap();
        assert_eq!(envelope.data_size, Some(data_size), "{name}");
        assert_eq!(envelope.part_size, Some(part_size), "{name}");
        assert_eq!(envelope_of(&case["initiate_request"]["headers"]), envelope, "{name}: initiate");

        let material = unwrap_with(&ring("key1", matdesc_of(&case["mat_desc"])), &envelope);
        assert_eq!(material.iv().expose_secret().to_vec(), hex_of(&case["iv_hex"]), "{name}");
        let plain = plaintext(data_size as usize);
        let plan = PartPlan::new(data_size, part_size).unwrap();
        assert_eq!(plan.part_count() as usize, case["parts"].as_array().unwrap().len());
        let mut whole = Vec::new();
        for (part, recorded) in plan.parts().zip(case["parts"].as_array().unwrap()) {
            assert_eq!(u64::from(part.number), recorded["part_number"].as_u64().unwrap());
            let iv = material.iv().expose_secret();
            assert_eq!(
                part.counter_block(iv).to_vec(),
                hex_of(&recorded["counter_block_hex"]),
                "{name} part {}",
                part.number
            );
            // Every UploadPart repeated the envelope.
            assert_eq!(envelope_of(&recorded["request"]["headers"]), envelope, "{name} part {}", part.number);
            let body = ctr(&material, part.offset, &plain[part.offset as usize..part.end() as usize], 65536);
            assert_eq!(body.len() as u64, recorded["request"]["body"]["len"].as_u64().unwrap());
            assert_eq!(
                sha256_hex(&body),
                recorded["request"]["body"]["sha256"].as_str().unwrap(),
                "{name} part {}",
                part.number
            );
            whole.extend_from_slice(&body);
        }
        assert_eq!(sha256_hex(&whole), case["ciphertext"]["sha256"].as_str().unwrap(), "{name}");
        assert_eq!(whole, ctr(&material, 0, &plain, 1 << 20), "{name}: parts equal one stream");
    }
}

#[test]
fn resumable_checkpoint_holds_only_wrapped_material() {
    let vectors = load("resumable.json");
    let upload = &vectors["upload"];
    let record = &upload["checkpoint_record_after_failure"]["content_crypto_material"];
    let wrapped = WrappedMaterial {
        algorithm: WrapAlgorithm::RsaPkcs1V15,
        wrapped_key: STANDARD.decode(record["encrypted_key"].as_str().unwrap()).unwrap(),
        wrapped_start: STANDARD.decode(record["encrypted_iv"].as_str().unwrap()).unwrap(),
    };
    let envelope = Envelope::new(Format::V2, wrapped);
    let material = unwrap_with(&ring("key1", None), &envelope);
    assert_eq!(material.key().expose_secret().to_vec(), hex_of(&upload["data_key_hex"]));
    assert_eq!(material.iv().expose_secret().to_vec(), hex_of(&upload["iv_hex"]));
    let size = upload["size"].as_u64().unwrap();
    let ciphertext = ctr(&material, 0, &plaintext(size as usize), 1 << 20);
    assert_eq!(sha256_hex(&ciphertext), upload["ciphertext"]["sha256"].as_str().unwrap());
    // The initiate carried the same wrapped values as the checkpoint.
    let initiate = &upload["first_attempt_requests"][0]["headers"];
    assert_eq!(envelope_of(initiate).wrapped, envelope.wrapped);
}
