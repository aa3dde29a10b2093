use super::*;

fn params(form: &str) -> Vec<(String, String)> {
    form.split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap();
            let decode = |s: &str| {
                let bytes = s.as_bytes();
                let mut out = Vec::new();
                let mut i = 0;
                while i < bytes.len() {
                    if bytes[i] == b'%' {
                        out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                        i += 3;
                    } else {
                        out.push(bytes[i]);
                        i += 1;
                    }
                }
                String::from_utf8(out).unwrap()
            };
            (decode(k), decode(v))
        })
        .collect()
}

#[test]
fn assume_role_is_signed_over_every_parameter() {
    let role = AssumeRole {
        base: Credentials::new("AKID", "SECRET").with_security_token("TOK"),
        role_arn: "acs:ram::1:role/r".into(),
        session_name: "s".into(),
        external_id: Some("ext".into()),
        duration_secs: 900,
        sts_endpoint: "https://sts.example".into(),
    };
    let now: jiff::Timestamp = "2026-12-04T12:00:00Z".parse().unwrap();
    let mut all = params(&role.form("nonce", now));
    let get = |name: &str, all: &[(String, String)]| all.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    assert_eq!(get("Action", &all).as_deref(), Some("AssumeRole"));
    assert_eq!(get("SecurityToken", &all).as_deref(), Some("TOK"));
    assert_eq!(get("ExternalId", &all).as_deref(), Some("ext"));
    assert_eq!(get("Timestamp", &all).as_deref(), Some("2026-12-04T12:00:00Z"));
    let given = get("Signature", &all).unwrap();
    all.retain(|(k, _)| k != "Signature");
    assert_eq!(signature("POST", &all, "SECRET"), given);
    assert!(!role.form("nonce", now).contains("SECRET"));
}

#[test]
fn oidc_is_anonymous() {
    let role = OidcRole {
        role_arn: "acs:ram::1:role/r".into(),
        provider_arn: "acs:ram::1:oidc-provider/p".into(),
        token_file: "/t".into(),
        session_name: "s".into(),
        duration_secs: 3600,
        sts_endpoint: "https://sts.example".into(),
    };
    let all = params(&role.form("eyJ.token", jiff::Timestamp::now()));
    assert!(all.iter().any(|(k, v)| k == "OIDCToken" && v == "eyJ.token"));
    assert!(!all.iter().any(|(k, _)| k == "Signature" || k == "AccessKeyId"));
}

#[test]
fn sts_replies() {
    let ok = br#"{"RequestId":"r","Credentials":{"AccessKeyId":"STS.x","AccessKeySecret":"s","SecurityToken":"t","Expiration":"2026-12-04T13:00:00Z"}}"#;
    let credentials = parse_sts_reply("AssumeRole", 200, ok).unwrap();
    assert_eq!(credentials.security_token(), Some("t"));
    let expected: jiff::Timestamp = "2026-12-04T13:00:00Z".parse().unwrap();
    let seconds = credentials.expiration().unwrap().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs();
    assert_eq!(seconds as i64, expected.as_second());
    let refused = br#"{"RequestId":"r1","Code":"NoPermission","Message":"You are not authorized"}"#;
    let error = parse_sts_reply("AssumeRole", 403, refused).unwrap_err();
    assert!(error.to_string().contains("NoPermission") && error.to_string().contains("r1"), "{error}");
    let error = parse_sts_reply("AssumeRole", 502, b"<html>").unwrap_err();
    assert!(error.to_string().contains("HTTP502"), "{error}");
    // A reply quoting a secret in a malformed field is not echoed.
    let bad = br#"{"Credentials":{"AccessKeyId":"STS.x","AccessKeySecret":"TOPSECRET","SecurityToken":"t","Expiration":"soon"}}"#;
    let error = parse_sts_reply("AssumeRole", 200, bad).unwrap_err().to_string();
    assert!(error.contains("Expiration") && !error.contains("TOPSECRET"), "{error}");
    let error = parse_sts_reply("AssumeRole", 200, br#"{"Credentials": {"AccessKeySecret": "TOPSECRET""#).unwrap_err();
    assert!(!error.to_string().contains("TOPSECRET"));
}

#[test]
fn metadata_replies() {
    let ok = br#"{"AccessKeyId":"STS.e","AccessKeySecret":"s","Expiration":"2026-12-04T18:00:00Z","SecurityToken":"t","LastUpdated":"2026-12-04T12:00:00Z","Code":"Success"}"#;
    assert_eq!(parse_imds_reply(ok).unwrap().access_key_id(), "STS.e");
    assert!(parse_imds_reply(br#"{"Code":"Failed"}"#).unwrap_err().to_string().contains("Failed"));
    assert!(parse_imds_reply(b"nope").is_err());
}

#[tokio::test]
async fn an_oidc_token_file_is_read_up_to_a_bound() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "eyJ.token.sig\n").unwrap();
    assert_eq!(read_token_file(&token).await.unwrap().trim(), "eyJ.token.sig");
    let error = read_token_file(std::path::Path::new("/dev/zero")).await.unwrap_err().to_string();
    assert!(error.contains("larger than 65536 bytes"), "{error}");
}

#[test]
fn sts_and_metadata_failures_name_their_service() {
    let error = parse_sts_reply("AssumeRoleWithOIDC", 403, br#"{"Code":"NoPermission","Message":"m","RequestId":"R"}"#)
        .unwrap_err()
        .to_string();
    assert!(error.starts_with("STS AssumeRoleWithOIDC: HTTP 403 NoPermission"), "{error}");
    assert!(!error.contains("KMS"), "{error}");
    let error = parse_imds_reply(br#"{"Code":"Failure"}"#).unwrap_err().to_string();
    assert!(error.starts_with("ECS metadata: invalid response"), "{error}");
}
