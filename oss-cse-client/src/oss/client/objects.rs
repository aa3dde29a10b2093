//! Object operations: put, get (whole or ranged, conditional), head,
//! delete, copy.

use http::Method;
use oss_cse_auth::sign::oss::uri_encode;

use super::{GetObjectOutput, GetOptions, OssClient, Request, meta_of};
use crate::oss::types::{ContentRange, MetadataDirective, ObjectMeta, WriteOutput};
use crate::oss::xml;
use crate::{Body, Error, ObjectBody, Result};

impl OssClient {
    /// PutObject. `headers` carry user metadata, Content-Type, SSE and so on.
    ///
    /// # Errors
    /// Service, transport and CRC errors.
    pub async fn put_object(
        &self,
        bucket: &str,
        key: &str,
        body: Body,
        headers: Vec<(String, String)>,
    ) -> Result<WriteOutput> {
        let request = Request::new("PutObject", Method::PUT, bucket, Some(key)).headers(headers);
        self.write(request, body).await
    }

    /// GetObject, whole or ranged (always with standard range behaviour, so
    /// a range past the end is an error rather than the whole object).
    ///
    /// # Errors
    /// Service and transport errors; the body reports length and CRC
    /// problems when it ends.
    pub async fn get_object(&self, bucket: &str, key: &str, options: &GetOptions) -> Result<GetObjectOutput> {
        let mut request = Request::new("GetObject", Method::GET, bucket, Some(key));
        if let Some(range) = options.range {
            range.validate().map_err(|source| Error::Core { resource: request.resource(), source })?;
            request = request.header("range", range.header_value()).header("x-oss-range-behavior", "standard");
        }
        request = request.headers(options.condition_headers());
        let response = self.execute(&request, Body::empty()).await?;
        let meta = meta_of(&response);
        // A request without Range is a whole read whatever comes back: a
        // range in its reply (a proxy's, or a hostile server's) would turn
        // off the checks that only whole reads can make, so it is refused.
        if options.range.is_none() && (response.status().as_u16() == 206 || meta.header("content-range").is_some()) {
            return Err(Error::ReplyMismatch {
                operation: request.operation,
                resource: request.resource(),
                reason: "a partial reply (206 or Content-Range) to a request for the whole object",
            });
        }
        let content_range = match response.status().as_u16() {
            206 => Some(
                meta.header("content-range")
                    .and_then(ContentRange::parse)
                    .ok_or_else(|| Self::invalid(&request, "206 reply without a valid Content-Range"))?,
            ),
            _ => None,
        };
        if let Some(range) = content_range {
            if range.end - range.start + 1 != meta.content_length {
                return Err(Self::invalid(&request, "Content-Range disagrees with Content-Length"));
            }
        }
        // The object's CRC covers the whole object: check it only then.
        let whole = content_range.is_none_or(|r| r.start == 0 && r.end + 1 == r.total);
        let crc = if whole { meta.crc64 } else { None };
        let body = ObjectBody::new(response, request.operation, request.resource(), meta.content_length, crc);
        Ok(GetObjectOutput { meta, content_range, body })
    }

    /// HeadObject.
    ///
    /// # Errors
    /// Service (404 `NoSuchKey`) and transport errors.
    pub async fn head_object(&self, bucket: &str, key: &str) -> Result<ObjectMeta> {
        self.head_object_with(bucket, key, &GetOptions::default()).await
    }

    /// HeadObject with the conditions of `options` (its range is ignored).
    ///
    /// # Errors
    /// As [`head_object`](Self::head_object), and 412 or 304 (as
    /// [`Error::Service`]) when a condition does not hold.
    pub async fn head_object_with(&self, bucket: &str, key: &str, options: &GetOptions) -> Result<ObjectMeta> {
        let request = Request::new("HeadObject", Method::HEAD, bucket, Some(key)).headers(options.condition_headers());
        let response = self.execute(&request, Body::empty()).await?;
        Ok(meta_of(&response))
    }

    /// DeleteObject (succeeds for a missing key, as OSS does).
    ///
    /// # Errors
    /// Service and transport errors.
    pub async fn delete_object(&self, bucket: &str, key: &str) -> Result<()> {
        let request = Request::new("DeleteObject", Method::DELETE, bucket, Some(key));
        self.execute(&request, Body::empty()).await.map(drop)
    }

    /// CopyObject from `source_bucket/source_key` to `bucket/key`.
    ///
    /// # Errors
    /// Service and transport errors.
    pub async fn copy_object(
        &self,
        source_bucket: &str,
        source_key: &str,
        bucket: &str,
        key: &str,
        directive: MetadataDirective,
        headers: Vec<(String, String)>,
    ) -> Result<WriteOutput> {
        let directive = match directive {
            MetadataDirective::Copy => "COPY",
            MetadataDirective::Replace => "REPLACE",
        };
        let request = Request::new("CopyObject", Method::PUT, bucket, Some(key))
            .header("x-oss-copy-source", format!("/{source_bucket}/{}", uri_encode(source_key, true)))
            .header("x-oss-metadata-directive", directive)
            .headers(headers);
        let response = self.execute(&request, Body::empty()).await?;
        let meta = meta_of(&response);
        let text = self.xml_reply(&request, response).await?;
        let result: xml::EtagResult = xml::parse(&text, "CopyObjectResult").map_err(|r| Self::invalid(&request, r))?;
        if result.etag.is_empty() {
            return Err(Self::invalid(&request, "no ETag in the reply"));
        }
        Ok(WriteOutput {
            etag: result.etag.trim_matches('"').to_owned(),
            crc64: meta.crc64,
            request_id: meta.request_id,
        })
    }
}
