//! `oss-cse demo`: the whole job against an embedded emulator, with no
//! account and no configuration. Every step checks its result.

use std::io::Write;
use std::sync::Arc;

use anyhow::{Context, bail, ensure};
use oss_cse_client::envelope::{KeyRing, RsaMasterKey};
use oss_cse_client::{
    ByteRange, ClientConfig, Credentials, DownloadOptions, EncryptionClient, EncryptionOptions, GetOptions, OssClient,
    PutOptions, UploadOptions,
};
use sha2::{Digest, Sha256};

use crate::session::Session;

const SIZE: usize = 24 << 20;
const BUCKET: &str = "oss-cse-demo";
const KEY: &str = "records/patients-2026.bin";

fn step(text: &str) {
    let mut out = crate::exit::stdout();
    let _ = writeln!(out, "\n==> {text}");
}

/// A line of the demo's report. A reader that went away (`demo | head`)
/// ends the demo as it ends `cat` (quietly: see `exit::StdoutClosed`).
macro_rules! say {
    ($($arg:tt)*) => {
        writeln!(crate::exit::stdout(), $($arg)*)?
    };
}

pub(crate) async fn run(session: &Session) -> anyhow::Result<()> {
    let dir = tempfile::tempdir().context("creating a temporary directory")?;
    step("starting the embedded OSS + KMS emulator on 127.0.0.1");
    let emulator =
        oss_cse_emulator::Emulator::start(oss_cse_emulator::EmulatorConfig::new(&dir.path().join("emulator"))).await?;
    say!("    endpoint {}", emulator.endpoint());

    step("generating an RSA-2048 key pair (the master key OSS never sees)");
    let (_, public_pem, private_pem) = RsaMasterKey::generate(2048)?;
    std::fs::write(dir.path().join("public.pem"), &public_pem)?;
    std::fs::write(dir.path().join("private.pem"), private_pem.as_bytes())?;
    let key = RsaMasterKey::from_pem(Some(&public_pem), Some(&private_pem))?
        .with_material_description(oss_cse_client::envelope::MaterialDescription::new().with("desc", "demo-key"));
    say!("    keys in {}", dir.path().display());

    let config = ClientConfig::new(
        &emulator.endpoint(),
        Credentials::new(emulator.access_key_id(), emulator.access_key_secret()),
    )?;
    let oss = OssClient::new(config)?;
    oss.put_bucket(BUCKET).await?;
    let options = EncryptionOptions {
        part_size: 4 << 20,
        parallel: 4,
        multipart_threshold: 8 << 20,
        ..EncryptionOptions::default()
    };
    let client = EncryptionClient::new(oss.clone(), KeyRing::new(key)).with_options(options)?;

    step(&format!("writing a {} MiB sample file", SIZE >> 20));
    let sample: Vec<u8> = (0..SIZE).map(|i| b"patient record: name, diagnosis, insurance id; "[i % 47]).collect();
    let source = dir.path().join("sample.bin");
    std::fs::write(&source, &sample)?;
    let digest = Sha256::digest(&sample);
    say!("    sha256 {}", hex::encode(digest));

    step("encrypting and uploading it in parallel parts (4 MiB each, 4 at a time)");
    let bar = (!session.progress.no_progress).then(|| {
        let bar = indicatif::ProgressBar::new(SIZE as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("    [{bar:40}] {bytes}/{total_bytes} {bytes_per_sec}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    });
    let progress: Option<oss_cse_client::Progress> =
        bar.clone().map(|bar| -> oss_cse_client::Progress { Arc::new(move |done, _| bar.set_position(done)) });
    let put = PutOptions { compute_md5: true, progress, ..PutOptions::default() };
    client.put_file(BUCKET, KEY, &source, &UploadOptions { put, checkpoint: None }).await?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    say!("    uploaded oss://{BUCKET}/{KEY} in {} parts", emulator.faults().count("UploadPart"));

    step("what OSS stores: ciphertext");
    let raw = oss
        .get_object(
            BUCKET,
            KEY,
            &GetOptions { range: Some(ByteRange::Inclusive { start: 0, end: 47 }), ..Default::default() },
        )
        .await?;
    let stored = raw.body.collect().await?;
    say!("    plaintext  {}", String::from_utf8_lossy(&sample[..48]));
    say!("    stored     {}", hex::encode(&stored));
    ensure!(stored != sample[..48], "the stored bytes equal the plaintext");

    step("the envelope OSS keeps as metadata (wrapped key and IV, never the key itself)");
    let meta = oss.head_object(BUCKET, KEY).await?;
    for (name, value) in meta.user_metadata() {
        let shown =
            if value.len() > 60 { format!("{}... ({} chars)", &value[..60], value.len()) } else { value.to_owned() };
        say!("    {name}: {shown}");
    }

    step("downloading and decrypting it (parallel ranges, CRC-64 and MD5 checked)");
    let dest = dir.path().join("downloaded.bin");
    client.get_file(BUCKET, KEY, &dest, &DownloadOptions::default()).await?;
    let back = std::fs::read(&dest)?;
    ensure!(Sha256::digest(&back) == digest, "the downloaded file differs from the original");
    say!("    sha256 {} (identical)", hex::encode(Sha256::digest(&back)));

    step("a ranged read from the middle: only the aligned range is fetched and decrypted");
    let (start, end) = (10_000_007u64, 10_000_086u64);
    let ranged =
        client.get_object(BUCKET, KEY, Some(ByteRange::Inclusive { start, end })).await?.body.collect().await?;
    say!("    bytes {start}-{end}: {:?}", String::from_utf8_lossy(&ranged));
    if ranged != sample[start as usize..=end as usize] {
        bail!("the ranged read differs from the original");
    }

    step("cleaning up");
    emulator.shutdown().await;
    drop(dir);
    say!("\ndemo passed: encrypted upload, ciphertext at rest, decrypted download and ranged read all verified");
    Ok(())
}
