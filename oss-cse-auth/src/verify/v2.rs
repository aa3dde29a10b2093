//! OSS signature V2 (HMAC-SHA256 over every query parameter): the
//! `OSS2 AccessKeyId:…,Signature:…` header and the `x-oss-signature-version=OSS2`
//! presigned URL.

use aws_lc_rs::hmac;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::{AuthFailure, Signed, Verified, auth_fields, encode, same};

impl Signed<'_> {
    /// `fields` is what follows `OSS2 ` in the Authorization header:
    /// `AccessKeyId:ak[,AdditionalHeaders:a;b],Signature:sig`.
    pub(super) fn verify_v2_header(
        &self,
        fields: &str,
        secret_of: impl Fn(&str) -> Option<String>,
    ) -> Result<Verified, AuthFailure> {
        let [id, additional, signature] = auth_fields(fields, ':', ["AccessKeyId", "AdditionalHeaders", "Signature"])?;
        let (id, signature) = id.zip(signature).ok_or(AuthFailure::Missing)?;
        let additional = additional.unwrap_or("");
        let secret = secret_of(id).ok_or(AuthFailure::UnknownKey)?;
        let expected = sign_v2(&secret, &self.v2_string(self.header("date"), additional));
        same(&expected, signature).then(|| Verified::header(id)).ok_or(AuthFailure::Mismatch)
    }

    pub(super) fn verify_v2_url(
        &self,
        secret_of: impl Fn(&str) -> Option<String>,
        now: jiff::Timestamp,
    ) -> Result<Verified, AuthFailure> {
        let id = self.query("x-oss-access-key-id").ok_or(AuthFailure::Missing)?;
        let expires = self.query("x-oss-expires").ok_or(AuthFailure::Missing)?;
        let signature = self.query("x-oss-signature").ok_or(AuthFailure::Missing)?;
        let secret = secret_of(id).ok_or(AuthFailure::UnknownKey)?;
        let additional = self.query("x-oss-additional-headers").unwrap_or("");
        if !same(&sign_v2(&secret, &self.v2_string(expires, additional)), signature) {
            return Err(AuthFailure::Mismatch);
        }
        match expires.parse::<i64>() {
            Ok(expires) if now.as_second() <= expires => Ok(Verified::presigned(id)),
            _ => Err(AuthFailure::Expired),
        }
    }

    fn v2_string(&self, date: &str, additional: &str) -> String {
        let mut additional: Vec<String> =
            additional.split(';').filter(|h| !h.is_empty()).map(str::to_ascii_lowercase).collect();
        additional.sort();
        let mut signed: Vec<(&str, &str)> = self
            .headers
            .iter()
            .filter(|(k, _)| k.starts_with("x-oss-") || additional.contains(k))
            .map(|(k, v)| (k.as_str(), v.trim()))
            .collect();
        signed.sort();
        let mut text =
            format!("{}\n{}\n{}\n{date}\n", self.method, self.header("content-md5"), self.header("content-type"));
        for (k, v) in signed {
            text.push_str(&format!("{k}:{v}\n"));
        }
        text.push_str(&additional.join(";"));
        text.push('\n');
        // The resource is encoded whole, '/' included, then every query
        // parameter but the signature itself, sorted.
        text.push_str(&encode(&self.resource_path(), false));
        let query = self.signed_query();
        if !query.is_empty() {
            text.push('?');
            text.push_str(&query);
        }
        text
    }
}

fn sign_v2(secret: &str, text: &str) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes());
    STANDARD.encode(hmac::sign(&key, text.as_bytes()).as_ref())
}
