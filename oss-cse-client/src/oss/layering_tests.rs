//! The rule of the layers, checked on the source: no file of `src/oss/`
//! names anything of `src/cse/`, by its path or by the name the crate root
//! re-exports it under.

use std::path::{Path, PathBuf};

/// The names `lib.rs` re-exports from the encryption layer (`pub use cse::…`).
fn encryption_layer_names(lib: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut statement = String::new();
    for line in lib.lines().map(str::trim) {
        if statement.is_empty() && !line.starts_with("pub use cse::") {
            continue;
        }
        statement.push_str(line);
        if line.ends_with(';') {
            let list = statement.trim_start_matches("pub use cse::").trim_end_matches(';');
            let list = list.split_once('{').map_or(list, |(_, rest)| rest.trim_end_matches('}'));
            let last = |item: &str| item.rsplit("::").next().unwrap_or_default().trim().to_owned();
            names.extend(list.split(',').map(last).filter(|name| !name.is_empty()));
            statement.clear();
        }
    }
    names
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.is_dir() { files.extend(files_under(&path)) } else { files.push(path) }
    }
    files
}

#[test]
fn the_oss_layer_imports_nothing_from_the_encryption_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap_or_else(|e| panic!("{e}"));
    let names = encryption_layer_names(&lib);
    assert!(names.iter().any(|n| n == "EncryptionClient") && names.len() >= 10, "{names:?}");
    let mut forbidden: Vec<String> = names.iter().map(|name| format!("crate::{name}")).collect();
    forbidden.extend(["crate::cse".to_owned(), "super::cse".to_owned()]);
    let files = files_under(&src.join("oss"));
    assert!(files.len() >= 10, "only {} files read", files.len());
    // This file names what it looks for.
    for path in files.into_iter().filter(|path| !path.ends_with("layering_tests.rs")) {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            let used =
                |name: &String| code.contains(name.as_str()) || code.contains(&name.replace("crate::", "crate::{"));
            if let Some(name) = forbidden.iter().find(|name| used(name)) {
                panic!(
                    "{}:{}: the OSS layer reaches up into the encryption layer ({name}): {line}",
                    path.display(),
                    number + 1
                );
            }
        }
    }
}

#[test]
fn the_check_finds_an_encryption_layer_name() {
    let names = encryption_layer_names("pub use cse::x::{A, B};\npub use cse::y::C;\npub use oss::z::D;");
    assert_eq!(names, ["A", "B", "C"]);
}
