//! The emulator's KMS: CMKs created on demand, with the blob format the
//! project's test vectors were made with, so blobs in the vectors decrypt
//! here too.
//!
//! `CiphertextBlob = base64("FAKEKMS1" || len(KeyId) || KeyId || nonce(12) ||
//! AES-256-GCM(k, nonce, plaintext) || tag(16))` with
//! `k = SHA-256("fake-kms-cmk|" || KeyId)` and
//! `nonce = HMAC-SHA256(k, plaintext)[..12]`. Blobs made with an encryption
//! context use the magic `FAKEKMS2` and bind the context as GCM associated
//! data, so `Decrypt` with another context fails, as real KMS does.
//!
//! The RPC front ([`handle_rpc`]) speaks the KMS 2016-01-20 API
//! (`GenerateDataKey`, `Encrypt`, `Decrypt`) with JSON replies, after one of
//! the two signatures Alibaba Cloud accepts checks out: V3
//! (`ACS3-HMAC-SHA256` in `Authorization`, body hashed; [`verify_v3`]) or
//! the older RPC signature (HMAC-SHA1 over the sorted, percent-encoded
//! parameters; [`verify_rpc`]).

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
use aws_lc_rs::{digest, hmac};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

const MAGIC: &[u8] = b"FAKEKMS1";
const MAGIC_WITH_CONTEXT: &[u8] = b"FAKEKMS2";

/// Why a KMS operation failed (the KMS error code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KmsFailure {
    /// `InvalidCiphertext`: not a blob of this KMS.
    InvalidCiphertext,
    /// `InvalidParameter`.
    InvalidParameter(&'static str),
}

fn cmk(key_id: &str) -> LessSafeKey {
    let k = digest::digest(&digest::SHA256, format!("fake-kms-cmk|{key_id}").as_bytes());
    // A 32-byte SHA-256 output is always a valid AES-256 key.
    #[allow(clippy::expect_used)]
    LessSafeKey::new(UnboundKey::new(&AES_256_GCM, k.as_ref()).expect("32-byte key"))
}

/// Encrypts `plaintext` (the text KMS was given) under CMK `key_id`.
pub(crate) fn seal(key_id: &str, plaintext: &[u8]) -> Result<String, KmsFailure> {
    seal_with_context(key_id, plaintext, "")
}

/// [`seal`] bound to an encryption context (canonical text; empty for none).
pub(crate) fn seal_with_context(key_id: &str, plaintext: &[u8], context: &str) -> Result<String, KmsFailure> {
    if key_id.is_empty() || key_id.len() > 255 {
        return Err(KmsFailure::InvalidParameter("KeyId"));
    }
    let k = digest::digest(&digest::SHA256, format!("fake-kms-cmk|{key_id}").as_bytes());
    let mac = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, k.as_ref()), plaintext);
    let mut nonce = [0u8; 12];
    nonce.copy_from_slice(&mac.as_ref()[..12]);
    let mut sealed = plaintext.to_vec();
    cmk(key_id)
        .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(context.as_bytes()), &mut sealed)
        .map_err(|_| KmsFailure::InvalidParameter("Plaintext"))?;
    let mut blob = if context.is_empty() { MAGIC.to_vec() } else { MAGIC_WITH_CONTEXT.to_vec() };
    blob.push(key_id.len() as u8);
    blob.extend_from_slice(key_id.as_bytes());
    blob.extend_from_slice(&nonce);
    blob.extend_from_slice(&sealed);
    Ok(STANDARD.encode(blob))
}

/// Decrypts a blob; returns the key id and the plaintext text.
pub(crate) fn open(blob: &str) -> Result<(String, Vec<u8>), KmsFailure> {
    open_with_context(blob, "")
}

/// Decrypts a blob made with encryption context `context` (canonical text).
/// Blobs in the vectors' format (`FAKEKMS1`) carry no context binding.
pub(crate) fn open_with_context(blob: &str, context: &str) -> Result<(String, Vec<u8>), KmsFailure> {
    let raw = STANDARD.decode(blob.trim()).map_err(|_| KmsFailure::InvalidCiphertext)?;
    let (rest, aad) = match (raw.strip_prefix(MAGIC), raw.strip_prefix(MAGIC_WITH_CONTEXT)) {
        (Some(rest), _) => (rest, ""),
        (None, Some(rest)) => (rest, context),
        (None, None) => return Err(KmsFailure::InvalidCiphertext),
    };
    let (&len, rest) = rest.split_first().ok_or(KmsFailure::InvalidCiphertext)?;
    let len = usize::from(len);
    if rest.len() < len + 12 + 16 {
        return Err(KmsFailure::InvalidCiphertext);
    }
    let key_id = std::str::from_utf8(&rest[..len]).map_err(|_| KmsFailure::InvalidCiphertext)?.to_owned();
    let mut nonce = [0u8; 12];
    nonce.copy_from_slice(&rest[len..len + 12]);
    let mut sealed = rest[len + 12..].to_vec();
    let plaintext = cmk(&key_id)
        .open_in_place(Nonce::assume_unique_for_key(nonce), Aad::from(aad.as_bytes()), &mut sealed)
        .map_err(|_| KmsFailure::InvalidCiphertext)?
        .to_vec();
    Ok((key_id, plaintext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_a_blob_from_the_vectors() {
        // v2_kms.json, case v2_kms_plain_len_1: Encrypt(Plaintext = base64 of the IV).
        let blob =
            "RkFLRUtNUzEPZmFrZS1jbWstQS0wMDAxaDDATBtOWN7XREekU3GbX2eWLAcc1cO7eGPGr0DlG7vRleQ+c2/2KDtZqpo+VmDjEBsHDw==";
        let (key_id, plaintext) = open(blob).unwrap();
        assert_eq!(key_id, "fake-cmk-A-0001");
        assert_eq!(plaintext, b"m1ppv+cUc0EAAAAAbp6fZQ==");
        assert_eq!(seal(&key_id, &plaintext).unwrap(), blob);
        assert_eq!(open("AAAA"), Err(KmsFailure::InvalidCiphertext));
        assert_eq!(open(&blob.replace('R', "S")), Err(KmsFailure::InvalidCiphertext));
    }

    #[test]
    fn context_is_bound() {
        let context = canonical_context(r#"{"b":"2","a":"1"}"#);
        assert_eq!(context, r#"{"a":"1","b":"2"}"#);
        let blob = seal_with_context("k", b"secret", &context).unwrap();
        assert_eq!(open_with_context(&blob, &context).unwrap().1, b"secret");
        assert!(open_with_context(&blob, "").is_err());
        assert!(open_with_context(&blob, r#"{"a":"1"}"#).is_err());
        // oss2's passphrase context is not escaped JSON in general; kept raw.
        assert_eq!(canonical_context("{\"x-passphrase\":\"p\"}"), "{\"x-passphrase\":\"p\"}");
        assert_eq!(canonical_context(" "), "");
    }
}

/// Canonical text of an EncryptionContext parameter: its JSON object with
/// keys sorted, or the raw text when it is not a JSON object (oss2 builds it
/// by string concatenation). Empty for none.
pub(crate) fn canonical_context(raw: &str) -> String {
    let raw = raw.trim();
    if raw.is_empty() {
        return String::new();
    }
    match serde_json::from_str::<std::collections::BTreeMap<String, serde_json::Value>>(raw) {
        Ok(map) if map.is_empty() => String::new(),
        Ok(map) => serde_json::to_string(&map).unwrap_or_else(|_| raw.to_owned()),
        Err(_) => raw.to_owned(),
    }
}

/// KMS behaviour tests can switch: keys that do not exist, callers without permission.
#[derive(Debug, Default)]
pub struct KmsPolicy {
    missing_keys: std::sync::Mutex<Vec<String>>,
    denied: std::sync::Mutex<Vec<String>>,
}

impl KmsPolicy {
    /// Makes `key_id` unknown: requests naming it get `Forbidden.KeyNotFound`.
    pub fn remove_key(&self, key_id: &str) {
        if let Ok(mut keys) = self.missing_keys.lock() {
            keys.push(key_id.to_owned());
        }
    }

    /// Refuses every KMS request signed by `access_key_id` with `Forbidden.NoPermission`.
    pub fn deny(&self, access_key_id: &str) {
        if let Ok(mut denied) = self.denied.lock() {
            denied.push(access_key_id.to_owned());
        }
    }

    pub(crate) fn key_missing(&self, key_id: &str) -> bool {
        self.missing_keys.lock().is_ok_and(|k| k.iter().any(|m| m == key_id))
    }

    fn is_denied(&self, access_key_id: &str) -> bool {
        self.denied.lock().is_ok_and(|d| d.iter().any(|m| m == access_key_id))
    }
}

/// A KMS error reply: HTTP status, code, message.
pub(crate) type RpcError = (u16, &'static str, String);

/// RFC 3986 encoding as the Alibaba Cloud RPC signature wants it.
fn rpc_encode(text: &str) -> String {
    oss_cse_auth::verify::encode(text, false)
}

fn missing(name: &str) -> RpcError {
    (400, "MissingParameter", format!("The parameter {name} is required."))
}

fn unknown_key() -> RpcError {
    (404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.".to_owned())
}

fn mismatch() -> RpcError {
    (400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.".to_owned())
}

/// Checks the RPC signature of a call whose parameters (query and form
/// merged) carry it; returns the caller's AccessKey id.
pub(crate) fn verify_rpc(
    method: &str,
    params: &[(String, String)],
    secret_of: impl Fn(&str) -> Option<String>,
) -> Result<String, RpcError> {
    let get = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let access_key_id = get("AccessKeyId").ok_or_else(|| missing("AccessKeyId"))?;
    let signature = get("Signature").ok_or_else(|| missing("Signature"))?;
    let secret = secret_of(access_key_id).ok_or_else(unknown_key)?;
    let mut sorted: Vec<(String, String)> =
        params.iter().filter(|(k, _)| k != "Signature").map(|(k, v)| (rpc_encode(k), rpc_encode(v))).collect();
    sorted.sort();
    let canonical = sorted.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    let to_sign = format!("{method}&%2F&{}", rpc_encode(&canonical));
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, format!("{secret}&").as_bytes());
    let expected = STANDARD.encode(hmac::sign(&key, to_sign.as_bytes()).as_ref());
    if aws_lc_rs::constant_time::verify_slices_are_equal(expected.as_bytes(), signature.as_bytes()).is_err() {
        return Err(mismatch());
    }
    Ok(access_key_id.to_owned())
}

/// Headers a V3 signature must cover.
const V3_REQUIRED: [&str; 6] =
    ["host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"];

/// A request as the V3 check sees it.
pub(crate) struct V3Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    /// Decoded query parameters.
    pub query: &'a [(String, String)],
    /// Lower-case header names.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

/// Checks an `ACS3-HMAC-SHA256` `Authorization`: the signed headers cover
/// [`V3_REQUIRED`], the body hashes to `x-acs-content-sha256`, and the
/// signature over the canonical request is right. Returns the AccessKey id.
pub(crate) fn verify_v3(
    request: &V3Request<'_>,
    secret_of: impl Fn(&str) -> Option<String>,
) -> Result<String, RpcError> {
    let header = |name: &str| request.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let malformed = || (400, "InvalidAuthorization", "The Authorization header is malformed.".to_owned());
    let fields = header("authorization").and_then(|a| a.strip_prefix("ACS3-HMAC-SHA256 ")).ok_or_else(malformed)?;
    let field =
        |name: &str| fields.split(',').find_map(|f| f.trim().strip_prefix(name).and_then(|v| v.strip_prefix('=')));
    let (Some(access_key_id), Some(signed), Some(signature)) =
        (field("Credential"), field("SignedHeaders"), field("Signature"))
    else {
        return Err(malformed());
    };
    let signed: Vec<&str> = signed.split(';').collect();
    if let Some(absent) = V3_REQUIRED.iter().find(|name| !signed.contains(name) || header(name).is_none()) {
        return Err(missing(absent));
    }
    let body_hash = hex::encode(digest::digest(&digest::SHA256, request.body));
    if header("x-acs-content-sha256") != Some(body_hash.as_str()) {
        return Err((400, "ContentSHA256NotMatched", "The x-acs-content-sha256 does not match the body.".to_owned()));
    }
    let secret = secret_of(access_key_id).ok_or_else(unknown_key)?;
    let mut query: Vec<(String, String)> = request.query.iter().map(|(k, v)| (rpc_encode(k), rpc_encode(v))).collect();
    query.sort();
    let query = query.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    let mut names = signed.clone();
    names.sort_unstable();
    let headers: String = names.iter().map(|n| format!("{n}:{}\n", header(n).unwrap_or("").trim())).collect();
    let canonical =
        format!("{}\n{}\n{query}\n{headers}\n{}\n{body_hash}", request.method, request.path, names.join(";"));
    let to_sign = format!("ACS3-HMAC-SHA256\n{}", hex::encode(digest::digest(&digest::SHA256, canonical.as_bytes())));
    let expected = hex::encode(hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes()), to_sign.as_bytes()));
    if aws_lc_rs::constant_time::verify_slices_are_equal(expected.as_bytes(), signature.as_bytes()).is_err() {
        return Err(mismatch());
    }
    Ok(access_key_id.to_owned())
}

/// Handles one KMS call signed by `access_key_id`, with its parameters
/// (query, form, and for V3 `Action`/`Version` from the headers).
pub(crate) fn handle_rpc(
    access_key_id: &str,
    params: &[(String, String)],
    policy: &KmsPolicy,
    request_id: &str,
) -> Result<serde_json::Value, RpcError> {
    let get = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    if get("Version") != Some("2016-01-20") {
        return Err((400, "InvalidParameter", "Version must be 2016-01-20.".to_owned()));
    }
    if policy.is_denied(access_key_id) {
        return Err((403, "Forbidden.NoPermission", "This operation is forbidden by permission system.".to_owned()));
    }
    let context = canonical_context(get("EncryptionContext").unwrap_or(""));
    let key_exists = |key_id: &str| {
        if policy.key_missing(key_id) {
            Err((404, "Forbidden.KeyNotFound", format!("The specified Key {key_id} is not found.")))
        } else {
            Ok(())
        }
    };
    let invalid = |what: &str| (400, "InvalidParameter", format!("The parameter {what} is invalid."));
    match get("Action") {
        Some("GenerateDataKey") => {
            let key_id = get("KeyId").ok_or_else(|| missing("KeyId"))?;
            key_exists(key_id)?;
            let bytes = match (get("NumberOfBytes"), get("KeySpec")) {
                (Some(n), _) => n
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=1024).contains(n))
                    .ok_or_else(|| invalid("NumberOfBytes"))?,
                (None, Some("AES_128")) => 16,
                (None, Some("AES_256") | None) => 32,
                (None, Some(_)) => return Err(invalid("KeySpec")),
            };
            let data_key: Vec<u8> = (0..bytes).map(|_| rand::random::<u8>()).collect();
            let plaintext = STANDARD.encode(&data_key);
            let blob = seal_with_context(key_id, plaintext.as_bytes(), &context).map_err(|_| invalid("KeyId"))?;
            Ok(
                serde_json::json!({"KeyId": key_id, "KeyVersionId": "emulator-version", "Plaintext": plaintext, "CiphertextBlob": blob, "RequestId": request_id}),
            )
        }
        Some("Encrypt") => {
            let key_id = get("KeyId").ok_or_else(|| missing("KeyId"))?;
            key_exists(key_id)?;
            let plaintext = get("Plaintext").ok_or_else(|| missing("Plaintext"))?;
            if plaintext.len() > 6144 {
                return Err(invalid("Plaintext"));
            }
            let blob = seal_with_context(key_id, plaintext.as_bytes(), &context).map_err(|_| invalid("KeyId"))?;
            Ok(
                serde_json::json!({"KeyId": key_id, "KeyVersionId": "emulator-version", "CiphertextBlob": blob, "RequestId": request_id}),
            )
        }
        Some("Decrypt") => {
            let blob = get("CiphertextBlob").ok_or_else(|| missing("CiphertextBlob"))?;
            let (key_id, plaintext) = open_with_context(blob, &context).map_err(|_| invalid("CiphertextBlob"))?;
            key_exists(&key_id)?;
            let plaintext = String::from_utf8(plaintext).map_err(|_| invalid("CiphertextBlob"))?;
            Ok(
                serde_json::json!({"KeyId": key_id, "KeyVersionId": "emulator-version", "Plaintext": plaintext, "RequestId": request_id}),
            )
        }
        _ => Err((
            400,
            "InvalidAction.NotFound",
            "Specified api is not found, please check your url and method.".to_owned(),
        )),
    }
}
