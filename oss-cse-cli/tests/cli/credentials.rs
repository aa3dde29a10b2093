//! Credential sources through the binary: a profile of the Alibaba Cloud
//! CLI's config file, the ECS metadata service, and `oss-cse config`.

use super::*;

fn without_keys(env: &Env, args: &[&str]) -> Command {
    let mut command = env.command(args);
    command.env_remove("OSS_ACCESS_KEY_ID").env_remove("OSS_ACCESS_KEY_SECRET");
    command
}

fn write_profile(env: &Env, name: &str) {
    let config = serde_json::json!({
        "current": "other",
        "profiles": [
            {"name": "other", "mode": "AK", "access_key_id": "WRONGID", "access_key_secret": "WRONG"},
            {"name": name, "mode": "AK",
             "access_key_id": env.emulator().access_key_id(), "access_key_secret": env.emulator().access_key_secret()}
        ]
    });
    let path = Path::new(&env.path("home")).join(".aliyun/config.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, config.to_string()).unwrap();
}

#[test]
fn a_profile_of_the_aliyun_cli_config() {
    let env = Env::new();
    env.bucket("bkt");
    write_profile(&env, "team");
    let out = without_keys(&env, &["ls", "--profile", "team", "oss://bkt/"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // The file's current profile holds keys OSS refuses.
    let out = without_keys(&env, &["ls", "oss://bkt/"]).output().unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", String::from_utf8_lossy(&out.stderr));
    let out = without_keys(&env, &["ls", "--profile", "absent", "oss://bkt/"]).output().unwrap();
    assert_eq!(out.status.code(), Some(5));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("\"absent\"") && stderr.contains("no such profile"), "{stderr}");

    let out = without_keys(&env, &["config", "--profile", "team", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let setting = |name: &str| {
        report["settings"].as_array().unwrap().iter().find(|s| s["name"] == name).cloned().unwrap_or_default()
    };
    let origin = setting("credentials")["source"].as_str().unwrap().to_owned();
    assert!(origin.contains("\"team\"") && origin.contains("config.json"), "{origin}");
    assert_eq!(setting("endpoint")["source"], "environment OSS_ENDPOINT");
    assert_eq!(setting("profile")["source"], "--profile");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains(env.emulator().access_key_secret()) && !text.contains(env.emulator().access_key_id()));
}

#[test]
fn the_ecs_instance_role() {
    let env = Env::new();
    env.bucket("bkt");
    std::fs::write(env.path("plain.txt"), b"from an ECS instance").unwrap();
    let ecs = |args: &[&str]| {
        let mut command = without_keys(&env, args);
        command
            .env_remove("ALIBABA_CLOUD_ECS_METADATA_DISABLED")
            .env("ALIBABA_CLOUD_ECS_METADATA_SERVICE_ENDPOINT", env.emulator().metadata_endpoint());
        command
    };
    let (public, private) = (env.key("keys1", "public"), env.key("keys1", "private"));
    let out = ecs(&["cp", &env.path("plain.txt"), "oss://bkt/ecs.txt", "--rsa-public-key", &public]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = ecs(&["cat", "oss://bkt/ecs.txt", "--rsa-private-key", &private]).output().unwrap();
    assert_eq!(out.stdout, b"from an ECS instance", "{}", String::from_utf8_lossy(&out.stderr));
    let out = ecs(&["config"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("ECS RAM role"));
}

/// `oss-cse config` names the proxy the environment selects for the
/// endpoint's scheme (none for loopback or a host NO_PROXY names), and never
/// shows a password in a proxy or endpoint URL; an endpoint with one is
/// refused without echoing it.
#[test]
fn config_shows_the_proxy_for_the_endpoint_and_no_password() {
    let env = Env::new();
    let report = |endpoint: &str, vars: &[(&str, &str)]| -> (String, String, String) {
        let mut command = env.command(&["config", "--json", "--endpoint", endpoint]);
        for name in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"] {
            command.env_remove(name);
        }
        for (name, value) in vars {
            command.env(name, value);
        }
        let out = command.output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let setting = |name: &str| report["settings"].as_array().unwrap().iter().find(|s| s["name"] == name).cloned();
        let proxy = setting("proxy").unwrap();
        let endpoint = setting("endpoint").unwrap()["value"].as_str().unwrap().to_owned();
        (proxy["value"].as_str().unwrap().to_owned(), proxy["source"].as_str().unwrap().to_owned(), endpoint)
    };
    let vars = [("HTTP_PROXY", "http://u:plainpw@p1:3128"), ("HTTPS_PROXY", "http://u:tlspw@p2:3128")];
    let (proxy, source, _) = report("http://oss.example.com", &vars);
    assert_eq!(
        (proxy.as_str(), source.as_str()),
        ("http://u:****@p1:3128/", "environment HTTP_PROXY, for http endpoints")
    );
    let (proxy, source, _) = report("https://oss-cn-hangzhou.aliyuncs.com", &vars);
    assert_eq!(proxy, "http://u:****@p2:3128/", "{source}");
    let (proxy, source, _) = report("http://127.0.0.1:9000", &vars);
    assert_eq!(proxy, "none", "{source}");
    let no_proxy = [vars[0], vars[1], ("NO_PROXY", ".aliyuncs.com")];
    let (proxy, source, _) = report("oss-cn-hangzhou.aliyuncs.com", &no_proxy);
    assert_eq!((proxy.as_str(), source.as_str()), ("none", "environment NO_PROXY names the host"));
    let (_, _, endpoint) = report("https://user:endpointpw@oss.example.com", &[]);
    assert!(!endpoint.contains("endpointpw"), "{endpoint}");
    let out = env.run(&["ls", "--endpoint", "https://user:endpointpw@oss.example.com", "oss://bkt/"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("user name or password") && !stderr.contains("endpointpw"), "{stderr}");
}

/// An ossutil user's working `~/.ossutilconfig` (endpoint and keys) is
/// enough: no flag or variable has to name the endpoint again. Flags and
/// the environment still come first, and `config` says where each came from;
/// the Alibaba Cloud CLI's `region_id` names a region the same way.
#[test]
fn the_endpoint_and_region_of_a_profile() {
    let env = Env::new();
    env.bucket("bkt");
    std::fs::write(env.path("plain.txt"), b"an ossutil user").unwrap();
    env.ok(&["cp", &env.path("plain.txt"), "oss://bkt/plain.txt", "--rsa-public-key", &env.key("keys1", "public")]);
    let emulator = env.emulator();
    let ossutil = format!(
        "[Credentials]\nlanguage=EN\nendpoint={}\naccessKeyID={}\naccessKeySecret={}\n",
        emulator.endpoint(),
        emulator.access_key_id(),
        emulator.access_key_secret()
    );
    let path = Path::new(&env.path("home")).join(".ossutilconfig");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, ossutil).unwrap();
    let run = |args: &[&str]| without_keys(&env, args).env_remove("OSS_ENDPOINT").output().unwrap();
    let out = run(&["cat", "oss://bkt/plain.txt", "--decrypt-key", &env.key("keys1", "private")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.stdout, b"an ossutil user");

    let out = run(&["config", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let setting = |name: &str| {
        report["settings"].as_array().unwrap().iter().find(|s| s["name"] == name).cloned().unwrap_or_default()
    };
    assert_eq!(setting("endpoint")["value"], emulator.endpoint());
    let source = setting("endpoint")["source"].as_str().unwrap().to_owned();
    assert!(source.contains("endpoint of profile \"Credentials\"") && source.contains(".ossutilconfig"), "{source}");

    // A flag or variable wins over the file.
    let out = without_keys(&env, &["ls", "oss://bkt/"]).env("OSS_ENDPOINT", "http://127.0.0.1:9").output().unwrap();
    assert!(!out.status.success());

    // The CLI's region_id, when ossutil's file names no place.
    std::fs::remove_file(&path).unwrap();
    let cli = serde_json::json!({"current": "p", "profiles": [{"name": "p", "mode": "AK", "access_key_id": "A",
        "access_key_secret": "S", "region_id": "cn-shenzhen"}]});
    let path = Path::new(&env.path("home")).join(".aliyun/config.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, cli.to_string()).unwrap();
    let out = run(&["config", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let region = report["settings"].as_array().unwrap().iter().find(|s| s["name"] == "region").unwrap().clone();
    assert_eq!(region["value"], "cn-shenzhen");
    assert!(region["source"].as_str().unwrap().contains("config.json"), "{region}");
}
