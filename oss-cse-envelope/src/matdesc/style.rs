//! How each SDK family writes a material description as JSON text.
//!
//! Readers that compare parsed maps (oss2, Java, C++ and this library) accept
//! any of these. Go v1, Go v2 and Python v2 look the *raw header text* up
//! among their keys, so an object meant for them must carry the exact text
//! their own serializer produces.

use std::fmt::Write as _;

/// The JSON text style of a written matdesc header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum MatdescStyle {
    /// Python's `json.dumps` (oss2, alibabacloud-oss-v2): `{"k": "v"}`,
    /// non-ASCII as `\uXXXX`.
    #[default]
    Python,
    /// Go's `json.Marshal` of a map (Go v1 and v2): `{"k":"v"}`, keys sorted,
    /// `<`, `>`, `&`, U+2028 and U+2029 escaped, other non-ASCII as raw UTF-8.
    Go,
    /// Java (jettison `JSONObject.toString()`): `{"k":"v"}` with `/` escaped as
    /// `\/`. Non-ASCII is written as `\uXXXX` (which jettison reads back)
    /// rather than raw, because the Java SDK sends and reads header values as
    /// ISO-8859-1 and would mangle raw UTF-8.
    Java,
    /// C++ (jsoncpp): `{"k":"v"}`, keys sorted, non-ASCII as `\uXXXX`.
    Cpp,
}

impl MatdescStyle {
    /// The text of `entries` (sorted by key) in this style.
    pub(crate) fn render<'a>(self, entries: impl Iterator<Item = (&'a str, &'a str)>) -> String {
        let (pair_separator, key_separator) = match self {
            Self::Python => (", ", ": "),
            Self::Go | Self::Java | Self::Cpp => (",", ":"),
        };
        let mut out = String::from("{");
        for (index, (key, value)) in entries.enumerate() {
            if index > 0 {
                out.push_str(pair_separator);
            }
            self.push_string(&mut out, key);
            out.push_str(key_separator);
            self.push_string(&mut out, value);
        }
        out.push('}');
        out
    }

    fn push_string(self, out: &mut String, text: &str) {
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
                '/' if self == Self::Java => out.push_str("\\/"),
                '<' | '>' | '&' | '\u{2028}' | '\u{2029}' if self == Self::Go => push_escaped(out, ch),
                ' '..='~' => out.push(ch),
                _ if self == Self::Go && ch > '\u{7f}' => out.push(ch),
                _ => push_escaped(out, ch),
            }
        }
        out.push('"');
    }
}

/// `\uXXXX` (two of them, a surrogate pair, above the BMP), lower-case hex
/// as every SDK writes it.
fn push_escaped(out: &mut String, ch: char) {
    let mut units = [0u16; 2];
    for unit in ch.encode_utf16(&mut units) {
        // Writing to a String cannot fail.
        let _ = write!(out, "\\u{unit:04x}");
    }
}
