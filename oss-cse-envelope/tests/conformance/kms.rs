//! V2 KMS objects written by oss2 `AliKMSProvider`, unwrapped through a
//! master key that answers from the KMS calls recorded with the vectors.

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use oss_cse_envelope::consts::{V2_KEY, V2_PREFIX, V2_START};
use oss_cse_envelope::core::ContentMaterial;
use oss_cse_envelope::kms_layout::{
    KmsLayout, ciphertext_blob, kms_plaintext, material_from_kms_plaintexts, wrapped_from_blob,
};
use oss_cse_envelope::{
    Envelope, Error, Format, MasterKey, MaterialDescription, WrapAlgorithm, WrappedMaterial, WrappedValue,
};
use serde_json::Value;

use crate::support::*;

/// A KMS stand-in that knows only the recorded Decrypt answers.
#[derive(Debug)]
pub struct RecordedKms {
    answers: HashMap<String, String>,
    sent: Mutex<Vec<String>>,
    matdesc: Option<MaterialDescription>,
}

impl RecordedKms {
    pub fn from_calls(decrypts: &Value, puts: &Value) -> Self {
        let mut answers = HashMap::new();
        for call in decrypts.as_array().unwrap() {
            assert_eq!(call["action"], "Decrypt");
            let blob = call["params"]["CiphertextBlob"]["value"].as_str().unwrap().to_owned();
            answers.insert(blob, call["response"]["Plaintext"].as_str().unwrap().to_owned());
        }
        // The put side's GenerateDataKey is a Decrypt answer too: it returns
        // the plaintext of the blob it makes.
        for call in puts.as_array().unwrap() {
            if call["action"] == "GenerateDataKey" {
                let blob = call["response"]["CiphertextBlob"].as_str().unwrap().to_owned();
                answers.entry(blob).or_insert_with(|| call["response"]["Plaintext"].as_str().unwrap().to_owned());
            }
        }
        Self { answers, sent: Mutex::new(Vec::new()), matdesc: None }
    }

    pub fn sent_blobs(&self) -> Vec<Value> {
        self.sent.lock().unwrap().iter().map(|s| Value::String(s.clone())).collect()
    }

    fn decrypt(&self, wrapped: &[u8], what: WrappedValue) -> Result<(String, KmsLayout), Error> {
        let (blob, layout) = ciphertext_blob(wrapped, what)?;
        self.sent.lock().unwrap().push(blob.clone());
        let plaintext = self.answers.get(&blob).cloned().ok_or(Error::InvalidKmsBlob { what })?;
        Ok((plaintext, layout))
    }
}

#[async_trait]
impl MasterKey for RecordedKms {
    fn wrap_algorithm(&self) -> WrapAlgorithm {
        WrapAlgorithm::KmsAliCloud
    }
    fn material_description(&self) -> Option<&MaterialDescription> {
        self.matdesc.as_ref()
    }
    async fn wrap(&self, _: &ContentMaterial, _: Format) -> Result<WrappedMaterial, Error> {
        unreachable!("the recorded KMS only decrypts")
    }
    async fn unwrap(&self, envelope: &Envelope) -> Result<ContentMaterial, Error> {
        let (key, key_layout) = self.decrypt(&envelope.wrapped.wrapped_key, WrappedValue::DataKey)?;
        let (start, start_layout) = self.decrypt(&envelope.wrapped.wrapped_start, WrappedValue::Start)?;
        let expected = if envelope.format == Format::V1 { KmsLayout::BlobText } else { KmsLayout::Oss2 };
        assert_eq!((key_layout, start_layout), (expected, expected));
        material_from_kms_plaintexts(&key, &start, envelope.format)
    }
}

#[test]
fn oss2_kms_objects() {
    let vectors = load("v2_kms.json");
    let mut checked = 0;
    for case in cases(&vectors) {
        let name = case["name"].as_str().unwrap();
        let envelope = envelope_of(&case["stored_meta"]);
        assert_eq!(envelope.wrapped.algorithm, WrapAlgorithm::KmsAliCloud, "{name}");
        assert_eq!(envelope.material_description, matdesc_of(&case["mat_desc"]), "{name}");
        assert_reencodes(&envelope, &case["stored_meta"], V2_PREFIX);
        let mut kms = RecordedKms::from_calls(&case["kms_calls_on_get"], &case["kms_calls_on_put"]);
        kms.matdesc = matdesc_of(&case["mat_desc"]);
        let ring = oss_cse_envelope::KeyRing::new(kms);
        let material = unwrap_with(&ring, &envelope);
        assert_eq!(material.key().expose_secret().to_vec(), hex_of(&case["data_key_hex"]), "{name}");
        assert_eq!(material.iv().expose_secret().to_vec(), hex_of(&case["iv_hex"]), "{name}");
        check_content(case, &material);

        // Decrypt carried exactly the blobs oss2 sent, with its context.
        let gets = case["kms_calls_on_get"].as_array().unwrap();
        let recorded: Vec<&str> =
            gets.iter().map(|c| c["params"]["CiphertextBlob"]["value"].as_str().unwrap()).collect();
        let context = gets[0]["params"]["EncryptionContext"]["value"].as_str().unwrap();
        match case["passphrase"].as_str() {
            Some(passphrase) => assert_eq!(context, format!("{{\"x-passphrase\":\"{passphrase}\"}}")),
            None => assert_eq!(context, ""),
        }
        for (blob, what) in recorded.iter().zip([WrappedValue::DataKey, WrappedValue::Start]) {
            let wrapped = if what == WrappedValue::DataKey {
                &envelope.wrapped.wrapped_key
            } else {
                &envelope.wrapped.wrapped_start
            };
            assert_eq!(ciphertext_blob(wrapped, what).unwrap(), ((*blob).to_owned(), KmsLayout::Oss2), "{name}");
        }

        // Writing: our Encrypt plaintext for the IV is what oss2 sent, and
        // the blobs KMS returned become exactly the stored headers.
        let puts = case["kms_calls_on_put"].as_array().unwrap();
        let encrypt = puts.iter().find(|c| c["action"] == "Encrypt").unwrap();
        assert_eq!(
            encrypt["params"]["Plaintext"]["value"].as_str().unwrap(),
            kms_plaintext(&material, WrappedValue::Start, Format::V2).as_str()
        );
        let generate = puts.iter().find(|c| c["action"] == "GenerateDataKey").unwrap();
        assert_eq!(
            generate["response"]["Plaintext"].as_str().unwrap(),
            kms_plaintext(&material, WrappedValue::DataKey, Format::V2).as_str()
        );
        for (call, header) in [(generate, V2_KEY), (encrypt, V2_START)] {
            let blob = call["response"]["CiphertextBlob"].as_str().unwrap();
            let wrapped = wrapped_from_blob(blob, KmsLayout::Oss2, WrappedValue::DataKey).unwrap();
            assert_eq!(STANDARD.encode(wrapped), case["stored_meta"][header].as_str().unwrap(), "{name}");
        }
        checked += 1;
    }
    assert_eq!(checked, 9);
}

#[test]
fn go_java_layout_round_trips() {
    // Go and Java store the blob text itself; our reader sends it back as is.
    let blob =
        "RkFLRUtNUzEPZmFrZS1jbWstQS0wMDAxaDDATBtOWN7XREekU3GbX2eWLAcc1cO7eGPGr0DlG7vRleQ+c2/2KDtZqpo+VmDjEBsHDw==";
    let wrapped = wrapped_from_blob(blob, KmsLayout::BlobText, WrappedValue::Start).unwrap();
    assert_eq!(STANDARD.encode(&wrapped), blob);
    assert_eq!(ciphertext_blob(&wrapped, WrappedValue::Start).unwrap(), (blob.to_owned(), KmsLayout::BlobText));
    assert!(ciphertext_blob(&[], WrappedValue::Start).is_err());
    assert!(wrapped_from_blob("not base64!", KmsLayout::Oss2, WrappedValue::Start).is_err());
    assert!(matches!(
        material_from_kms_plaintexts("!!", "AAAA", Format::V2),
        Err(Error::KmsPlaintextNotBase64 { what: WrappedValue::DataKey })
    ));
}
