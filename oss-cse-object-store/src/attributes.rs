//! `object_store` attributes and tags as OSS headers, and back. The
//! envelope's own headers are never an attribute: a caller cannot set them,
//! and a reader does not see them as user metadata.

use object_store::{Attribute, AttributeValue, Attributes, TagSet};
use oss_cse_client::envelope::consts::is_envelope_header;

const USER_METADATA: &str = "x-oss-meta-";

/// The standard headers an attribute names, as OSS spells them.
const STANDARD: [(&str, Attribute); 6] = [
    ("cache-control", Attribute::CacheControl),
    ("content-disposition", Attribute::ContentDisposition),
    ("content-encoding", Attribute::ContentEncoding),
    ("content-language", Attribute::ContentLanguage),
    ("content-type", Attribute::ContentType),
    ("x-oss-storage-class", Attribute::StorageClass),
];

/// Why attributes cannot be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refused {
    /// An attribute this store does not know (`Attribute` is non-exhaustive).
    Unknown(String),
    /// User metadata named like an envelope header.
    Envelope(String),
}

/// Request headers for `attributes` and `tags`.
pub(crate) fn to_headers(attributes: &Attributes, tags: &TagSet) -> Result<Vec<(String, String)>, Refused> {
    let mut headers = Vec::new();
    for (attribute, value) in attributes {
        let name = match attribute {
            Attribute::Metadata(name) => {
                let header = format!("{USER_METADATA}{}", name.to_ascii_lowercase());
                if is_envelope_header(&header) {
                    return Err(Refused::Envelope(header));
                }
                header
            }
            other => STANDARD
                .iter()
                .find(|(_, a)| a == other)
                .map(|(h, _)| (*h).to_owned())
                .ok_or_else(|| Refused::Unknown(format!("{other:?}")))?,
        };
        headers.push((name, value.as_ref().to_owned()));
    }
    if !tags.encoded().is_empty() {
        headers.push(("x-oss-tagging".to_owned(), tags.encoded().to_owned()));
    }
    Ok(headers)
}

/// The attributes a reply's headers (lower-case names) carry.
pub(crate) fn from_headers<'a>(headers: impl IntoIterator<Item = (&'a str, &'a str)>) -> Attributes {
    let mut attributes = Attributes::new();
    for (name, value) in headers {
        let attribute = match name.strip_prefix(USER_METADATA) {
            Some(_) if is_envelope_header(name) => continue,
            Some(user) => Attribute::Metadata(user.to_owned().into()),
            // OSS reports every object's class; the default is no attribute.
            None if name == "x-oss-storage-class" && value.eq_ignore_ascii_case("Standard") => continue,
            None => match STANDARD.iter().find(|(h, _)| *h == name) {
                Some((_, attribute)) => attribute.clone(),
                None => continue,
            },
        };
        attributes.insert(attribute, AttributeValue::from(value.to_owned()));
    }
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_round_trip_through_headers() {
        let attributes = Attributes::from_iter([
            (Attribute::CacheControl, "max-age=604800"),
            (Attribute::ContentType, "text/html; charset=utf-8"),
            (Attribute::Metadata("key_with_spaces".into()), "hello   world"),
        ]);
        let mut tags = TagSet::default();
        tags.push("team", "a b");
        let headers = to_headers(&attributes, &tags).unwrap();
        assert!(headers.contains(&("x-oss-meta-key_with_spaces".into(), "hello   world".into())));
        assert!(headers.iter().any(|(k, v)| k == "x-oss-tagging" && v == "team=a+b"), "{headers:?}");
        let back = from_headers(headers.iter().filter(|(k, _)| k != "x-oss-tagging").map(|(k, v)| (&**k, &**v)));
        assert_eq!(back, attributes);
    }

    #[test]
    fn envelope_headers_are_neither_written_nor_read_as_metadata() {
        let attributes = Attributes::from_iter([(Attribute::Metadata("client-side-encryption-key".into()), "x")]);
        assert_eq!(
            to_headers(&attributes, &TagSet::default()),
            Err(Refused::Envelope("x-oss-meta-client-side-encryption-key".into()))
        );
        let read = from_headers([
            ("x-oss-meta-client-side-encryption-key", "wrapped"),
            ("x-oss-meta-client-side-encryption-start", "iv"),
            ("x-oss-meta-owner", "me"),
            ("etag", "\"E\""),
            ("x-oss-storage-class", "Standard"),
        ]);
        assert_eq!(read, Attributes::from_iter([(Attribute::Metadata("owner".into()), "me")]));
    }
}
