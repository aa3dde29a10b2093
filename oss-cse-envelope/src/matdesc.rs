//! Material description ("matdesc"): the JSON object of strings that tells
//! which master key wrapped an object.
//!
//! The SDKs serialize it differently (`{"desc": "a"}` from Python,
//! `{"desc":"a"}` from Go, Java and C++, with their own escapes), so
//! descriptions are compared by content, never by text. A description read
//! from a header keeps that header's text, so an envelope written back
//! unchanged (a metadata update) carries the same bytes; a new envelope is
//! written in the [`MatdescStyle`] its readers need (Python's by default).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use crate::Error;

mod style;

pub use style::MatdescStyle;

/// Longest matdesc header accepted.
const MAX_MATDESC_LEN: usize = 8 * 1024;

/// A parsed material description: string keys to string values, and the
/// header text it is written as.
///
/// Equality compares the entries only, never the text.
#[derive(Clone, Default)]
pub struct MaterialDescription {
    entries: BTreeMap<String, String>,
    /// The header text: as read, or as styled by [`in_style`](Self::in_style).
    text: Option<String>,
}

impl PartialEq for MaterialDescription {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl Eq for MaterialDescription {}

impl MaterialDescription {
    /// An empty description (which is the same as having none).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds or replaces one entry.
    pub fn with(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.entries.insert(key.into(), value.into());
        self.text = None;
        self
    }

    /// Parses the JSON text of a user's `--matdesc` (or of a header; only
    /// the content is kept: it is written in the Python style unless
    /// restyled).
    ///
    /// # Errors
    /// [`Error::InvalidMaterialDescription`] unless the text is a JSON object
    /// whose values are all strings.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        if text.len() > MAX_MATDESC_LEN {
            return Err(Error::InvalidMaterialDescription { reason: "longer than 8 KiB" });
        }
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|_| Error::InvalidMaterialDescription { reason: "not valid JSON" })?;
        let serde_json::Value::Object(object) = value else {
            return Err(Error::InvalidMaterialDescription { reason: "not a JSON object" });
        };
        object
            .into_iter()
            .map(|(key, value)| match value {
                serde_json::Value::String(value) => Ok((key, value)),
                _ => Err(Error::InvalidMaterialDescription { reason: "a value is not a string" }),
            })
            .collect::<Result<_, _>>()
            .map(|entries| Self { entries, text: None })
    }

    /// Parses a matdesc header's text and keeps it, so that writing the
    /// description back gives the same text.
    pub(crate) fn from_header(text: &str) -> Result<Self, Error> {
        Self::from_json(text).map(|parsed| Self { text: Some(text.to_owned()), ..parsed })
    }

    /// The text in the form Python's `json.dumps` gives (`", "` and `": "`
    /// separators, `\uXXXX` escapes), keys sorted. Used in messages.
    pub fn to_json(&self) -> String {
        self.to_json_in(MatdescStyle::Python)
    }

    /// The text in the given SDK family's style, keys sorted.
    pub fn to_json_in(&self, style: MatdescStyle) -> String {
        style.render(self.iter())
    }

    /// The same description, to be written in `style`.
    pub fn in_style(mut self, style: MatdescStyle) -> Self {
        self.text = Some(self.to_json_in(style));
        self
    }

    /// The text a header carries: the text read (or styled), else the
    /// Python form.
    pub fn header_text(&self) -> Cow<'_, str> {
        match &self.text {
            Some(text) => Cow::Borrowed(text),
            None => Cow::Owned(self.to_json()),
        }
    }

    /// Whether the description has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The value of one entry.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries.get(key).map(String::as_str)
    }

    /// All entries, sorted by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// How a possibly absent description reads in messages: its JSON, or `(none)`.
    pub fn describe(description: Option<&Self>) -> String {
        match description {
            Some(d) if !d.is_empty() => d.to_json(),
            _ => "(none)".to_owned(),
        }
    }

    /// Whether two possibly absent descriptions select the same key: equal
    /// content, with "absent" and "empty" the same thing.
    pub fn same(a: Option<&Self>, b: Option<&Self>) -> bool {
        let empty = Self::new();
        a.unwrap_or(&empty) == b.unwrap_or(&empty)
    }
}

impl fmt::Debug for MaterialDescription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}

impl fmt::Display for MaterialDescription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for MaterialDescription {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Self { entries: iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect(), text: None }
    }
}

#[cfg(test)]
mod tests;
