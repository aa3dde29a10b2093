//! Bucket operations: create, delete, list, and the default server-side
//! encryption.

use http::Method;

use super::{OssClient, Request};
use crate::oss::types::{BucketSummary, ServerSideEncryption};
use crate::oss::xml;
use crate::{Body, Result};

impl OssClient {
    /// PutBucket (create).
    ///
    /// # Errors
    /// Service and transport errors.
    pub async fn put_bucket(&self, bucket: &str) -> Result<()> {
        let request = Request::new("PutBucket", Method::PUT, bucket, None);
        self.execute(&request, Body::empty()).await.map(drop)
    }

    /// DeleteBucket.
    ///
    /// # Errors
    /// Service and transport errors.
    pub async fn delete_bucket(&self, bucket: &str) -> Result<()> {
        let request = Request::new("DeleteBucket", Method::DELETE, bucket, None);
        self.execute(&request, Body::empty()).await.map(drop)
    }

    /// ListBuckets.
    ///
    /// # Errors
    /// Service, transport and parse errors.
    pub async fn list_buckets(&self) -> Result<Vec<BucketSummary>> {
        let request = Request {
            operation: "ListBuckets",
            method: Method::GET,
            bucket: None,
            key: None,
            query: Vec::new(),
            headers: Vec::new(),
        };
        let response = self.execute(&request, Body::empty()).await?;
        let text = self.xml_reply(&request, response).await?;
        xml::list_buckets(&text).map_err(|r| Self::invalid(&request, r))
    }

    /// PutBucketEncryption: the default server-side encryption of new objects.
    ///
    /// # Errors
    /// Service and transport errors.
    pub async fn put_bucket_encryption(&self, bucket: &str, sse: &ServerSideEncryption) -> Result<()> {
        let request = Request::new("PutBucketEncryption", Method::PUT, bucket, None)
            .query("encryption", None)
            .header("content-type", "application/xml");
        self.execute(&request, Body::from(xml::bucket_encryption_body(sse))).await.map(drop)
    }

    /// GetBucketEncryption; `None` when the bucket has no default.
    ///
    /// # Errors
    /// Service (other than "no configuration"), transport and parse errors.
    pub async fn get_bucket_encryption(&self, bucket: &str) -> Result<Option<ServerSideEncryption>> {
        let request = Request::new("GetBucketEncryption", Method::GET, bucket, None).query("encryption", None);
        match self.execute(&request, Body::empty()).await {
            Ok(response) => {
                let text = self.xml_reply(&request, response).await?;
                xml::bucket_encryption(&text).map(Some).map_err(|r| Self::invalid(&request, r))
            }
            Err(e) if e.service_error().is_some_and(|s| s.code == "NoSuchServerSideEncryptionRule") => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// DeleteBucketEncryption.
    ///
    /// # Errors
    /// Service and transport errors.
    pub async fn delete_bucket_encryption(&self, bucket: &str) -> Result<()> {
        let request = Request::new("DeleteBucketEncryption", Method::DELETE, bucket, None).query("encryption", None);
        self.execute(&request, Body::empty()).await.map(drop)
    }
}
