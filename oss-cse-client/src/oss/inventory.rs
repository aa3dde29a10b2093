//! The object keys of an OSS Inventory report: its `manifest.json` names
//! GZIP-compressed CSV files in the inventory's destination bucket, whose
//! `Key` column holds URL-encoded object keys. This is how huge buckets are
//! enumerated without listing them.
//!
//! Each data file is downloaded to an unnamed temporary file (keys only, no
//! object content), its MD5 checked against the manifest, then decompressed
//! and parsed on a blocking thread that hands keys over through a bounded
//! channel, so memory stays small whatever the report's size.

use std::io::{Read, Seek, Write};

use futures_util::{Stream, StreamExt};
use md5::Digest as _;
use serde::Deserialize;

use crate::{Error, GetOptions, OssClient, Result};

/// The parts of `manifest.json` this reader needs.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InventoryManifest {
    /// The bucket the report describes.
    pub source_bucket: String,
    /// The bucket holding the data files.
    pub destination_bucket: String,
    /// `CSV` (the only format OSS writes).
    #[serde(default)]
    pub file_format: String,
    /// The CSV columns, `", "`-separated (`Bucket, Key, Size, ...`).
    pub file_schema: String,
    /// The data files.
    pub files: Vec<InventoryFile>,
}

/// One data file of an inventory report.
#[derive(Debug, Clone, Deserialize)]
pub struct InventoryFile {
    /// Its key in the destination bucket.
    pub key: String,
    /// Its MD5, hex (OSS writes it upper-case).
    #[serde(rename = "MD5checksum", default)]
    pub md5_checksum: String,
}

impl InventoryManifest {
    /// Parses `manifest.json`; `None` if the text is not an inventory
    /// manifest (no `fileSchema`), so a plain key list is read as one.
    ///
    /// # Errors
    /// A manifest whose format is not CSV or whose schema has no `Key`.
    pub fn parse(text: &str) -> std::result::Result<Option<Self>, String> {
        let Ok(manifest) = serde_json::from_str::<Self>(text) else { return Ok(None) };
        if !manifest.file_format.is_empty() && !manifest.file_format.eq_ignore_ascii_case("CSV") {
            return Err(format!("inventory format {:?} (only CSV is read)", manifest.file_format));
        }
        manifest.key_column()?;
        Ok(Some(manifest))
    }

    fn key_column(&self) -> std::result::Result<usize, String> {
        self.file_schema
            .split(',')
            .position(|column| column.trim() == "Key")
            .ok_or_else(|| format!("inventory schema {:?} has no Key column", self.file_schema))
    }
}

impl OssClient {
    /// The object keys of an inventory report, data file by data file.
    pub fn inventory_keys(&self, manifest: &InventoryManifest) -> impl Stream<Item = Result<String>> + Send + use<> {
        let column = manifest.key_column().unwrap_or(1);
        let (client, bucket) = (self.clone(), manifest.destination_bucket.clone());
        futures_util::stream::iter(manifest.files.clone())
            .then(move |file| {
                let (client, bucket) = (client.clone(), bucket.clone());
                async move { client.inventory_file_keys(&bucket, &file, column).await }
            })
            .flat_map(|keys| match keys {
                Ok(keys) => keys.boxed(),
                Err(error) => futures_util::stream::iter([Err(error)]).boxed(),
            })
    }

    async fn inventory_file_keys(
        &self,
        bucket: &str,
        file: &InventoryFile,
        column: usize,
    ) -> Result<impl Stream<Item = Result<String>> + Send + use<>> {
        let resource = super::resource(bucket, &file.key);
        let io = |action: &'static str| {
            let resource = resource.clone();
            move |source| Error::Io { action, path: resource.into(), source }
        };
        let mut spool = tempfile::tempfile().map_err(io("spooling"))?;
        let mut body = self.get_object(bucket, &file.key, &GetOptions::default()).await?.body;
        let mut md5 = md5::Md5::new();
        while let Some(chunk) = body.next().await {
            let chunk = chunk?;
            md5.update(&chunk);
            spool.write_all(&chunk).map_err(io("spooling"))?;
        }
        let digest = hex::encode(md5.finalize());
        if !file.md5_checksum.is_empty() && !digest.eq_ignore_ascii_case(&file.md5_checksum) {
            return Err(Error::InvalidResponse {
                operation: "GetObject",
                resource,
                reason: format!("inventory file MD5 {digest} is not the manifest's {}", file.md5_checksum),
            });
        }
        let compressed = spool.stream_position().map_err(io("spooling"))?;
        spool.rewind().map_err(io("spooling"))?;
        let (send, receive) = tokio::sync::mpsc::channel(1024);
        tokio::task::spawn_blocking(move || {
            let reader = Bounded::new(flate2::read::GzDecoder::new(spool), decompressed_limit(compressed));
            for item in parse_keys(reader, column, &resource) {
                if send.blocking_send(item).is_err() {
                    return;
                }
            }
        });
        Ok(futures_util::stream::unfold(receive, |mut receive| async move {
            receive.recv().await.map(|item| (item, receive))
        }))
    }
}

/// The longest CSV record read: a record is a bucket, a key (at most 1,023
/// bytes, URL-encoded: three times that) and a few short columns.
const MAX_RECORD: u64 = 64 << 10;

/// How much larger than its compressed size a data file may be once
/// decompressed (CSV of object keys compresses 5 to 20 times), and the
/// least it is allowed whatever its compressed size.
const MAX_EXPANSION: u64 = 100;
const MIN_DECOMPRESSED_LIMIT: u64 = 256 << 20;

/// The decompressed size allowed to a data file of `compressed` bytes.
fn decompressed_limit(compressed: u64) -> u64 {
    compressed.saturating_mul(MAX_EXPANSION).max(MIN_DECOMPRESSED_LIMIT)
}

/// A reader that fails (with `InvalidData`) once it has given more than
/// `limit` bytes, or more than [`MAX_RECORD`] without a line break: a data
/// file with the right MD5 but a field of gigabytes, or a GZIP bomb, is a
/// clear error instead of an allocation without bound.
struct Bounded<R> {
    inner: R,
    limit: u64,
    read: u64,
    since_newline: u64,
}

impl<R> Bounded<R> {
    fn new(inner: R, limit: u64) -> Self {
        Self { inner, limit, read: 0, since_newline: 0 }
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let over = |what: String| std::io::Error::new(std::io::ErrorKind::InvalidData, what);
        self.read += n as u64;
        if self.read > self.limit {
            return Err(over(format!("it decompresses to more than {} bytes", self.limit)));
        }
        for &byte in &buf[..n] {
            self.since_newline = if byte == b'\n' { 0 } else { self.since_newline + 1 };
            if self.since_newline > MAX_RECORD {
                return Err(over(format!("a record is longer than {MAX_RECORD} bytes")));
            }
        }
        Ok(n)
    }
}

/// The URL-decoded keys in column `column` of CSV records read from `reader`.
fn parse_keys<R: Read>(reader: R, column: usize, resource: &str) -> impl Iterator<Item = Result<String>> + use<R> {
    let resource = resource.to_owned();
    let records = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(reader).into_records();
    records.map(move |record| {
        let bad =
            |reason: String| Error::InvalidResponse { operation: "GetObject", resource: resource.clone(), reason };
        let record = record.map_err(|e| bad(format!("inventory CSV: {e}")))?;
        let field = record.get(column).ok_or_else(|| bad(format!("inventory record without column {column}")))?;
        percent_encoding::percent_decode_str(field)
            .decode_utf8()
            .map(|key| key.into_owned())
            .map_err(|_| bad("an inventory key that is not UTF-8".to_owned()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_parse_and_plain_lists_are_not_manifests() {
        let text = r#"{"creationTimestamp": "1642994594", "destinationBucket": "dest", "fileFormat": "CSV",
            "fileSchema": "Bucket, Key, VersionId, Size", "files": [{"MD5checksum": "F774", "key": "p/data/a.csv.gz",
            "size": 2046}], "sourceBucket": "src", "version": "2019-09-01"}"#;
        let manifest = InventoryManifest::parse(text).unwrap().unwrap();
        assert_eq!((manifest.source_bucket.as_str(), manifest.key_column()), ("src", Ok(1)));
        assert!(InventoryManifest::parse("a/key\nb/key\n").unwrap().is_none());
        assert!(InventoryManifest::parse(&text.replace("\"CSV\"", "\"ORC\"")).is_err());
        assert!(InventoryManifest::parse(&text.replace("Bucket, Key,", "Bucket, Name,")).is_err());
    }

    #[test]
    fn a_huge_record_or_a_gzip_bomb_is_an_error_not_an_allocation() {
        use std::io::Write as _;
        let gz = |bytes: &[u8]| {
            let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            encoder.write_all(bytes).unwrap_or_else(|e| panic!("{e}"));
            encoder.finish().unwrap_or_else(|e| panic!("{e}"))
        };
        let mut field = b"\"src\",\"".to_vec();
        field.resize(8 << 20, b'a');
        let compressed = gz(&field);
        let reader =
            Bounded::new(flate2::read::GzDecoder::new(&compressed[..]), decompressed_limit(compressed.len() as u64));
        let keys: Vec<_> = parse_keys(reader, 1, "oss://d/f").collect();
        assert_eq!(keys.len(), 1);
        let error = keys[0].as_ref().map(drop).unwrap_err().to_string();
        assert!(error.contains("a record is longer than 65536 bytes"), "{error}");

        let lines = "\"src\",\"k\"\n".repeat(200_000);
        let compressed = gz(lines.as_bytes());
        let reader = Bounded::new(flate2::read::GzDecoder::new(&compressed[..]), 1 << 20);
        let error = parse_keys(reader, 1, "oss://d/f").find_map(Result::err).map(|e| e.to_string()).unwrap_or_default();
        assert!(error.contains("decompresses to more than 1048576 bytes"), "{error}");
        assert_eq!(decompressed_limit(2 << 20), 256 << 20);
        assert_eq!(decompressed_limit(10 << 20), 1000 << 20);
    }

    #[test]
    fn keys_are_url_decoded_and_bad_records_are_errors() {
        let csv = "\"src\",\"dir%2Fa%20b.txt\",\"\",\"10\"\n\"src\",\"%E6%97%A5%E6%9C%AC\",\"\",\"1\"\n\"src\"\n";
        let keys: Vec<_> = parse_keys(csv.as_bytes(), 1, "oss://d/f").collect();
        assert_eq!(keys[0].as_deref().ok(), Some("dir/a b.txt"));
        assert_eq!(keys[1].as_deref().ok(), Some("日本"));
        assert!(keys[2].is_err(), "a short record");
    }
}
