//! "How do I read 100 bytes from the middle of a large encrypted object
//! into my own buffer, without downloading the rest?"
//!
//! `cargo run -p oss-cse-client --example ranged_read`

mod common;

use futures_util::TryStreamExt as _;
use oss_cse_client::envelope::{KeyRing, RsaMasterKey};
use oss_cse_client::{ByteRange, EncryptionClient, PutOptions};
use tokio::io::AsyncReadExt as _;

#[tokio::main]
async fn main() -> common::BoxResult<()> {
    let local = common::local_oss().await?;
    let (key, _, _) = RsaMasterKey::generate(2048)?;
    let client = EncryptionClient::new(local.oss.clone(), KeyRing::new(key));
    let object: Vec<u8> = (0..1_000_000u32).map(|i| (i % 251) as u8).collect();
    client.put_object("records", "big.bin", object.clone(), &PutOptions::default()).await?;

    // Bytes 500,003..=500,102: OSS is asked for the 16-byte block boundary
    // before them (at most 15 bytes more), and decryption starts at that
    // block's counter. A range is not verified: only whole objects have a
    // CRC-64 and MD5 to check.
    let range = ByteRange::Inclusive { start: 500_003, end: 500_102 };
    let got = client.get_object("records", "big.bin", Some(range)).await?;
    println!("OSS returned {} bytes for a 100-byte range", got.meta.content_length);

    // The body is a stream of chunks; read it into a fixed buffer.
    let mut buffer = [0u8; 100];
    let chunks = got.body.map_err(std::io::Error::other);
    tokio_util::io::StreamReader::new(chunks).read_exact(&mut buffer).await?;
    assert_eq!(&buffer[..], &object[500_003..=500_102]);
    local.emulator.shutdown().await;
    Ok(())
}

#[cfg(test)]
#[test]
fn example_runs() {
    main().unwrap_or_else(|e| panic!("{e}"));
}
