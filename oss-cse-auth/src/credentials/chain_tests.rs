use std::collections::HashMap;

use super::*;

fn chain(home: &Path, vars: &[(&str, &str)]) -> CredentialChain {
    let mut map: HashMap<String, String> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    map.insert("HOME".into(), home.display().to_string());
    CredentialChain::with_lookup(move |name| map.get(name).cloned())
}

fn write(home: &Path, path: &str, text: &str) {
    let path = home.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const CLI: &str = r#"{"current": "main", "profiles": [
  {"name": "main", "mode": "AK", "access_key_id": "CLI_MAIN", "access_key_secret": "s"},
  {"name": "dev", "mode": "AK", "access_key_id": "CLI_DEV", "access_key_secret": "s"}]}"#;

#[test]
fn order_explicit_env_oidc_then_files_then_ecs() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    write(h, ".aliyun/config.json", CLI);
    write(h, ".ossutilconfig", "[Credentials]\naccessKeyID=OSSUTIL\naccessKeySecret=s\n");
    let explicit = chain(h, &[("OSS_ACCESS_KEY_ID", "ENV")]).credentials(Credentials::new("GIVEN", "s"));
    assert_eq!(explicit.resolve().unwrap().fixed_access_key_id(), Some("GIVEN"));
    let both = [("OSS_ACCESS_KEY_ID", "OSS"), ("OSS_ACCESS_KEY_SECRET", "s"), ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALI")];
    let env = chain(h, &both).resolve().unwrap();
    assert_eq!(env.fixed_access_key_id(), Some("OSS"));
    assert!(env.origin().contains("OSS_ACCESS_KEY_ID"), "{}", env.origin());
    let ali = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALI"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s"),
        ("ALIBABA_CLOUD_SECURITY_TOKEN", "t"),
    ];
    assert!(chain(h, &ali).resolve().unwrap().origin().contains("ALIBABA_CLOUD_SECURITY_TOKEN"));
    let oidc = [
        ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/r"),
        ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1:oidc-provider/p"),
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/t"),
    ];
    let provider = chain(h, &oidc).resolve().unwrap();
    assert!(provider.is_refreshed() && provider.origin().starts_with("OIDC"), "{}", provider.origin());
    // The CLI's current profile before ossutil's.
    let file = chain(h, &[]).resolve().unwrap();
    assert_eq!(file.fixed_access_key_id(), Some("CLI_MAIN"));
    assert!(file.origin().contains("\"main\"") && file.origin().contains("config.json"), "{}", file.origin());
    std::fs::remove_file(h.join(".aliyun/config.json")).unwrap();
    assert_eq!(chain(h, &[]).resolve().unwrap().fixed_access_key_id(), Some("OSSUTIL"));
    std::fs::remove_file(h.join(".ossutilconfig")).unwrap();
    let last = chain(h, &[]).resolve().unwrap();
    assert!(last.origin().starts_with("ECS RAM role"), "{}", last.origin());
    let error = chain(h, &[("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")]).resolve().unwrap_err().to_string();
    assert!(error.contains("no credentials found") && error.contains(".ossutilconfig"), "{error}");
}

#[test]
fn a_named_profile_wins_over_the_environment_and_must_exist() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    write(h, ".aliyun/config.json", CLI);
    write(h, ".alibabacloud/credentials", "[other]\naccess_key_id = SHARED\naccess_key_secret = s\n");
    let env = [("OSS_ACCESS_KEY_ID", "ENV"), ("OSS_ACCESS_KEY_SECRET", "s")];
    assert_eq!(chain(h, &env).profile("dev").resolve().unwrap().fixed_access_key_id(), Some("CLI_DEV"));
    // ALIBABA_CLOUD_PROFILE picks the profile but leaves env keys first.
    let with_var = [("OSS_ACCESS_KEY_ID", "ENV"), ("OSS_ACCESS_KEY_SECRET", "s"), ("ALIBABA_CLOUD_PROFILE", "dev")];
    assert_eq!(chain(h, &with_var).resolve().unwrap().fixed_access_key_id(), Some("ENV"));
    assert_eq!(chain(h, &[("ALIBABA_CLOUD_PROFILE", "dev")]).resolve().unwrap().fixed_access_key_id(), Some("CLI_DEV"));
    // A profile only the second file has.
    assert_eq!(chain(h, &[]).profile("other").resolve().unwrap().fixed_access_key_id(), Some("SHARED"));
    let error = chain(h, &[]).profile("nope").resolve().unwrap_err().to_string();
    assert!(error.contains("\"nope\"") && error.contains("no such profile"), "{error}");
}

#[test]
fn files_found_by_variable_and_broken_files_are_errors() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    write(
        h,
        "elsewhere.json",
        r#"{"profiles": [{"name": "default", "mode": "AK", "access_key_id": "VAR", "access_key_secret": "s"}]}"#,
    );
    let var = [("ALIBABA_CLOUD_CONFIG_FILE", h.join("elsewhere.json").display().to_string())];
    let vars: Vec<(&str, &str)> = var.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(chain(h, &vars).resolve().unwrap().fixed_access_key_id(), Some("VAR"));
    write(h, ".aliyun/config.json", "{ broken");
    let error = chain(h, &[]).resolve().unwrap_err().to_string();
    assert!(error.contains("config.json") && error.contains("line 1"), "{error}");
    write(h, ".aliyun/config.json", r#"{"current": "x", "profiles": [{"name": "x", "mode": "CloudSSO"}]}"#);
    assert!(chain(h, &[]).resolve().unwrap_err().to_string().contains("CloudSSO"));
}
