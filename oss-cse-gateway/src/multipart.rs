//! Multipart uploads of plain clients. OSS must know an encrypted upload's
//! data size and part size at Initiate, which a plain client never says, so
//! the gateway spools the parts and uploads the object when the client
//! completes it: each part is kept encrypted under a key that lives only in
//! this process (never plaintext on disk; a crash leaves bytes nobody can
//! read), and Complete streams the parts, in the client's order, through the
//! engine's upload (its own part size, a valid client-side encrypted object).
//! The spool is the gateway's only state: a client's upload must reach the
//! same gateway (sticky routing behind a load balancer).

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{HeaderValue, Response};
use futures_util::{StreamExt, TryStreamExt};
use md5::Digest as _;
use oss_cse_client::core::ContentMaterial;
use oss_cse_client::{Crc64, EncryptionClient, PutOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::reply::{OssError, escape};

/// Where part `n` sits in the spool's key stream: parts never share counter
/// blocks (a part is at most 5 GiB, far below 2^40 bytes).
const PART_STRIDE: u64 = 1 << 40;

/// The most parts OSS takes.
const MAX_PARTS: u32 = 10_000;

/// Chunks a spooled part is written and read in.
const CHUNK: usize = 1 << 20;

struct Part {
    size: u64,
    etag: String,
    crc64: u64,
}

struct Upload {
    bucket: String,
    key: String,
    headers: Vec<(String, String)>,
    parts: BTreeMap<u32, Part>,
}

/// The uploads in progress, their parts on disk.
pub(crate) struct Spool {
    folder: tempfile::TempDir,
    material: Arc<ContentMaterial>,
    uploads: Mutex<HashMap<String, Upload>>,
}

fn no_such_upload() -> OssError {
    OssError::new(
        404,
        "NoSuchUpload",
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
    )
}

fn poisoned() -> OssError {
    OssError::new(500, "InternalError", "the spool's state was poisoned")
}

fn xml(body: String) -> Response<Body> {
    let mut response = Response::new(Body::from(format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{body}")));
    response.headers_mut().insert("content-type", HeaderValue::from_static("application/xml"));
    response
}

impl Spool {
    /// A spool in a private temporary folder, removed when it is dropped.
    pub(crate) fn new() -> std::io::Result<Self> {
        let folder = tempfile::Builder::new().prefix("oss-cse-gateway-spool-").tempdir()?;
        let material = Arc::new(ContentMaterial::generate(&mut rand_core::UnwrapErr(oss_cse_client::SysRng)));
        Ok(Self { folder, material, uploads: Mutex::new(HashMap::new()) })
    }

    fn path(&self, upload_id: &str, number: u32) -> PathBuf {
        self.folder.path().join(format!("{upload_id}.{number}"))
    }

    /// InitiateMultipartUpload: an upload id of the gateway's; nothing is
    /// sent to OSS yet.
    pub(crate) fn initiate(
        &self,
        bucket: &str,
        key: &str,
        headers: Vec<(String, String)>,
    ) -> Result<Response<Body>, OssError> {
        let mut id = [0u8; 16];
        aws_lc_rs::rand::fill(&mut id).map_err(|_| OssError::new(500, "InternalError", "no randomness"))?;
        let upload_id = hex::encode_upper(id);
        let upload = Upload { bucket: bucket.to_owned(), key: key.to_owned(), headers, parts: BTreeMap::new() };
        self.uploads.lock().map_err(|_| poisoned())?.insert(upload_id.clone(), upload);
        Ok(xml(format!(
            "<InitiateMultipartUploadResult><Bucket>{}</Bucket><Key>{}</Key><UploadId>{upload_id}</UploadId></InitiateMultipartUploadResult>",
            escape(bucket),
            escape(key)
        )))
    }

    fn check(&self, upload_id: &str, bucket: &str, key: &str) -> Result<(), OssError> {
        let uploads = self.uploads.lock().map_err(|_| poisoned())?;
        match uploads.get(upload_id) {
            Some(upload) if upload.bucket == bucket && upload.key == key => Ok(()),
            _ => Err(no_such_upload()),
        }
    }

    /// UploadPart: the part encrypted into the spool as it arrives; the
    /// reply's ETag is the part's MD5 and its CRC-64 the plaintext's, as
    /// OSS answers a plain part.
    pub(crate) async fn upload_part(
        &self,
        (bucket, key, upload_id): (&str, &str, &str),
        number: u32,
        body: Body,
    ) -> Result<Response<Body>, OssError> {
        if !(1..=MAX_PARTS).contains(&number) {
            return Err(OssError::new(400, "InvalidArgument", format!("part number {number}: use 1 to {MAX_PARTS}")));
        }
        self.check(upload_id, bucket, key)?;
        let path = self.path(upload_id, number);
        let io = |error: std::io::Error| OssError::new(500, "InternalError", format!("the gateway's spool: {error}"));
        let mut file = tokio::fs::File::create(&path).await.map_err(io)?;
        let mut cipher = self.material.cipher_at(u64::from(number) * PART_STRIDE);
        let (mut md5, mut crc, mut size) = (md5::Md5::new(), Crc64::new(), 0u64);
        let mut stream = body.into_data_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|error| OssError::new(400, "IncompleteBody", error.to_string()))?;
            md5.update(&chunk);
            crc.update(&chunk);
            size += chunk.len() as u64;
            let mut sealed = chunk.to_vec();
            cipher.apply_keystream(&mut sealed);
            file.write_all(&sealed).await.map_err(io)?;
        }
        file.flush().await.map_err(io)?;
        let etag = hex::encode_upper(md5.finalize());
        let part = Part { size, etag: etag.clone(), crc64: crc.value() };
        let mut uploads = self.uploads.lock().map_err(|_| poisoned())?;
        let upload = uploads.get_mut(upload_id).ok_or_else(no_such_upload)?;
        upload.parts.insert(number, part);
        let mut response = Response::new(Body::empty());
        if let Ok(value) = HeaderValue::from_str(&format!("\"{etag}\"")) {
            response.headers_mut().insert("etag", value);
        }
        response.headers_mut().insert("x-oss-hash-crc64ecma", HeaderValue::from(crc.value()));
        Ok(response)
    }

    /// ListParts: the parts spooled so far.
    pub(crate) fn list_parts(&self, (bucket, key, upload_id): (&str, &str, &str)) -> Result<Response<Body>, OssError> {
        self.check(upload_id, bucket, key)?;
        let uploads = self.uploads.lock().map_err(|_| poisoned())?;
        let upload = uploads.get(upload_id).ok_or_else(no_such_upload)?;
        let now = jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%S.000Z").to_string();
        let parts: String = upload
            .parts
            .iter()
            .map(|(number, part)| {
                format!(
                    "<Part><PartNumber>{number}</PartNumber><LastModified>{now}</LastModified><ETag>\"{}\"</ETag><HashCrc64ecma>{}</HashCrc64ecma><Size>{}</Size></Part>",
                    part.etag, part.crc64, part.size
                )
            })
            .collect();
        Ok(xml(format!(
            "<ListPartsResult><Bucket>{}</Bucket><Key>{}</Key><UploadId>{upload_id}</UploadId><PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>{}</NextPartNumberMarker><MaxParts>1000</MaxParts><IsTruncated>false</IsTruncated>{parts}</ListPartsResult>",
            escape(bucket),
            escape(key),
            upload.parts.keys().last().copied().unwrap_or(0)
        )))
    }

    /// AbortMultipartUpload: the spooled parts are removed.
    pub(crate) async fn abort(&self, (bucket, key, upload_id): (&str, &str, &str)) -> Result<Response<Body>, OssError> {
        self.check(upload_id, bucket, key)?;
        let upload = self.uploads.lock().map_err(|_| poisoned())?.remove(upload_id).ok_or_else(no_such_upload)?;
        for number in upload.parts.keys() {
            let _ = tokio::fs::remove_file(self.path(upload_id, *number)).await;
        }
        let mut response = Response::new(Body::empty());
        *response.status_mut() = axum::http::StatusCode::NO_CONTENT;
        Ok(response)
    }

    /// CompleteMultipartUpload: the parts the client lists, in its order
    /// and with its ETags, streamed out of the spool through the engine's
    /// upload; the reply's CRC-64 is the whole plaintext's.
    pub(crate) async fn complete(
        &self,
        client: &EncryptionClient,
        (bucket, key, upload_id): (&str, &str, &str),
        body: Body,
    ) -> Result<Response<Body>, OssError> {
        self.check(upload_id, bucket, key)?;
        let listed = axum::body::to_bytes(body, 1 << 20)
            .await
            .map_err(|_| OssError::new(400, "MalformedXML", "the part list is too large"))?;
        let listed = parse_part_list(&String::from_utf8_lossy(&listed))?;
        let (sizes, headers) = {
            let uploads = self.uploads.lock().map_err(|_| poisoned())?;
            let upload = uploads.get(upload_id).ok_or_else(no_such_upload)?;
            let mut sizes = Vec::new();
            for (number, etag) in &listed {
                match upload.parts.get(number) {
                    Some(part) if part.etag.eq_ignore_ascii_case(etag.trim_matches('"')) => {
                        sizes.push((*number, part.size))
                    }
                    _ => {
                        return Err(OssError::new(
                            400,
                            "InvalidPart",
                            format!("part {number} was not uploaded, or its ETag differs"),
                        ));
                    }
                }
            }
            (sizes, upload.headers.clone())
        };
        let total: u64 = sizes.iter().map(|(_, size)| size).sum();
        let reader = self.reader(upload_id, sizes);
        let digests = Arc::new(Mutex::new(crate::objects::Digests::default()));
        let reader = crate::objects::Digesting::new(reader, digests.clone());
        let options = PutOptions { expected_size: Some(total), headers, ..PutOptions::default() };
        let written = client.put_stream(bucket, key, reader, &options).await.map_err(|error| OssError::from(&error))?;
        let crc = digests.lock().map_err(|_| poisoned())?.crc_value();
        let _ = self.abort((bucket, key, upload_id)).await;
        let mut response = xml(format!(
            "<CompleteMultipartUploadResult><Bucket>{}</Bucket><Key>{}</Key><ETag>\"{}\"</ETag></CompleteMultipartUploadResult>",
            escape(bucket),
            escape(key),
            escape(&written.etag)
        ));
        response.headers_mut().insert("x-oss-hash-crc64ecma", HeaderValue::from(crc));
        if let Ok(value) = HeaderValue::from_str(&format!("\"{}\"", written.etag)) {
            response.headers_mut().insert("etag", value);
        }
        Ok(response)
    }

    /// The plaintext of the listed parts, in order, read and decrypted in chunks.
    fn reader(&self, upload_id: &str, parts: Vec<(u32, u64)>) -> impl tokio::io::AsyncRead + Send + Unpin + 'static {
        let files: Vec<(PathBuf, u32)> =
            parts.iter().map(|(number, _)| (self.path(upload_id, *number), *number)).collect();
        let material = self.material.clone();
        let stream = futures_util::stream::iter(files)
            .then(move |(path, number)| {
                let cipher = material.cipher_at(u64::from(number) * PART_STRIDE);
                async move { tokio::fs::File::open(&path).await.map(|file| (file, cipher)) }
            })
            .map_ok(|(file, cipher)| {
                futures_util::stream::try_unfold((file, cipher), |(mut file, mut cipher)| async move {
                    let mut buf = vec![0u8; CHUNK];
                    let n = file.read(&mut buf).await?;
                    if n == 0 {
                        return Ok::<_, std::io::Error>(None);
                    }
                    buf.truncate(n);
                    cipher.apply_keystream(&mut buf);
                    Ok(Some((bytes::Bytes::from(buf), (file, cipher))))
                })
            })
            .try_flatten();
        tokio_util::io::StreamReader::new(Box::pin(stream))
    }
}

/// The `(PartNumber, ETag)` list of a CompleteMultipartUpload body, in its
/// order; part numbers must ascend, as OSS requires.
fn parse_part_list(text: &str) -> Result<Vec<(u32, String)>, OssError> {
    let malformed = || OssError::new(400, "MalformedXML", "The XML you provided was not well-formed.");
    let field = |part: &str, name: &str| -> Option<String> {
        let start = part.find(&format!("<{name}>"))? + name.len() + 2;
        let end = part[start..].find(&format!("</{name}>"))? + start;
        Some(part[start..end].trim().replace("&quot;", "\""))
    };
    let mut parts = Vec::new();
    for piece in text.split("<Part>").skip(1) {
        let number = field(piece, "PartNumber").and_then(|n| n.parse::<u32>().ok()).ok_or_else(malformed)?;
        let etag = field(piece, "ETag").ok_or_else(malformed)?;
        if parts.last().is_some_and(|(last, _)| *last >= number) {
            return Err(OssError::new(400, "InvalidPartOrder", "The list of parts was not in ascending order."));
        }
        parts.push((number, etag));
    }
    if parts.is_empty() {
        return Err(malformed());
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_list_as_oss_reads_it() {
        let xml = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"AB\"</ETag></Part>\
                   <Part><PartNumber>3</PartNumber><ETag>&quot;CD&quot;</ETag></Part></CompleteMultipartUpload>";
        assert_eq!(parse_part_list(xml).unwrap(), vec![(1, "\"AB\"".to_owned()), (3, "\"CD\"".to_owned())]);
        let descending = "<Part><PartNumber>2</PartNumber><ETag>a</ETag></Part><Part><PartNumber>1</PartNumber><ETag>b</ETag></Part>";
        assert_eq!(parse_part_list(descending).unwrap_err().code, "InvalidPartOrder");
        assert_eq!(parse_part_list("<CompleteMultipartUpload/>").unwrap_err().code, "MalformedXML");
        assert_eq!(parse_part_list("<Part><ETag>a</ETag></Part>").unwrap_err().code, "MalformedXML");
    }
}
