//! Every metadata header name the OSS client-side encryption formats use, in
//! one place (lower case, as OSS returns user metadata).

/// Prefix of every format V2 envelope header.
pub const V2_PREFIX: &str = "x-oss-meta-client-side-encryption-";
/// Prefix of the format V1 headers that hold wrapped values and matdesc.
pub const V1_PREFIX: &str = "x-oss-meta-oss-crypto-";
/// V2: base64 of the wrapped data key.
pub const V2_KEY: &str = "x-oss-meta-client-side-encryption-key";
/// V2: base64 of the wrapped IV.
pub const V2_START: &str = "x-oss-meta-client-side-encryption-start";
/// V2: content cipher label, always `AES/CTR/NoPadding`.
pub const V2_CEK_ALG: &str = "x-oss-meta-client-side-encryption-cek-alg";
/// V2: key wrap algorithm label.
pub const V2_WRAP_ALG: &str = "x-oss-meta-client-side-encryption-wrap-alg";
/// V2: material description (JSON object of strings).
pub const V2_MATDESC: &str = "x-oss-meta-client-side-encryption-matdesc";
/// V2: plaintext length, when the writer knew it.
pub const V2_UNENCRYPTED_CONTENT_LENGTH: &str = "x-oss-meta-client-side-encryption-unencrypted-content-length";
/// V2: the caller's Content-MD5 of the plaintext, verbatim.
pub const V2_UNENCRYPTED_CONTENT_MD5: &str = "x-oss-meta-client-side-encryption-unencrypted-content-md5";
/// V2 multipart: total plaintext size.
pub const V2_DATA_SIZE: &str = "x-oss-meta-client-side-encryption-data-size";
/// V2 multipart: part size.
pub const V2_PART_SIZE: &str = "x-oss-meta-client-side-encryption-part-size";

/// V1: wrapped data key (RSA: base64 of OAEP ciphertext; KMS: the blob as is).
pub const V1_KEY: &str = "x-oss-meta-oss-crypto-key";
/// V1: wrapped start counter (decimal text, wrapped like the key).
pub const V1_START: &str = "x-oss-meta-oss-crypto-start";
/// V1: content cipher label (`AES/GCM/NoPadding`, though the content is CTR).
pub const V1_CEK_ALG: &str = "x-oss-meta-oss-cek-alg";
/// V1: key wrap label, `rsa` or `kms`.
pub const V1_WRAP_ALG: &str = "x-oss-meta-oss-wrap-alg";
/// V1: material description; never written by the V1 SDKs but read by oss2.
pub const V1_MATDESC: &str = "x-oss-meta-oss-crypto-matdesc";
/// V1: plaintext length, when the writer knew it.
pub const V1_UNENCRYPTED_CONTENT_LENGTH: &str = "x-oss-meta-unencrypted-content-length";
/// V1: the caller's Content-MD5 of the plaintext.
pub const V1_UNENCRYPTED_CONTENT_MD5: &str = "x-oss-meta-unencrypted-content-md5";

/// oss-cse extension: the authentication tag (see `auth`). Not in the V2
/// namespace, which OSS validates; the official SDKs ignore it.
pub const AUTH_TAG: &str = "x-oss-meta-oss-cse-tag";
/// oss-cse extension: a writer's signature over the tag.
pub const AUTH_SIG: &str = "x-oss-meta-oss-cse-sig";

/// Content cipher label of format V2.
pub const CEK_AES_CTR: &str = "AES/CTR/NoPadding";
/// Content cipher label of format V1 (the content is CTR regardless).
pub const CEK_V1_GCM_LABEL: &str = "AES/GCM/NoPadding";
/// Wrap label: RSA PKCS#1 v1.5.
pub const WRAP_RSA_PKCS1: &str = "RSA/NONE/PKCS1Padding";
/// Wrap label: RSA OAEP with SHA-1 (oss2 `LocalRsaProvider`).
pub const WRAP_RSA_OAEP_SHA1: &str = "RSA/NONE/OAEPWithSHA-1AndMGF1Padding";
/// Wrap label: Alibaba Cloud KMS.
pub const WRAP_KMS: &str = "KMS/ALICLOUD";
/// V1 wrap label for RSA (OAEP with SHA-1).
pub const WRAP_V1_RSA: &str = "rsa";
/// V1 wrap label for KMS.
pub const WRAP_V1_KMS: &str = "kms";

/// Longest envelope header value accepted on read. Wrapped values of an
/// RSA-8192 key are 1,368 base64 characters and KMS blobs a few hundred; the
/// limit stops a hostile server from making us decode megabytes.
pub const MAX_HEADER_VALUE_LEN: usize = 16 * 1024;

/// Every envelope header name of both formats: what the decoder reads and
/// what a metadata update must carry over untouched.
pub const ENVELOPE_HEADERS: &[&str] = &[
    V2_KEY,
    V2_START,
    V2_CEK_ALG,
    V2_WRAP_ALG,
    V2_MATDESC,
    V2_UNENCRYPTED_CONTENT_LENGTH,
    V2_UNENCRYPTED_CONTENT_MD5,
    V2_DATA_SIZE,
    V2_PART_SIZE,
    V1_KEY,
    V1_START,
    V1_CEK_ALG,
    V1_WRAP_ALG,
    V1_MATDESC,
    V1_UNENCRYPTED_CONTENT_LENGTH,
    V1_UNENCRYPTED_CONTENT_MD5,
    AUTH_TAG,
    AUTH_SIG,
];

/// Whether a header (any case) belongs to an envelope: one of
/// [`ENVELOPE_HEADERS`], or any other header under [`V2_PREFIX`] (OSS
/// protects the whole V2 namespace, e.g. `-magic-number-hmac`) or
/// [`V1_PREFIX`].
pub fn is_envelope_header(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with(V2_PREFIX) || lower.starts_with(V1_PREFIX) || ENVELOPE_HEADERS.contains(&lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_envelope_header_of_both_formats_is_known() {
        for name in ENVELOPE_HEADERS {
            assert!(is_envelope_header(name) && is_envelope_header(&name.to_ascii_uppercase()), "{name}");
        }
        assert!(is_envelope_header("x-oss-meta-client-side-encryption-magic-number-hmac"));
        assert!(is_envelope_header("X-Oss-Meta-Unencrypted-Content-Length"));
        assert!(!is_envelope_header("x-oss-meta-unencrypted"));
        assert!(!is_envelope_header("x-oss-meta-tag"));
    }
}
