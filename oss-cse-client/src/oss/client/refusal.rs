//! What the server made of an upload whose connection broke while its body
//! was being sent. OSS (and the emulator) answer a request they refuse at
//! once and close the connection without reading the body; the client's
//! next write then fails (a broken pipe, a reset) and the reply is lost. So
//! after such a failure the same request is asked again with an empty body
//! that cannot be stored, and the server's refusal (NoSuchBucket,
//! AccessDenied, SignatureDoesNotMatch, InvalidAccessKeyId, a CSE header
//! rule, ...) is reported in place of the transport failure. Where the probe
//! gets as far as the body, nothing refused the request itself and the
//! transport failure stands (and is retried where the body can be re-sent).

use http::Method;

use super::{OssClient, Request};
use crate::{Body, Error};

/// A Content-MD5 that no empty body has: OSS checks the digest of what it
/// received after authentication, the bucket, permissions and headers, and
/// refuses a mismatch (InvalidDigest) instead of storing anything.
const NOT_THE_EMPTY_MD5: &str = "AAAAAAAAAAAAAAAAAAAAAA==";

/// The ETag of an empty object (the MD5 of no bytes).
const EMPTY_ETAG: &str = "D41D8CD98F00B204E9800998ECF8427E";

/// Whether a failed send of `request` with a body of `len` bytes is worth a
/// probe: an object write (PutObject, UploadPart) that had a body.
pub(super) fn worth_probing(request: &Request, len: u64) -> bool {
    request.method == Method::PUT && request.key.is_some() && len > 0
}

/// The probe for `request`: the same request with an empty body, a digest no
/// empty body has, and (for PutObject) `x-oss-forbid-overwrite`, so that even
/// a server that skipped the digest check could not replace an object.
fn probe_of(request: &Request) -> Request {
    let mut probe = request.clone();
    probe.headers.retain(|(name, _)| {
        !["content-md5", "content-length", "x-oss-forbid-overwrite"].iter().any(|n| name.eq_ignore_ascii_case(n))
    });
    probe.header("content-md5", NOT_THE_EMPTY_MD5).header("x-oss-forbid-overwrite", "true")
}

/// Whether the probe's refusal says only that the request got as far as its
/// body: a digest mismatch, or the overwrite the probe itself forbade.
fn got_to_the_body(request: &Request, code: &str) -> bool {
    let forbade_itself = !request
        .headers
        .iter()
        .any(|(name, value)| name.eq_ignore_ascii_case("x-oss-forbid-overwrite") && value.eq_ignore_ascii_case("true"));
    matches!(code, "InvalidDigest" | "BadDigest") || (code == "FileAlreadyExists" && forbade_itself)
}

impl OssClient {
    /// The server's refusal of `request`, asked again after its connection
    /// broke while the body was being sent; `None` when the server did not
    /// refuse the request itself (the transport failure then stands).
    pub(super) async fn refusal_of(&self, request: &Request) -> Option<Error> {
        let probe = probe_of(request);
        match self.send_once(&probe, Body::empty()).await {
            Err(Error::Service { error, .. }) if !got_to_the_body(request, &error.code) => {
                tracing::debug!(operation = request.operation, resource = %request.resource(), code = %error.code,
                    "the connection broke while the body was sent; the server refuses the request");
                Some(Error::Service { operation: request.operation, resource: request.resource(), error })
            }
            Ok(response) => {
                // A server that checks no digest stored an empty object where
                // none was (the probe forbade an overwrite): take it away.
                let etag = super::meta_of(&response).etag.unwrap_or_default();
                if request.operation == "PutObject" && etag.eq_ignore_ascii_case(EMPTY_ETAG) {
                    tracing::warn!(resource = %request.resource(),
                        "the server ignored Content-MD5 and stored an empty object; removing it");
                    if let (Some(bucket), Some(key)) = (&request.bucket, &request.key) {
                        let delete = Request::new("DeleteObject", Method::DELETE, bucket, Some(key));
                        let _ = self.send_once(&delete, Body::empty()).await;
                    }
                }
                None
            }
            Err(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_probe_has_an_empty_body_a_wrong_digest_and_forbids_overwriting() {
        let request = Request::new("PutObject", Method::PUT, "b", Some("k"))
            .header("Content-MD5", "given")
            .header("x-oss-meta-client-side-encryption-key", "wrapped")
            .header("x-oss-forbid-overwrite", "false");
        let probe = probe_of(&request);
        let header = |name: &str| -> Vec<&str> {
            probe.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).collect()
        };
        assert_eq!(header("content-md5"), [NOT_THE_EMPTY_MD5]);
        assert_eq!(header("x-oss-forbid-overwrite"), ["true"]);
        assert_eq!(header("x-oss-meta-client-side-encryption-key"), ["wrapped"], "the request's own headers stay");
        assert_ne!(NOT_THE_EMPTY_MD5, "1B2M2Y8AsgTpgAmY7PhCfg==", "the empty body's MD5");
    }

    #[test]
    fn only_refusals_before_the_body_explain_a_broken_upload() {
        let put = Request::new("PutObject", Method::PUT, "b", Some("k"));
        for code in ["NoSuchBucket", "AccessDenied", "SignatureDoesNotMatch", "InvalidAccessKeyId", "InvalidArgument"] {
            assert!(!got_to_the_body(&put, code), "{code}");
        }
        assert!(got_to_the_body(&put, "InvalidDigest"));
        assert!(got_to_the_body(&put, "FileAlreadyExists"), "the probe's own forbid-overwrite");
        let create = put.clone().header("x-oss-forbid-overwrite", "true");
        assert!(!got_to_the_body(&create, "FileAlreadyExists"), "the request's own: that is its refusal");
        assert!(worth_probing(&put, 1));
        assert!(!worth_probing(&put, 0), "a copy or an empty body is answered whole");
        assert!(!worth_probing(&Request::new("GetObject", Method::GET, "b", Some("k")), 1));
    }
}
