//! An object's tags and ACL, which live outside its headers: read so that a
//! re-upload (key rotation, metadata updates) can carry them over.

use http::Method;
use serde::Deserialize;

use super::Request;
use crate::oss::xml;
use crate::{Body, OssClient, Result};

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct Tagging {
    tag_set: TagSet,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct TagSet {
    tag: Vec<Tag>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct Tag {
    key: String,
    value: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct AccessControlPolicy {
    access_control_list: AccessControlList,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct AccessControlList {
    grant: String,
}

impl OssClient {
    /// GetObjectTagging: the object's tags, in order.
    ///
    /// # Errors
    /// Service, transport and parse errors.
    pub async fn get_object_tagging(&self, bucket: &str, key: &str) -> Result<Vec<(String, String)>> {
        let request = Request::new("GetObjectTagging", Method::GET, bucket, Some(key)).query("tagging", None);
        let response = self.execute(&request, Body::empty()).await?;
        let text = self.xml_reply(&request, response).await?;
        let tagging: Tagging = xml::parse(&text, "Tagging").map_err(|r| Self::invalid(&request, r))?;
        Ok(tagging.tag_set.tag.into_iter().map(|t| (t.key, t.value)).collect())
    }

    /// GetObjectAcl: `private`, `public-read`, `public-read-write` or
    /// `default` (the bucket's).
    ///
    /// # Errors
    /// Service, transport and parse errors.
    pub async fn get_object_acl(&self, bucket: &str, key: &str) -> Result<String> {
        let request = Request::new("GetObjectAcl", Method::GET, bucket, Some(key)).query("acl", None);
        let response = self.execute(&request, Body::empty()).await?;
        let text = self.xml_reply(&request, response).await?;
        let policy: AccessControlPolicy =
            xml::parse(&text, "AccessControlPolicy").map_err(|r| Self::invalid(&request, r))?;
        match policy.access_control_list.grant.as_str() {
            grant @ ("private" | "public-read" | "public-read-write" | "default") => Ok(grant.to_owned()),
            _ => Err(Self::invalid(&request, "unknown ACL grant")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_and_acl_documents_parse() {
        let text = "<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value></Value></Tag></TagSet></Tagging>";
        let tagging: Tagging = xml::parse(text, "Tagging").unwrap_or_default();
        let tags: Vec<(String, String)> = tagging.tag_set.tag.into_iter().map(|t| (t.key, t.value)).collect();
        assert_eq!(tags, [("a".to_owned(), "1".to_owned()), ("b".to_owned(), String::new())]);
        let empty: Tagging = xml::parse("<Tagging><TagSet/></Tagging>", "Tagging").unwrap_or_default();
        assert!(empty.tag_set.tag.is_empty());
        let acl = "<AccessControlPolicy><Owner><ID>x</ID></Owner><AccessControlList><Grant>private</Grant></AccessControlList></AccessControlPolicy>";
        let policy: AccessControlPolicy = xml::parse(acl, "AccessControlPolicy").unwrap_or_default();
        assert_eq!(policy.access_control_list.grant, "private");
    }
}
