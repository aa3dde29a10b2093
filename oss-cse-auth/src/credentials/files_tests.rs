use super::*;

fn defaults() -> RemoteDefaults {
    RemoteDefaults {
        sts_endpoint: "https://sts.example".into(),
        ecs_endpoint: "http://169.254.0.1".into(),
        session_name: "session".into(),
        imdsv1_allowed: true,
    }
}

const CLI_CONFIG: &str = r#"{
  "current": "ak",
  "profiles": [
    {"name": "ak", "mode": "AK", "access_key_id": "AKID", "access_key_secret": "AKSECRET", "sts_token": "", "region_id": "cn-hangzhou"},
    {"name": "sts", "mode": "StsToken", "access_key_id": "STS.ID", "access_key_secret": "S", "sts_token": "TOKEN"},
    {"name": "role", "mode": "RamRoleArn", "access_key_id": "AKID", "access_key_secret": "S", "ram_role_arn": "acs:ram::1:role/r", "ram_session_name": "mine", "expired_seconds": 900},
    {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "EcsRole"},
    {"name": "oidc", "mode": "OIDC", "ram_role_arn": "acs:ram::1:role/r", "oidc_provider_arn": "acs:ram::1:oidc-provider/p", "oidc_token_file": "/var/run/token"},
    {"name": "chain", "mode": "ChainableRamRoleArn", "source_profile": "ak"},
    {"name": "sso", "mode": "CloudSSO"},
    {"name": "broken", "mode": "RamRoleArn", "access_key_id": "AKID", "access_key_secret": "S"}
  ]
}"#;

fn cli(profile: Option<&str>) -> Result<Option<Found>, FileError> {
    aliyun_cli(CLI_CONFIG, profile, &defaults())
}

#[test]
fn cli_config_every_mode() {
    let current = cli(None).unwrap().unwrap();
    assert_eq!((current.profile.as_str(), current.mode.as_str()), ("ak", "AK"));
    assert!(matches!(&current.recipe, Recipe::Fixed(c) if c.access_key_id() == "AKID" && c.security_token().is_none()));
    let sts = cli(Some("sts")).unwrap().unwrap();
    assert!(matches!(&sts.recipe, Recipe::Fixed(c) if c.security_token() == Some("TOKEN")));
    let Recipe::AssumeRole(role) = cli(Some("role")).unwrap().unwrap().recipe else { panic!("not AssumeRole") };
    assert_eq!(
        (role.role_arn.as_str(), role.session_name.as_str(), role.duration_secs),
        ("acs:ram::1:role/r", "mine", 900)
    );
    assert_eq!(role.sts_endpoint, "https://sts.example");
    let Recipe::Ecs(ecs) = cli(Some("ecs")).unwrap().unwrap().recipe else { panic!("not ECS") };
    assert_eq!(ecs.role_name.as_deref(), Some("EcsRole"));
    assert!(!ecs.last_resort);
    let Recipe::Oidc(oidc) = cli(Some("oidc")).unwrap().unwrap().recipe else { panic!("not OIDC") };
    assert_eq!(oidc.token_file, std::path::PathBuf::from("/var/run/token"));
    assert_eq!(oidc.session_name, "session");
}

#[test]
fn cli_config_refusals_name_the_profile() {
    assert!(cli(Some("chain")).err().unwrap().contains("ChainableRamRoleArn"));
    assert!(cli(Some("sso")).err().unwrap().contains("CloudSSO"));
    assert!(cli(Some("broken")).err().unwrap().contains("ram_role_arn"));
    assert!(cli(Some("absent")).unwrap().is_none());
    let error = aliyun_cli("{not json", None, &defaults()).err().unwrap();
    assert!(error.contains("line 1"), "{error}");
    // No current profile and no "default": nothing.
    assert!(aliyun_cli(r#"{"profiles": []}"#, None, &defaults()).unwrap().is_none());
    // A current profile the file does not have is an error, never a reason
    // to fall through to another file's profile (another account).
    let dangling = r#"{"current": "prod", "profiles": [{"name": "default", "mode": "AK", "access_key_id": "a", "access_key_secret": "s"}]}"#;
    let error = aliyun_cli(dangling, None, &defaults()).err().unwrap();
    assert!(error.contains("current profile \"prod\""), "{error}");
}

#[test]
fn errors_never_quote_a_secret() {
    let text = r#"{"profiles": [{"name": "default", "mode": "AK", "access_key_secret": "TOPSECRET"}]}"#;
    let error = aliyun_cli(text, None, &defaults()).err().unwrap();
    assert!(error.contains("access_key_id") && !error.contains("TOPSECRET"), "{error}");
    let error = aliyun_cli(r#"{"profiles": [{"name": "TOPSECRET" "#, None, &defaults()).err().unwrap();
    assert!(!error.contains("TOPSECRET"), "{error}");
}

const SHARED: &str = "
[default]
enable = true
type = access_key
access_key_id = AKID
access_key_secret = SECRET

[role]
type = ram_role_arn
access_key_id = AKID
access_key_secret = SECRET
role_arn = acs:ram::1:role/r
role_session_name = s1

[ecs]
type = ecs_ram_role
role_name = EcsRole

[oidc]
type = oidc_role_arn
role_arn = acs:ram::1:role/r
oidc_provider_arn = acs:ram::1:oidc-provider/p
oidc_token_file_path = /token

[off]
enable = false
access_key_id = X
access_key_secret = Y

[rsa]
type = rsa_key_pair
";

#[test]
fn shared_credentials_file_every_type() {
    let d = defaults();
    let found = shared_credentials(SHARED, None, &d).unwrap().unwrap();
    assert!(matches!(&found.recipe, Recipe::Fixed(c) if c.access_key_secret() == "SECRET"));
    assert!(
        matches!(shared_credentials(SHARED, Some("role"), &d).unwrap().unwrap().recipe, Recipe::AssumeRole(ref r) if r.session_name == "s1")
    );
    assert!(matches!(shared_credentials(SHARED, Some("ecs"), &d).unwrap().unwrap().recipe, Recipe::Ecs(_)));
    assert!(matches!(shared_credentials(SHARED, Some("oidc"), &d).unwrap().unwrap().recipe, Recipe::Oidc(_)));
    assert!(shared_credentials(SHARED, Some("off"), &d).is_err());
    assert!(shared_credentials(SHARED, Some("rsa"), &d).err().unwrap().contains("rsa_key_pair"));
    assert!(shared_credentials(SHARED, Some("absent"), &d).unwrap().is_none());
    assert!(shared_credentials("[default\nx", None, &d).is_err());
}

#[test]
fn ossutil_one_and_two() {
    let d = defaults();
    let v1 =
        "[Credentials]\nlanguage=EN\nendpoint=oss-cn-hangzhou.aliyuncs.com\naccessKeyID=AKID\naccessKeySecret=S1\n";
    let found = ossutil(v1, None, &d).unwrap().unwrap();
    assert_eq!((found.profile.as_str(), found.mode.as_str()), ("Credentials", "AK"));
    let v2 = "[default]\naccessKeyID=A\naccessKeySecret=B\nregion=cn-hangzhou\n\n[profile dev]\naccessKeyId=C\naccessKeySecret=D\nstsToken=T\n\n[profile ecs]\necsRoleName=R\n";
    assert!(matches!(ossutil(v2, None, &d).unwrap().unwrap().recipe, Recipe::Fixed(ref c) if c.access_key_id() == "A"));
    let dev = ossutil(v2, Some("dev"), &d).unwrap().unwrap();
    assert_eq!(dev.mode, "StsToken");
    assert!(matches!(dev.recipe, Recipe::Fixed(ref c) if c.security_token() == Some("T")));
    assert!(matches!(ossutil(v2, Some("ecs"), &d).unwrap().unwrap().recipe, Recipe::Ecs(_)));
    assert!(ossutil("[default]\naccessKeyID=A\n", None, &d).err().unwrap().contains("accessKeySecret"));
}

#[test]
fn profiles_say_where_oss_is() {
    let place = |profile, region: Option<&str>| Place {
        profile: String::from(profile),
        endpoint: None,
        region: region.map(str::to_owned),
    };
    assert_eq!(aliyun_cli_place(CLI_CONFIG, None).unwrap(), Some(place("ak", Some("cn-hangzhou"))));
    assert_eq!(aliyun_cli_place(CLI_CONFIG, Some("sts")).unwrap(), None, "no region_id");
    assert!(aliyun_cli_place("{", None).is_err());

    let ossutil1 =
        "[Credentials]\nlanguage=EN\nendpoint=oss-cn-shanghai.aliyuncs.com\naccessKeyID=A\naccessKeySecret=S\n";
    let found = ossutil_place(ossutil1, None).unwrap().unwrap();
    assert_eq!((found.endpoint.as_deref(), found.region), (Some("oss-cn-shanghai.aliyuncs.com"), None));
    let ossutil2 = "[default]\naccessKeyId=A\naccessKeySecret=S\nregion=cn-beijing\n\n[profile dev]\nregion=ap-southeast-1\nendpoint=https://oss-ap-southeast-1-internal.aliyuncs.com\n";
    let found = ossutil_place(ossutil2, None).unwrap().unwrap();
    assert_eq!(
        (found.profile.as_str(), found.region.as_deref(), found.endpoint),
        ("default", Some("cn-beijing"), None)
    );
    let dev = ossutil_place(ossutil2, Some("dev")).unwrap().unwrap();
    assert_eq!(dev.endpoint.as_deref(), Some("https://oss-ap-southeast-1-internal.aliyuncs.com"));
    assert_eq!(ossutil_place("[Credentials]\naccessKeyID=A\n", None).unwrap(), None);
}
