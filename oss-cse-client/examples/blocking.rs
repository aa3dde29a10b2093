//! "My program has no async runtime. Can I use the client from plain
//! `fn main`?" Yes: the blocking facade drives the same async client on a
//! runtime it owns (feature `blocking`, on by default).
//!
//! `cargo run -p oss-cse-client --example blocking`

mod common;

use std::io::Read as _;

use oss_cse_client::blocking;
use oss_cse_client::envelope::{KeyRing, RsaMasterKey};
use oss_cse_client::{EncryptionClient, PutOptions};

fn main() -> common::BoxResult<()> {
    // Only the stand-in for Alibaba Cloud needs a runtime of its own.
    let server = tokio::runtime::Runtime::new()?;
    let local = server.block_on(common::local_oss())?;

    let (key, _, _) = RsaMasterKey::generate(2048)?;
    let client = blocking::EncryptionClient::new(EncryptionClient::new(local.oss.clone(), KeyRing::new(key)))?;
    client.put_object("records", "notes/1.txt", b"no runtime needed".to_vec(), &PutOptions::default())?;

    // get_object returns a std::io::Read of the plaintext.
    let mut text = String::new();
    client.get_object("records", "notes/1.txt", None)?.read_to_string(&mut text)?;
    println!("read back: {text}");
    assert_eq!(text, "no runtime needed");
    server.block_on(local.emulator.shutdown());
    Ok(())
}

#[cfg(test)]
#[test]
fn example_runs() {
    main().unwrap_or_else(|e| panic!("{e}"));
}
