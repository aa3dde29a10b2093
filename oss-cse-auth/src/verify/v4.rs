//! OSS signature V4 (`OSS4-HMAC-SHA256`, scoped to a date and region): the
//! Authorization header and the `x-oss-signature-version` presigned URL.

use aws_lc_rs::{digest, hmac};

use super::{AuthFailure, Signed, Verified, auth_fields, encode, same};

/// The longest a V4 presigned URL may live, in seconds (7 days).
const MAX_URL_LIFETIME: i64 = 604_800;

impl Signed<'_> {
    /// `fields` is what follows `OSS4-HMAC-SHA256 ` in the Authorization
    /// header: `Credential=ak/date/region/oss/aliyun_v4_request,
    /// [AdditionalHeaders=a;b,] Signature=hex`.
    pub(super) fn verify_v4_header(
        &self,
        fields: &str,
        secret_of: impl Fn(&str) -> Option<String>,
        region: Option<&str>,
    ) -> Result<Verified, AuthFailure> {
        let [credential, additional, signature] =
            auth_fields(fields, '=', ["Credential", "AdditionalHeaders", "Signature"])?;
        let (credential, signature) = credential.zip(signature).ok_or(AuthFailure::Missing)?;
        let additional = additional.unwrap_or("");
        // Without x-oss-date, the Go SDK v1 puts its Date header's text,
        // verbatim, on the timestamp line of the string to sign, and OSS
        // accepts it; the scope's day is that header's date.
        let (timestamp, day) = match self.header("x-oss-date") {
            "" => {
                let date = self.header("date");
                let iso = super::iso8601(date).ok_or(AuthFailure::Missing)?;
                (date, iso.get(..8).unwrap_or_default().to_owned())
            }
            given => (given, given.get(..8).unwrap_or_default().to_owned()),
        };
        let payload = self.header("x-oss-content-sha256");
        let id = self.check_v4(credential, additional, (timestamp, &day), payload, signature, secret_of, region)?;
        Ok(Verified::header(id))
    }

    /// A V4 presigned URL: `x-oss-credential`, `x-oss-date`, `x-oss-expires`,
    /// `x-oss-signature` (and `x-oss-additional-headers`) in the query.
    pub(super) fn verify_v4_url(
        &self,
        secret_of: impl Fn(&str) -> Option<String>,
        region: Option<&str>,
        now: jiff::Timestamp,
    ) -> Result<Verified, AuthFailure> {
        let field = |name| self.query(name).ok_or(AuthFailure::Missing);
        let (credential, datetime, signature) =
            (field("x-oss-credential")?, field("x-oss-date")?, field("x-oss-signature")?);
        let additional = self.query("x-oss-additional-headers").unwrap_or("");
        let day = datetime.get(..8).unwrap_or_default();
        let id =
            self.check_v4(credential, additional, (datetime, day), "UNSIGNED-PAYLOAD", signature, secret_of, region)?;
        let signed_at = super::parse_time(datetime).ok_or(AuthFailure::Missing)?;
        match field("x-oss-expires")?.parse::<i64>() {
            Ok(lifetime) if (1..=MAX_URL_LIFETIME).contains(&lifetime) => {
                if now.as_second() <= signed_at.as_second() + lifetime {
                    Ok(Verified::presigned(id))
                } else {
                    Err(AuthFailure::Expired)
                }
            }
            _ => Err(AuthFailure::Missing),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn check_v4<'c>(
        &self,
        credential: &'c str,
        additional: &str,
        (timestamp, day): (&str, &str),
        payload: &str,
        signature: &str,
        secret_of: impl Fn(&str) -> Option<String>,
        region: Option<&str>,
    ) -> Result<&'c str, AuthFailure> {
        let parts: Vec<&str> = credential.split('/').collect();
        let [id, date, scope_region, product, "aliyun_v4_request"] = parts[..] else {
            return Err(AuthFailure::BadCredential);
        };
        if scope_region.is_empty() {
            return Err(AuthFailure::EmptyRegion);
        }
        if region.is_some_and(|r| r != scope_region) {
            return Err(AuthFailure::WrongRegion);
        }
        let secret = secret_of(id).ok_or(AuthFailure::UnknownKey)?;
        if day != date {
            return Err(AuthFailure::BadCredential);
        }
        let additional: Vec<String> =
            additional.split(';').filter(|h| !h.is_empty()).map(str::to_ascii_lowercase).collect();
        let canonical = self.v4_canonical(&additional, payload);
        let hashed = hex::encode(digest::digest(&digest::SHA256, canonical.as_bytes()));
        let scope = format!("{date}/{scope_region}/{product}/aliyun_v4_request");
        let to_sign = format!("OSS4-HMAC-SHA256\n{timestamp}\n{scope}\n{hashed}");
        let mut key = format!("aliyun_v4{secret}").into_bytes();
        for part in [date, scope_region, product, "aliyun_v4_request"] {
            key = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &key), part.as_bytes()).as_ref().to_vec();
        }
        let expected = hex::encode(hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &key), to_sign.as_bytes()));
        same(&expected, signature).then_some(id).ok_or(AuthFailure::Mismatch)
    }

    fn v4_canonical(&self, additional: &[String], payload: &str) -> String {
        let (path, query) = (self.resource_path(), self.signed_query());
        let mut headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .filter(|(k, _)| {
                k.starts_with("x-oss-") || k == "content-type" || k == "content-md5" || additional.contains(k)
            })
            .map(|(k, v)| (k.as_str(), v.trim()))
            .collect();
        headers.sort();
        let headers: String = headers.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
        let mut additional = additional.to_vec();
        additional.sort();
        format!("{}\n{}\n{}\n{headers}\n{}\n{payload}", self.method, encode(&path, true), query, additional.join(";"),)
    }
}
