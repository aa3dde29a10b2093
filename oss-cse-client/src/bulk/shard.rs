//! Sharding a job over N processes by a stable hash of each key, and reading
//! the keys of a job from a manifest file instead of a listing.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use futures_util::Stream;
use tokio::io::AsyncBufReadExt;

use crate::{Crc64, Error, Result};

/// Shard `index` of `count`: the keys whose CRC-64 (ECMA, the one OSS uses)
/// modulo `count` is `index`. The hash depends on the key's bytes alone, so
/// every process, on any machine, assigns a key to the same shard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u32,
    count: u32,
}

/// A `--shard` value that is not `I/N` with `I < N`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("shard {0:?}: use I/N with 0 <= I < N (I may be left out to take JOB_COMPLETION_INDEX)")]
pub struct ShardError(pub String);

impl Shard {
    /// Shard `index` of `count`.
    ///
    /// # Errors
    /// [`ShardError`] unless `index < count`.
    pub fn new(index: u32, count: u32) -> std::result::Result<Self, ShardError> {
        if count == 0 || index >= count {
            return Err(ShardError(format!("{index}/{count}")));
        }
        Ok(Self { index, count })
    }

    /// Parses `I/N`; an empty `I` (`/N`) is taken from `index_from_env`
    /// (what the caller read from `JOB_COMPLETION_INDEX`, as Kubernetes
    /// Indexed Jobs set it).
    ///
    /// # Errors
    /// [`ShardError`] for anything else.
    pub fn parse(text: &str, index_from_env: Option<&str>) -> std::result::Result<Self, ShardError> {
        let bad = || ShardError(text.to_owned());
        let (index, count) = text.trim().split_once('/').ok_or_else(bad)?;
        let index = if index.is_empty() { index_from_env.ok_or_else(bad)? } else { index };
        let index = index.trim().parse().map_err(|_| bad())?;
        let count = count.trim().parse().map_err(|_| bad())?;
        Self::new(index, count).map_err(|_| bad())
    }

    /// Whether `key` belongs to this shard.
    pub fn contains(&self, key: &str) -> bool {
        let mut crc = Crc64::new();
        crc.update(key.as_bytes());
        crc.value() % u64::from(self.count) == u64::from(self.index)
    }
}

impl FromStr for Shard {
    type Err = ShardError;

    fn from_str(text: &str) -> std::result::Result<Self, Self::Err> {
        Self::parse(text, std::env::var("JOB_COMPLETION_INDEX").ok().as_deref())
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The keys of a manifest file, one per line, streamed (blank lines and
/// lines starting with `#` are skipped; a trailing `\r` is dropped).
///
/// # Errors
/// [`Error::Io`] when it cannot be opened (the stream yields read errors).
pub async fn read_manifest(path: &Path) -> Result<impl Stream<Item = Result<String>> + use<>> {
    let file = tokio::fs::File::open(path).await.map_err(|source| Error::Io {
        action: "opening",
        path: path.to_owned(),
        source,
    })?;
    let lines = tokio::io::BufReader::new(file).lines();
    let path = path.to_owned();
    Ok(futures_util::stream::unfold(Some(lines), move |lines| {
        let path = path.clone();
        async move {
            let mut lines = lines?;
            loop {
                match lines.next_line().await {
                    Ok(None) => return None,
                    Ok(Some(line)) => {
                        let key = line.strip_suffix('\r').unwrap_or(&line);
                        if key.trim().is_empty() || key.starts_with('#') {
                            continue;
                        }
                        return Some((Ok(key.to_owned()), Some(lines)));
                    }
                    Err(source) => return Some((Err(Error::Io { action: "reading", path, source }), None)),
                }
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_keys_stably_and_completely() {
        let keys: Vec<String> = (0..5000).map(|i| format!("records/{i:05}.json")).collect();
        let shards: Vec<Shard> = (0..4).map(|i| Shard::new(i, 4).unwrap()).collect();
        for key in &keys {
            assert_eq!(shards.iter().filter(|s| s.contains(key)).count(), 1, "{key} in exactly one shard");
        }
        for shard in &shards {
            let n = keys.iter().filter(|k| shard.contains(k)).count();
            assert!((1000..1500).contains(&n), "shard {shard}: {n} of 5000");
        }
        // The hash is the key's CRC-64: fixed forever, whatever the platform.
        let mut crc = Crc64::new();
        crc.update(b"records/00000.json");
        assert!(Shard::new((crc.value() % 7) as u32, 7).unwrap().contains("records/00000.json"));
    }

    #[test]
    fn shard_values_parse_or_are_refused() {
        assert_eq!(Shard::parse("2/8", None), Ok(Shard::new(2, 8).unwrap()));
        assert_eq!(Shard::parse("/8", Some("5")), Ok(Shard::new(5, 8).unwrap()));
        for bad in ["8/8", "1", "/8", "a/3", "1/0", "-1/3", ""] {
            assert!(Shard::parse(bad, None).is_err(), "{bad}");
        }
        assert!(Shard::parse("/8", Some("9")).is_err());
        assert_eq!(Shard::new(3, 10).unwrap().to_string(), "3/10");
    }
}
