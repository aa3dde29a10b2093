//! The credential files other Alibaba Cloud tools write, read into a
//! [`Recipe`]: the Alibaba Cloud CLI's `config.json` (`aliyun configure`),
//! the SDKs' shared `credentials` file, and ossutil's `.ossutilconfig`.
//! Parsing is pure (text in, recipe out); a profile in a mode we cannot use is
//! an error naming it, never silently skipped for the next source.

use serde::Deserialize;

use super::Credentials;
use super::remote::{AssumeRole, EcsRole, OidcRole, Recipe};

/// What the remote recipes need beyond a profile's own fields.
#[derive(Debug, Clone)]
pub(crate) struct RemoteDefaults {
    pub sts_endpoint: String,
    pub ecs_endpoint: String,
    pub session_name: String,
    pub imdsv1_allowed: bool,
}

/// A profile found in a file: its name and how to get its credentials.
pub(crate) struct Found {
    pub profile: String,
    pub mode: String,
    pub recipe: Recipe,
}

/// Why a file could not be used.
pub(crate) type FileError = String;

#[derive(Deserialize)]
struct CliConfig {
    #[serde(default)]
    current: Option<String>,
    #[serde(default)]
    profiles: Vec<CliProfile>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CliProfile {
    name: String,
    mode: String,
    access_key_id: String,
    access_key_secret: String,
    sts_token: String,
    ram_role_name: String,
    ram_role_arn: String,
    ram_session_name: String,
    expired_seconds: u32,
    external_id: String,
    oidc_provider_arn: String,
    oidc_token_file: String,
    source_profile: String,
    region_id: String,
}

/// Empty strings in these files mean "not set".
fn given(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

fn required(value: &str, field: &str, profile: &str) -> Result<String, FileError> {
    given(value).ok_or_else(|| format!("profile {profile:?} has no {field}"))
}

fn access_key(
    id: &str,
    secret: &str,
    token: Option<&str>,
    profile: &str,
    names: [&str; 2],
) -> Result<Credentials, FileError> {
    let credentials = Credentials::new(required(id, names[0], profile)?, required(secret, names[1], profile)?);
    Ok(match token.and_then(given) {
        Some(token) => credentials.with_security_token(token),
        None => credentials,
    })
}

/// The CLI's `config.json` parsed, the name of the profile chosen (the
/// named one, else `current`, else `default`), and `current`.
fn cli_config(text: &str, wanted: Option<&str>) -> Result<(CliConfig, String, Option<String>), FileError> {
    let config: CliConfig = serde_json::from_str(text)
        .map_err(|e| format!("not the CLI's JSON (line {}, column {})", e.line(), e.column()))?;
    let current = config.current.as_deref().and_then(given);
    let name = wanted.map(str::to_owned).or(current.clone()).unwrap_or("default".into());
    Ok((config, name, current))
}

/// The Alibaba Cloud CLI's `config.json`: the named profile, else `current`,
/// else `default`. `Ok(None)` when the file has no such profile.
pub(crate) fn aliyun_cli(
    text: &str,
    wanted: Option<&str>,
    defaults: &RemoteDefaults,
) -> Result<Option<Found>, FileError> {
    let (config, name, current) = cli_config(text, wanted)?;
    let Some(profile) = config.profiles.iter().find(|p| p.name == name) else {
        // A `current` the file does not have is a broken file, not a reason
        // to take credentials (of another account, perhaps) from the next one.
        if wanted.is_none() && current.is_some() {
            return Err(format!("its current profile {name:?} is not among its profiles"));
        }
        return Ok(None);
    };
    let p = profile;
    let mode = if p.mode.is_empty() { "AK".to_owned() } else { p.mode.clone() };
    let session = given(&p.ram_session_name).unwrap_or_else(|| defaults.session_name.clone());
    let duration = if p.expired_seconds == 0 { 3600 } else { p.expired_seconds };
    let keys = ["access_key_id", "access_key_secret"];
    let recipe = match mode.as_str() {
        "AK" => Recipe::Fixed(access_key(&p.access_key_id, &p.access_key_secret, None, &name, keys)?),
        "StsToken" => {
            required(&p.sts_token, "sts_token", &name)?;
            Recipe::Fixed(access_key(&p.access_key_id, &p.access_key_secret, Some(&p.sts_token), &name, keys)?)
        }
        "RamRoleArn" => Recipe::AssumeRole(AssumeRole {
            base: access_key(&p.access_key_id, &p.access_key_secret, Some(&p.sts_token), &name, keys)?,
            role_arn: required(&p.ram_role_arn, "ram_role_arn", &name)?,
            session_name: session,
            external_id: given(&p.external_id),
            duration_secs: duration,
            sts_endpoint: defaults.sts_endpoint.clone(),
        }),
        "EcsRamRole" => Recipe::Ecs(EcsRole {
            role_name: given(&p.ram_role_name),
            endpoint: defaults.ecs_endpoint.clone(),
            imdsv1_allowed: defaults.imdsv1_allowed,
            last_resort: false,
        }),
        "OIDC" => Recipe::Oidc(OidcRole {
            role_arn: required(&p.ram_role_arn, "ram_role_arn", &name)?,
            provider_arn: required(&p.oidc_provider_arn, "oidc_provider_arn", &name)?,
            token_file: required(&p.oidc_token_file, "oidc_token_file", &name)?.into(),
            session_name: session,
            duration_secs: duration,
            sts_endpoint: defaults.sts_endpoint.clone(),
        }),
        "ChainableRamRoleArn" => {
            return Err(format!(
                "profile {name:?} is in mode ChainableRamRoleArn (source profile {:?}), which oss-cse does not support: \
                 use a RamRoleArn profile",
                p.source_profile
            ));
        }
        other => return Err(format!("profile {name:?} is in mode {other}, which oss-cse does not support")),
    };
    Ok(Some(Found { profile: name, mode, recipe }))
}

fn ini(text: &str) -> Result<ini::Ini, FileError> {
    ini::Ini::load_from_str(text).map_err(|e| format!("not an INI file ({} at line {})", e.msg, e.line))
}

/// The SDKs' shared credentials file (`~/.alibabacloud/credentials`): the
/// named section, else `default`.
pub(crate) fn shared_credentials(
    text: &str,
    wanted: Option<&str>,
    defaults: &RemoteDefaults,
) -> Result<Option<Found>, FileError> {
    let file = ini(text)?;
    let name = wanted.unwrap_or("default").to_owned();
    let Some(section) = file.section(Some(name.as_str())) else {
        return Ok(None);
    };
    let get = |key: &str| section.get(key).unwrap_or_default();
    if get("enable").trim().eq_ignore_ascii_case("false") {
        return match wanted {
            Some(_) => Err(format!("section [{name}] has enable = false")),
            None => Ok(None),
        };
    }
    let mode = given(get("type")).unwrap_or("access_key".into());
    let keys = ["access_key_id", "access_key_secret"];
    let session = given(get("role_session_name")).unwrap_or_else(|| defaults.session_name.clone());
    let recipe = match mode.as_str() {
        "access_key" => Recipe::Fixed(access_key(get("access_key_id"), get("access_key_secret"), None, &name, keys)?),
        "sts" => Recipe::Fixed(access_key(
            get("access_key_id"),
            get("access_key_secret"),
            Some(&required(get("security_token"), "security_token", &name)?),
            &name,
            keys,
        )?),
        "ram_role_arn" => Recipe::AssumeRole(AssumeRole {
            base: access_key(get("access_key_id"), get("access_key_secret"), None, &name, keys)?,
            role_arn: required(get("role_arn"), "role_arn", &name)?,
            session_name: session,
            external_id: given(get("external_id")),
            duration_secs: 3600,
            sts_endpoint: defaults.sts_endpoint.clone(),
        }),
        "ecs_ram_role" => Recipe::Ecs(EcsRole {
            role_name: given(get("role_name")),
            endpoint: defaults.ecs_endpoint.clone(),
            imdsv1_allowed: defaults.imdsv1_allowed,
            last_resort: false,
        }),
        "oidc_role_arn" => Recipe::Oidc(OidcRole {
            role_arn: required(get("role_arn"), "role_arn", &name)?,
            provider_arn: required(get("oidc_provider_arn"), "oidc_provider_arn", &name)?,
            token_file: required(get("oidc_token_file_path"), "oidc_token_file_path", &name)?.into(),
            session_name: session,
            duration_secs: 3600,
            sts_endpoint: defaults.sts_endpoint.clone(),
        }),
        other => return Err(format!("section [{name}] has type {other}, which oss-cse does not support")),
    };
    Ok(Some(Found { profile: name, mode, recipe }))
}

/// The section of `.ossutilconfig` a profile is in, and its name: ossutil
/// 1's `[Credentials]`, ossutil 2's `[default]` or `[profile NAME]`.
fn ossutil_section<'a>(file: &'a ini::Ini, wanted: Option<&str>) -> Option<(String, &'a ini::Properties)> {
    let candidates: Vec<String> = match wanted {
        Some(name) => vec![format!("profile {name}"), name.to_owned()],
        None => vec!["Credentials".into(), "default".into()],
    };
    candidates.into_iter().find_map(|name| file.section(Some(name.as_str())).map(|section| (name, section)))
}

/// ossutil's `.ossutilconfig`: ossutil 1's `[Credentials]` section, or
/// ossutil 2's `[default]` and `[profile NAME]` sections.
pub(crate) fn ossutil(text: &str, wanted: Option<&str>, defaults: &RemoteDefaults) -> Result<Option<Found>, FileError> {
    let file = ini(text)?;
    let Some((name, section)) = ossutil_section(&file, wanted) else { return Ok(None) };
    // ossutil spells keys in camel case, and has spelled the id both ways.
    let get = |keys: &[&str]| keys.iter().find_map(|key| section.get(*key)).unwrap_or_default();
    let id = get(&["accessKeyID", "accessKeyId", "access_key_id"]);
    let secret = get(&["accessKeySecret", "access_key_secret"]);
    let token = get(&["stsToken", "securityToken", "sts_token"]);
    let keys = ["accessKeyID", "accessKeySecret"];
    let (mode, recipe) = if let Some(role) = given(get(&["ecsRoleName", "ramRoleName"])) {
        let ecs = EcsRole {
            role_name: Some(role),
            endpoint: defaults.ecs_endpoint.clone(),
            imdsv1_allowed: defaults.imdsv1_allowed,
            last_resort: false,
        };
        ("EcsRamRole", Recipe::Ecs(ecs))
    } else if let Some(role_arn) = given(get(&["roleArn", "ramRoleArn"])) {
        let assume = AssumeRole {
            base: access_key(id, secret, Some(token), &name, keys)?,
            role_arn,
            session_name: given(get(&["roleSessionName"])).unwrap_or_else(|| defaults.session_name.clone()),
            external_id: given(get(&["externalId"])),
            duration_secs: 3600,
            sts_endpoint: defaults.sts_endpoint.clone(),
        };
        ("RamRoleArn", Recipe::AssumeRole(assume))
    } else if given(token).is_some() {
        ("StsToken", Recipe::Fixed(access_key(id, secret, Some(token), &name, keys)?))
    } else {
        ("AK", Recipe::Fixed(access_key(id, secret, None, &name, keys)?))
    };
    Ok(Some(Found { profile: name, mode: mode.to_owned(), recipe }))
}

/// Where a profile says OSS is: an endpoint, a region, or both, and the
/// profile's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    pub profile: String,
    pub endpoint: Option<String>,
    pub region: Option<String>,
}

/// The region (`region_id`) of the CLI's profile chosen as
/// [`aliyun_cli`] chooses it; `Ok(None)` without one.
pub(crate) fn aliyun_cli_place(text: &str, wanted: Option<&str>) -> Result<Option<Place>, FileError> {
    let (config, name, _) = cli_config(text, wanted)?;
    let region = config.profiles.iter().find(|p| p.name == name).and_then(|p| given(&p.region_id));
    Ok(region.map(|region| Place { profile: name, endpoint: None, region: Some(region) }))
}

/// ossutil's `endpoint` (and ossutil 2's `region`) in the section
/// [`ossutil`] reads credentials from (ossutil 1 keeps them in
/// `[Credentials]`); `Ok(None)` without either.
pub(crate) fn ossutil_place(text: &str, wanted: Option<&str>) -> Result<Option<Place>, FileError> {
    let file = ini(text)?;
    let Some((name, section)) = ossutil_section(&file, wanted) else { return Ok(None) };
    let endpoint = section.get("endpoint").and_then(given);
    let region = section.get("region").and_then(given);
    if endpoint.is_none() && region.is_none() {
        return Ok(None);
    }
    Ok(Some(Place { profile: name, endpoint, region }))
}

#[cfg(test)]
#[path = "files_tests.rs"]
mod tests;
