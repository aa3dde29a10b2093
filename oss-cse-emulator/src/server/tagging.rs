//! Object tagging: the `x-oss-tagging` header on PutObject, and
//! PutObjectTagging, GetObjectTagging and DeleteObjectTagging.

use axum::body::Body;
use axum::response::Response;
use quick_xml::escape::escape;

use super::{App, Ctx, bad, parse_query, read_small_body, status, xml, xml_field};
use crate::error::OssError;

/// OSS's limits: 10 tags, keys up to 128 and values up to 256 characters.
const MAX_TAGS: usize = 10;

/// Tag keys and values hold letters, digits, spaces and `+ - = . _ : /`.
fn allowed(text: &str) -> bool {
    text.chars().all(|c| c.is_alphanumeric() || " +-=._:/".contains(c))
}

fn check(tags: &[(String, String)]) -> Result<(), OssError> {
    let bad_tag = |k: &String, v: &String| {
        k.is_empty() || k.chars().count() > 128 || v.chars().count() > 256 || !allowed(k) || !allowed(v)
    };
    if tags.len() > MAX_TAGS || tags.iter().any(|(k, v)| bad_tag(k, v)) {
        return Err(bad(
            "InvalidTag",
            "The tag set is not valid: at most 10 tags, keys 1-128 and values 0-256 characters of letters, \
             digits, spaces and + - = . _ : /.",
        ));
    }
    let mut keys: Vec<&str> = tags.iter().map(|(k, _)| k.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    if keys.len() != tags.len() {
        return Err(bad("InvalidTag", "A tag key appears twice."));
    }
    Ok(())
}

/// The tags an `x-oss-tagging: k1=v1&k2=v2` header (URL-encoded) gives.
pub(super) fn from_header(ctx: &Ctx) -> Result<Vec<(String, String)>, OssError> {
    let Some(header) = ctx.header("x-oss-tagging") else { return Ok(Vec::new()) };
    let tags: Vec<(String, String)> =
        parse_query(Some(header)).into_iter().map(|(k, v)| (k, v.unwrap_or_default())).collect();
    check(&tags)?;
    Ok(tags)
}

/// The tags of a `<Tagging><TagSet><Tag><Key/><Value/></Tag>...` document.
fn from_xml(text: &str) -> Result<Vec<(String, String)>, OssError> {
    let malformed = || bad("MalformedXML", "The XML you provided was not well-formed.");
    if !text.contains("<Tagging>") {
        return Err(malformed());
    }
    let mut tags = Vec::new();
    for chunk in text.split("<Tag>").skip(1) {
        let chunk = chunk.split("</Tag>").next().ok_or_else(malformed)?;
        let key = xml_field(chunk, "Key").ok_or_else(malformed)?;
        tags.push((key, xml_field(chunk, "Value").unwrap_or_default()));
    }
    check(&tags)?;
    Ok(tags)
}

pub(super) async fn put_object_tagging(app: &App, ctx: &Ctx, body: Body) -> Result<Response, OssError> {
    let tags = from_xml(&read_small_body(body).await?)?;
    let _guard = app.store.lock.lock().await;
    let mut record = app.store.object(ctx.bucket(), ctx.key()).await?;
    record.tags = tags;
    app.store.save_object_record(ctx.bucket(), &record).await?;
    Ok(status(200))
}

pub(super) async fn get_object_tagging(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    let record = app.store.object(ctx.bucket(), ctx.key()).await?;
    let mut body = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Tagging><TagSet>");
    for (key, value) in &record.tags {
        body.push_str(&format!(
            "<Tag><Key>{}</Key><Value>{}</Value></Tag>",
            escape(key.as_str()),
            escape(value.as_str())
        ));
    }
    body.push_str("</TagSet></Tagging>");
    Ok(xml(body))
}

pub(super) async fn delete_object_tagging(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    let _guard = app.store.lock.lock().await;
    let mut record = app.store.object(ctx.bucket(), ctx.key()).await?;
    record.tags.clear();
    app.store.save_object_record(ctx.bucket(), &record).await?;
    Ok(status(204))
}
