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
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{HeaderValue, Response};
use futures_util::{StreamExt, TryStreamExt};
use md5::Digest as _;
use oss_cse_client::core::ContentMaterial;
use oss_cse_client::{Crc64, EncryptionClient, PutOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::reply::{OssError, escape, xml, xml_now};

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
    /// The part's room in the spool, given back when the part goes.
    _held: Held,
}

/// Bytes of the spool's limit held by one file, given back when dropped.
struct Held {
    used: Arc<AtomicU64>,
    bytes: u64,
}

impl Held {
    fn none(used: &Arc<AtomicU64>) -> Self {
        Self { used: used.clone(), bytes: 0 }
    }

    /// Holds `more` bytes, unless the spool would then hold over `limit`.
    fn grow(&mut self, more: u64, limit: u64) -> Result<(), OssError> {
        let before = self.used.fetch_add(more, Ordering::Relaxed);
        if before.saturating_add(more) > limit {
            self.used.fetch_sub(more, Ordering::Relaxed);
            return Err(OssError::new(
                503,
                "ServiceUnavailable",
                format!(
                    "the gateway's multipart spool holds its limit of {limit} bytes: complete or abort uploads in progress, or raise its limit"
                ),
            ));
        }
        self.bytes += more;
        Ok(())
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.used.fetch_sub(self.bytes, Ordering::Relaxed);
    }
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
    /// Bytes the spool's files hold, parts arriving included, and the most they may.
    used: Arc<AtomicU64>,
    limit: u64,
}

fn no_such_upload() -> OssError {
    OssError::new(
        404,
        "NoSuchUpload",
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
    )
}

/// The upload `upload_id`, if it is one of `bucket/key`.
fn named<'a>(
    uploads: &'a HashMap<String, Upload>,
    (bucket, key, upload_id): (&str, &str, &str),
) -> Result<&'a Upload, OssError> {
    match uploads.get(upload_id) {
        Some(upload) if upload.bucket == bucket && upload.key == key => Ok(upload),
        _ => Err(no_such_upload()),
    }
}

fn poisoned() -> OssError {
    OssError::new(500, "InternalError", "the spool's state was poisoned")
}

impl Spool {
    /// A spool in a private temporary folder, removed when it is dropped,
    /// holding at most `limit` bytes at once.
    pub(crate) fn new(limit: u64) -> std::io::Result<Self> {
        let folder = tempfile::Builder::new().prefix("oss-cse-gateway-spool-").tempdir()?;
        let material = Arc::new(ContentMaterial::generate(&mut rand_core::UnwrapErr(oss_cse_client::SysRng)));
        let used = Arc::new(AtomicU64::new(0));
        Ok(Self { folder, material, uploads: Mutex::new(HashMap::new()), used, limit })
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
        named(&uploads, (bucket, key, upload_id)).map(drop)
    }

    /// UploadPart: the part encrypted into the spool as it arrives; the
    /// reply's ETag is the part's MD5 and its CRC-64 the plaintext's, as
    /// OSS answers a plain part.
    pub(crate) async fn upload_part(
        &self,
        (bucket, key, upload_id): (&str, &str, &str),
        (number, request_md5): (u32, Option<&str>),
        (body, idle): (Body, std::time::Duration),
    ) -> Result<Response<Body>, OssError> {
        if !(1..=MAX_PARTS).contains(&number) {
            return Err(OssError::new(400, "InvalidArgument", format!("part number {number}: use 1 to {MAX_PARTS}")));
        }
        self.check(upload_id, bucket, key)?;
        // The part arrives in a file of its own, which replaces the part's
        // (a part sent again) only once it arrived whole and checked out;
        // on every other way out it is removed when dropped.
        let io = |error: std::io::Error| OssError::new(500, "InternalError", format!("the gateway's spool: {error}"));
        let incoming = tempfile::Builder::new().prefix("incoming-").tempfile_in(self.folder.path()).map_err(io)?;
        let (digest, crc, size, held) = self.receive_part(&incoming, number, (body, idle)).await?;
        let given = body_md5(request_md5);
        if given
            .is_some_and(|given| given != base64::Engine::encode(&base64::engine::general_purpose::STANDARD, digest))
        {
            return Err(crate::reply::digest_mismatch());
        }
        incoming.persist(self.path(upload_id, number)).map_err(|error| io(error.error))?;
        let etag = hex::encode_upper(digest);
        let part = Part { size, etag: etag.clone(), crc64: crc.value(), _held: held };
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

    /// Writes a part's body into `incoming`, encrypted at the part's stretch
    /// of the key stream, within the spool's limit (a part sent again holds
    /// room for both until it replaces the old one); its MD5, CRC-64, size
    /// and room.
    async fn receive_part(
        &self,
        incoming: &tempfile::NamedTempFile,
        number: u32,
        (body, idle): (Body, std::time::Duration),
    ) -> Result<(md5::digest::Output<md5::Md5>, Crc64, u64, Held), OssError> {
        let io = |error: std::io::Error| OssError::new(500, "InternalError", format!("the gateway's spool: {error}"));
        let mut file = tokio::fs::File::from_std(incoming.reopen().map_err(io)?);
        let mut cipher = self.material.cipher_at(u64::from(number) * PART_STRIDE);
        let (mut md5, mut crc, mut size) = (md5::Md5::new(), Crc64::new(), 0u64);
        let mut held = Held::none(&self.used);
        let stalled = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut stream = Box::pin(crate::objects::idle_limited(body, idle, stalled.clone()));
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|error| match stalled.load(std::sync::atomic::Ordering::Relaxed) {
                true => crate::objects::request_timeout(),
                false => OssError::new(400, "IncompleteBody", error.to_string()),
            })?;
            held.grow(chunk.len() as u64, self.limit)?;
            md5.update(&chunk);
            crc.update(&chunk);
            size += chunk.len() as u64;
            let mut sealed = chunk.to_vec();
            cipher.apply_keystream(&mut sealed);
            file.write_all(&sealed).await.map_err(io)?;
        }
        file.flush().await.map_err(io)?;
        Ok((md5.finalize(), crc, size, held))
    }

    /// ListParts: the parts spooled so far.
    pub(crate) fn list_parts(&self, (bucket, key, upload_id): (&str, &str, &str)) -> Result<Response<Body>, OssError> {
        let uploads = self.uploads.lock().map_err(|_| poisoned())?;
        let upload = named(&uploads, (bucket, key, upload_id))?;
        let now = xml_now();
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

    /// ListMultipartUploads: the uploads of `bucket` in progress here (with
    /// keys under `prefix`), by key.
    pub(crate) fn list_uploads(&self, bucket: &str, prefix: &str) -> Result<Response<Body>, OssError> {
        let uploads = self.uploads.lock().map_err(|_| poisoned())?;
        let mut listed: Vec<(&String, &String)> = uploads
            .iter()
            .filter(|(_, upload)| upload.bucket == bucket && upload.key.starts_with(prefix))
            .map(|(id, upload)| (&upload.key, id))
            .collect();
        listed.sort();
        let now = xml_now();
        let entries: String = listed
            .iter()
            .map(|(key, id)| {
                format!(
                    "<Upload><Key>{}</Key><UploadId>{id}</UploadId><Initiated>{now}</Initiated></Upload>",
                    escape(key)
                )
            })
            .collect();
        Ok(xml(format!(
            "<ListMultipartUploadsResult><Bucket>{}</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker><NextKeyMarker></NextKeyMarker><NextUploadIdMarker></NextUploadIdMarker><Delimiter></Delimiter><Prefix>{}</Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>{entries}</ListMultipartUploadsResult>",
            escape(bucket),
            escape(prefix)
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
        (body, complete_all): (Body, bool),
    ) -> Result<Response<Body>, OssError> {
        let listed = axum::body::to_bytes(body, 1 << 20)
            .await
            .map_err(|_| OssError::new(400, "MalformedXML", "the part list is too large"))?;
        let listed = if complete_all { None } else { Some(parse_part_list(&String::from_utf8_lossy(&listed))?) };
        let (sizes, headers) = {
            let uploads = self.uploads.lock().map_err(|_| poisoned())?;
            let upload = named(&uploads, (bucket, key, upload_id))?;
            // x-oss-complete-all: every part uploaded, in part-number order.
            let listed = listed
                .unwrap_or_else(|| upload.parts.iter().map(|(number, part)| (*number, part.etag.clone())).collect());
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
        let options = PutOptions { expected_size: Some(total), headers, ..PutOptions::default() };
        // A tagging engine hashes the whole ciphertext before the upload
        // starts, which parts sent one by one cannot give: it takes the
        // stream path, which spools and tags.
        let layout = same_layout(&sizes).filter(|_| !client.options().authentication.write_tags);
        let (written, crc) = match layout {
            // The client's own layout fits an encrypted upload: its parts go
            // up as parts (the object is a multipart one, as it asked).
            Some(part_size) => {
                self.upload_as_parts(client, (bucket, key, upload_id), &sizes, part_size, &options).await?
            }
            None => {
                let reader = self.reader(upload_id, sizes);
                let crc = Arc::new(Mutex::new(Crc64::new()));
                let reader = crate::objects::Crc64Reading::new(reader, crc.clone());
                let written = client.put_stream(bucket, key, reader, &options).await;
                let written = written.map_err(|error| OssError::from(&error))?;
                let crc = crate::objects::crc_value(&crc)?;
                (written, crc)
            }
        };
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

    /// The listed parts uploaded as the parts of an encrypted multipart
    /// upload of `part_size`, one in memory at a time; aborted on failure.
    async fn upload_as_parts(
        &self,
        client: &EncryptionClient,
        (bucket, key, upload_id): (&str, &str, &str),
        sizes: &[(u32, u64)],
        part_size: u64,
        options: &PutOptions,
    ) -> Result<(oss_cse_client::types::WriteOutput, u64), OssError> {
        let total = sizes.iter().map(|(_, size)| size).sum();
        let engine = |error: oss_cse_client::Error| OssError::from(&error);
        let upload = client.initiate_multipart(bucket, key, total, part_size, options).await.map_err(engine)?;
        let mut crc = Crc64::new();
        let mut sent = Vec::new();
        for (index, (number, size)) in sizes.iter().enumerate() {
            let mut plaintext = vec![0u8; usize::try_from(*size).unwrap_or(usize::MAX)];
            let read = async {
                let mut file = tokio::fs::File::open(self.path(upload_id, *number)).await?;
                file.read_exact(&mut plaintext).await.map(drop)
            };
            if let Err(error) = read.await {
                let _ = client.abort_multipart(&upload).await;
                return Err(OssError::new(500, "InternalError", format!("the gateway's spool: {error}")));
            }
            self.material.cipher_at(u64::from(*number) * PART_STRIDE).apply_keystream(&mut plaintext);
            crc.update(&plaintext);
            match client.upload_part(&upload, (index + 1) as u32, plaintext).await {
                Ok(part) => sent.push(part),
                Err(error) => {
                    let _ = client.abort_multipart(&upload).await;
                    return Err(engine(error));
                }
            }
        }
        match client.complete_multipart(&upload, sent).await {
            Ok(written) => Ok((written, crc.value())),
            Err(error) => {
                let _ = client.abort_multipart(&upload).await;
                Err(engine(error))
            }
        }
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

/// The largest client part uploaded as a part (one is held in memory).
const MAX_PART_IN_MEMORY: u64 = 64 << 20;

/// The part size of the listed parts when they fit an encrypted multipart
/// upload as they are: all but the last of one size (a multiple of 16 of at
/// least 100 KiB, at most [`MAX_PART_IN_MEMORY`]), the last no larger; one
/// part alone in a part of its size (rounded up to 16, at least 100 KiB).
fn same_layout(sizes: &[(u32, u64)]) -> Option<u64> {
    let min = oss_cse_client::core::offset::MIN_PART_SIZE;
    if let [(_, only)] = sizes {
        // One part: the whole object, in a part of at least OSS's smallest size.
        return (*only > 0 && *only <= MAX_PART_IN_MEMORY).then(|| only.max(&min).next_multiple_of(16));
    }
    let (&(_, part_size), _) = sizes.split_first()?;
    let (&(_, last), rest) = sizes.split_last()?;
    let fits = part_size % 16 == 0
        && (oss_cse_client::core::offset::MIN_PART_SIZE..=MAX_PART_IN_MEMORY).contains(&part_size)
        && rest.iter().all(|(_, size)| *size == part_size)
        && last <= part_size
        && last > 0;
    fits.then_some(part_size)
}

/// A request's Content-MD5, trimmed.
fn body_md5(header: Option<&str>) -> Option<&str> {
    header.map(str::trim).filter(|md5| !md5.is_empty())
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
#[allow(clippy::unwrap_used)]
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

    #[test]
    fn a_clients_layout_is_kept_when_an_encrypted_upload_allows_it() {
        let kib = 1024;
        assert_eq!(same_layout(&[(1, 256 * kib), (2, 256 * kib), (3, 10)]), Some(256 * kib));
        assert_eq!(same_layout(&[(1, 256 * kib), (5, 256 * kib)]), Some(256 * kib), "numbers need not follow");
        assert_eq!(same_layout(&[(1, 1000)]), Some(100 * kib), "one small part: one part of the smallest size");
        assert_eq!(same_layout(&[(1, 300 * kib + 1)]), Some(300 * kib + 16));
        for other in [
            &[(1, 0)][..],                              // nothing to send as a part
            &[(1, 256 * kib + 1), (2, 10)],             // not a multiple of 16
            &[(1, 50 * kib), (2, 10)],                  // under OSS's smallest part
            &[(1, 256 * kib), (2, 128 * kib), (3, 10)], // uneven
            &[(1, 256 * kib), (2, 300 * kib)],          // a last part larger than the others
            &[(1, 128 << 20), (2, 10)],                 // too large to hold
        ] {
            assert_eq!(same_layout(other), None, "{other:?}");
        }
    }
}
