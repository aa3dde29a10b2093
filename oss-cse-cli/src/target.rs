//! `oss://bucket/key` URLs and `START-END` ranges on the command line.

use anyhow::{Context, bail};
use oss_cse_client::ByteRange;

/// A place objects can be copied from or to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Location {
    /// `oss://bucket/key` (the key may be empty or a prefix).
    Oss { bucket: String, key: String },
    /// A local path.
    Local(std::path::PathBuf),
    /// `-`: standard input or output.
    Std,
}

pub(crate) fn parse_location(text: &str) -> anyhow::Result<Location> {
    if text == "-" {
        return Ok(Location::Std);
    }
    match text.strip_prefix("oss://") {
        Some(rest) => {
            let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                bail!("{text:?} has no bucket: use oss://bucket/key");
            }
            Ok(Location::Oss { bucket: bucket.to_owned(), key: key.to_owned() })
        }
        None if text.contains("://") => bail!("{text:?} is not an oss:// URL or a local path"),
        None => Ok(Location::Local(text.into())),
    }
}

/// `oss://bucket/key` with a non-empty key.
pub(crate) fn parse_object(text: &str) -> anyhow::Result<(String, String)> {
    match parse_location(text)? {
        Location::Oss { bucket, key } if !key.is_empty() => Ok((bucket, key)),
        Location::Oss { .. } => bail!("{text:?} names a bucket, not an object: use oss://bucket/key"),
        _ => bail!("{text:?} is not an oss:// URL"),
    }
}

/// `oss://bucket` or `oss://bucket/prefix`.
pub(crate) fn parse_bucket(text: &str) -> anyhow::Result<(String, String)> {
    match parse_location(text)? {
        Location::Oss { bucket, key } => Ok((bucket, key)),
        _ => bail!("{text:?} is not an oss:// URL"),
    }
}

/// `START-END`, `START-` or `-SUFFIX`, bytes, inclusive.
pub(crate) fn parse_range(text: &str) -> anyhow::Result<ByteRange> {
    let (start, end) =
        text.split_once('-').with_context(|| format!("range {text:?} is not START-END, START- or -LENGTH"))?;
    let number = |s: &str| s.trim().parse::<u64>().with_context(|| format!("range {text:?}: {s:?} is not a number"));
    let range = match (start.trim().is_empty(), end.trim().is_empty()) {
        (true, false) => ByteRange::Suffix { len: number(end)? },
        (false, true) => ByteRange::From { start: number(start)? },
        (false, false) => ByteRange::Inclusive { start: number(start)?, end: number(end)? },
        (true, true) => bail!("range {text:?} is empty"),
    };
    range.validate().with_context(|| format!("range {text:?}"))?;
    Ok(range)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_and_ranges() {
        assert_eq!(
            parse_location("oss://b/a/b.txt").unwrap(),
            Location::Oss { bucket: "b".into(), key: "a/b.txt".into() }
        );
        assert_eq!(parse_location("-").unwrap(), Location::Std);
        assert!(parse_location("s3://b/k").is_err());
        assert!(parse_object("oss://b").is_err());
        assert!(parse_object("oss:///k").is_err());
        assert_eq!(parse_range("17-40").unwrap(), ByteRange::Inclusive { start: 17, end: 40 });
        assert_eq!(parse_range("5-").unwrap(), ByteRange::From { start: 5 });
        assert_eq!(parse_range("-10").unwrap(), ByteRange::Suffix { len: 10 });
        for bad in ["", "-", "x-1", "5-4", "1"] {
            assert!(parse_range(bad).is_err(), "{bad}");
        }
    }
}
