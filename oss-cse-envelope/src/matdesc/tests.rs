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
