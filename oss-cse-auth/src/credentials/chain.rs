//! The default credential chain, in the order the official SDKs and tools
//! use: credentials given by the program; the environment (`OSS_*`, then
//! `ALIBABA_CLOUD_*`); OIDC/RRSA through STS; a profile of the Alibaba Cloud
//! CLI (`~/.aliyun/config.json`), the SDKs' credentials file
//! (`~/.alibabacloud/credentials`) or ossutil (`~/.ossutilconfig`); and last
//! the ECS instance's RAM role. Resolving reads files but sends nothing: the
//! first request fetches.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::files::{self, Found, RemoteDefaults};
use super::remote::{EcsRole, OidcRole, Recipe};
use super::{Credentials, CredentialsProvider};
use crate::error::{Error, Result};

/// Where [`CredentialChain`] reads the environment from.
type Lookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Finds the credentials to use; see the module docs for the order.
#[derive(Clone)]
pub struct CredentialChain {
    lookup: Lookup,
    profile: Option<String>,
    explicit: Option<Credentials>,
    proxy: Option<String>,
}

impl std::fmt::Debug for CredentialChain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialChain")
            .field("profile", &self.profile)
            .field("explicit", &self.explicit.is_some())
            .field("proxy", &self.proxy.is_some())
            .finish()
    }
}

impl Default for CredentialChain {
    fn default() -> Self {
        Self::new()
    }
}

const CONFIG_FILE: &str = "ALIBABA_CLOUD_CONFIG_FILE";
const CREDENTIALS_FILE: &str = "ALIBABA_CLOUD_CREDENTIALS_FILE";
const OSSUTIL_CONFIG_FILE: &str = "OSSUTIL_CONFIG_FILE";
const DEFAULT_STS: &str = "https://sts.aliyuncs.com";
const DEFAULT_IMDS: &str = "http://100.100.100.200";

impl CredentialChain {
    /// The chain over this process's environment and home directory.
    pub fn new() -> Self {
        Self::with_lookup(|name| std::env::var(name).ok())
    }

    /// The chain over another environment (tests; a sandboxed host): `HOME`
    /// (or `USERPROFILE`) is read through it too.
    pub fn with_lookup(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        Self { lookup: Arc::new(lookup), profile: None, explicit: None, proxy: None }
    }

    /// Uses this profile of the configuration files (as `--profile` does);
    /// otherwise `ALIBABA_CLOUD_PROFILE`, then each file's default. A named
    /// profile that no file has is an error, not a fall-through.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Uses these credentials, before anything else.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.explicit = Some(credentials);
        self
    }

    /// Sends STS calls through this proxy (`http://host:port`); otherwise the
    /// proxy variables are honoured. The metadata service is never proxied.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    fn var(&self, name: &str) -> Option<String> {
        (self.lookup)(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
    }

    fn flag(&self, name: &str) -> bool {
        self.var(name).is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
    }

    fn home(&self) -> Option<PathBuf> {
        self.var("HOME").or_else(|| self.var("USERPROFILE")).map(PathBuf::from)
    }

    /// `$VAR`, else `~/default`.
    fn file(&self, var: &str, default: &str) -> Option<PathBuf> {
        match self.var(var) {
            Some(path) => Some(PathBuf::from(path)),
            None => self.home().map(|home| home.join(default)),
        }
    }

    fn defaults(&self) -> RemoteDefaults {
        let sts = self.var("ALIBABA_CLOUD_STS_ENDPOINT").unwrap_or_else(|| DEFAULT_STS.to_owned());
        let sts = if sts.contains("://") { sts } else { format!("https://{sts}") };
        let ecs = self.var("ALIBABA_CLOUD_ECS_METADATA_SERVICE_ENDPOINT").unwrap_or_else(|| DEFAULT_IMDS.to_owned());
        let ecs = if ecs.contains("://") { ecs } else { format!("http://{ecs}") };
        let session = self
            .var("ALIBABA_CLOUD_ROLE_SESSION_NAME")
            .unwrap_or_else(|| format!("oss-cse-{}", jiff::Timestamp::now().as_second()));
        RemoteDefaults {
            sts_endpoint: sts,
            ecs_endpoint: ecs,
            session_name: session,
            imdsv1_allowed: !self.flag("ALIBABA_CLOUD_IMDSV1_DISABLED"),
        }
    }

    fn provider(&self, recipe: Recipe, origin: String) -> CredentialsProvider {
        CredentialsProvider::new(recipe, origin, self.proxy.clone())
    }

    /// The first source that has credentials.
    ///
    /// # Errors
    /// [`Error::Credentials`] for a configuration file that cannot be read or
    /// used, or a named profile no file has.
    pub fn resolve(&self) -> Result<CredentialsProvider> {
        if let Some(credentials) = &self.explicit {
            return Ok(self.provider(Recipe::Fixed(credentials.clone()), "given explicitly".into()));
        }
        let profile = self.profile.clone().or_else(|| self.var("ALIBABA_CLOUD_PROFILE"));
        // A profile asked for by name wins over ambient environment variables.
        if self.profile.is_none() {
            if let Some(found) = self.environment() {
                return Ok(found);
            }
        }
        let defaults = self.defaults();
        let readers: [(&str, &str, Reader); 3] = [
            (CONFIG_FILE, ".aliyun/config.json", files::aliyun_cli),
            (CREDENTIALS_FILE, ".alibabacloud/credentials", files::shared_credentials),
            (OSSUTIL_CONFIG_FILE, ".ossutilconfig", files::ossutil),
        ];
        let mut looked = Vec::new();
        for (var, default, reader) in readers {
            let Some(path) = self.file(var, default) else { continue };
            // A file that is not there is not an error; one that cannot be read is.
            let text = match std::fs::read_to_string(&path) {
                Ok(text) => text,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    looked.push(path.display().to_string());
                    continue;
                }
                Err(e) => return Err(file_error(&path, &e.to_string())),
            };
            // A file without the profile is passed over: the next may have it.
            let found = reader(&text, profile.as_deref(), &defaults).map_err(|reason| file_error(&path, &reason))?;
            if let Some(Found { profile, mode, recipe }) = found {
                let origin = format!("profile {profile:?} in {} (mode {mode})", path.display());
                return Ok(self.provider(recipe, origin));
            }
            looked.push(path.display().to_string());
        }
        if let Some(name) = &profile {
            return Err(Error::Credentials {
                origin: format!("profile {name:?}"),
                reason: format!("no such profile in {}", looked.join(", ")),
            });
        }
        if self.flag("ALIBABA_CLOUD_ECS_METADATA_DISABLED") {
            return Err(Error::Credentials {
                origin: "the default chain".into(),
                reason: format!(
                    "no credentials found: none given, none in the environment (OSS_ACCESS_KEY_ID/OSS_ACCESS_KEY_SECRET \
                     or ALIBABA_CLOUD_ACCESS_KEY_ID/ALIBABA_CLOUD_ACCESS_KEY_SECRET, or the OIDC variables), no profile in \
                     {}, and the ECS metadata service is disabled (ALIBABA_CLOUD_ECS_METADATA_DISABLED)",
                    looked.join(", ")
                ),
            });
        }
        let role = EcsRole {
            role_name: None,
            endpoint: defaults.ecs_endpoint.clone(),
            imdsv1_allowed: defaults.imdsv1_allowed,
            last_resort: true,
        };
        Ok(self.provider(
            Recipe::Ecs(role),
            format!(
                "ECS RAM role (metadata service {}; no other source has credentials)",
                crate::redact_url(&defaults.ecs_endpoint)
            ),
        ))
    }

    /// Access keys, OIDC variables, or an ECS role named in the environment.
    fn environment(&self) -> Option<CredentialsProvider> {
        let sets = [
            ("OSS_ACCESS_KEY_ID", "OSS_ACCESS_KEY_SECRET", "OSS_SESSION_TOKEN"),
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN"),
        ];
        for (id, secret, token) in sets {
            if let (Some(id_value), Some(secret_value)) = (self.var(id), self.var(secret)) {
                let credentials = Credentials::new(id_value, secret_value);
                let (credentials, origin) = match self.var(token) {
                    Some(value) => {
                        (credentials.with_security_token(value), format!("environment ({id}, {secret}, {token})"))
                    }
                    None => (credentials, format!("environment ({id}, {secret})")),
                };
                return Some(self.provider(Recipe::Fixed(credentials), origin));
            }
        }
        if let (Some(role_arn), Some(provider_arn), Some(token_file)) = (
            self.var("ALIBABA_CLOUD_ROLE_ARN"),
            self.var("ALIBABA_CLOUD_OIDC_PROVIDER_ARN"),
            self.var("ALIBABA_CLOUD_OIDC_TOKEN_FILE"),
        ) {
            let defaults = self.defaults();
            let sts = crate::redact_url(&defaults.sts_endpoint);
            let origin = format!("OIDC (ALIBABA_CLOUD_ROLE_ARN {role_arn}, STS {sts})");
            let role = OidcRole {
                role_arn,
                provider_arn,
                token_file: token_file.into(),
                session_name: defaults.session_name,
                duration_secs: 3600,
                sts_endpoint: defaults.sts_endpoint,
            };
            return Some(self.provider(Recipe::Oidc(role), origin));
        }
        if let Some(role) = self.var("ALIBABA_CLOUD_ECS_METADATA") {
            let defaults = self.defaults();
            let origin = format!("ECS RAM role {role:?} (ALIBABA_CLOUD_ECS_METADATA)");
            let role = EcsRole {
                role_name: Some(role),
                endpoint: defaults.ecs_endpoint,
                imdsv1_allowed: defaults.imdsv1_allowed,
                last_resort: false,
            };
            return Some(self.provider(Recipe::Ecs(role), origin));
        }
        None
    }
}

/// Where a profile file says OSS is, for a program that was told nowhere
/// else: see [`CredentialChain::profile_place`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProfilePlace {
    /// An endpoint (ossutil's `endpoint`), as the file spells it.
    pub endpoint: Option<String>,
    /// A region (ossutil 2's `region`, the Alibaba Cloud CLI's `region_id`).
    pub region: Option<String>,
    /// Which profile of which file, in words.
    pub origin: String,
}

impl CredentialChain {
    /// Where the profile this chain reads says OSS is: ossutil's
    /// `~/.ossutilconfig` (`endpoint`, and ossutil 2's `region`), else the
    /// Alibaba Cloud CLI's `~/.aliyun/config.json` (`region_id`), both from
    /// one file. Settings from flags and the environment come first: this is
    /// the last source, so that an ossutil user's working setup works.
    ///
    /// # Errors
    /// [`Error::Credentials`] for a file that cannot be read or parsed.
    pub fn profile_place(&self) -> Result<Option<ProfilePlace>> {
        let profile = self.profile.clone().or_else(|| self.var("ALIBABA_CLOUD_PROFILE"));
        type PlaceReader = fn(&str, Option<&str>) -> std::result::Result<Option<files::Place>, String>;
        let readers: [(&str, &str, PlaceReader); 2] = [
            (OSSUTIL_CONFIG_FILE, ".ossutilconfig", files::ossutil_place),
            (CONFIG_FILE, ".aliyun/config.json", files::aliyun_cli_place),
        ];
        for (var, default, reader) in readers {
            let Some(path) = self.file(var, default) else { continue };
            let text = match std::fs::read_to_string(&path) {
                Ok(text) => text,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(file_error(&path, &e.to_string())),
            };
            if let Some(place) = reader(&text, profile.as_deref()).map_err(|reason| file_error(&path, &reason))? {
                let origin = format!("profile {:?} in {}", place.profile, path.display());
                return Ok(Some(ProfilePlace { endpoint: place.endpoint, region: place.region, origin }));
            }
        }
        Ok(None)
    }
}

type Reader = fn(&str, Option<&str>, &RemoteDefaults) -> std::result::Result<Option<Found>, String>;

fn file_error(path: &Path, reason: &str) -> Error {
    Error::Credentials { origin: path.display().to_string(), reason: reason.to_owned() }
}

#[cfg(test)]
#[path = "chain_tests.rs"]
mod tests;
