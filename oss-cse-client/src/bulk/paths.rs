//! Mapping object keys to paths under a destination directory and back,
//! safely: no key may name a file outside the destination.

use std::path::{Component, Path, PathBuf};

/// The path, relative to the destination directory, of the object `key`
/// listed under `prefix`.
///
/// # Errors
/// Why the key cannot be written under the destination: it is the prefix
/// itself or a directory marker (ends with `/`), holds a NUL, is absolute,
/// or has an empty, `.` or `..` component. Such keys are refused and
/// reported, never written.
pub fn key_to_relative_path(key: &str, prefix: &str) -> Result<PathBuf, &'static str> {
    let rest = key.strip_prefix(prefix).ok_or("not under the prefix")?;
    if rest.is_empty() {
        return Err("the prefix itself");
    }
    if rest.ends_with('/') {
        return Err("a directory marker");
    }
    if rest.contains('\0') {
        return Err("holds a NUL byte");
    }
    if rest.starts_with('/') {
        return Err("an absolute path");
    }
    let mut path = PathBuf::new();
    for part in rest.split('/') {
        if part.is_empty() || part == "." || part == ".." {
            return Err("has an empty, . or .. path component");
        }
        path.push(part);
    }
    // Whatever this platform makes of the parts (a drive letter, a root),
    // only plain names may remain.
    if !path.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err("is not a plain relative path here");
    }
    Ok(path)
}

/// The object key of a file at `relative` under a source directory, put
/// under `prefix`: its components joined with `/`.
///
/// # Errors
/// A path that is not plain and relative, or a name that is not UTF-8.
pub fn relative_path_to_key(prefix: &str, relative: &Path) -> Result<String, &'static str> {
    let mut key = prefix.to_owned();
    for (index, component) in relative.components().enumerate() {
        let Component::Normal(name) = component else { return Err("is not a plain relative path") };
        if index > 0 {
            key.push('/');
        }
        key.push_str(name.to_str().ok_or("has a name that is not UTF-8")?);
    }
    if key.len() == prefix.len() {
        return Err("is empty");
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_paths_inside_the_destination_only() {
        assert_eq!(key_to_relative_path("p/a/b.txt", "p/"), Ok(PathBuf::from("a/b.txt")));
        assert_eq!(key_to_relative_path("p/日本/é.txt", "p/"), Ok(PathBuf::from("日本/é.txt")));
        assert_eq!(key_to_relative_path("x", ""), Ok(PathBuf::from("x")));
        for hostile in ["p/../etc/passwd", "p/a/../../x", "p//etc", "p/./x", "p//abs", "p/a\0b", "p/", "p/d/", "p/.."] {
            assert!(key_to_relative_path(hostile, "p/").is_err(), "{hostile:?}");
        }
        assert!(key_to_relative_path("/etc/passwd", "").is_err());
        assert!(key_to_relative_path("q/x", "p/").is_err());
    }

    #[test]
    fn paths_map_back_to_keys() {
        assert_eq!(relative_path_to_key("dst/", Path::new("a/b.txt")), Ok("dst/a/b.txt".to_owned()));
        assert_eq!(relative_path_to_key("", Path::new("x")), Ok("x".to_owned()));
        assert!(relative_path_to_key("dst/", Path::new("../x")).is_err());
        assert!(relative_path_to_key("dst/", Path::new("/x")).is_err());
        assert!(relative_path_to_key("dst/", Path::new("")).is_err());
    }

    proptest::proptest! {
        /// Whatever the key, an accepted path stays inside the destination
        /// and maps back to the same key.
        #[test]
        fn accepted_paths_stay_inside_and_round_trip(key in "[a-z./\\\\\\x00-]{0,12}") {
            if let Ok(path) = key_to_relative_path(&key, "") {
                proptest::prop_assert!(path.components().all(|c| matches!(c, Component::Normal(_))));
                let back = relative_path_to_key("", &path);
                proptest::prop_assert_eq!(back.as_deref(), Ok(key.as_str()));
            }
        }
    }
}
