//! OSS signature V1 (HMAC-SHA1): the `OSS ak:sig` header and the
//! `OSSAccessKeyId`/`Expires`/`Signature` presigned URL.

use aws_lc_rs::hmac;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::{AuthFailure, SUBRESOURCES, Signed, Verified, same};

impl Signed<'_> {
    /// Whether this is a V1 presigned URL (`OSSAccessKeyId`, `Expires` and
    /// `Signature` in the query, no Authorization header).
    pub(super) fn is_presigned_v1(&self) -> bool {
        ["OSSAccessKeyId", "Expires", "Signature"].iter().all(|p| self.query(p).is_some())
    }

    pub(super) fn verify_v1_url(
        &self,
        secret_of: impl Fn(&str) -> Option<String>,
        now: jiff::Timestamp,
    ) -> Result<Verified, AuthFailure> {
        let id = self.query("OSSAccessKeyId").unwrap_or_default();
        let expires = self.query("Expires").unwrap_or_default();
        let secret = secret_of(id).ok_or(AuthFailure::UnknownKey)?;
        let expected = sign_v1(&secret, &self.v1_string(expires));
        if !same(&expected, self.query("Signature").unwrap_or_default()) {
            return Err(AuthFailure::Mismatch);
        }
        match expires.parse::<i64>() {
            Ok(expires) if now.as_second() <= expires => Ok(Verified::presigned(id)),
            _ => Err(AuthFailure::Expired),
        }
    }

    /// `fields` is what follows `OSS ` in the Authorization header.
    pub(super) fn verify_v1_header(
        &self,
        fields: &str,
        secret_of: impl Fn(&str) -> Option<String>,
    ) -> Result<Verified, AuthFailure> {
        let (id, signature) = fields.rsplit_once(':').ok_or(AuthFailure::Missing)?;
        let secret = secret_of(id).ok_or(AuthFailure::UnknownKey)?;
        let date = match self.header("x-oss-date") {
            "" => self.header("date"),
            d => d,
        };
        let expected = sign_v1(&secret, &self.v1_string(date));
        same(&expected, signature).then(|| Verified::header(id)).ok_or(AuthFailure::Mismatch)
    }

    /// The V1 string to sign with `date` in its date line (a presigned URL
    /// puts its `Expires` there).
    fn v1_string(&self, date: &str) -> String {
        let mut oss: Vec<(&str, &str)> =
            self.headers.iter().filter(|(k, _)| k.starts_with("x-oss-")).map(|(k, v)| (k.as_str(), v.trim())).collect();
        oss.sort();
        let mut text =
            format!("{}\n{}\n{}\n{date}\n", self.method, self.header("content-md5"), self.header("content-type"));
        for (k, v) in oss {
            text.push_str(&format!("{k}:{v}\n"));
        }
        text.push_str(&self.resource_path());
        let mut sub: Vec<&(String, Option<String>)> =
            self.query.iter().filter(|(k, _)| SUBRESOURCES.split_whitespace().any(|s| s == k)).collect();
        sub.sort_by(|a, b| a.0.cmp(&b.0));
        let sub: Vec<String> = sub
            .iter()
            .map(|(k, v)| match v.as_deref() {
                Some(v) if !v.is_empty() => format!("{k}={v}"),
                _ => k.clone(),
            })
            .collect();
        if !sub.is_empty() {
            text.push('?');
            text.push_str(&sub.join("&"));
        }
        text
    }
}

fn sign_v1(secret: &str, text: &str) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, secret.as_bytes());
    STANDARD.encode(hmac::sign(&key, text.as_bytes()).as_ref())
}
