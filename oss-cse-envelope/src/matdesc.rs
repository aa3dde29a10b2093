//! Material description ("matdesc"): the JSON object of strings that tells
//! which master key wrapped an object.
//!
//! The SDKs serialize it differently (`{"desc": "a"}` from Python,
//! `{"desc":"a"}` from Go and Java), so descriptions are compared by content,
//! never by text. We write the Python form the vectors show, with keys sorted
//! and non-ASCII characters escaped, because a header value must be ASCII.

use std::collections::BTreeMap;
use std::fmt;

use crate::Error;

/// Longest matdesc header accepted.
const MAX_MATDESC_LEN: usize = 8 * 1024;

/// A parsed material description: string keys to string values.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct MaterialDescription(BTreeMap<String, String>);

impl MaterialDescription {
    /// An empty description (which is the same as having none).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds or replaces one entry.
    pub fn with(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.0.insert(key.into(), value.into());
        self
    }

    /// Parses the JSON text of a matdesc header or a user's `--matdesc`.
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
            .map(Self)
    }

    /// The header text, in the form Python's `json.dumps` gives (`", "` and
    /// `": "` separators, `\uXXXX` escapes), keys sorted.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{");
        for (index, (key, value)) in self.0.iter().enumerate() {
            if index > 0 {
                out.push_str(", ");
            }
            push_json_string(&mut out, key);
            out.push_str(": ");
            push_json_string(&mut out, value);
        }
        out.push('}');
        out
    }

    /// Whether the description has no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value of one entry.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// All entries, sorted by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
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
        Self(iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}

fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(ch),
            _ => {
                let mut units = [0u16; 2];
                for unit in ch.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests;
