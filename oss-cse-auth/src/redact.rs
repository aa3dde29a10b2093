//! URLs as they may be shown: in messages, `oss-cse config` and logs. A
//! password in a URL (`https://user:pw@host`, as proxies take) is replaced by
//! `****`; nothing else is changed.

/// `url` with any password replaced by `****`. A text that is not a URL but
/// holds an `@` (so may hold one) is shown only by what follows its last `@`.
pub fn redact_url(url: &str) -> String {
    // Without a scheme, `user:pw@host` would parse as a URL of scheme `user`.
    let parsed = url.contains("://").then(|| url::Url::parse(url).ok()).flatten();
    match parsed {
        Some(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("****"));
            parsed.to_string()
        }
        Some(_) => url.to_owned(),
        None => match url.rsplit_once('@') {
            Some((_, host)) => format!("****@{host}"),
            None => url.to_owned(),
        },
    }
}

/// Whether `url` carries a user name or password: never wanted in an OSS,
/// KMS or STS endpoint, whose requests are signed.
pub fn has_userinfo(url: &str) -> bool {
    let with_scheme = if url.contains("://") { url.to_owned() } else { format!("https://{url}") };
    match url::Url::parse(&with_scheme) {
        Ok(parsed) => !parsed.username().is_empty() || parsed.password().is_some(),
        Err(_) => url.contains('@'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_masked_and_the_rest_kept() {
        assert_eq!(redact_url("http://user:pass@proxy:3128"), "http://user:****@proxy:3128/");
        assert_eq!(redact_url("https://oss-cn-hangzhou.aliyuncs.com"), "https://oss-cn-hangzhou.aliyuncs.com");
        assert_eq!(redact_url("http://user@proxy:3128"), "http://user@proxy:3128");
        assert_eq!(redact_url("user:secret@host:1"), "****@host:1");
        assert!(!redact_url("https://a:s3cr%3At@h/").contains("s3cr"));
        assert!(has_userinfo("https://a:b@oss-cn-hangzhou.aliyuncs.com"));
        assert!(has_userinfo("a@oss-cn-hangzhou.aliyuncs.com"));
        assert!(!has_userinfo("oss-cn-hangzhou.aliyuncs.com"));
        assert!(!has_userinfo("http://127.0.0.1:9000"));
    }
}
