use super::*;

#[test]
fn python_form_and_content_equality() {
    let python = MaterialDescription::from_json(r#"{"owner": "team-a", "desc": "key-A2"}"#).unwrap();
    let go = MaterialDescription::from_json(r#"{"desc":"key-A2","owner":"team-a"}"#).unwrap();
    assert_eq!(python, go);
    assert_eq!(go.to_json(), r#"{"desc": "key-A2", "owner": "team-a"}"#);
    assert_eq!(MaterialDescription::new().with("desc", "key-A1").to_json(), r#"{"desc": "key-A1"}"#);
}

#[test]
fn escapes_like_python_json_dumps() {
    let md = MaterialDescription::new().with("k", "é\"\\\n\u{1}😀");
    assert_eq!(md.to_json(), r#"{"k": "\u00e9\"\\\n\u0001\ud83d\ude00"}"#);
    assert_eq!(MaterialDescription::from_json(&md.to_json()).unwrap(), md);
    assert!(md.to_json().is_ascii());
}

#[test]
fn rejects_what_is_not_an_object_of_strings() {
    for bad in ["", "[]", "\"x\"", "{\"a\": 1}", "{\"a\": null}", "{\"a\": {}}", "{", "{\"a\":\"b\"} x"] {
        assert!(
            matches!(MaterialDescription::from_json(bad), Err(Error::InvalidMaterialDescription { .. })),
            "{bad:?}"
        );
    }
    let huge = format!("{{\"a\": \"{}\"}}", "x".repeat(10_000));
    assert!(MaterialDescription::from_json(&huge).is_err());
}

#[test]
fn absent_and_empty_are_the_same() {
    let empty = MaterialDescription::new();
    let one = MaterialDescription::new().with("a", "b");
    assert!(MaterialDescription::same(None, Some(&empty)));
    assert!(MaterialDescription::same(None, None));
    assert!(!MaterialDescription::same(None, Some(&one)));
    assert_eq!(MaterialDescription::describe(None), "(none)");
    assert_eq!(MaterialDescription::describe(Some(&one)), r#"{"a": "b"}"#);
}

/// The `escaping` matdesc of `vectors/sdks`, and the header text the Go SDKs
/// (v1 and v2) and the C++ SDK wrote for it (`*_rsa_put_escmatdesc_len_100`).
fn escaping() -> MaterialDescription {
    MaterialDescription::new().with("desc", "clé/été <b>&Ω").with("path/key", "日本/語<x>😀")
}

#[test]
fn each_sdk_style_writes_what_that_sdk_writes() {
    let go = "{\"desc\":\"clé/été \\u003cb\\u003e\\u0026Ω\",\"path/key\":\"日本/語\\u003cx\\u003e😀\"}";
    let cpp = r#"{"desc":"cl\u00e9/\u00e9t\u00e9 <b>&\u03a9","path/key":"\u65e5\u672c/\u8a9e<x>\ud83d\ude00"}"#;
    assert_eq!(escaping().to_json_in(MatdescStyle::Go), go);
    assert_eq!(escaping().to_json_in(MatdescStyle::Cpp), cpp);
    let java = escaping().to_json_in(MatdescStyle::Java);
    assert_eq!(
        java,
        r#"{"desc":"cl\u00e9\/\u00e9t\u00e9 <b>&\u03a9","path\/key":"\u65e5\u672c\/\u8a9e<x>\ud83d\ude00"}"#
    );
    let main = MaterialDescription::new().with("owner", "sdk-vectors").with("purpose", "conformance-a");
    for style in [MatdescStyle::Go, MatdescStyle::Java, MatdescStyle::Cpp] {
        assert_eq!(main.to_json_in(style), r#"{"owner":"sdk-vectors","purpose":"conformance-a"}"#, "{style:?}");
    }
    assert_eq!(main.to_json_in(MatdescStyle::Python), r#"{"owner": "sdk-vectors", "purpose": "conformance-a"}"#);
    // Only Go's is not ASCII; every style parses back to the same content.
    for style in [MatdescStyle::Python, MatdescStyle::Go, MatdescStyle::Java, MatdescStyle::Cpp] {
        let text = escaping().to_json_in(style);
        assert_eq!(text.is_ascii(), style != MatdescStyle::Go, "{style:?}");
        assert_eq!(MaterialDescription::from_json(&text).unwrap(), escaping(), "{style:?}");
    }
}

#[test]
fn header_text_is_kept_as_read_or_as_styled() {
    let read = MaterialDescription::from_header(r#"{"b":"2","a":"1"}"#).unwrap();
    assert_eq!(read.header_text(), r#"{"b":"2","a":"1"}"#);
    assert_eq!(read, MaterialDescription::new().with("a", "1").with("b", "2"), "equality ignores the text");
    assert_eq!(read.to_json(), r#"{"a": "1", "b": "2"}"#, "messages use one form");
    assert_eq!(read.clone().in_style(MatdescStyle::Go).header_text(), r#"{"a":"1","b":"2"}"#);
    assert_eq!(read.with("c", "3").header_text(), r#"{"a": "1", "b": "2", "c": "3"}"#, "a change drops the text");
    let typed = MaterialDescription::from_json(r#"{"a":"1"}"#).unwrap();
    assert_eq!(typed.header_text(), r#"{"a": "1"}"#, "a user's text is not a header's");
}
