//! `oss-cse cat`: an object's plaintext on standard output.

use oss_cse_client::EncryptionOptions;

use crate::keys::KeyArgs;
use crate::session::Session;
use crate::target::{parse_object, parse_range};

pub(crate) async fn cat(session: &Session, url: &str, range: Option<&str>, keys: &KeyArgs) -> anyhow::Result<()> {
    let (bucket, key) = parse_object(url)?;
    let client = session.encryption_client(keys, EncryptionOptions::default())?;
    let range = range.map(parse_range).transpose()?;
    super::cp::stream_to_stdout(&client, &bucket, &key, range).await.map(drop)
}
