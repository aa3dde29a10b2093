//! Stand-ins for STS (`AssumeRole`, `AssumeRoleWithOIDC`) and the ECS
//! instance metadata service, issuing temporary credentials that the OSS and
//! KMS fronts then accept only with their security token and only until they
//! expire, as the real services do. Real STS issues at least 900 seconds;
//! [`EmulatorConfig::sts_lifetime`](crate::EmulatorConfig::sts_lifetime)
//! makes them short so a test can outlive one.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use crate::kms::RpcError;

/// One issued credential.
#[derive(Debug, Clone)]
struct Issued {
    secret: String,
    token: String,
    expires: jiff::Timestamp,
}

/// The temporary credentials the emulator has issued, and what it accepts
/// to issue them.
#[derive(Debug)]
pub(crate) struct Sts {
    /// Lifetime of what is issued, whatever DurationSeconds asks; `None`
    /// issues what is asked, as STS does.
    lifetime: Option<Duration>,
    issued: Mutex<HashMap<String, Issued>>,
    oidc_token: String,
    ecs_role: String,
    imds_tokens: Mutex<HashMap<String, jiff::Timestamp>>,
}

/// How long an expired credential is still known (and refused as expired).
const EXPIRED_KEPT: jiff::SignedDuration = jiff::SignedDuration::from_hours(1);

fn random_text(prefix: &str) -> String {
    format!("{prefix}{:032x}", rand::random::<u128>())
}

/// What an OSS or KMS request signed by issued credentials is refused with.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TokenFailure {
    /// No token sent, or another one than was issued with the AccessKey id.
    Invalid,
    /// The credentials have expired.
    Expired,
    /// A token sent with a permanent AccessKey id.
    NotTemporary,
}

impl Sts {
    pub(crate) fn new(lifetime: Option<Duration>, oidc_token: String, ecs_role: String) -> Self {
        Self { lifetime, issued: Mutex::default(), oidc_token, ecs_role, imds_tokens: Mutex::default() }
    }

    pub(crate) fn oidc_token(&self) -> &str {
        &self.oidc_token
    }

    pub(crate) fn ecs_role(&self) -> &str {
        &self.ecs_role
    }

    /// How many issued credentials are still known (see `EXPIRED_KEPT`).
    pub(crate) fn issued_count(&self) -> usize {
        self.issued.lock().map_or(0, |issued| issued.len())
    }

    /// The secret of an issued AccessKey id (expired or not: expiry is
    /// judged after the signature).
    pub(crate) fn secret_of(&self, id: &str) -> Option<String> {
        self.issued.lock().ok()?.get(id).map(|issued| issued.secret.clone())
    }

    /// Ends every credential issued so far, now: a token revoked early, or
    /// a client whose clock runs behind STS's, so that it still holds
    /// credentials it believes valid.
    pub(crate) fn expire_all(&self, now: jiff::Timestamp) {
        if let Ok(mut all) = self.issued.lock() {
            for issued in all.values_mut() {
                issued.expires = issued.expires.min(now);
            }
        }
    }

    /// Whether a request signed by `id` may go on, given the token it sent.
    pub(crate) fn check(&self, id: &str, token: Option<&str>, now: jiff::Timestamp) -> Result<(), TokenFailure> {
        let Some(issued) = self.issued.lock().ok().and_then(|issued| issued.get(id).cloned()) else {
            return if token.is_some_and(|t| !t.is_empty()) { Err(TokenFailure::NotTemporary) } else { Ok(()) };
        };
        if token != Some(issued.token.as_str()) {
            return Err(TokenFailure::Invalid);
        }
        if now >= issued.expires {
            return Err(TokenFailure::Expired);
        }
        Ok(())
    }

    fn issue(&self, asked: Duration, now: jiff::Timestamp) -> serde_json::Value {
        let lifetime = self.lifetime.unwrap_or(asked);
        let expires = now + jiff::SignedDuration::try_from(lifetime).unwrap_or(jiff::SignedDuration::from_hours(1));
        let id = format!("STS.{}", random_text("EMU"));
        let issued = Issued { secret: random_text(""), token: random_text("EMUSTSTOKEN"), expires };
        let value = serde_json::json!({
            "AccessKeyId": id,
            "AccessKeySecret": issued.secret,
            "SecurityToken": issued.token,
            // STS gives seconds: a fraction would round a short lifetime up.
            "Expiration": jiff::Timestamp::from_second(expires.as_second()).unwrap_or(expires).strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        });
        if let Ok(mut all) = self.issued.lock() {
            // Issued credentials are forgotten an hour after they expire (a
            // request signed with them is told they expired until then), so
            // a long-running emulator's table does not only grow.
            all.retain(|_, old| now < old.expires + EXPIRED_KEPT);
            all.insert(id, issued);
        }
        value
    }

    /// An STS RPC call (Version 2015-04-01); `caller` is the verified signer
    /// (none for AssumeRoleWithOIDC, which is not signed).
    pub(crate) fn handle(
        &self,
        params: &[(String, String)],
        caller: Option<&str>,
        request_id: &str,
    ) -> Result<serde_json::Value, RpcError> {
        let get = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        let missing = |name: &str| {
            (
                400,
                "MissingParameter",
                format!(
                    "The input parameter \"{name}\" that is mandatory for processing this request is not supplied."
                ),
            )
        };
        let role_arn = get("RoleArn").ok_or_else(|| missing("RoleArn"))?;
        if !is_arn(role_arn, "role/") {
            return Err((400, "InvalidParameter.RoleArn", "The parameter RoleArn is wrongly formed.".into()));
        }
        let session = get("RoleSessionName").ok_or_else(|| missing("RoleSessionName"))?;
        let session_ok = (2..=64).contains(&session.len())
            && session.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.@=,".contains(&b));
        if !session_ok {
            return Err((
                400,
                "InvalidParameter.RoleSessionName",
                "The parameter RoleSessionName is wrongly formed.".into(),
            ));
        }
        let seconds = match get("DurationSeconds") {
            Some(text) => text.parse::<u64>().ok().filter(|s| (900..=43_200).contains(s)).ok_or_else(|| {
                (
                    400,
                    "InvalidParameter.DurationSeconds",
                    "The Min/Max value of DurationSeconds is 15min/12hr.".to_owned(),
                )
            })?,
            None => 3600,
        };
        match get("Action") {
            Some("AssumeRole") if caller.is_some() => {}
            Some("AssumeRole") => return Err(missing("AccessKeyId")),
            Some("AssumeRoleWithOIDC") => {
                let provider = get("OIDCProviderArn").ok_or_else(|| missing("OIDCProviderArn"))?;
                if !is_arn(provider, "oidc-provider/") {
                    return Err((
                        400,
                        "InvalidParameter.OIDCProviderArn",
                        "The parameter OIDCProviderArn is wrongly formed.".into(),
                    ));
                }
                let token = get("OIDCToken").ok_or_else(|| missing("OIDCToken"))?;
                if aws_lc_rs::constant_time::verify_slices_are_equal(token.as_bytes(), self.oidc_token.as_bytes())
                    .is_err()
                {
                    return Err((400, "AuthenticationFail.OIDCToken.Invalid", "The OIDCToken is invalid.".into()));
                }
            }
            Some(action) => {
                return Err((400, "InvalidAction.NotFound", format!("Specified api {action} is not found.")));
            }
            None => return Err(missing("Action")),
        }
        let credentials = self.issue(Duration::from_secs(seconds), jiff::Timestamp::now());
        Ok(serde_json::json!({
            "RequestId": request_id,
            "Credentials": credentials,
            "AssumedRoleUser": { "Arn": format!("{role_arn}/{session}"), "AssumedRoleId": "3000:emulator" },
        }))
    }

    /// IMDSv2: a session token for `ttl` seconds (1 to 21600).
    pub(crate) fn imds_token(&self, ttl: Option<&str>) -> Option<String> {
        let ttl = ttl?.trim().parse::<i64>().ok().filter(|t| (1..=21_600).contains(t))?;
        let token = random_text("EMUIMDS");
        let now = jiff::Timestamp::now();
        let expires = now + jiff::SignedDuration::from_secs(ttl);
        let mut tokens = self.imds_tokens.lock().ok()?;
        tokens.retain(|_, old| now < *old);
        tokens.insert(token.clone(), expires);
        Some(token)
    }

    /// Whether an IMDSv2 session token is one we gave and still valid.
    pub(crate) fn imds_token_valid(&self, token: Option<&str>) -> bool {
        let now = jiff::Timestamp::now();
        token.is_some_and(|token| {
            self.imds_tokens.lock().is_ok_and(|tokens| tokens.get(token).is_some_and(|expires| now < *expires))
        })
    }

    /// The metadata service's credentials document for the instance's role.
    pub(crate) fn ecs_credentials(&self) -> serde_json::Value {
        let now = jiff::Timestamp::now();
        let mut value = self.issue(Duration::from_secs(6 * 3600), now);
        if let Some(object) = value.as_object_mut() {
            object.insert("Code".into(), "Success".into());
            object.insert("LastUpdated".into(), now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string().into());
        }
        value
    }
}

/// `acs:ram::<account>:<kind><name>`.
fn is_arn(text: &str, kind: &str) -> bool {
    let Some(rest) = text.strip_prefix("acs:ram::") else { return false };
    let Some((account, resource)) = rest.split_once(':') else { return false };
    !account.is_empty()
        && account.bytes().all(|b| b.is_ascii_digit())
        && resource.strip_prefix(kind).is_some_and(|name| !name.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_credentials_are_forgotten_an_hour_after_they_expire() {
        let sts = Sts::new(Some(Duration::from_secs(900)), "oidc".into(), "role".into());
        let start: jiff::Timestamp = "2026-12-06T12:00:00Z".parse().unwrap_or_else(|e| panic!("{e}"));
        let first = sts.issue(Duration::from_secs(900), start);
        let id = first["AccessKeyId"].as_str().unwrap_or_default().to_owned();
        let token = first["SecurityToken"].as_str().map(str::to_owned);
        let expired = start + jiff::SignedDuration::from_mins(20);
        assert_eq!(sts.check(&id, token.as_deref(), expired), Err(TokenFailure::Expired));
        sts.issue(Duration::from_secs(900), expired);
        assert_eq!(sts.issued_count(), 2, "still known (and refused as expired) for an hour");
        sts.issue(Duration::from_secs(900), start + jiff::SignedDuration::from_hours(2));
        assert_eq!(sts.issued_count(), 1, "only the newest: the table does not only grow");
    }

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn issued_credentials_need_their_token_and_expire() {
        let sts = Sts::new(Some(Duration::from_secs(2)), "oidc".into(), "role".into());
        let reply = sts
            .handle(
                &params(&[("Action", "AssumeRole"), ("RoleArn", "acs:ram::123:role/r"), ("RoleSessionName", "s1")]),
                Some("AK"),
                "req",
            )
            .unwrap();
        let id = reply["Credentials"]["AccessKeyId"].as_str().unwrap();
        let token = reply["Credentials"]["SecurityToken"].as_str().unwrap();
        let now = jiff::Timestamp::now();
        assert!(sts.secret_of(id).is_some());
        assert_eq!(sts.check(id, Some(token), now), Ok(()));
        assert_eq!(sts.check(id, None, now), Err(TokenFailure::Invalid));
        assert_eq!(sts.check(id, Some("other"), now), Err(TokenFailure::Invalid));
        assert_eq!(sts.check(id, Some(token), now + jiff::SignedDuration::from_secs(3)), Err(TokenFailure::Expired));
        assert_eq!(sts.check("PERMANENT", Some(token), now), Err(TokenFailure::NotTemporary));
        assert_eq!(sts.check("PERMANENT", None, now), Ok(()));
    }

    #[test]
    fn refusals() {
        let sts = Sts::new(None, "oidc".into(), "role".into());
        let call = |pairs: &[(&str, &str)], caller| sts.handle(&params(pairs), caller, "r").unwrap_err().1;
        let base = [("RoleArn", "acs:ram::123:role/r"), ("RoleSessionName", "s1")];
        let with = |extra: &[(&'static str, &'static str)]| [&base[..], extra].concat();
        assert_eq!(
            call(&with(&[("Action", "AssumeRole"), ("DurationSeconds", "60")]), Some("AK")),
            "InvalidParameter.DurationSeconds"
        );
        assert_eq!(
            call(&[("Action", "AssumeRole"), ("RoleArn", "role"), ("RoleSessionName", "s1")], Some("AK")),
            "InvalidParameter.RoleArn"
        );
        let oidc = [("Action", "AssumeRoleWithOIDC"), ("OIDCProviderArn", "acs:ram::123:oidc-provider/p")];
        assert_eq!(
            call(&with(&[oidc[0], oidc[1], ("OIDCToken", "wrong")]), None),
            "AuthenticationFail.OIDCToken.Invalid"
        );
        assert_eq!(call(&with(&[oidc[0], oidc[1]]), None), "MissingParameter");
        assert!(sts.handle(&params(&with(&[oidc[0], oidc[1], ("OIDCToken", "oidc")])), None, "r").is_ok());
        assert_eq!(call(&with(&[("Action", "AssumeRole")]), None), "MissingParameter");
        assert_eq!(call(&with(&[("Action", "GetCallerIdentity")]), Some("AK")), "InvalidAction.NotFound");
    }
}
