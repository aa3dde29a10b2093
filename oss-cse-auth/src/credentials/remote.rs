//! Temporary credentials from the network: STS `AssumeRole` (an AccessKey
//! assumes a RAM role), STS `AssumeRoleWithOIDC` (a Kubernetes service
//! account's token, RRSA) and the ECS instance metadata service (IMDSv2: a
//! session token first). Requests are planned by pure functions and their
//! replies parsed from bytes, so both are tested without a server.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use serde::Deserialize;

use super::Credentials;
use crate::error::{Error, Result, ServiceReply};
use crate::http::{ReadFailure, read_bounded};
use crate::sign::acs::{percent_encode, signature};

/// How to get credentials.
#[derive(Debug, Clone)]
pub(crate) enum Recipe {
    /// Given once, used as they are.
    Fixed(Credentials),
    /// STS AssumeRole with an AccessKey.
    AssumeRole(AssumeRole),
    /// STS AssumeRoleWithOIDC with a token file.
    Oidc(OidcRole),
    /// The ECS instance's RAM role.
    Ecs(EcsRole),
}

/// STS AssumeRole.
#[derive(Debug, Clone)]
pub(crate) struct AssumeRole {
    pub base: Credentials,
    pub role_arn: String,
    pub session_name: String,
    pub external_id: Option<String>,
    pub duration_secs: u32,
    pub sts_endpoint: String,
}

/// STS AssumeRoleWithOIDC.
#[derive(Debug, Clone)]
pub(crate) struct OidcRole {
    pub role_arn: String,
    pub provider_arn: String,
    pub token_file: PathBuf,
    pub session_name: String,
    pub duration_secs: u32,
    pub sts_endpoint: String,
}

/// The ECS metadata service.
#[derive(Debug, Clone)]
pub(crate) struct EcsRole {
    /// The role; asked of the service when not configured.
    pub role_name: Option<String>,
    pub endpoint: String,
    /// Whether a service that gives no session token may be asked without
    /// one (`ALIBABA_CLOUD_IMDSV1_DISABLED` turns this off).
    pub imdsv1_allowed: bool,
    /// Tried only because no other source had credentials: a service that
    /// does not answer means "no credentials anywhere".
    pub last_resort: bool,
}

/// The STS API version these calls speak.
const STS_VERSION: &str = "2015-04-01";
/// How long an IMDSv2 session token lives (the service's maximum).
const IMDS_TOKEN_TTL: &str = "21600";

/// The form body of an STS call: common parameters, the action's, and (for
/// a signed call) the RPC signature. Sent as a POST body, never in the URL.
pub(crate) fn sts_form(
    action: &str,
    params: &[(&str, &str)],
    signer: Option<&Credentials>,
    nonce: &str,
    now: jiff::Timestamp,
) -> String {
    let mut all: Vec<(String, String)> = vec![
        ("Action".into(), action.into()),
        ("Version".into(), STS_VERSION.into()),
        ("Format".into(), "JSON".into()),
        ("Timestamp".into(), now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()),
    ];
    if let Some(credentials) = signer {
        all.push(("AccessKeyId".into(), credentials.access_key_id().into()));
        all.push(("SignatureMethod".into(), "HMAC-SHA1".into()));
        all.push(("SignatureVersion".into(), "1.0".into()));
        all.push(("SignatureNonce".into(), nonce.into()));
        if let Some(token) = credentials.security_token() {
            all.push(("SecurityToken".into(), token.into()));
        }
    }
    all.extend(params.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    if let Some(credentials) = signer {
        let signature = signature("POST", &all, credentials.access_key_secret());
        all.push(("Signature".into(), signature));
    }
    all.iter().map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v))).collect::<Vec<_>>().join("&")
}

impl AssumeRole {
    pub(crate) fn form(&self, nonce: &str, now: jiff::Timestamp) -> String {
        let duration = self.duration_secs.to_string();
        let mut params = vec![
            ("RoleArn", self.role_arn.as_str()),
            ("RoleSessionName", self.session_name.as_str()),
            ("DurationSeconds", duration.as_str()),
        ];
        if let Some(id) = &self.external_id {
            params.push(("ExternalId", id.as_str()));
        }
        sts_form("AssumeRole", &params, Some(&self.base), nonce, now)
    }
}

impl OidcRole {
    pub(crate) fn form(&self, token: &str, now: jiff::Timestamp) -> String {
        let duration = self.duration_secs.to_string();
        let params = [
            ("RoleArn", self.role_arn.as_str()),
            ("OIDCProviderArn", self.provider_arn.as_str()),
            ("OIDCToken", token),
            ("RoleSessionName", self.session_name.as_str()),
            ("DurationSeconds", duration.as_str()),
        ];
        sts_form("AssumeRoleWithOIDC", &params, None, "", now)
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Issued {
    access_key_id: String,
    access_key_secret: String,
    security_token: String,
    expiration: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct StsReply {
    credentials: Issued,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct StsErrorReply {
    code: String,
    message: String,
    request_id: String,
}

fn invalid(action: &'static str, reason: impl Into<String>) -> Error {
    Error::InvalidResponse { action, reason: reason.into() }
}

impl Issued {
    fn into_credentials(self, action: &'static str) -> Result<Credentials> {
        let expiration: jiff::Timestamp = self
            .expiration
            .parse()
            .map_err(|_| invalid(action, format!("Expiration {:?} is not a time", self.expiration)))?;
        let seconds = u64::try_from(expiration.as_second()).map_err(|_| invalid(action, "Expiration before 1970"))?;
        let expiration = SystemTime::UNIX_EPOCH + Duration::from_secs(seconds);
        if self.access_key_id.is_empty() || self.access_key_secret.is_empty() || self.security_token.is_empty() {
            return Err(invalid(action, "credentials with an empty field"));
        }
        Ok(Credentials::new(self.access_key_id, self.access_key_secret)
            .with_security_token(self.security_token)
            .with_expiration(expiration))
    }
}

/// An STS reply: the credentials, or the service's error. Serde's messages
/// can quote the reply, which holds secrets, so only the position is said.
pub(crate) fn parse_sts_reply(action: &'static str, status: u16, body: &[u8]) -> Result<Credentials> {
    if !(200..300).contains(&status) {
        let reply: StsErrorReply = serde_json::from_slice(body).unwrap_or_default();
        let code = if reply.code.is_empty() { format!("HTTP{status}") } else { reply.code };
        let error = ServiceReply { status, code, message: reply.message, request_id: reply.request_id };
        return Err(Error::Service { action, error: Box::new(error) });
    }
    let reply: StsReply = serde_json::from_slice(body)
        .map_err(|e| invalid(action, format!("not STS JSON (line {}, column {})", e.line(), e.column())))?;
    reply.credentials.into_credentials(action)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ImdsReply {
    #[serde(default)]
    code: String,
    #[serde(flatten)]
    issued: Option<Issued>,
}

/// The metadata service's reply for a role.
pub(crate) fn parse_imds_reply(body: &[u8]) -> Result<Credentials> {
    const ACTION: &str = "ECS metadata";
    let reply: ImdsReply = serde_json::from_slice(body)
        .map_err(|e| invalid(ACTION, format!("not JSON (line {}, column {})", e.line(), e.column())))?;
    if reply.code != "Success" {
        return Err(invalid(ACTION, format!("Code {:?}, not Success", reply.code)));
    }
    reply.issued.ok_or_else(|| invalid(ACTION, "no credentials in the reply"))?.into_credentials(ACTION)
}

/// Sends requests for the recipes; one per provider, built on first use.
pub(crate) struct Fetcher {
    pub http: reqwest::Client,
}

fn transport(action: &'static str, error: reqwest::Error) -> Error {
    Error::Transport { action, source: Box::new(error.without_url()) }
}

impl Fetcher {
    pub(crate) async fn fetch(&self, recipe: &Recipe) -> Result<Credentials> {
        match recipe {
            Recipe::Fixed(credentials) => Ok(credentials.clone()),
            Recipe::AssumeRole(role) => {
                let nonce = format!("{:032x}", rand::random::<u128>());
                self.sts("AssumeRole", &role.sts_endpoint, role.form(&nonce, jiff::Timestamp::now())).await
            }
            Recipe::Oidc(role) => {
                let token = read_token_file(&role.token_file).await?;
                let form = role.form(token.trim(), jiff::Timestamp::now());
                self.sts("AssumeRoleWithOIDC", &role.sts_endpoint, form).await
            }
            Recipe::Ecs(role) => self.ecs(role).await,
        }
    }

    async fn sts(&self, action: &'static str, endpoint: &str, form: String) -> Result<Credentials> {
        let response = self
            .http
            .post(endpoint)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(form)
            .send()
            .await
            .map_err(|e| transport(action, e))?;
        let status = response.status().as_u16();
        let body = read_reply(action, response).await?;
        parse_sts_reply(action, status, &body)
    }

    async fn ecs(&self, role: &EcsRole) -> Result<Credentials> {
        const ACTION: &str = "ECS metadata";
        let base = role.endpoint.trim_end_matches('/');
        let token = self
            .http
            .put(format!("{base}/latest/api/token"))
            .header("X-aliyun-ecs-metadata-token-ttl-seconds", IMDS_TOKEN_TTL)
            .send()
            .await
            .map_err(|e| transport(ACTION, e))?;
        let token = if token.status().is_success() {
            let bytes = read_reply(ACTION, token).await?;
            Some(zeroize::Zeroizing::new(String::from_utf8_lossy(&bytes).into_owned()))
        } else if role.imdsv1_allowed {
            tracing::warn!(
                status = token.status().as_u16(),
                "the ECS metadata service gave no session token; asking without one"
            );
            None
        } else {
            return Err(invalid(ACTION, format!("no session token (HTTP {}), and IMDSv1 is disabled", token.status())));
        };
        let get = |path: String| {
            let request = self.http.get(format!("{base}/latest/meta-data/ram/security-credentials/{path}"));
            match &token {
                Some(token) => request.header("X-aliyun-ecs-metadata-token", token.as_str()),
                None => request,
            }
        };
        let role_name = match &role.role_name {
            Some(name) => name.clone(),
            None => {
                let reply = get(String::new()).send().await.map_err(|e| transport(ACTION, e))?;
                if !reply.status().is_success() {
                    return Err(invalid(ACTION, format!("HTTP {} listing the instance's RAM role", reply.status())));
                }
                let bytes = read_reply(ACTION, reply).await?;
                String::from_utf8_lossy(&bytes)
                    .lines()
                    .next()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .ok_or_else(|| invalid(ACTION, "the instance has no RAM role attached"))?
            }
        };
        let reply = get(role_name.clone()).send().await.map_err(|e| transport(ACTION, e))?;
        if !reply.status().is_success() {
            return Err(invalid(ACTION, format!("HTTP {} for role {role_name:?}", reply.status())));
        }
        let body = read_reply(ACTION, reply).await?;
        parse_imds_reply(&body)
    }
}

/// Largest OIDC token file read (a service account token is about 1 KiB).
const MAX_TOKEN_FILE: u64 = 64 << 10;

/// The OIDC token, read up to [`MAX_TOKEN_FILE`] bytes (Kubernetes mounts it
/// through a symbolic link, so links are followed; a file that never ends,
/// `/dev/zero`, is an error, not an allocation without bound).
async fn read_token_file(path: &std::path::Path) -> Result<zeroize::Zeroizing<String>> {
    use tokio::io::AsyncReadExt as _;
    let invalid =
        |reason: String| Error::InvalidConfig { reason: format!("OIDC token file {}: {reason}", path.display()) };
    let file = tokio::fs::File::open(path).await.map_err(|e| invalid(e.to_string()))?;
    let mut bytes = zeroize::Zeroizing::new(Vec::new());
    file.take(MAX_TOKEN_FILE + 1).read_to_end(&mut bytes).await.map_err(|e| invalid(e.to_string()))?;
    if bytes.len() as u64 > MAX_TOKEN_FILE {
        return Err(invalid(format!("larger than {MAX_TOKEN_FILE} bytes, which no token is")));
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| invalid("not UTF-8 text".into()))?;
    Ok(zeroize::Zeroizing::new(text.to_owned()))
}

/// Longest STS or metadata reply read: a credential document is under 2 KiB.
const MAX_REPLY: usize = 64 << 10;

/// A reply body read up to [`MAX_REPLY`] (it holds a secret: zeroized on drop).
async fn read_reply(action: &'static str, response: reqwest::Response) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    read_bounded(response, MAX_REPLY).await.map_err(|failure| match failure {
        ReadFailure::Transport(source) => Error::Transport { action, source: Box::new(source) },
        other => invalid(action, other.to_string()),
    })
}

/// Whether `error` means the endpoint did not answer at all.
pub(crate) fn did_not_answer(error: &Error) -> bool {
    matches!(error, Error::Transport { .. } | Error::Timeout { .. })
}

/// How long STS and metadata calls may take.
pub(crate) const CALL_TIMEOUT: Duration = Duration::from_secs(15);
/// How long to wait for the metadata service to accept a connection: off
/// ECS nothing answers at 100.100.100.200.
pub(crate) const IMDS_CONNECT_TIMEOUT: Duration = Duration::from_secs(1);

#[cfg(test)]
#[path = "remote_tests.rs"]
mod tests;
