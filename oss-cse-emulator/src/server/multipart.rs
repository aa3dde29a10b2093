//! Multipart uploads: initiate, parts (uploaded or copied), listings, abort
//! and complete, with the client-side-encryption rules of `cse_rules`.

use axum::body::Body;
use axum::response::Response;
use crc_fast::{CrcAlgorithm, Digest as Crc};
use md5::{Digest as _, Md5};
use oss_cse_envelope::consts::V2_PREFIX as CSE_PREFIX;
use quick_xml::escape::escape;

use super::{
    App, CHUNK, Ctx, MIN_PART_SIZE, bad, check_object_name, commit_locked, concatenate, copy_source, finish_data,
    kept_headers, parse_range, pipe_stored, read_small_body, receive, requested_sse, status, url_encode, xml,
    xml_field,
};
use crate::cse_rules;
use crate::error::{OssError, insert};
use crate::store::{ObjectRecord, PartRecord, UploadRecord, now_iso};
use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _, AsyncWriteExt as _};

pub(super) async fn initiate_upload(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    let bucket = app.store.bucket(ctx.bucket()).await?;
    check_object_name(ctx.key())?;
    let headers = kept_headers(ctx)?;
    super::writes::check_overwrite(app, ctx, ctx.key()).await?;
    // OSS's published CSE rules (401-410); then a stricter one of ours: a
    // part size that is not a multiple of 16 would shift every later part's
    // CTR counter for readers (the SDKs refuse it client-side too).
    if let Some(sizes) = cse_rules::check_headers(cse_rules::Upload::Initiate, &ctx.headers)? {
        if sizes.part_size % 16 != 0 {
            return Err(bad("InvalidArgument", "Client-side encryption part-size must be a multiple of 16."));
        }
    }
    let upload = UploadRecord {
        upload_id: format!("{:032X}", rand::random::<u128>()),
        key: ctx.key().to_owned(),
        initiated: now_iso(),
        content_type: ctx.header("content-type").unwrap_or("application/octet-stream").to_owned(),
        headers,
        sse: requested_sse(app, ctx, &bucket)?,
        parts: Vec::new(),
        tags: super::tagging::from_header(ctx)?,
        acl: super::acl::object_acl(ctx)?,
        storage_class: super::acl::storage_class(ctx)?,
    };
    app.store.save_upload(ctx.bucket(), &upload).await?;
    let mut response = xml(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult><Bucket>{}</Bucket><Key>{}</Key><UploadId>{}</UploadId></InitiateMultipartUploadResult>",
        ctx.bucket(),
        escape(ctx.key()),
        upload.upload_id
    ));
    for (k, v) in upload.sse.map(|s| s.headers()).unwrap_or_default() {
        insert(response.headers_mut(), &k, &v);
    }
    Ok(response)
}

/// The `partNumber` of an UploadPart, 1 to 10,000.
pub(super) fn part_number(ctx: &Ctx) -> Result<u32, OssError> {
    ctx.query("partNumber")
        .and_then(|n| n.parse().ok())
        .filter(|n| (1..=10_000).contains(n))
        .ok_or_else(|| bad("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive."))
}

pub(super) async fn upload_part(app: &App, ctx: &Ctx, body: Body) -> Result<Response, OssError> {
    let number = part_number(ctx)?;
    let upload_id = ctx.query("uploadId").unwrap_or_default();
    let upload = app.store.upload(ctx.bucket(), upload_id).await?;
    if upload.key != ctx.key() {
        return Err(OssError::new(404, "NoSuchUpload", "The specified upload does not exist."));
    }
    let received = receive(app, ctx, body, None).await?;
    // The part's CSE headers against Initiate's, and its length against the
    // declared sizes (412-420); a refused part is not kept.
    let checked =
        cse_rules::check_part(&upload.headers, &ctx.headers, u64::from(number), received.size, app.strict_upload_part);
    if let Err(error) = checked {
        let _ = tokio::fs::remove_file(&received.path).await;
        return Err(error);
    }
    let part = PartRecord::new(number, received.size, received.md5, received.crc64);
    let etag = part.etag.clone();
    {
        let _guard = app.store.lock.lock().await;
        app.store.put_part(ctx.bucket(), upload_id, part, &received.path).await?;
    }
    let mut response = status(200);
    insert(response.headers_mut(), "etag", &format!("\"{etag}\""));
    insert(response.headers_mut(), "x-oss-hash-crc64ecma", &received.crc64.to_string());
    // A part reports the upload's server-side encryption, as OSS does.
    for (k, v) in upload.sse.map(|s| s.headers()).unwrap_or_default() {
        insert(response.headers_mut(), &k, &v);
    }
    Ok(response)
}

/// UploadPartCopy: a range of another object (decrypted from its at-rest
/// encryption) becomes a part. A client-side-encrypted source is refused
/// (0042-00000309): its ciphertext cannot be re-cut into another object.
pub(super) async fn upload_part_copy(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    let number = part_number(ctx)?;
    let upload_id = ctx.query("uploadId").unwrap_or_default();
    let upload = app.store.upload(ctx.bucket(), upload_id).await?;
    if upload.key != ctx.key() {
        return Err(OssError::new(404, "NoSuchUpload", "The specified upload does not exist."));
    }
    let (source_bucket, source_key) = copy_source(ctx)?;
    let record = app.store.object(&source_bucket, &source_key).await?;
    if cse_rules::is_cse(&record.headers) {
        return Err(bad("InvalidArgument", "UploadPartCopy cannot copy a client-side encrypted object.")
            .with_ec("0042-00000309"));
    }
    let (start, len) = match ctx.header("x-oss-copy-source-range") {
        Some(value) => match parse_range(value, record.size, true)? {
            Some((s, e)) => (s, e - s + 1),
            None => (0, record.size),
        },
        None => (0, record.size),
    };
    let internal = |e: std::io::Error| OssError::new(500, "InternalError", &e.to_string());
    let mut input = tokio::fs::File::open(app.store.object_data(&source_bucket, &record)).await.map_err(internal)?;
    input.seek(std::io::SeekFrom::Start(start)).await.map_err(internal)?;
    let mut decrypt = record.at_rest.as_ref().map(|a| app.store.at_rest_cipher(a)).transpose()?;
    if let Some(c) = decrypt.as_mut() {
        c.seek(start);
    }
    let path = app.store.new_data_path(ctx.bucket()).await?;
    let mut output = tokio::fs::File::create(&path).await.map_err(internal)?;
    let (mut md5, mut crc) = (Md5::new(), Crc::new(CrcAlgorithm::Crc64Xz));
    let mut left = len;
    let mut buf = vec![0u8; CHUNK];
    while left > 0 {
        let chunk = &mut buf[..left.min(CHUNK as u64) as usize];
        input.read_exact(chunk).await.map_err(internal)?;
        if let Some(c) = decrypt.as_mut() {
            c.apply(chunk);
        }
        md5.update(&*chunk);
        crc.update(chunk);
        output.write_all(chunk).await.map_err(internal)?;
        left -= chunk.len() as u64;
    }
    finish_data(app, &mut output).await?;
    let md5: [u8; 16] = md5.finalize().into();
    let part = PartRecord::new(number, len, md5, crc.finalize());
    let (etag, last_modified) = (part.etag.clone(), part.last_modified.clone());
    {
        let _guard = app.store.lock.lock().await;
        app.store.put_part(ctx.bucket(), upload_id, part, &path).await?;
    }
    // The ETag is in the body and, as OSS also sends it, in the header
    // (where oss2 reads it).
    let mut response = xml(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CopyPartResult><LastModified>{last_modified}</LastModified><ETag>\"{etag}\"</ETag></CopyPartResult>"
    ));
    insert(response.headers_mut(), "etag", &format!("\"{etag}\""));
    Ok(response)
}

pub(super) async fn list_parts(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    let upload = app.store.upload(ctx.bucket(), ctx.query("uploadId").unwrap_or_default()).await?;
    let marker: u32 = ctx.query("part-number-marker").and_then(|m| m.parse().ok()).unwrap_or(0);
    let max: usize = ctx.query("max-parts").and_then(|m| m.parse().ok()).unwrap_or(1000).clamp(1, 1000);
    let parts: Vec<&PartRecord> = upload.parts.iter().filter(|p| p.number > marker).collect();
    let truncated = parts.len() > max;
    let shown = &parts[..parts.len().min(max)];
    let next = shown.last().map_or(marker, |p| p.number);
    let mut body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListPartsResult><Bucket>{}</Bucket><Key>{}</Key><UploadId>{}</UploadId><PartNumberMarker>{marker}</PartNumberMarker><NextPartNumberMarker>{next}</NextPartNumberMarker><MaxParts>{max}</MaxParts><IsTruncated>{truncated}</IsTruncated>",
        ctx.bucket(),
        escape(upload.key.as_str()),
        upload.upload_id
    );
    for (suffix, element) in [
        ("key", "ClientEncryptionKey"),
        ("start", "ClientEncryptionStart"),
        ("cek-alg", "ClientEncryptionCekAlg"),
        ("wrap-alg", "ClientEncryptionWrapAlg"),
        ("data-size", "ClientEncryptionDataSize"),
        ("part-size", "ClientEncryptionPartSize"),
    ] {
        let name = format!("{CSE_PREFIX}{suffix}");
        if let Some((_, value)) = upload.headers.iter().find(|(k, _)| *k == name) {
            body.push_str(&format!("<{element}>{}</{element}>", escape(value.as_str())));
        }
    }
    for part in shown {
        body.push_str(&format!(
            "<Part><PartNumber>{}</PartNumber><LastModified>{}</LastModified><ETag>\"{}\"</ETag><HashCrc64ecma>{}</HashCrc64ecma><Size>{}</Size></Part>",
            part.number, part.last_modified, part.etag, part.crc64, part.size
        ));
    }
    body.push_str("</ListPartsResult>");
    Ok(xml(body))
}

pub(super) async fn list_uploads(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    app.store.bucket(ctx.bucket()).await?;
    let prefix = ctx.query("prefix").unwrap_or("");
    let delimiter = ctx.query("delimiter").unwrap_or("");
    let key_marker = ctx.query("key-marker").unwrap_or("");
    let id_marker = ctx.query("upload-id-marker").unwrap_or("");
    let max: usize = ctx.query("max-uploads").and_then(|m| m.parse().ok()).unwrap_or(1000).clamp(1, 1000);
    let url = ctx.query("encoding-type") == Some("url");
    let name = |text: &str| if url { url_encode(text) } else { escape(text).into_owned() };
    // Key order, then upload id (what upload-id-marker pages by); after the
    // markers: a key past key-marker, or that key with a later upload id.
    let mut uploads: Vec<UploadRecord> = app
        .store
        .list_uploads(ctx.bucket())
        .await?
        .into_iter()
        .filter(|u| u.key.starts_with(prefix))
        .filter(|u| {
            u.key.as_str() > key_marker
                || (!id_marker.is_empty() && u.key == key_marker && u.upload_id.as_str() > id_marker)
        })
        // A marker that is a common prefix (the last entry of a page) stands
        // for every upload under it.
        .filter(|u| delimiter.is_empty() || !key_marker.ends_with(delimiter) || !u.key.starts_with(key_marker))
        .collect();
    uploads.sort_by(|a, b| (&a.key, &a.upload_id).cmp(&(&b.key, &b.upload_id)));
    let entries = upload_entries(uploads, prefix, delimiter);
    let truncated = entries.len() > max;
    let entries = &entries[..entries.len().min(max)];
    let mut body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListMultipartUploadsResult><Bucket>{}</Bucket><KeyMarker>{}</KeyMarker><UploadIdMarker>{}</UploadIdMarker><Prefix>{}</Prefix><Delimiter>{}</Delimiter><MaxUploads>{max}</MaxUploads><IsTruncated>{truncated}</IsTruncated>",
        ctx.bucket(),
        name(key_marker),
        escape(id_marker),
        name(prefix),
        name(delimiter)
    );
    if url {
        body.push_str("<EncodingType>url</EncodingType>");
    }
    // OSS always sends both markers (oss2 requires them): the last upload
    // listed, or empty when none was.
    let (next_key, next_id) = match entries.last() {
        Some(UploadEntry::Upload(u)) => (u.key.as_str(), u.upload_id.as_str()),
        Some(UploadEntry::Prefix(p)) => (p.as_str(), ""),
        None => ("", ""),
    };
    body.push_str(&format!(
        "<NextKeyMarker>{}</NextKeyMarker><NextUploadIdMarker>{}</NextUploadIdMarker>",
        name(next_key),
        escape(next_id)
    ));
    for entry in entries {
        match entry {
            UploadEntry::Upload(upload) => body.push_str(&format!(
                "<Upload><Key>{}</Key><UploadId>{}</UploadId><Initiated>{}</Initiated></Upload>",
                name(&upload.key),
                upload.upload_id,
                upload.initiated
            )),
            UploadEntry::Prefix(common) => {
                body.push_str(&format!("<CommonPrefixes><Prefix>{}</Prefix></CommonPrefixes>", name(common)));
            }
        }
    }
    body.push_str("</ListMultipartUploadsResult>");
    Ok(xml(body))
}

/// One entry of an upload listing: an upload, or a common prefix standing
/// for every upload under it.
enum UploadEntry {
    Upload(Box<UploadRecord>),
    Prefix(String),
}

/// `uploads` (sorted) as listing entries: with a delimiter, the uploads
/// whose key has it after `prefix` collapse into one common prefix each.
fn upload_entries(uploads: Vec<UploadRecord>, prefix: &str, delimiter: &str) -> Vec<UploadEntry> {
    let mut entries = Vec::new();
    for upload in uploads {
        let rest = &upload.key[prefix.len().min(upload.key.len())..];
        match rest.find(delimiter).filter(|_| !delimiter.is_empty()) {
            Some(i) => {
                let common = format!("{prefix}{}", &rest[..i + delimiter.len()]);
                if !matches!(entries.last(), Some(UploadEntry::Prefix(p)) if *p == common) {
                    entries.push(UploadEntry::Prefix(common));
                }
            }
            None => entries.push(UploadEntry::Upload(Box::new(upload))),
        }
    }
    entries
}

pub(super) async fn abort_upload(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    let _guard = app.store.lock.lock().await;
    let upload = app.store.upload(ctx.bucket(), ctx.query("uploadId").unwrap_or_default()).await?;
    app.store.remove_upload(ctx.bucket(), &upload, false).await;
    Ok(status(204))
}

/// The (part number, ETag) list of a CompleteMultipartUpload body.
pub(super) fn completed_parts(body: &str) -> Result<Vec<(u32, String)>, OssError> {
    let malformed = || bad("MalformedXML", "The XML you provided was not well-formed.");
    let mut parts = Vec::new();
    for chunk in body.split("<Part>").skip(1) {
        let chunk = chunk.split("</Part>").next().ok_or_else(malformed)?;
        let number = xml_field(chunk, "PartNumber").and_then(|n| n.parse().ok()).ok_or_else(malformed)?;
        let etag = xml_field(chunk, "ETag").ok_or_else(malformed)?;
        parts.push((number, etag.trim_matches('"').to_owned()));
    }
    if parts.is_empty() {
        return Err(malformed());
    }
    Ok(parts)
}

pub(super) async fn complete_upload(app: &App, ctx: &Ctx, body: Body) -> Result<Response, OssError> {
    let upload_id = ctx.query("uploadId").unwrap_or_default().to_owned();
    let text = read_small_body(body).await?;
    let upload = app.store.upload(ctx.bucket(), &upload_id).await?;
    // x-oss-complete-all: yes completes with every uploaded part, in order,
    // and then the body must not list any.
    let listed = if ctx.header("x-oss-complete-all").is_some_and(|v| v.trim().eq_ignore_ascii_case("yes")) {
        if !text.trim().is_empty() {
            return Err(bad("InvalidArgument", "With x-oss-complete-all the request body must be empty."));
        }
        let mut all: Vec<(u32, String)> = upload.parts.iter().map(|p| (p.number, p.etag.clone())).collect();
        all.sort();
        if all.is_empty() {
            return Err(bad("InvalidPart", "The upload has no parts."));
        }
        all
    } else {
        completed_parts(&text)?
    };
    cse_rules::check_complete(&upload.headers, &ctx.headers, listed.len())?;
    let mut chosen: Vec<&PartRecord> = Vec::new();
    for (index, (number, etag)) in listed.iter().enumerate() {
        if index > 0 && *number <= listed[index - 1].0 {
            return Err(bad("InvalidPartOrder", "The list of parts was not in ascending order."));
        }
        let part = upload
            .parts
            .iter()
            .find(|p| p.number == *number && p.etag.eq_ignore_ascii_case(etag))
            .ok_or_else(|| bad("InvalidPart", "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag."))?;
        chosen.push(part);
    }
    if chosen[..chosen.len() - 1].iter().any(|p| p.size < MIN_PART_SIZE) {
        return Err(bad("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size."));
    }
    let at_rest = upload.sse.as_ref().map(|s| app.store.new_at_rest(s)).transpose()?;
    let path = app.store.new_data_path(ctx.bucket()).await?;
    let internal = |e: std::io::Error| OssError::new(500, "InternalError", &e.to_string());
    let mut cipher = at_rest.as_ref().map(|a| app.store.at_rest_cipher(a)).transpose()?;
    let mut md5s = Vec::new();
    let mut crc = 0u64;
    let mut size = 0u64;
    for part in &chosen {
        md5s.extend(hex::decode(&part.md5).unwrap_or_default());
        crc = crc_fast::checksum_combine(CrcAlgorithm::Crc64Xz, crc, part.crc64, part.size);
        size += part.size;
    }
    let assembled = async {
        if cipher.is_none() {
            let parts = chosen.iter().map(|part| app.store.part_data(ctx.bucket(), part)).collect();
            return concatenate(app, parts, &path).await;
        }
        let mut output = tokio::fs::File::create(&path).await.map_err(internal)?;
        for part in &chosen {
            pipe_stored(&app.store.part_data(ctx.bucket(), part), None, &mut output, &mut cipher, None).await?;
        }
        finish_data(app, &mut output).await
    }
    .await;
    if let Err(error) = assembled {
        let _ = tokio::fs::remove_file(&path).await;
        return Err(error);
    }
    let etag = format!("{}-{}", hex::encode_upper(Md5::digest(&md5s)), chosen.len());
    let mut record = ObjectRecord::new(
        &upload.key,
        size,
        etag.clone(),
        crc,
        upload.content_type.clone(),
        upload.headers.clone(),
        at_rest,
    );
    record.multipart = true;
    record.tags = upload.tags.clone();
    record.acl = upload.acl.clone();
    record.storage_class = upload.storage_class.clone();
    {
        let _guard = app.store.lock.lock().await;
        commit_locked(app, ctx, record, &path).await?;
        app.store.remove_upload(ctx.bucket(), &upload, false).await;
    }
    let mut response = xml(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUploadResult><Location>http://emulator/{}/{}</Location><Bucket>{}</Bucket><Key>{}</Key><ETag>\"{etag}\"</ETag></CompleteMultipartUploadResult>",
        ctx.bucket(),
        escape(upload.key.as_str()),
        ctx.bucket(),
        escape(upload.key.as_str())
    ));
    insert(response.headers_mut(), "x-oss-hash-crc64ecma", &crc.to_string());
    insert(response.headers_mut(), "etag", &format!("\"{etag}\""));
    for (k, v) in upload.sse.map(|s| s.headers()).unwrap_or_default() {
        insert(response.headers_mut(), &k, &v);
    }
    Ok(response)
}
