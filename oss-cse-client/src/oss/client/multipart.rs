//! Multipart uploads: initiate, parts, complete (its CRC-64 checked against
//! the parts'), abort, and the listings of parts and of unfinished uploads.

use http::Method;

use super::{OssClient, Request, meta_of};
use crate::oss::types::{CompletedPart, ListPartsOutput, UploadSummary, WriteOutput};
use crate::oss::xml;
use crate::{Body, Crc64, Error, Result};

impl OssClient {
    /// InitiateMultipartUpload; returns the upload id.
    ///
    /// # Errors
    /// Service, transport and parse errors.
    pub async fn initiate_multipart_upload(
        &self,
        bucket: &str,
        key: &str,
        headers: Vec<(String, String)>,
    ) -> Result<String> {
        let request = Request::new("InitiateMultipartUpload", Method::POST, bucket, Some(key))
            .query("uploads", None)
            .headers(headers);
        let response = self.execute(&request, Body::empty()).await?;
        let text = self.xml_reply(&request, response).await?;
        let result: xml::InitiateResult =
            xml::parse(&text, "InitiateMultipartUploadResult").map_err(|r| Self::invalid(&request, r))?;
        if result.upload_id.is_empty() {
            return Err(Self::invalid(&request, "empty UploadId"));
        }
        Ok(result.upload_id)
    }

    /// UploadPart.
    ///
    /// # Errors
    /// Service, transport and CRC errors.
    pub async fn upload_part(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        part_number: u32,
        body: Body,
        headers: Vec<(String, String)>,
    ) -> Result<WriteOutput> {
        let request = Request::new("UploadPart", Method::PUT, bucket, Some(key))
            .query("partNumber", Some(part_number.to_string()))
            .query("uploadId", Some(upload_id.to_owned()))
            .headers(headers);
        self.write(request, body).await
    }

    /// CompleteMultipartUpload.
    ///
    /// # Errors
    /// Service, transport and parse errors.
    pub async fn complete_multipart_upload(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        parts: &[CompletedPart],
        headers: Vec<(String, String)>,
    ) -> Result<WriteOutput> {
        let request = Request::new("CompleteMultipartUpload", Method::POST, bucket, Some(key))
            .query("uploadId", Some(upload_id.to_owned()))
            .header("content-type", "application/xml")
            .headers(headers);
        let response = self.execute(&request, Body::from(xml::complete_body(parts))).await?;
        let meta = meta_of(&response);
        let text = self.xml_reply(&request, response).await?;
        let result: xml::EtagResult =
            xml::parse(&text, "CompleteMultipartUploadResult").map_err(|r| Self::invalid(&request, r))?;
        if result.etag.is_empty() {
            return Err(Self::invalid(&request, "no ETag in the reply"));
        }
        let expected = parts.iter().try_fold(0u64, |crc, part| {
            part.crc64_and_size.map(|(part_crc, size)| Crc64::combine(crc, part_crc, size))
        });
        if let (Some(client), Some(server)) = (expected, meta.crc64) {
            if client != server {
                return Err(Error::CrcMismatch {
                    operation: request.operation,
                    resource: request.resource(),
                    client,
                    server,
                });
            }
        }
        Ok(WriteOutput {
            etag: result.etag.trim_matches('"').to_owned(),
            crc64: meta.crc64,
            request_id: meta.request_id,
        })
    }

    /// AbortMultipartUpload.
    ///
    /// # Errors
    /// Service and transport errors.
    pub async fn abort_multipart_upload(&self, bucket: &str, key: &str, upload_id: &str) -> Result<()> {
        let request = Request::new("AbortMultipartUpload", Method::DELETE, bucket, Some(key))
            .query("uploadId", Some(upload_id.to_owned()));
        self.execute(&request, Body::empty()).await.map(drop)
    }

    /// ListParts, all pages.
    ///
    /// # Errors
    /// Service, transport and parse errors.
    pub async fn list_parts(&self, bucket: &str, key: &str, upload_id: &str) -> Result<ListPartsOutput> {
        let mut out = ListPartsOutput::default();
        let mut marker = 0u32;
        loop {
            let request = Request::new("ListParts", Method::GET, bucket, Some(key))
                .query("uploadId", Some(upload_id.to_owned()))
                .query("part-number-marker", Some(marker.to_string()))
                .query("max-parts", Some("1000".into()));
            let response = self.execute(&request, Body::empty()).await?;
            let text = self.xml_reply(&request, response).await?;
            let (page, next) = xml::list_parts(&text).map_err(|r| Self::invalid(&request, r))?;
            out.parts.extend(page.parts);
            if out.parts.len() > oss_cse_core::offset::MAX_PARTS as usize {
                return Err(Self::invalid(&request, "more parts listed than an upload can have"));
            }
            if out.client_encryption.is_empty() {
                out.client_encryption = page.client_encryption;
            }
            match next {
                Some(next) if next > marker => marker = next,
                _ => return Ok(out),
            }
        }
    }

    /// ListMultipartUploads under `prefix`, all pages.
    ///
    /// # Errors
    /// Service, transport and parse errors.
    pub async fn list_multipart_uploads(&self, bucket: &str, prefix: &str) -> Result<Vec<UploadSummary>> {
        let mut all = Vec::new();
        let mut markers: Option<(String, String)> = None;
        loop {
            let mut request = Request::new("ListMultipartUploads", Method::GET, bucket, None)
                .query("uploads", None)
                .query("prefix", Some(prefix.to_owned()));
            if let Some((key, id)) = &markers {
                request = request.query("key-marker", Some(key.clone())).query("upload-id-marker", Some(id.clone()));
            }
            let response = self.execute(&request, Body::empty()).await?;
            let text = self.xml_reply(&request, response).await?;
            let (page, next) = xml::list_uploads(&text).map_err(|r| Self::invalid(&request, r))?;
            all.extend(page);
            match next {
                Some(next) if Some(&next) != markers.as_ref() => markers = Some(next),
                _ => return Ok(all),
            }
        }
    }
}
