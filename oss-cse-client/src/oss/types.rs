//! Plain data types of OSS operations: object metadata, listings, multipart
//! parts, server-side encryption settings.

use std::fmt;

use crate::{Error, Result};

/// Metadata of an object from HEAD or GET.
#[derive(Debug, Clone, Default)]
pub struct ObjectMeta {
    /// Length of the stored bytes (for a ranged GET: of the returned range).
    pub content_length: u64,
    /// ETag, without quotes.
    pub etag: Option<String>,
    /// `Last-Modified`, as sent.
    pub last_modified: Option<String>,
    /// `Content-Type`.
    pub content_type: Option<String>,
    /// CRC-64 of the whole stored object, when OSS reports it.
    pub crc64: Option<u64>,
    /// Server-side encryption in force for the object.
    pub server_side_encryption: Option<ServerSideEncryption>,
    /// Request id of the reply.
    pub request_id: Option<String>,
    /// Every header of the reply, names lower-case (user metadata included).
    pub headers: Vec<(String, String)>,
}

impl ObjectMeta {
    /// The value of a header (name compared without case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The client-side encryption envelope these headers carry, if any.
    ///
    /// # Errors
    /// The envelope decoder's error for a partial or malformed envelope.
    pub fn envelope(&self) -> Result<Option<oss_cse_envelope::Envelope>, oss_cse_envelope::Error> {
        oss_cse_envelope::Envelope::from_headers(self.headers.iter().map(|(k, v)| (k.as_str(), v.as_bytes())))
    }

    /// User metadata (`x-oss-meta-*`), names lower-case with the prefix.
    pub fn user_metadata(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers.iter().filter(|(k, _)| k.starts_with("x-oss-meta-")).map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// The `Content-Range` of a ranged reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentRange {
    /// First byte returned.
    pub start: u64,
    /// Last byte returned (included).
    pub end: u64,
    /// Size of the whole object.
    pub total: u64,
}

impl ContentRange {
    /// Parses `bytes 16-40/1000`.
    pub fn parse(value: &str) -> Option<Self> {
        let rest = value.trim().strip_prefix("bytes ")?;
        let (range, total) = rest.split_once('/')?;
        let (start, end) = range.split_once('-')?;
        let range = Self { start: start.parse().ok()?, end: end.parse().ok()?, total: total.parse().ok()? };
        (range.start <= range.end && range.end < range.total).then_some(range)
    }
}

/// Server-side encryption applied by OSS on top of (or instead of)
/// client-side encryption.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerSideEncryption {
    /// `AES256`: OSS-managed keys.
    Aes256,
    /// `SM4`: OSS-managed keys, SM4 cipher.
    Sm4,
    /// `KMS`: a KMS key, the default one or `key_id`; data encrypted with
    /// AES-256 or, with `sm4_data`, SM4.
    Kms {
        /// CMK id; `None` for the OSS-managed default CMK.
        key_id: Option<String>,
        /// Encrypt the data with SM4 (`x-oss-server-side-data-encryption: SM4`).
        sm4_data: bool,
    },
}

/// Header: server-side encryption algorithm.
pub const SSE_HEADER: &str = "x-oss-server-side-encryption";
/// Header: data encryption under KMS.
pub const SSE_DATA_HEADER: &str = "x-oss-server-side-data-encryption";
/// Header: KMS key id.
pub const SSE_KEY_ID_HEADER: &str = "x-oss-server-side-encryption-key-id";

impl ServerSideEncryption {
    /// Builds and validates a setting from its parts, refusing the
    /// combinations OSS refuses (a key id without KMS, SM4 data without KMS).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] naming the bad combination.
    pub fn from_parts(algorithm: &str, key_id: Option<&str>, data_encryption: Option<&str>) -> Result<Self> {
        let sm4_data = match data_encryption {
            None => false,
            Some(d) if d.eq_ignore_ascii_case("SM4") => true,
            Some(other) => return Err(Error::invalid_argument(format!("unknown data encryption {other:?}; only SM4"))),
        };
        match algorithm.to_ascii_uppercase().as_str() {
            "KMS" => Ok(Self::Kms { key_id: key_id.map(str::to_owned), sm4_data }),
            other @ ("AES256" | "SM4") => {
                if key_id.is_some() {
                    return Err(Error::invalid_argument(format!("a KMS key id requires algorithm KMS, not {other}")));
                }
                if sm4_data {
                    return Err(Error::invalid_argument(format!("SM4 data encryption requires KMS, not {other}")));
                }
                Ok(if other == "SM4" { Self::Sm4 } else { Self::Aes256 })
            }
            other => Err(Error::invalid_argument(format!(
                "unknown server-side encryption {other:?}; use AES256, SM4 or KMS"
            ))),
        }
    }

    /// The algorithm name OSS uses.
    pub fn algorithm(&self) -> &'static str {
        match self {
            Self::Aes256 => "AES256",
            Self::Sm4 => "SM4",
            Self::Kms { .. } => "KMS",
        }
    }

    /// The request headers asking for this encryption.
    pub fn headers(&self) -> Vec<(String, String)> {
        let mut headers = vec![(SSE_HEADER.to_owned(), self.algorithm().to_owned())];
        if let Self::Kms { key_id, sm4_data } = self {
            if *sm4_data {
                headers.push((SSE_DATA_HEADER.to_owned(), "SM4".to_owned()));
            }
            if let Some(key_id) = key_id {
                headers.push((SSE_KEY_ID_HEADER.to_owned(), key_id.clone()));
            }
        }
        headers
    }

    /// Reads the setting back from reply headers.
    pub fn from_headers(headers: &[(String, String)]) -> Option<Self> {
        let get = |name: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
        Self::from_parts(get(SSE_HEADER)?, get(SSE_KEY_ID_HEADER), get(SSE_DATA_HEADER)).ok()
    }
}

impl fmt::Display for ServerSideEncryption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Kms { key_id, sm4_data } => {
                f.write_str("KMS")?;
                if *sm4_data {
                    f.write_str(" (SM4 data)")?;
                }
                if let Some(key_id) = key_id {
                    write!(f, " key {key_id}")?;
                }
                Ok(())
            }
            other => f.write_str(other.algorithm()),
        }
    }
}

/// How CopyObject treats metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MetadataDirective {
    /// Keep the source's metadata (the default).
    #[default]
    Copy,
    /// Replace it with the request's headers.
    Replace,
}

/// One object in a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectSummary {
    /// Key.
    pub key: String,
    /// Size in bytes (of the stored, possibly encrypted, bytes).
    pub size: u64,
    /// ETag without quotes.
    pub etag: String,
    /// Last modification time as sent.
    pub last_modified: String,
    /// Storage class (`Standard`, `IA`, `Archive`, ...), when listed.
    pub storage_class: Option<String>,
    /// How it was written (`Normal`, `Multipart`, `Appendable`), when listed.
    pub object_type: Option<String>,
}

/// One page of ListObjectsV2.
#[derive(Debug, Clone, Default)]
pub struct ListObjectsPage {
    /// Objects.
    pub objects: Vec<ObjectSummary>,
    /// Common prefixes (with a delimiter).
    pub common_prefixes: Vec<String>,
    /// Token for the next page, when truncated.
    pub next_continuation_token: Option<String>,
}

/// A part as ListParts reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartSummary {
    /// Part number.
    pub part_number: u32,
    /// ETag without quotes.
    pub etag: String,
    /// Size.
    pub size: u64,
    /// CRC-64 of the part, when reported.
    pub crc64: Option<u64>,
}

/// ListParts: the parts and, for client-side encrypted uploads, the
/// envelope values given at initiate.
#[derive(Debug, Clone, Default)]
pub struct ListPartsOutput {
    /// Uploaded parts in order.
    pub parts: Vec<PartSummary>,
    /// `ClientEncryption*` fields, as (name, value).
    pub client_encryption: Vec<(String, String)>,
}

impl ListPartsOutput {
    /// Whether the upload's wrapped key, as OSS reports it, is the one the
    /// envelope headers `envelope` name; `None` when OSS reports none.
    pub(crate) fn holds_envelope(&self, envelope: &[(String, String)]) -> Option<bool> {
        let server = self.client_encryption.iter().find(|(k, _)| k == "ClientEncryptionKey").map(|(_, v)| v)?;
        let recorded = envelope.iter().find(|(k, _)| k == oss_cse_envelope::consts::V2_KEY).map(|(_, v)| v);
        Some(recorded == Some(server))
    }
}

/// An in-progress multipart upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadSummary {
    /// Object key.
    pub key: String,
    /// Upload id.
    pub upload_id: String,
    /// When it was initiated, as sent.
    pub initiated: String,
}

/// A part to name in CompleteMultipartUpload.
///
/// When every part carries its CRC-64 and size, the client checks the CRC
/// OSS reports for the completed object against their combination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletedPart {
    /// Part number.
    pub part_number: u32,
    /// ETag returned by UploadPart (without quotes).
    pub etag: String,
    /// CRC-64 and size of the part's bytes, when known.
    pub crc64_and_size: Option<(u64, u64)>,
}

impl CompletedPart {
    /// A part known by number and ETag only.
    pub fn new(part_number: u32, etag: impl Into<String>) -> Self {
        Self { part_number, etag: etag.into(), crc64_and_size: None }
    }

    /// A part from its UploadPart reply and the number of bytes sent.
    pub fn uploaded(part_number: u32, output: &WriteOutput, size: u64) -> Self {
        Self { part_number, etag: output.etag.clone(), crc64_and_size: output.crc64.map(|crc| (crc, size)) }
    }
}

/// Result of a write (PutObject, UploadPart, Complete, Copy).
#[derive(Debug, Clone, Default)]
pub struct WriteOutput {
    /// ETag without quotes.
    pub etag: String,
    /// CRC-64 OSS reported for what it stored.
    pub crc64: Option<u64>,
    /// Request id.
    pub request_id: Option<String>,
}

/// A bucket's default server-side encryption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketEncryption(pub ServerSideEncryption);

/// A bucket in ListBuckets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketSummary {
    /// Name.
    pub name: String,
    /// Creation date as sent.
    pub creation_date: String,
}
