//! Bucket operations: create, list, default encryption, object listings and
//! batch deletes.

use axum::body::Body;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use md5::{Digest as _, Md5};
use quick_xml::escape::escape;

use super::{App, Ctx, bad, decode, iso_time, read_small_body, status, url_encode, xml, xml_field};
use crate::error::OssError;
use crate::store::{BucketRecord, ObjectRecord, Sse, now_iso};

pub(super) async fn put_bucket(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    // The name was checked with every request's (see `handle`).
    let _guard = app.store.lock.lock().await;
    // As on OSS, re-creating your own bucket succeeds; someone else's is taken.
    if let Ok(existing) = app.store.bucket(ctx.bucket()).await {
        if existing.owner.is_empty() || existing.owner == ctx.caller {
            return Ok(status(200));
        }
        return Err(OssError::new(409, "BucketAlreadyExists", "The requested bucket name is not available."));
    }
    let record = BucketRecord {
        name: ctx.bucket().to_owned(),
        created: now_iso(),
        encryption: None,
        owner: ctx.caller.clone(),
        acl: super::acl::bucket_acl(ctx)?,
    };
    app.store.put_bucket_record(&record).await?;
    Ok(status(200))
}

/// ListBuckets, with `prefix`, `marker` and `max-keys` as OSS takes them.
pub(super) async fn list_buckets(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    let prefix = ctx.query("prefix").unwrap_or("");
    let marker = ctx.query("marker").unwrap_or("");
    let max: usize = ctx.query("max-keys").and_then(|m| m.parse().ok()).unwrap_or(100).clamp(1, 1000);
    let mut buckets: Vec<BucketRecord> = app
        .store
        .list_buckets()
        .await?
        .into_iter()
        .filter(|b| b.name.starts_with(prefix) && b.name.as_str() > marker)
        .collect();
    buckets.sort_by(|a, b| a.name.cmp(&b.name));
    let truncated = buckets.len() > max;
    buckets.truncate(max);
    // The endpoint SDKs reach each bucket at: the address the caller used.
    let endpoint = escape(ctx.header("host").unwrap_or("127.0.0.1")).into_owned();
    let mut body = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListAllMyBucketsResult>");
    body.push_str(&format!(
        "<Prefix>{}</Prefix><Marker>{}</Marker><MaxKeys>{max}</MaxKeys><IsTruncated>{truncated}</IsTruncated>",
        escape(prefix),
        escape(marker)
    ));
    if let (true, Some(last)) = (truncated, buckets.last()) {
        body.push_str(&format!("<NextMarker>{}</NextMarker>", last.name));
    }
    body.push_str("<Owner><ID>emulator</ID><DisplayName>emulator</DisplayName></Owner><Buckets>");
    for bucket in buckets {
        body.push_str(&format!(
            "<Bucket><CreationDate>{}</CreationDate><ExtranetEndpoint>{endpoint}</ExtranetEndpoint><IntranetEndpoint>{endpoint}</IntranetEndpoint><Location>oss-emulator</Location><Name>{}</Name><Region>emulator</Region><StorageClass>Standard</StorageClass></Bucket>",
            bucket.created, bucket.name
        ));
    }
    body.push_str("</Buckets></ListAllMyBucketsResult>");
    Ok(xml(body))
}

pub(super) async fn put_bucket_encryption(app: &App, ctx: &Ctx, body: Body) -> Result<Response, OssError> {
    let text = read_small_body(body).await?;
    let algorithm = xml_field(&text, "SSEAlgorithm").ok_or_else(|| bad("MalformedXML", "SSEAlgorithm is missing."))?;
    let key_id = xml_field(&text, "KMSMasterKeyID").filter(|k| !k.is_empty());
    let data = xml_field(&text, "KMSDataEncryption").filter(|k| !k.is_empty());
    // OSS's codes for the rule (0005-00000003/203/204), before the general checks.
    let kms = algorithm.trim().eq_ignore_ascii_case("KMS");
    if !["AES256", "SM4", "KMS"].iter().any(|a| algorithm.trim().eq_ignore_ascii_case(a)) {
        return Err(bad("InvalidEncryptionAlgorithmError", "The encryption algorithm is not supported.")
            .with_ec("0005-00000003"));
    }
    if kms && data.as_deref().is_some_and(|d| !d.eq_ignore_ascii_case("SM4")) {
        return Err(bad("InvalidArgument", "KMSDataEncryption must be SM4.").with_ec("0005-00000203"));
    }
    if !kms && key_id.is_some() {
        return Err(
            bad("InvalidArgument", "KMSMasterKeyID is allowed only with SSEAlgorithm KMS.").with_ec("0005-00000204")
        );
    }
    // SM4 data encryption outside KMS is dropped (see `Sse::parse`).
    let sse = Sse::parse(&algorithm, key_id.as_deref(), data.as_deref()).map_err(|why| bad("InvalidArgument", why))?;
    let _guard = app.store.lock.lock().await;
    let mut record = app.store.bucket(ctx.bucket()).await?;
    record.encryption = Some(sse);
    app.store.put_bucket_record(&record).await?;
    Ok(status(200))
}

pub(super) async fn get_bucket_encryption(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    let record = app.store.bucket(ctx.bucket()).await?;
    let sse = record.encryption.ok_or_else(|| {
        OssError::new(404, "NoSuchServerSideEncryptionRule", "The server side encryption configuration was not found.")
            .with_ec("0005-00000004")
    })?;
    let mut inner = format!("<SSEAlgorithm>{}</SSEAlgorithm>", sse.algorithm);
    if let Some(key_id) = &sse.key_id {
        inner.push_str(&format!("<KMSMasterKeyID>{}</KMSMasterKeyID>", escape(key_id.as_str())));
    }
    if let Some(data) = &sse.data_encryption {
        inner.push_str(&format!("<KMSDataEncryption>{data}</KMSDataEncryption>"));
    }
    Ok(xml(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault>{inner}</ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>"
    )))
}

pub(super) async fn delete_bucket_encryption(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    let _guard = app.store.lock.lock().await;
    let mut record = app.store.bucket(ctx.bucket()).await?;
    record.encryption = None;
    app.store.put_bucket_record(&record).await?;
    Ok(status(204))
}

pub(super) struct Listing<'a> {
    objects: Vec<&'a ObjectRecord>,
    prefixes: Vec<String>,
    truncated: bool,
    next: Option<String>,
}

pub(super) fn list_page<'a>(
    all: &'a [ObjectRecord],
    prefix: &str,
    delimiter: &str,
    after: &str,
    max: usize,
) -> Listing<'a> {
    let mut listing = Listing { objects: Vec::new(), prefixes: Vec::new(), truncated: false, next: None };
    let mut last = String::new();
    for record in all.iter().filter(|r| r.key.starts_with(prefix) && r.key.as_str() > after) {
        let rest = &record.key[prefix.len()..];
        let entry = match rest.find(delimiter).filter(|_| !delimiter.is_empty()) {
            Some(i) => {
                let common = format!("{prefix}{}", &rest[..i + delimiter.len()]);
                if listing.prefixes.last() == Some(&common) {
                    continue;
                }
                Err(common)
            }
            None => Ok(record),
        };
        if listing.objects.len() + listing.prefixes.len() >= max {
            listing.truncated = true;
            listing.next = Some(last.clone());
            break;
        }
        match entry {
            Ok(record) => {
                last = record.key.clone();
                listing.objects.push(record);
            }
            Err(common) => {
                last = format!("{common}\u{10FFFF}");
                listing.prefixes.push(common);
            }
        }
    }
    listing
}

pub(super) async fn list_objects(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    let all = app.store.list_objects(ctx.bucket()).await?;
    let prefix = ctx.query("prefix").unwrap_or("");
    let delimiter = ctx.query("delimiter").unwrap_or("");
    let max: usize = ctx.query("max-keys").and_then(|m| m.parse().ok()).unwrap_or(100).clamp(1, 1000);
    let v2 = ctx.query("list-type") == Some("2");
    let after = if v2 {
        // SDKs send an empty token (oss2 does) for "none".
        match ctx.query("continuation-token").filter(|t| !t.is_empty()) {
            // A token is one we made: base64 of a key. Anything else is refused.
            Some(token) => STANDARD
                .decode(token)
                .ok()
                .and_then(|key| String::from_utf8(key).ok())
                .ok_or_else(|| bad("InvalidArgument", "The continuation token provided is incorrect."))?,
            None => ctx.query("start-after").unwrap_or("").to_owned(),
        }
    } else {
        ctx.query("marker").unwrap_or("").to_owned()
    };
    // encoding-type=url: names are percent-encoded, so keys with control
    // characters still make valid XML.
    let url = match ctx.query("encoding-type") {
        None => false,
        Some("url") => true,
        Some(_) => return Err(bad("InvalidArgument", "encoding-type must be url.")),
    };
    let name = |text: &str| if url { url_encode(text) } else { escape(text).into_owned() };
    let owner = !v2 || ctx.query("fetch-owner") == Some("true");
    let page = list_page(&all, prefix, delimiter, &after, max);
    let mut body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult><Name>{}</Name><Prefix>{}</Prefix><MaxKeys>{max}</MaxKeys><Delimiter>{}</Delimiter><IsTruncated>{}</IsTruncated>",
        ctx.bucket(),
        name(prefix),
        name(delimiter),
        page.truncated
    );
    if url {
        body.push_str("<EncodingType>url</EncodingType>");
    }
    if v2 {
        body.push_str(&format!("<KeyCount>{}</KeyCount>", page.objects.len() + page.prefixes.len()));
        if let Some(start_after) = ctx.query("start-after") {
            body.push_str(&format!("<StartAfter>{}</StartAfter>", name(start_after)));
        }
        if let Some(next) = &page.next {
            body.push_str(&format!("<NextContinuationToken>{}</NextContinuationToken>", STANDARD.encode(next)));
        }
    } else {
        body.push_str(&format!("<Marker>{}</Marker>", name(after.as_str())));
        if let Some(next) = &page.next {
            body.push_str(&format!("<NextMarker>{}</NextMarker>", name(next.as_str())));
        }
    }
    for record in page.objects {
        body.push_str(&format!(
            "<Contents><Key>{}</Key><LastModified>{}</LastModified><ETag>\"{}\"</ETag><Type>{}</Type><Size>{}</Size><StorageClass>{}</StorageClass>{}</Contents>",
            name(record.key.as_str()),
            iso_time(&record.last_modified),
            record.etag,
            match (record.appendable, record.multipart) {
                (true, _) => "Appendable",
                (false, true) => "Multipart",
                (false, false) => "Normal",
            },
            record.size,
            record.storage_class,
            if owner { "<Owner><ID>emulator</ID><DisplayName>emulator</DisplayName></Owner>" } else { "" },
        ));
    }
    for prefix in page.prefixes {
        body.push_str(&format!("<CommonPrefixes><Prefix>{}</Prefix></CommonPrefixes>", name(prefix.as_str())));
    }
    body.push_str("</ListBucketResult>");
    Ok(xml(body))
}

/// DeleteMultipleObjects: up to 1,000 keys from a `<Delete>` document whose
/// Content-MD5 must match; keys that do not exist count as deleted, as on
/// OSS. With `<Quiet>true</Quiet>` only failures are listed (there are none
/// here), and `encoding-type=url` decodes the keys and encodes the reply.
pub(super) async fn delete_objects(app: &App, ctx: &Ctx, body: Body) -> Result<Response, OssError> {
    let malformed = || bad("MalformedXML", "The XML you provided was not well-formed.");
    let text = read_small_body(body).await?;
    let digest = ctx.header("content-md5").ok_or_else(|| bad("MissingArgument", "Content-MD5 is required."))?;
    let actual = STANDARD.encode(Md5::digest(text.as_bytes()));
    if digest.trim() != actual {
        return Err(bad("InvalidDigest", "The Content-MD5 you specified is not valid."));
    }
    let url = ctx.query("encoding-type") == Some("url");
    let quiet = xml_field(&text, "Quiet").is_some_and(|q| q.eq_ignore_ascii_case("true"));
    let mut keys = Vec::new();
    for chunk in text.split("<Object>").skip(1) {
        let start = chunk.find("<Key>").ok_or_else(malformed)? + "<Key>".len();
        let end = chunk[start..].find("</Key>").ok_or_else(malformed)? + start;
        let key = quick_xml::escape::unescape(&chunk[start..end]).map_err(|_| malformed())?.into_owned();
        keys.push(if url { decode(&key) } else { key });
    }
    if keys.is_empty() || keys.len() > 1000 {
        return Err(malformed());
    }
    let mut reply = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DeleteResult>");
    if url {
        reply.push_str("<EncodingType>url</EncodingType>");
    }
    for key in &keys {
        app.store.delete_object(ctx.bucket(), key).await?;
        if !quiet {
            let shown = if url { url_encode(key) } else { escape(key.as_str()).into_owned() };
            reply.push_str(&format!("<Deleted><Key>{shown}</Key></Deleted>"));
        }
    }
    reply.push_str("</DeleteResult>");
    Ok(xml(reply))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(keys: &[&str]) -> Vec<ObjectRecord> {
        keys.iter().map(|k| ObjectRecord::new(k, 1, "E".into(), 0, "t".into(), Vec::new(), None)).collect()
    }

    fn names(listing: &Listing<'_>) -> (Vec<String>, Vec<String>) {
        (listing.objects.iter().map(|r| r.key.clone()).collect(), listing.prefixes.clone())
    }

    #[test]
    fn a_delimiter_folds_keys_into_common_prefixes_that_count_once() {
        let all = records(&["a", "d/1", "d/2", "d/x/3", "e", "f/1"]);
        let page = list_page(&all, "", "/", "", 10);
        assert_eq!(names(&page), (vec!["a".into(), "e".into()], vec!["d/".into(), "f/".into()]));
        assert!(!page.truncated);
        let under = list_page(&all, "d/", "/", "", 10);
        assert_eq!(names(&under), (vec!["d/1".into(), "d/2".into()], vec!["d/x/".into()]));
    }

    #[test]
    fn pages_end_after_max_entries_and_the_next_starts_past_a_prefix() {
        let all = records(&["a", "d/1", "d/2", "e"]);
        let first = list_page(&all, "", "/", "", 2);
        assert_eq!(names(&first), (vec!["a".into()], vec!["d/".into()]));
        assert!(first.truncated);
        let next = first.next.clone().unwrap_or_default();
        let second = list_page(&all, "", "/", &next, 2);
        assert_eq!(names(&second), (vec!["e".into()], Vec::<String>::new()), "d/1 and d/2 are not listed again");
        assert!(!second.truncated);
        let plain = list_page(&all, "", "", "a", 1);
        assert_eq!((names(&plain).0, plain.next.as_deref()), (vec!["d/1".to_owned()], Some("d/1")));
    }
}
