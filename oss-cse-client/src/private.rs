//! Files only this user controls: the folder of checkpoints and job
//! journals, its local key, and each checkpoint and journal in it.
//!
//! Whoever else can write one of them could make a resumed upload encrypt
//! under a data key they know (a planted checkpoint and key file), or make a
//! job skip work (a planted journal line). So, on Unix, a folder or file that
//! is a symbolic link, belongs to another user, or is writable by group or
//! others is refused with [`Error::NotPrivate`] before anything is read from
//! it or written into it; and what is read back is authenticated with a key
//! derived from the folder's local key ([`LocalKey`]), so an edit by anyone
//! else means a fresh start. Owner checks are what make the MAC worth
//! anything: whoever planted a key file knows it. Elsewhere than Unix only
//! the MAC applies.

use std::io::Read as _;
use std::path::Path;

use aws_lc_rs::aead::{AES_256_GCM, LessSafeKey, UnboundKey};
use aws_lc_rs::{hkdf, hmac};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use crate::{Error, Result};

/// The local key's file name, in the folder it serves.
pub(crate) const KEY_FILE: &str = ".oss-cse-checkpoint.key";

/// The local key's length.
const KEY_LEN: usize = 32;

fn not_private(path: &Path, reason: impl Into<String>) -> Error {
    Error::NotPrivate { path: path.to_owned(), reason: reason.into() }
}

/// Why `meta` (of `path`, read without following a link) is not private to
/// this user, if it is not. `want_dir` says which kind it must be.
#[cfg(unix)]
fn refusal(meta: &std::fs::Metadata, want_dir: bool) -> Option<String> {
    use std::os::unix::fs::MetadataExt as _;
    let kind = meta.file_type();
    if kind.is_symlink() {
        return Some("it is a symbolic link".into());
    }
    if want_dir && !kind.is_dir() {
        return Some("it is not a directory".into());
    }
    if !want_dir && !kind.is_file() {
        return Some("it is not a regular file".into());
    }
    let me = rustix::process::geteuid().as_raw();
    if meta.uid() != me {
        return Some(format!("it belongs to user {} and this process runs as user {me}", meta.uid()));
    }
    let mode = meta.mode() & 0o7777;
    if mode & 0o022 != 0 {
        return Some(format!("it is writable by group or others (mode {mode:04o})"));
    }
    None
}

#[cfg(not(unix))]
fn refusal(meta: &std::fs::Metadata, want_dir: bool) -> Option<String> {
    match (meta.file_type().is_symlink(), want_dir, meta.is_dir()) {
        (true, _, _) => Some("it is a symbolic link".into()),
        (false, true, false) => Some("it is not a directory".into()),
        (false, false, true) => Some("it is a directory".into()),
        _ => None,
    }
}

/// Checks that the folder `dir` exists and only this user can change what is
/// in it. `Ok(false)` when it does not exist.
///
/// # Errors
/// [`Error::NotPrivate`] saying why it is not private; [`Error::Io`] when it
/// cannot be examined.
pub(crate) fn check_folder(dir: &Path) -> Result<bool> {
    match std::fs::symlink_metadata(dir) {
        Ok(meta) => match refusal(&meta, true) {
            Some(reason) => Err(not_private(dir, reason)),
            None => Ok(true),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(Error::Io { action: "examining", path: dir.to_owned(), source }),
    }
}

/// Creates the folder `dir` (and its missing parents) readable and writable
/// by this user only (0700), or checks the one that is there.
///
/// # Errors
/// [`Error::NotPrivate`] for a folder that is a link, another user's or
/// writable by group or others; [`Error::Io`] when it cannot be created.
pub fn prepare_checkpoint_folder(dir: &Path) -> Result<()> {
    if !check_folder(dir)? {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).map_err(|source| Error::Io { action: "creating", path: dir.to_owned(), source })?;
        check_folder(dir)?;
    }
    Ok(())
}

/// The folder `path` is in (`.` for a bare name).
pub(crate) fn folder_of(path: &Path) -> &Path {
    crate::local::parent_dir(path)
}

/// Opens `path` for reading without following a link and without blocking
/// on a FIFO, and checks that it is this user's regular file.
fn open_private(path: &Path) -> std::io::Result<std::result::Result<std::fs::File, String>> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        std::os::unix::fs::OpenOptionsExt::custom_flags(
            &mut options,
            (OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32,
        );
    }
    let file = match options.open(path) {
        Ok(file) => file,
        // O_NOFOLLOW on a link: refused, not "missing".
        Err(e) if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) => {
            return Ok(Err(format!("it is a symbolic link ({e})")));
        }
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    Ok(match refusal(&meta, false) {
        Some(reason) => Err(reason),
        None => Ok(file),
    })
}

/// Opens `path`, this user's private file, for reading; `Ok(None)` when it
/// does not exist.
///
/// # Errors
/// [`Error::NotPrivate`] for a link, another user's file or a file others
/// can write; [`Error::Io`] when it cannot be opened.
pub(crate) fn open_private_read(path: &Path) -> Result<Option<std::fs::File>> {
    match open_private(path) {
        Ok(Ok(file)) => Ok(Some(file)),
        Ok(Err(reason)) => Err(not_private(path, reason)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Io { action: "opening", path: path.to_owned(), source }),
    }
}

/// Opens `path` for appending, created owner-only (0600) when missing, never
/// through a link, and checks that it is this user's private file.
///
/// # Errors
/// As [`open_private_read`].
pub(crate) fn open_private_append(path: &Path) -> Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600).custom_flags((rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK).bits() as i32);
    }
    let file = match options.open(path) {
        Ok(file) => file,
        Err(_) if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) => {
            return Err(not_private(path, "it is a symbolic link"));
        }
        Err(source) => return Err(Error::Io { action: "opening", path: path.to_owned(), source }),
    };
    let meta = file.metadata().map_err(|source| Error::Io { action: "examining", path: path.to_owned(), source })?;
    match refusal(&meta, false) {
        Some(reason) => Err(not_private(path, reason)),
        None => Ok(file),
    }
}

/// Reads `path`, this user's private file of at most `limit` bytes.
/// `Ok(None)` when it does not exist.
///
/// # Errors
/// [`Error::NotPrivate`] for a link, another user's file or a file others
/// can write; [`Error::Io`] when it cannot be read or is over the limit.
pub(crate) fn read_private(path: &Path, limit: u64) -> Result<Option<Vec<u8>>> {
    let io = |source| Error::Io { action: "reading", path: path.to_owned(), source };
    let Some(file) = open_private_read(path)? else { return Ok(None) };
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        let source = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("it is larger than the {limit} bytes such a file can be"),
        );
        return Err(Error::Io { action: "reading", path: path.to_owned(), source });
    }
    Ok(Some(bytes))
}

/// The local key of a folder of checkpoints: 32 random bytes in
/// [`KEY_FILE`], created once (exclusively, 0600) and read only from a
/// private file. The key that seals upload material in checkpoints and the
/// key that authenticates checkpoints and journal lines are derived from it
/// (HKDF-SHA256, one label each), never the key itself.
pub(crate) struct LocalKey {
    secret: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for LocalKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LocalKey(<redacted>)")
    }
}

/// The HKDF output length of the derived keys.
struct Len32;

impl hkdf::KeyType for Len32 {
    fn len(&self) -> usize {
        KEY_LEN
    }
}

impl LocalKey {
    /// The key of the (private) folder `dir`, if it has one.
    ///
    /// # Errors
    /// [`Error::NotPrivate`] for a folder or key file someone else controls,
    /// or a key file that is not exactly 32 bytes.
    pub(crate) fn existing(dir: &Path) -> Result<Option<Self>> {
        if !check_folder(dir)? {
            return Ok(None);
        }
        let path = dir.join(KEY_FILE);
        match read_private(&path, KEY_LEN as u64)? {
            Some(bytes) if bytes.len() == KEY_LEN => Ok(Some(Self { secret: Zeroizing::new(bytes) })),
            Some(bytes) => Err(not_private(&path, format!("a local key is {KEY_LEN} bytes, this is {}", bytes.len()))),
            None => Ok(None),
        }
    }

    /// The key of the (private, existing) folder `dir`, created on first use.
    ///
    /// # Errors
    /// As [`existing`](Self::existing); [`Error::Io`] when it cannot be created.
    pub(crate) fn of_folder(dir: &Path) -> Result<Self> {
        if let Some(key) = Self::existing(dir)? {
            return Ok(key);
        }
        let path = dir.join(KEY_FILE);
        let mut fresh = Zeroizing::new(vec![0u8; KEY_LEN]);
        rand_core::TryRng::try_fill_bytes(&mut rand::rngs::SysRng, &mut fresh)
            .map_err(|_| Error::invalid_argument("the system random source failed"))?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&path) {
            Ok(mut file) => {
                let written = std::io::Write::write_all(&mut file, &fresh).and_then(|()| file.sync_all());
                if let Err(source) = written {
                    // A short key file would refuse every later checkpoint: leave none.
                    let _ = std::fs::remove_file(&path);
                    return Err(Error::Io { action: "writing", path, source });
                }
                Ok(Self { secret: fresh })
            }
            // Another process of ours made it first: use it (checked as any).
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Self::existing(dir)?.ok_or_else(|| not_private(&path, "it vanished while being created"))
            }
            Err(source) => Err(Error::Io { action: "creating", path, source }),
        }
    }

    fn derive(&self, label: &[u8]) -> Zeroizing<Vec<u8>> {
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, b"oss-cse local key").extract(&self.secret);
        let mut out = Zeroizing::new(vec![0u8; KEY_LEN]);
        // Only a length over 255 hash lengths can fail; 32 bytes cannot.
        if let Ok(okm) = prk.expand(&[label], Len32) {
            let _ = okm.fill(&mut out);
        }
        out
    }

    /// The AES-256-GCM key that seals upload material in checkpoints.
    pub(crate) fn sealing_key(&self) -> Result<LessSafeKey> {
        let key = self.derive(b"oss-cse/checkpoint-seal/v1");
        let unbound = UnboundKey::new(&AES_256_GCM, &key).map_err(|_| Error::invalid_argument("AES-GCM key setup"))?;
        Ok(LessSafeKey::new(unbound))
    }

    fn mac_key(&self) -> hmac::Key {
        hmac::Key::new(hmac::HMAC_SHA256, &self.derive(b"oss-cse/checkpoint-mac/v1"))
    }

    /// The MAC (base64) of `data` as a `domain` record.
    pub(crate) fn mac(&self, domain: &str, data: &[u8]) -> String {
        let mut context = hmac::Context::with_key(&self.mac_key());
        context.update(domain.as_bytes());
        context.update(b"\n");
        context.update(data);
        STANDARD.encode(context.sign())
    }

    /// Whether `mac` is the MAC of `data` as a `domain` record (compared in
    /// constant time).
    pub(crate) fn verify(&self, domain: &str, data: &[u8], mac: &str) -> bool {
        let Ok(tag) = STANDARD.decode(mac) else { return false };
        let mut input = Vec::with_capacity(domain.len() + 1 + data.len());
        input.extend_from_slice(domain.as_bytes());
        input.push(b'\n');
        input.extend_from_slice(data);
        hmac::verify(&self.mac_key(), &input, &tag).is_ok()
    }
}

#[cfg(test)]
mod tests;
