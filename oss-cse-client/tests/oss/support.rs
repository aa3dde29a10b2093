use oss_cse_client::{ClientConfig, Credentials, OssClient, RetryPolicy};
use oss_cse_emulator::{Emulator, EmulatorConfig};

pub struct Harness {
    pub emulator: Emulator,
    pub client: OssClient,
    pub _dir: tempfile::TempDir,
}

pub const BUCKET: &str = "test-bucket";

pub async fn start() -> Harness {
    start_with(|config| config).await
}

pub async fn start_with(adjust: impl FnOnce(ClientConfig) -> ClientConfig) -> Harness {
    start_configured(|emulator| emulator, adjust).await
}

/// An emulator with options (the strict ones), and a client of it.
pub async fn start_emulator_with(emulator: impl FnOnce(EmulatorConfig) -> EmulatorConfig) -> Harness {
    start_configured(emulator, |client| client).await
}

async fn start_configured(
    emulator: impl FnOnce(EmulatorConfig) -> EmulatorConfig,
    adjust: impl FnOnce(ClientConfig) -> ClientConfig,
) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let emulator = Emulator::start(emulator(EmulatorConfig::new(dir.path()))).await.unwrap();
    let config = ClientConfig::new(
        &emulator.endpoint(),
        Credentials::new(emulator.access_key_id(), emulator.access_key_secret()),
    )
    .unwrap()
    .retry(RetryPolicy { base_delay: std::time::Duration::from_millis(5), ..RetryPolicy::default() });
    let client = OssClient::new(adjust(config)).unwrap();
    client.put_bucket(BUCKET).await.unwrap();
    Harness { emulator, client, _dir: dir }
}

/// Deterministic test bytes.
pub fn data(len: usize, seed: u8) -> Vec<u8> {
    (0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed) ^ (i >> 8) as u8).collect()
}

/// Sends a request signed with V1 exactly as given (headers the client
/// would refuse to send included) and returns the status, the headers and
/// the body. `subresource` is the query string (`uploads&encoding-type=url`);
/// the sub-resources in it are signed.
pub async fn signed_raw(
    h: &Harness,
    method: &str,
    key: Option<&str>,
    subresource: Option<&str>,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, reqwest::header::HeaderMap, String) {
    let date = jiff::Timestamp::now().strftime("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let mut all: Vec<(String, String)> =
        headers.iter().map(|(k, v)| (k.to_ascii_lowercase(), (*v).to_owned())).collect();
    all.push(("date".to_owned(), date));
    // V1 signs the sub-resources among the parameters, as OSS checks them.
    let query: Vec<(String, Option<String>)> = subresource
        .unwrap_or_default()
        .split('&')
        .filter(|token| !token.is_empty())
        .map(|token| match token.split_once('=') {
            Some((k, v)) => {
                (k.to_owned(), Some(percent_encoding::percent_decode_str(v).decode_utf8_lossy().into_owned()))
            }
            None => (token.to_owned(), None),
        })
        .filter(|(k, _)| oss_cse_client::sign::V1_SUBRESOURCES.contains(&k.as_str()))
        .collect();
    let request =
        oss_cse_client::sign::SignableRequest { method, bucket: Some(BUCKET), key, query: &query, headers: &all };
    let credentials = Credentials::new(h.emulator.access_key_id(), h.emulator.access_key_secret());
    let authorization = oss_cse_client::sign::authorization_v1(&request, &credentials);
    let mut url = format!("{}/{BUCKET}/{}", h.emulator.endpoint(), key.unwrap_or(""));
    if let Some(sub) = subresource {
        url.push('?');
        url.push_str(sub.trim_start_matches('&'));
    }
    let mut builder =
        reqwest::Client::new().request(method.parse().unwrap(), url).header("authorization", authorization);
    for (k, v) in &all {
        builder = builder.header(k, v);
    }
    let reply = builder.body(body.to_owned()).send().await.unwrap();
    let (status, headers) = (reply.status().as_u16(), reply.headers().clone());
    (status, headers, reply.text().await.unwrap_or_default())
}

/// OSS's sub-resources that select an operation: the list V1 signs (the
/// official SDKs'), less `continuation-token` and `security-token`.
pub fn routing_subresources() -> impl Iterator<Item = &'static str> {
    oss_cse_client::sign::V1_SUBRESOURCES
        .iter()
        .copied()
        .filter(|s| !matches!(*s, "continuation-token" | "security-token"))
}
