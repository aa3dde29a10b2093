//! Listing with every ListObjectsV2 parameter, and DeleteMultipleObjects:
//! what a store-shaped caller (`object_store`, bulk jobs) needs beyond one
//! object at a time.

use http::Method;
use serde::Deserialize;

use super::Request;
use crate::oss::types::{ListObjectsPage, ObjectSummary};
use crate::oss::xml;
use crate::{Body, Error, OssClient, Result};

/// Most keys one DeleteMultipleObjects takes.
pub const MAX_DELETE_KEYS: usize = 1000;

/// One ListObjectsV2 request.
#[derive(Debug, Clone, Default)]
pub struct ListObjectsRequest {
    /// Only keys starting with this.
    pub prefix: String,
    /// Fold keys at this delimiter into common prefixes (usually `/`).
    pub delimiter: Option<String>,
    /// Only keys after this one (exclusive), in OSS's byte order.
    pub start_after: Option<String>,
    /// The previous page's `next_continuation_token`.
    pub continuation_token: Option<String>,
    /// Keys per page (OSS allows up to 1,000).
    pub max_keys: Option<u32>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct DeleteResult {
    deleted: Vec<Deleted>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct Deleted {
    key: String,
}

/// The `<Delete>` document of DeleteMultipleObjects (not quiet: every key
/// deleted is listed in the reply).
fn delete_body(keys: &[String]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Delete><Quiet>false</Quiet>");
    for key in keys {
        out.push_str(&format!("<Object><Key>{}</Key></Object>", quick_xml::escape::escape(key.as_str())));
    }
    out.push_str("</Delete>");
    out
}

fn deleted_keys(body: &str) -> std::result::Result<Vec<String>, String> {
    let result: DeleteResult = xml::parse(body, "DeleteResult")?;
    Ok(result.deleted.into_iter().map(|d| d.key).collect())
}

impl OssClient {
    /// One page of ListObjectsV2.
    ///
    /// # Errors
    /// Service, transport and parse errors.
    pub async fn list_objects_v2(
        &self,
        bucket: &str,
        prefix: &str,
        delimiter: Option<&str>,
        continuation_token: Option<&str>,
        max_keys: Option<u32>,
    ) -> Result<ListObjectsPage> {
        let list = ListObjectsRequest {
            prefix: prefix.to_owned(),
            delimiter: delimiter.map(str::to_owned),
            start_after: None,
            continuation_token: continuation_token.map(str::to_owned),
            max_keys,
        };
        self.list_objects(bucket, &list).await
    }

    /// Every object under `prefix`, all pages.
    ///
    /// # Errors
    /// As [`list_objects_v2`](Self::list_objects_v2).
    pub async fn list_all_objects(&self, bucket: &str, prefix: &str) -> Result<Vec<ObjectSummary>> {
        let mut all = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = self.list_objects_v2(bucket, prefix, None, token.as_deref(), Some(1000)).await?;
            all.extend(page.objects);
            match page.next_continuation_token {
                Some(next) if Some(&next) != token.as_ref() => token = Some(next),
                _ => return Ok(all),
            }
        }
    }

    /// One page of ListObjectsV2 with every parameter.
    ///
    /// # Errors
    /// Service, transport and parse errors.
    pub async fn list_objects(&self, bucket: &str, list: &ListObjectsRequest) -> Result<ListObjectsPage> {
        let mut request = Request::new("ListObjectsV2", Method::GET, bucket, None)
            .query("list-type", Some("2".into()))
            .query("prefix", Some(list.prefix.clone()));
        let optional = [
            ("delimiter", list.delimiter.clone()),
            ("start-after", list.start_after.clone()),
            ("continuation-token", list.continuation_token.clone()),
            ("max-keys", list.max_keys.map(|m| m.to_string())),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                request = request.query(name, Some(value));
            }
        }
        let response = self.execute(&request, Body::empty()).await?;
        let text = self.xml_reply(&request, response).await?;
        xml::list_objects(&text).map_err(|r| Self::invalid(&request, r))
    }

    /// DeleteMultipleObjects: deletes up to [`MAX_DELETE_KEYS`] keys in one
    /// request and returns the keys OSS reports deleted (a key that did not
    /// exist counts as deleted, as with DeleteObject).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for no keys or too many; service,
    /// transport and parse errors.
    pub async fn delete_objects(&self, bucket: &str, keys: &[String]) -> Result<Vec<String>> {
        if keys.is_empty() || keys.len() > MAX_DELETE_KEYS {
            return Err(Error::invalid_argument(format!(
                "DeleteMultipleObjects takes 1 to {MAX_DELETE_KEYS} keys, not {}",
                keys.len()
            )));
        }
        let request = Request::new("DeleteMultipleObjects", Method::POST, bucket, None).query("delete", None);
        // A small in-memory body: `execute` adds the Content-MD5 OSS requires.
        let response = self.execute(&request, Body::from(delete_body(keys).into_bytes())).await?;
        let text = self.xml_reply(&request, response).await?;
        deleted_keys(&text).map_err(|r| Self::invalid(&request, r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delete_document_escapes_keys_and_the_reply_unescapes_them() {
        let keys = vec!["a/b.txt".to_owned(), "I'm a < & weird path".to_owned()];
        let body = delete_body(&keys);
        assert!(body.contains("<Key>I&apos;m a &lt; &amp; weird path</Key>"), "{body}");
        assert!(body.contains("<Quiet>false</Quiet>"));
        let reply = "<?xml version=\"1.0\"?><DeleteResult><Deleted><Key>a/b.txt</Key></Deleted>\
                     <Deleted><Key>I&apos;m a &lt; &amp; weird path</Key></Deleted></DeleteResult>";
        assert_eq!(deleted_keys(reply).unwrap(), keys);
        assert_eq!(deleted_keys("<DeleteResult/>").unwrap(), Vec::<String>::new());
        assert!(deleted_keys("<html>nope</html>").is_err());
    }
}
