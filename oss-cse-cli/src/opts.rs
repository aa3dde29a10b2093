//! Option groups that several commands take, each flattened only into the
//! commands it applies to, so that every `--help` lists what matters there.
//! After parsing, the command's groups are lifted into [`crate::session::Session`].

use std::path::PathBuf;

/// Where OSS is and how to reach it.
#[derive(clap::Args, Debug, Clone, Default)]
pub(crate) struct ConnectionArgs {
    /// OSS endpoint, e.g. https://oss-cn-hangzhou.aliyuncs.com.
    #[arg(long, global = true, env = "OSS_ENDPOINT", value_name = "URL")]
    pub endpoint: Option<String>,
    /// OSS region (enables V4 signing), e.g. cn-hangzhou; without --endpoint
    /// it names the region's public endpoint (VPC endpoint with --internal).
    #[arg(long, global = true, env = "OSS_REGION")]
    pub region: Option<String>,
    /// With --region and no --endpoint: the region's VPC endpoint
    /// (oss-<region>-internal.aliyuncs.com), for ECS instances.
    #[arg(long, global = true)]
    pub internal: bool,
    /// Address buckets in the path (https://endpoint/bucket/key) instead of
    /// the host name.
    #[arg(long, global = true)]
    pub path_style: bool,
    /// The endpoint is a CNAME bound to the bucket (https://cname/key).
    #[arg(long, global = true, conflicts_with = "path_style")]
    pub cname: bool,
    /// Proxy for OSS and KMS requests (http://host:port). Without it
    /// HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY are honoured;
    /// endpoints on this machine are always reached directly.
    #[arg(long, global = true, value_name = "URL")]
    pub proxy: Option<String>,
    /// Trust the CA certificates in this PEM file too (a private endpoint,
    /// a TLS-inspecting proxy).
    #[arg(long, global = true, value_name = "FILE")]
    pub ca_bundle: Option<PathBuf>,
    /// Use this profile of ~/.aliyun/config.json, ~/.alibabacloud/credentials
    /// or ~/.ossutilconfig (ALIBABA_CLOUD_PROFILE names one too, after any
    /// keys in the environment).
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
}

/// Connection flags given before the command (`oss-cse --endpoint URL cp
/// …`), as aws-cli and ossutil take them. The same flag after the command
/// wins; either wins over the environment. Hidden: each command's help
/// lists them where they apply.
#[derive(clap::Args, Debug, Clone, Default)]
pub(crate) struct LeadingConnectionArgs {
    #[arg(long = "endpoint", id = "leading_endpoint", value_name = "URL", hide = true)]
    endpoint: Option<String>,
    #[arg(long = "region", id = "leading_region", hide = true)]
    region: Option<String>,
    #[arg(long = "internal", id = "leading_internal", hide = true)]
    internal: bool,
    #[arg(long = "path-style", id = "leading_path_style", hide = true)]
    path_style: bool,
    #[arg(long = "cname", id = "leading_cname", hide = true)]
    cname: bool,
    #[arg(long = "proxy", id = "leading_proxy", value_name = "URL", hide = true)]
    proxy: Option<String>,
    #[arg(long = "ca-bundle", id = "leading_ca_bundle", value_name = "FILE", hide = true)]
    ca_bundle: Option<PathBuf>,
    #[arg(long = "profile", id = "leading_profile", value_name = "NAME", hide = true)]
    profile: Option<String>,
}

impl LeadingConnectionArgs {
    /// Whether any was given.
    pub(crate) fn any(&self) -> bool {
        self.endpoint.is_some()
            || self.region.is_some()
            || self.internal
            || self.path_style
            || self.cname
            || self.proxy.is_some()
            || self.ca_bundle.is_some()
            || self.profile.is_some()
    }
}

impl ConnectionArgs {
    /// These settings with `leading` applied to each that was not given
    /// after the command (`after(id)` says which were).
    pub(crate) fn with_leading(mut self, leading: &LeadingConnectionArgs, after: impl Fn(&str) -> bool) -> Self {
        fn take<T: Clone>(own: &mut Option<T>, leading: &Option<T>, given_after: bool) {
            if leading.is_some() && !given_after {
                own.clone_from(leading);
            }
        }
        take(&mut self.endpoint, &leading.endpoint, after("endpoint"));
        take(&mut self.region, &leading.region, after("region"));
        take(&mut self.proxy, &leading.proxy, after("proxy"));
        take(&mut self.ca_bundle, &leading.ca_bundle, after("ca_bundle"));
        take(&mut self.profile, &leading.profile, after("profile"));
        self.internal |= leading.internal;
        self.path_style |= leading.path_style;
        self.cname |= leading.cname;
        self
    }
}

/// What a download accepts.
#[derive(clap::Args, Debug, Clone, Default)]
pub(crate) struct DownloadPolicyArgs {
    /// Return objects that are not client-side encrypted as they are,
    /// instead of refusing them.
    #[arg(long)]
    pub allow_plaintext: bool,
    /// Refuse a whole download that nothing can verify (no CRC-64 from the
    /// server, no MD5 in the envelope) instead of warning.
    #[arg(long)]
    pub require_verified: bool,
    /// Uploads: write an authentication tag (a keyed BLAKE3 MAC of the
    /// ciphertext and IV, under a key derived from the data key) that the
    /// official SDKs ignore. A file is read twice; stdin goes through the
    /// ciphertext spool.
    #[arg(long)]
    pub authenticate: bool,
    /// Downloads: refuse objects without an authentication tag (tags are
    /// always checked when present, on whole downloads).
    #[arg(long)]
    pub require_authenticated: bool,
    /// Uploads: sign the tag with this Ed25519 private key (PKCS#8 PEM, as
    /// `openssl genpkey -algorithm ed25519` writes); implies --authenticate.
    #[arg(long, value_name = "FILE")]
    pub sign_key: Option<PathBuf>,
    /// With --sign-key: the signature also covers the bucket and key, so a
    /// copy or rename no longer verifies.
    #[arg(long, requires = "sign_key")]
    pub sign_name: bool,
    /// Downloads: refuse objects not signed by this Ed25519 public key (SPKI
    /// PEM); repeat for several writers. Implies --require-authenticated.
    #[arg(long = "trusted-signer", value_name = "FILE")]
    pub trusted_signers: Vec<PathBuf>,
    /// With --trusted-signer: refuse a signature that does not cover the
    /// object's bucket and key (written with --sign-name), so a signed object
    /// copied elsewhere in the bucket is not taken as genuine there.
    #[arg(long, requires = "trusted_signers")]
    pub require_signed_name: bool,
}

impl DownloadPolicyArgs {
    /// The client's authentication settings these flags ask for (key
    /// paths are the working directory's).
    pub(crate) fn authentication(&self) -> anyhow::Result<oss_cse_client::Authentication> {
        let mut spec = oss_cse_client::keyring_file::AuthenticationSpec::default();
        spec.write_tags = self.authenticate;
        spec.require_tags = self.require_authenticated;
        spec.sign_key = self.sign_key.clone();
        spec.sign_names = self.sign_name;
        spec.trusted_signers = self.trusted_signers.clone();
        spec.require_signed_names = self.require_signed_name;
        Ok(spec.load(&std::env::current_dir()?)?)
    }
}

/// Progress display.
#[derive(clap::Args, Debug, Clone, Default)]
pub(crate) struct ProgressArgs {
    /// No progress bars.
    #[arg(long)]
    pub no_progress: bool,
}

/// `64M`, `8MiB`, `1G`, `100K` or plain bytes.
pub(crate) fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number.parse().map_err(|_| format!("{text:?} is not a size"))?;
    let factor = match unit.trim().to_ascii_uppercase().trim_end_matches("IB").trim_end_matches('B') {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => return Err(format!("{text:?}: unknown unit {unit:?}")),
    };
    number.checked_mul(factor).ok_or_else(|| format!("{text:?} is too large"))
}
