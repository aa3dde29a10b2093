//! What a client's request asks of the gateway, decided from its method,
//! address and query alone (no I/O): encrypt, decrypt, pass on unchanged
//! (operations that carry no object content), or refuse.

use oss_cse_auth::verify::is_subresource;

/// The gateway's handling of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    /// PutObject: encrypted as it streams.
    Put,
    /// GetObject: decrypted as it streams (ranges too).
    Get,
    /// HeadObject: OSS's answer with the envelope left out.
    Head,
    /// CopyObject: the stored bytes and envelope copied (above OSS's copy
    /// limit, by a checked re-upload).
    Copy,
    /// Sent to OSS as it came, re-signed: bucket operations, listings,
    /// deletes, object tags and ACLs.
    Forward(&'static str),
    /// A multipart upload's step, served from the gateway's spool.
    Multipart(Step),
    /// ListMultipartUploads: the uploads in the gateway's spool.
    ListUploads,
    /// AppendObject: an encrypted object cannot be appended to.
    Append,
    /// Anything else: 501, never a pass-through that could store plaintext.
    Unsupported,
}

/// The steps of a multipart upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    Initiate,
    UploadPart,
    ListParts,
    Complete,
    Abort,
}

/// Object sub-resources passed on: they carry no object content.
const OBJECT_PASS: [(&str, &str); 3] =
    [("tagging", "ObjectTagging"), ("acl", "ObjectAcl"), ("objectMeta", "GetObjectMeta")];

/// The route of `method` on `bucket`/`key` with these query names;
/// `copy` when the request names a copy source (`x-oss-copy-source`).
pub(crate) fn route(method: &str, bucket: Option<&str>, key: Option<&str>, query: &[&str], copy: bool) -> Route {
    let subresources: Vec<&str> = query.iter().copied().filter(|name| is_subresource(name)).collect();
    match (bucket, key) {
        (None, _) => match method {
            "GET" => Route::Forward("ListBuckets"),
            _ => Route::Unsupported,
        },
        // Bucket operations and listings carry no object content.
        (Some(_), None) => match (method, subresources.as_slice()) {
            ("GET", ["uploads"]) => Route::ListUploads,
            ("GET" | "PUT" | "DELETE" | "HEAD", _) => Route::Forward("Bucket"),
            ("POST", ["delete"]) => Route::Forward("DeleteMultipleObjects"),
            _ => Route::Unsupported,
        },
        (Some(_), Some(_)) if !copy && multipart_step(method, &subresources).is_some() => {
            multipart_step(method, &subresources).map_or(Route::Unsupported, Route::Multipart)
        }
        (Some(_), Some(_)) => match (method, subresources.as_slice()) {
            ("PUT", []) if copy => Route::Copy,
            ("PUT", []) => Route::Put,
            ("GET", []) => Route::Get,
            // response-* only set the reply's headers: the gateway sets them.
            ("GET", names) if names.iter().all(|name| name.starts_with("response-")) => Route::Get,
            ("HEAD", []) => Route::Head,
            ("DELETE", []) => Route::Forward("DeleteObject"),
            ("POST", ["append", ..] | [_, "append", ..]) => Route::Append,
            ("GET" | "PUT" | "DELETE" | "HEAD", [name]) if !copy => {
                OBJECT_PASS.iter().find(|(n, _)| n == name).map_or(Route::Unsupported, |(_, op)| Route::Forward(op))
            }
            _ => Route::Unsupported,
        },
    }
}

/// The multipart step of an object request with these sub-resources.
fn multipart_step(method: &str, subresources: &[&str]) -> Option<Step> {
    let mut names = subresources.to_vec();
    names.sort_unstable();
    match (method, names.as_slice()) {
        ("POST", ["uploads"]) => Some(Step::Initiate),
        ("PUT", ["partNumber", "uploadId"]) => Some(Step::UploadPart),
        ("GET", ["uploadId"]) => Some(Step::ListParts),
        ("POST", ["uploadId"]) => Some(Step::Complete),
        ("DELETE", ["uploadId"]) => Some(Step::Abort),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_is_encrypted_or_decrypted_and_nothing_else_passes_with_content() {
        let object = |method, query: &[&str]| route(method, Some("b"), Some("k"), query, false);
        assert_eq!(object("PUT", &[]), Route::Put);
        assert_eq!(object("GET", &["response-content-type", "response-expires"]), Route::Get);
        assert_eq!(object("GET", &["response-content-type", "x-oss-process"]), Route::Unsupported);
        assert_eq!(object("GET", &[]), Route::Get);
        assert_eq!(object("HEAD", &[]), Route::Head);
        assert_eq!(object("DELETE", &[]), Route::Forward("DeleteObject"));
        assert_eq!(object("POST", &["append", "position"]), Route::Append);
        assert_eq!(object("PUT", &["tagging"]), Route::Forward("ObjectTagging"));
        assert_eq!(object("GET", &["acl"]), Route::Forward("ObjectAcl"));
        assert_eq!(object("HEAD", &["objectMeta"]), Route::Forward("GetObjectMeta"));
        assert_eq!(object("POST", &["uploads"]), Route::Multipart(Step::Initiate));
        assert_eq!(object("PUT", &["uploadId", "partNumber"]), Route::Multipart(Step::UploadPart));
        assert_eq!(object("PUT", &["partNumber", "uploadId"]), Route::Multipart(Step::UploadPart));
        assert_eq!(object("GET", &["uploadId"]), Route::Multipart(Step::ListParts));
        assert_eq!(object("POST", &["uploadId"]), Route::Multipart(Step::Complete));
        assert_eq!(object("DELETE", &["uploadId"]), Route::Multipart(Step::Abort));
        // Symlinks, restore, processing: not passed on; nor a part copied from another object.
        for query in [&["symlink"][..], &["restore"], &["x-oss-process"], &["uploads", "tagging"]] {
            assert_eq!(object("PUT", query), Route::Unsupported, "{query:?}");
            assert_eq!(object("POST", query), Route::Unsupported, "{query:?}");
        }
        assert_eq!(route("GET", Some("b"), None, &["prefix", "list-type"], false), Route::Forward("Bucket"));
        assert_eq!(route("POST", Some("b"), None, &["delete"], false), Route::Forward("DeleteMultipleObjects"));
        assert_eq!(route("GET", Some("b"), None, &["uploads", "prefix"], false), Route::ListUploads);
        assert_eq!(route("GET", None, None, &[], false), Route::Forward("ListBuckets"));
        assert_eq!(route("POST", None, None, &[], false), Route::Unsupported);
        // A copy keeps the envelope; a part copied from another object is not passed on.
        assert_eq!(route("PUT", Some("b"), Some("k"), &[], true), Route::Copy);
        assert_eq!(route("PUT", Some("b"), Some("k"), &["uploadId", "partNumber"], true), Route::Unsupported);
        assert_eq!(route("PUT", Some("b"), Some("k"), &["tagging"], true), Route::Unsupported);
    }
}
