//! "My data comes from an `AsyncRead` whose length I do not know (a pipe,
//! a socket, a compressor), and the plaintext must go to an `AsyncWrite`.
//! How do I stream both ways without holding the object in memory?"
//!
//! `cargo run -p oss-cse-client --example streaming`

mod common;

use futures_util::TryStreamExt as _;
use oss_cse_client::envelope::{KeyRing, RsaMasterKey};
use oss_cse_client::{EncryptionClient, EncryptionOptions, PutOptions};
use tokio::io::AsyncWriteExt as _;

#[tokio::main]
async fn main() -> common::BoxResult<()> {
    let local = common::local_oss().await?;
    let (key, _, _) = RsaMasterKey::generate(2048)?;
    // Streams longer than one part go up as a multipart upload, part by part.
    let options = EncryptionOptions { part_size: 256 << 10, ..EncryptionOptions::default() };
    let client = EncryptionClient::new(local.oss.clone(), KeyRing::new(key)).with_options(options)?;

    // A producer writing 3 MiB into a pipe; the upload reads the other end.
    let (mut producer, reader) = tokio::io::duplex(64 << 10);
    let writer = tokio::spawn(async move {
        for line in 0..100_000u32 {
            producer.write_all(format!("reading {line:>8}: 36.6 C, 72 bpm\n").as_bytes()).await?;
        }
        producer.shutdown().await
    });
    // Unknown length: the ciphertext is spooled to an unnamed temporary file
    // (never the plaintext) and sent in parts. With PutOptions::expected_size
    // it would be sent as it is read, and a stream of another length refused.
    let written = client.put_stream("records", "vitals.log", reader, &PutOptions::default()).await?;
    writer.await??;
    println!("uploaded, ETag {}", written.etag);

    // Down: the decrypted body into any AsyncWrite, here a file.
    let out_path = local.dir.path().join("vitals.log");
    let mut out = tokio::fs::File::create(&out_path).await?;
    let got = client.get_object("records", "vitals.log", None).await?;
    let mut plaintext = tokio_util::io::StreamReader::new(got.body.map_err(std::io::Error::other));
    let copied = tokio::io::copy(&mut plaintext, &mut out).await?;
    out.flush().await?;
    // The CRC-64 of the whole object is checked as the stream ends: an error
    // from the last read means what was written must not be trusted.
    println!("downloaded {copied} bytes to {}", out_path.display());
    assert_eq!(copied, 100_000 * 33);
    local.emulator.shutdown().await;
    Ok(())
}

#[cfg(test)]
#[test]
fn example_runs() {
    main().unwrap_or_else(|e| panic!("{e}"));
}
