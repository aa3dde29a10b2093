//! `oss-cse config`: the settings a command would use and where each came
//! from (a flag, the environment, a file, a default), so a user can see why
//! a command talks to an endpoint or signs as someone. Never a secret.

use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory as _};
use serde_json::json;

use crate::Cli;
use crate::commands::print;

/// One line of the report.
struct Setting {
    name: &'static str,
    value: String,
    source: String,
}

/// Where clap found an argument (`--endpoint`, `OSS_ENDPOINT`).
fn source_of(matches: Option<&ArgMatches>, id: &str, flag: &str, env: Option<&str>) -> String {
    match matches.and_then(|m| m.value_source(id)) {
        Some(ValueSource::CommandLine) => flag.to_owned(),
        Some(ValueSource::EnvVariable) => format!("environment {}", env.unwrap_or("variable")),
        _ => "default".to_owned(),
    }
}

/// The proxy the OSS client would use for an HTTPS endpoint.
fn proxy(cli: &Cli, matches: Option<&ArgMatches>) -> (String, String) {
    if let Some(proxy) = &cli.connection.proxy {
        return (redact_userinfo(proxy), source_of(matches, "proxy", "--proxy", None));
    }
    for name in ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"] {
        if let Some(value) = std::env::var(name).ok().filter(|v| !v.is_empty()) {
            return (redact_userinfo(&value), format!("environment {name}"));
        }
    }
    ("none".into(), "default".into())
}

/// A proxy URL without its password.
fn redact_userinfo(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("****"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// An AccessKey id shortened as the console shows it: its first and last
/// four characters.
fn short_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return "****".into();
    }
    let (head, tail): (String, String) = (chars[..4].iter().collect(), chars[chars.len() - 4..].iter().collect());
    format!("{head}****{tail}")
}

pub(crate) fn show(cli: &Cli) -> anyhow::Result<()> {
    let all = Cli::command().try_get_matches_from(std::env::args_os()).ok();
    let matches = all.as_ref().and_then(|m| m.subcommand_matches("config"));
    let connection = &cli.connection;
    let mut settings = Vec::new();
    let mut add = |name, value: String, source: String| settings.push(Setting { name, value, source });
    match (&connection.endpoint, &connection.region) {
        (Some(endpoint), _) => {
            add("endpoint", endpoint.clone(), source_of(matches, "endpoint", "--endpoint", Some("OSS_ENDPOINT")))
        }
        (None, Some(region)) => {
            let suffix = if connection.internal { "-internal" } else { "" };
            add("endpoint", format!("https://oss-{region}{suffix}.aliyuncs.com"), "from the region".into())
        }
        (None, None) => add("endpoint", "none (set --endpoint, OSS_ENDPOINT or --region)".into(), "default".into()),
    }
    let config = crate::commands::oss_client(cli).ok().map(|client| client.config().clone());
    match (&connection.region, config.as_ref().and_then(|c| c.region_name())) {
        (Some(region), _) => {
            add("region", region.clone(), source_of(matches, "region", "--region", Some("OSS_REGION")))
        }
        (None, Some(region)) => add("region", region.to_owned(), "from the endpoint".into()),
        (None, None) => add("region", "none".into(), "default".into()),
    }
    if let Some(config) = &config {
        add("signature", format!("{:?}", config.signature_version()), "V4 whenever a region is known".into());
        add("addressing", format!("{:?}", config.addressing_style()), "default, --path-style or --cname".into());
    }
    let (proxy, proxy_source) = proxy(cli, matches);
    add("proxy", proxy, proxy_source);
    if let Some(path) = &connection.ca_bundle {
        add("ca-bundle", path.display().to_string(), "--ca-bundle".into());
    }
    if let Some(profile) = &connection.profile {
        add("profile", profile.clone(), "--profile".into());
    } else if let Ok(profile) = std::env::var("ALIBABA_CLOUD_PROFILE") {
        add("profile", profile, "environment ALIBABA_CLOUD_PROFILE".into());
    }
    match crate::commands::credentials(cli) {
        Ok(provider) => {
            let kind = if provider.is_refreshed() { "temporary, fetched and refreshed" } else { "as given" };
            add("credentials", kind.into(), provider.origin().to_owned());
            if let Some(id) = provider.fixed_access_key_id() {
                add("access-key-id", short_id(id), provider.origin().to_owned());
            }
        }
        Err(error) => add("credentials", format!("unusable: {error:#}"), "the default chain".into()),
    }
    let width = settings.iter().map(|s| s.name.len()).max().unwrap_or(0);
    let text: Vec<String> =
        settings.iter().map(|s| format!("{:width$}  {}  ({})", s.name, s.value, s.source)).collect();
    let value = json!({
        "settings": settings.iter().map(|s| json!({"name": s.name, "value": s.value, "source": s.source})).collect::<Vec<_>>()
    });
    print(cli, value, &text.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_proxies_are_shortened() {
        assert_eq!(short_id("LTAI5tABCDEFGHIJKLMN"), "LTAI****KLMN");
        assert_eq!(short_id("short"), "****");
        assert_eq!(redact_userinfo("http://user:pass@proxy:3128"), "http://user:****@proxy:3128/");
        assert_eq!(redact_userinfo("http://proxy:3128"), "http://proxy:3128");
    }
}
