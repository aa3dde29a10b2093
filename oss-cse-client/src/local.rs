//! Local files written so that a failure never leaves one looking complete:
//! temporary files are created new (never through an existing name or a
//! planted symlink), readable by the owner only, beside their destination,
//! and renamed over it only once every write has been reported durable.
//!
//! Writes through `tokio::fs::File` are buffered in a background task whose
//! error surfaces only at the next write or `flush`: `sync_data`/`sync_all`
//! do not report it. Every path here flushes before it syncs.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// How many random characters end a temporary file's name.
pub(crate) const RANDOM_CHARS: usize = 8;

pub(crate) fn io_error<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> Error + 'a {
    move |source| Error::Io { action, path: path.to_owned(), source }
}

/// The directory `path` lives in (`.` for a bare file name).
pub(crate) fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// `path` with its folder resolved: absolute, with symbolic links, `.` and
/// `..` resolved, and the file name kept. `./f`, `f` and `/abs/f` then name
/// one file wherever a transfer records or compares it (a checkpoint, its
/// partial file). The folder must exist; the file need not.
///
/// # Errors
/// [`Error::Io`] when the folder cannot be resolved, or [`Error::InvalidArgument`]
/// for a path that names no file (`..`, `/`).
pub fn resolve_path(path: &Path) -> Result<PathBuf> {
    let name = path.file_name().ok_or_else(|| Error::invalid_argument(format!("{} names no file", path.display())))?;
    let folder = std::fs::canonicalize(parent_dir(path)).map_err(io_error("resolving the folder of", path))?;
    Ok(folder.join(name))
}

/// Creates a new, empty temporary file named `prefix` plus random
/// characters in `dir`: `O_EXCL`, mode 0600. It is removed when the
/// returned guard drops unless kept or persisted.
pub(crate) fn create_temp(dir: &Path, prefix: &str) -> Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(prefix)
        .rand_bytes(RANDOM_CHARS)
        .tempfile_in(dir)
        .map_err(io_error("creating a temporary file in", dir))
}

/// Whether `name` is `prefix` followed by the random characters
/// [`create_temp`] appends.
pub(crate) fn is_temp_name(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix)
        .is_some_and(|suffix| suffix.len() == RANDOM_CHARS && suffix.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Writes `bytes` to `path` atomically: a new temporary file beside it
/// (named `temp_prefix` plus random characters), synced, then renamed over
/// `path`. On any error the temporary file is removed and `path` is as it
/// was. Blocking: call from a blocking context.
pub(crate) fn write_atomically_blocking(path: &Path, temp_prefix: &str, bytes: &[u8]) -> Result<()> {
    let mut temp = create_temp(parent_dir(path), temp_prefix)?;
    let written = temp.write_all(bytes).and_then(|()| temp.as_file().sync_all());
    written.map_err(io_error("writing", temp.path()))?;
    temp.persist(path).map_err(|e| Error::Io { action: "renaming into", path: path.to_owned(), source: e.error })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_are_prefix_and_random_characters() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let temp = create_temp(dir.path(), ".x.partial-").unwrap_or_else(|e| panic!("{e}"));
        let name = temp.path().file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        assert!(is_temp_name(&name, ".x.partial-"), "{name}");
        assert!(!is_temp_name(".x.partial-1234567", ".x.partial-"));
        assert!(!is_temp_name(".x.partial-1234567/", ".x.partial-"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(temp.path()).map(|m| m.permissions().mode()).unwrap_or_default();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn atomic_write_leaves_nothing_behind_on_error() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        // The destination is a directory: the rename fails, and the
        // temporary file must go.
        let target = dir.path().join("taken");
        std::fs::create_dir(&target).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(target.join("inside"), b"x").unwrap_or_else(|e| panic!("{e}"));
        assert!(write_atomically_blocking(&target, "taken.tmp-", b"{}").is_err());
        let names: Vec<_> =
            std::fs::read_dir(dir.path()).into_iter().flatten().flatten().map(|e| e.file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("taken")]);
    }
}
