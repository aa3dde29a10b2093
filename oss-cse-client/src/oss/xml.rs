//! OSS XML bodies: replies parsed with `quick-xml`'s serde support, request
//! bodies written with escaping. Parsing never panics; a bad body is an
//! [`Error::InvalidResponse`](crate::Error::InvalidResponse) at the call site.

use quick_xml::escape::escape;
use serde::Deserialize;

use crate::oss::types::{
    BucketSummary, CompletedPart, ListObjectsPage, ListPartsOutput, ObjectSummary, PartSummary, ServerSideEncryption,
    UploadSummary,
};

/// Longest XML body we read from a reply.
pub(crate) const MAX_XML_BODY: usize = 16 * 1024 * 1024;

/// Parses a reply whose root element must be `root`: serde alone would read
/// any document (an HTML error page, another call's reply) as an empty value.
pub(crate) fn parse<T: for<'de> Deserialize<'de>>(body: &str, root: &str) -> Result<T, String> {
    let found = root_element(body)?;
    if found != root {
        return Err(format!("expected a <{root}> document, got <{found}>"));
    }
    quick_xml::de::from_str(body).map_err(|e| short(e.to_string()))
}

/// The name of the first element, cut short (it comes from the server).
fn root_element(body: &str) -> Result<String, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(body);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                return Ok(e.name().into_inner().chars().take(64).collect());
            }
            Ok(Event::Eof) => return Err("empty XML document".to_owned()),
            Ok(_) => {}
            Err(e) => return Err(short(e.to_string())),
        }
    }
}

fn short(mut reason: String) -> String {
    if let Some((cut, _)) = reason.char_indices().nth(200) {
        reason.truncate(cut);
    }
    reason
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
pub(crate) struct ErrorBody {
    pub code: String,
    pub message: String,
    pub request_id: String,
    #[serde(rename = "EC")]
    pub ec: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct InitiateResult {
    pub upload_id: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
pub(crate) struct EtagResult {
    #[serde(rename = "ETag")]
    pub etag: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct ListBucketResult {
    contents: Vec<Contents>,
    common_prefixes: Vec<Prefix>,
    is_truncated: bool,
    next_continuation_token: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct Contents {
    key: String,
    last_modified: String,
    #[serde(rename = "ETag")]
    etag: String,
    size: u64,
    storage_class: String,
    #[serde(rename = "Type")]
    object_type: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct Prefix {
    prefix: String,
}

pub(crate) fn list_objects(body: &str) -> Result<ListObjectsPage, String> {
    let result: ListBucketResult = parse(body, "ListBucketResult")?;
    Ok(ListObjectsPage {
        objects: result
            .contents
            .into_iter()
            .map(|c| ObjectSummary {
                key: c.key,
                size: c.size,
                etag: c.etag.trim_matches('"').to_owned(),
                last_modified: c.last_modified,
                storage_class: Some(c.storage_class).filter(|s| !s.is_empty()),
                object_type: Some(c.object_type).filter(|s| !s.is_empty()),
            })
            .collect(),
        common_prefixes: result.common_prefixes.into_iter().map(|p| p.prefix).collect(),
        next_continuation_token: result.next_continuation_token.filter(|t| result.is_truncated && !t.is_empty()),
    })
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct ListPartsResult {
    part: Vec<Part>,
    is_truncated: bool,
    next_part_number_marker: Option<u32>,
    client_encryption_key: Option<String>,
    client_encryption_start: Option<String>,
    client_encryption_cek_alg: Option<String>,
    client_encryption_wrap_alg: Option<String>,
    client_encryption_data_size: Option<String>,
    client_encryption_part_size: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct Part {
    part_number: u32,
    #[serde(rename = "ETag")]
    etag: String,
    size: u64,
    hash_crc64ecma: Option<u64>,
}

/// One page of ListParts, and the marker of the next page when truncated.
pub(crate) fn list_parts(body: &str) -> Result<(ListPartsOutput, Option<u32>), String> {
    let result: ListPartsResult = parse(body, "ListPartsResult")?;
    let client_encryption = [
        ("ClientEncryptionKey", result.client_encryption_key),
        ("ClientEncryptionStart", result.client_encryption_start),
        ("ClientEncryptionCekAlg", result.client_encryption_cek_alg),
        ("ClientEncryptionWrapAlg", result.client_encryption_wrap_alg),
        ("ClientEncryptionDataSize", result.client_encryption_data_size),
        ("ClientEncryptionPartSize", result.client_encryption_part_size),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v)))
    .collect();
    let parts = result
        .part
        .into_iter()
        .map(|p| PartSummary {
            part_number: p.part_number,
            etag: p.etag.trim_matches('"').to_owned(),
            size: p.size,
            crc64: p.hash_crc64ecma,
        })
        .collect();
    let next = if result.is_truncated { result.next_part_number_marker } else { None };
    Ok((ListPartsOutput { parts, client_encryption }, next))
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct ListUploadsResult {
    upload: Vec<Upload>,
    is_truncated: bool,
    next_key_marker: Option<String>,
    next_upload_id_marker: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct Upload {
    key: String,
    upload_id: String,
    initiated: String,
}

/// The (key, upload id) markers where the next ListMultipartUploads page starts.
pub(crate) type UploadMarkers = (String, String);

/// One page of ListMultipartUploads and the markers of the next.
pub(crate) fn list_uploads(body: &str) -> Result<(Vec<UploadSummary>, Option<UploadMarkers>), String> {
    let result: ListUploadsResult = parse(body, "ListMultipartUploadsResult")?;
    let uploads = result
        .upload
        .into_iter()
        .map(|u| UploadSummary { key: u.key, upload_id: u.upload_id, initiated: u.initiated })
        .collect();
    let next = match (result.is_truncated, result.next_key_marker, result.next_upload_id_marker) {
        (true, Some(key), Some(id)) => Some((key, id)),
        _ => None,
    };
    Ok((uploads, next))
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct EncryptionRule {
    apply_server_side_encryption_by_default: DefaultEncryption,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct DefaultEncryption {
    #[serde(rename = "SSEAlgorithm")]
    sse_algorithm: String,
    #[serde(rename = "KMSMasterKeyID")]
    kms_master_key_id: Option<String>,
    #[serde(rename = "KMSDataEncryption")]
    kms_data_encryption: Option<String>,
}

pub(crate) fn bucket_encryption(body: &str) -> Result<ServerSideEncryption, String> {
    let rule: EncryptionRule = parse(body, "ServerSideEncryptionRule")?;
    let d = rule.apply_server_side_encryption_by_default;
    ServerSideEncryption::from_parts(
        &d.sse_algorithm,
        d.kms_master_key_id.as_deref().filter(|k| !k.is_empty()),
        d.kms_data_encryption.as_deref().filter(|k| !k.is_empty()),
    )
    .map_err(|e| e.to_string())
}

pub(crate) fn bucket_encryption_body(sse: &ServerSideEncryption) -> String {
    let mut inner = format!("<SSEAlgorithm>{}</SSEAlgorithm>", sse.algorithm());
    if let ServerSideEncryption::Kms { key_id, sm4_data } = sse {
        if let Some(key_id) = key_id {
            inner.push_str(&format!("<KMSMasterKeyID>{}</KMSMasterKeyID>", escape(key_id.as_str())));
        }
        if *sm4_data {
            inner.push_str("<KMSDataEncryption>SM4</KMSDataEncryption>");
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault>{inner}</ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>"
    )
}

pub(crate) fn complete_body(parts: &[CompletedPart]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUpload>");
    for part in parts {
        out.push_str(&format!(
            "<Part><PartNumber>{}</PartNumber><ETag>\"{}\"</ETag></Part>",
            part.part_number,
            escape(part.etag.as_str())
        ));
    }
    out.push_str("</CompleteMultipartUpload>");
    out
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct ListAllMyBucketsResult {
    buckets: Buckets,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct Buckets {
    bucket: Vec<Bucket>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct Bucket {
    name: String,
    creation_date: String,
}

pub(crate) fn list_buckets(body: &str) -> Result<Vec<BucketSummary>, String> {
    let result: ListAllMyBucketsResult = parse(body, "ListAllMyBucketsResult")?;
    Ok(result
        .buckets
        .bucket
        .into_iter()
        .map(|b| BucketSummary { name: b.name, creation_date: b.creation_date })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_says_each_objects_size_class_and_type() {
        let body = "<ListBucketResult><Contents><Key>a</Key><LastModified>2026-12-06T00:00:00.000Z</LastModified>\
            <ETag>\"E-2\"</ETag><Type>Multipart</Type><Size>42</Size><StorageClass>IA</StorageClass></Contents>\
            <Contents><Key>b</Key><Size>1</Size></Contents></ListBucketResult>";
        let page = list_objects(body).unwrap();
        let a = &page.objects[0];
        assert_eq!(
            (a.size, a.etag.as_str(), a.storage_class.as_deref(), a.object_type.as_deref()),
            (42, "E-2", Some("IA"), Some("Multipart"))
        );
        assert_eq!((page.objects[1].storage_class.as_deref(), page.objects[1].object_type.as_deref()), (None, None));
    }

    #[test]
    fn parses_error_and_tolerates_garbage() {
        let body = "<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>gone</Message><RequestId>R1</RequestId><EC>0026-00000001</EC></Error>";
        let err: ErrorBody = parse(body, "Error").unwrap();
        assert_eq!((err.code.as_str(), err.ec.as_deref()), ("NoSuchKey", Some("0026-00000001")));
        assert!(parse::<InitiateResult>("<nope", "InitiateMultipartUploadResult").is_err());
        assert!(parse::<InitiateResult>("", "InitiateMultipartUploadResult").is_err());
        let html = "<html><body>Sign in</body></html>";
        assert_eq!(list_objects(html).unwrap_err(), "expected a <ListBucketResult> document, got <html>");
        assert!(
            parse::<EtagResult>("<?xml version=\"1.0\"?><!-- c --><CopyObjectResult/>", "CopyObjectResult").is_ok()
        );
        assert!(list_objects("<ListBucketResult><Contents><Size>x</Size></Contents></ListBucketResult>").is_err());
    }

    #[test]
    fn list_parts_with_client_encryption() {
        let body = "<ListPartsResult><IsTruncated>true</IsTruncated><NextPartNumberMarker>2</NextPartNumberMarker>\
            <ClientEncryptionKey>a2V5</ClientEncryptionKey><ClientEncryptionPartSize>102400</ClientEncryptionPartSize>\
            <Part><PartNumber>1</PartNumber><ETag>\"E1\"</ETag><Size>102400</Size><HashCrc64ecma>42</HashCrc64ecma></Part>\
            <Part><PartNumber>2</PartNumber><ETag>\"E2\"</ETag><Size>5</Size></Part></ListPartsResult>";
        let (out, next) = list_parts(body).unwrap();
        assert_eq!(next, Some(2));
        assert_eq!(out.parts.len(), 2);
        assert_eq!(out.parts[0].etag, "E1");
        assert_eq!(out.parts[0].crc64, Some(42));
        assert_eq!(out.client_encryption.len(), 2);
    }

    #[test]
    fn encryption_rule_round_trip() {
        for sse in [
            ServerSideEncryption::Aes256,
            ServerSideEncryption::Sm4,
            ServerSideEncryption::Kms { key_id: Some("k<1>".into()), sm4_data: true },
            ServerSideEncryption::Kms { key_id: None, sm4_data: false },
        ] {
            assert_eq!(bucket_encryption(&bucket_encryption_body(&sse)).unwrap(), sse);
        }
    }
}
