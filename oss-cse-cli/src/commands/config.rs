//! `oss-cse config`: the settings a command would use and where each came
//! from (a flag, the environment, a file, a default), so a user can see why
//! a command talks to an endpoint or signs as someone. Never a secret.

use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory as _};
use serde_json::json;

use oss_cse_client::auth::redact_url;

use crate::session::Session;

/// One line of the report.
struct Setting {
    name: &'static str,
    value: String,
    source: String,
}

/// Where clap found an argument (`--endpoint`, `OSS_ENDPOINT`): `all` are
/// the whole command line's matches, whose connection flags may also come
/// before the command (`leading_<id>`).
fn source_of(all: Option<&ArgMatches>, id: &str, flag: &str, env: Option<&str>) -> String {
    let command = all.and_then(|m| m.subcommand_matches("config"));
    let leading = all.and_then(|m| m.value_source(&format!("leading_{id}")));
    match (command.and_then(|m| m.value_source(id)), leading) {
        (Some(ValueSource::CommandLine), _) => flag.to_owned(),
        (_, Some(ValueSource::CommandLine)) => format!("{flag} before the command"),
        (Some(ValueSource::EnvVariable), _) => format!("environment {}", env.unwrap_or("variable")),
        _ => "default".to_owned(),
    }
}

/// The proxy the OSS client would use for `endpoint`, and where that comes
/// from: `--proxy`; none for a loopback endpoint; else what reqwest reads
/// from the environment for the endpoint's scheme (`HTTPS_PROXY` or
/// `HTTP_PROXY`, then `ALL_PROXY`), unless `NO_PROXY` names the host.
fn proxy(session: &Session, matches: Option<&ArgMatches>, endpoint: Option<&str>) -> (String, String) {
    if let Some(proxy) = &session.connection.proxy {
        return (redact_url(proxy), source_of(matches, "proxy", "--proxy", None));
    }
    let Some(endpoint) = endpoint else { return ("none".into(), "no endpoint".into()) };
    let url =
        url::Url::parse(&if endpoint.contains("://") { endpoint.to_owned() } else { format!("https://{endpoint}") });
    let Ok(url) = url else { return ("none".into(), "the endpoint is not a URL".into()) };
    let host = url.host_str().unwrap_or_default().trim_matches(['[', ']']);
    if host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback()) {
        return ("none".into(), "a loopback endpoint is never proxied".into());
    }
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if let Some(excluded) = var("NO_PROXY").or_else(|| var("no_proxy")) {
        let named = excluded.split(',').map(str::trim).filter(|e| !e.is_empty()).any(|entry| {
            let entry = entry.trim_start_matches('.');
            entry == "*" || host == entry || host.ends_with(&format!(".{entry}"))
        });
        if named {
            return ("none".into(), "environment NO_PROXY names the host".into());
        }
    }
    let names: &[&str] = match url.scheme() {
        "http" => &["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"],
        _ => &["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"],
    };
    for name in names {
        if let Some(value) = var(name) {
            return (redact_url(&value), format!("environment {name}, for {} endpoints", url.scheme()));
        }
    }
    ("none".into(), "default".into())
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

pub(crate) fn show(session: &Session) -> anyhow::Result<()> {
    let all = crate::Cli::command().try_get_matches_from(std::env::args_os()).ok();
    let matches = all.as_ref();
    let connection = &session.connection;
    let mut settings = Vec::new();
    let mut add = |name, value: String, source: String| settings.push(Setting { name, value, source });
    let place = match session.place() {
        Ok(place) => place,
        Err(error) => {
            add("endpoint", format!("unusable: {error:#}"), "a profile file".into());
            crate::session::Place::default()
        }
    };
    let from_file = |what: &str| place.origin.as_ref().map(|origin| format!("{what} of {origin}"));
    let region_endpoint = |region: &str| {
        let suffix = if connection.internal { "-internal" } else { "" };
        format!("https://oss-{region}{suffix}.aliyuncs.com")
    };
    match (&place.endpoint, &place.region) {
        (Some(endpoint), _) => {
            let source = from_file("endpoint")
                .unwrap_or_else(|| source_of(matches, "endpoint", "--endpoint", Some("OSS_ENDPOINT")));
            add("endpoint", redact_url(endpoint), source)
        }
        (None, Some(region)) => add("endpoint", region_endpoint(region), "from the region".into()),
        (None, None) => add(
            "endpoint",
            "none (set --endpoint, OSS_ENDPOINT or --region, or endpoint/region in a profile)".into(),
            "default".into(),
        ),
    }
    let config = session.oss_client().ok().map(|client| client.config().clone());
    match (&place.region, config.as_ref().and_then(|c| c.region_name())) {
        (Some(region), _) => {
            let source =
                from_file("region").unwrap_or_else(|| source_of(matches, "region", "--region", Some("OSS_REGION")));
            add("region", region.clone(), source)
        }
        (None, Some(region)) => add("region", region.to_owned(), "from the endpoint".into()),
        (None, None) => add("region", "none".into(), "default".into()),
    }
    if let Some(config) = &config {
        add("signature", format!("{:?}", config.signature_version()), "V4 whenever a region is known".into());
        add("addressing", format!("{:?}", config.addressing_style()), "default, --path-style or --cname".into());
    }
    let endpoint = place.endpoint.clone().or_else(|| place.region.as_deref().map(region_endpoint));
    let (proxy, proxy_source) = proxy(session, matches, endpoint.as_deref());
    add("proxy", proxy, proxy_source);
    if let Some(path) = &connection.ca_bundle {
        add("ca-bundle", path.display().to_string(), "--ca-bundle".into());
    }
    if let Some(profile) = &connection.profile {
        add("profile", profile.clone(), "--profile".into());
    } else if let Ok(profile) = std::env::var("ALIBABA_CLOUD_PROFILE") {
        add("profile", profile, "environment ALIBABA_CLOUD_PROFILE".into());
    }
    match session.credentials() {
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
    session.print(value, &text.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_proxies_are_shortened() {
        assert_eq!(short_id("LTAI5tABCDEFGHIJKLMN"), "LTAI****KLMN");
        assert_eq!(short_id("short"), "****");
        assert_eq!(redact_url("http://user:pass@proxy:3128"), "http://user:****@proxy:3128/");
        assert_eq!(redact_url("http://proxy:3128"), "http://proxy:3128");
    }
}
