//! `oss-cse emulator`: the local OSS + KMS + STS emulator, until interrupted.

use std::io::Write as _;
use std::path::Path;

use anyhow::Context;

pub(crate) async fn emulator(
    config: oss_cse_emulator::EmulatorConfig,
    data: &Path,
    credentials: &[String],
) -> anyhow::Result<()> {
    let pairs = credentials
        .iter()
        .map(|c| {
            c.split_once(':')
                .map(|(a, s)| (a.to_owned(), s.to_owned()))
                .with_context(|| "a credential is not AK:SK (the value is not shown)")
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let listen = config.listen_address();
    let emulator = oss_cse_emulator::Emulator::start(config.credentials(pairs))
        .await
        .with_context(|| format!("starting the emulator on {listen}"))?;
    // For trying the STS and ECS credential sources locally.
    let token_file = data.join("oidc-token");
    std::fs::write(&token_file, emulator.oidc_token()).with_context(|| format!("writing {}", token_file.display()))?;
    // Where it listens goes to standard output; one whose reader went away
    // (a service manager, `| head -1`) does not stop the emulator.
    let mut out = crate::exit::stdout();
    let _ = (|| -> std::io::Result<()> {
        writeln!(out, "OSS and KMS emulator on {}", emulator.endpoint())?;
        writeln!(
            out,
            "export OSS_ENDPOINT={} OSS_ACCESS_KEY_ID={} OSS_ACCESS_KEY_SECRET={}",
            emulator.endpoint(),
            emulator.access_key_id(),
            emulator.access_key_secret()
        )?;
        writeln!(out, "(KMS: --kms-endpoint {}; stop with Ctrl-C)", emulator.kms_endpoint())?;
        writeln!(
            out,
            "(STS: ALIBABA_CLOUD_STS_ENDPOINT={} with ALIBABA_CLOUD_OIDC_TOKEN_FILE={}; \
             ECS metadata: ALIBABA_CLOUD_ECS_METADATA_SERVICE_ENDPOINT={})",
            emulator.sts_endpoint(),
            token_file.display(),
            emulator.metadata_endpoint()
        )
    })();
    drop(out);
    crate::interrupted().await;
    emulator.shutdown().await;
    Ok(())
}
