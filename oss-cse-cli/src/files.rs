//! Local files the commands read and write: reads are bounded, outputs go
//! through a new temporary file (mode 0600, never through a planted name or
//! symlink) that is renamed into place only after every write was reported
//! durable, and removed on every error and when the command is interrupted.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt};

/// Largest envelope JSON, CA bundle or manifest file read (key files and key
/// rings are read by oss_cse_client::keyring_file, with the same bounds).
pub(crate) const MAX_SMALL_FILE: u64 = 1 << 20;

/// Reads a small text file, refusing one larger than `limit` (a device such
/// as `/dev/zero` would otherwise be read forever).
pub(crate) fn read_bounded(path: &Path, what: &str, limit: u64) -> anyhow::Result<String> {
    let file = std::fs::File::open(path).with_context(|| format!("reading {what} {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).with_context(|| format!("reading {what} {}", path.display()))?;
    if bytes.len() as u64 > limit {
        bail!("{what} {} is larger than {limit} bytes: not a {what}", path.display());
    }
    String::from_utf8(bytes).with_context(|| format!("{what} {} is not UTF-8 text", path.display()))
}

/// The directory `path` lives in (`.` for a bare file name).
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// `path` with its links resolved, whether or not the file exists yet.
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(real) = std::fs::canonicalize(path) {
        return Some(real);
    }
    Some(std::fs::canonicalize(parent_dir(path)).ok()?.join(path.file_name()?))
}

/// Whether two paths name one file: the same path once links are resolved,
/// or the same inode (a hard link).
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    if resolved(a).is_some_and(|a| Some(a) == resolved(b)) {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        if let (Ok(a), Ok(b)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return (a.dev(), a.ino()) == (b.dev(), b.ino());
        }
    }
    false
}

/// Creates a new temporary file beside `destination`.
fn temp_beside(destination: &Path) -> anyhow::Result<tempfile::NamedTempFile> {
    let name = destination.file_name().map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    tempfile::Builder::new()
        .prefix(&format!(".{name}.oss-cse-partial-"))
        .rand_bytes(8)
        .tempfile_in(parent_dir(destination))
        .with_context(|| format!("creating a temporary file beside {}", destination.display()))
}

/// Writes `bytes` to `path` atomically and durably: a new temporary file,
/// fsync, rename. On error `path` is as it was and nothing is left behind.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if path.is_dir() {
        bail!("{} is a directory", path.display());
    }
    let mut temp = temp_beside(path)?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("writing {}", path.display()))?;
    temp.persist(path).map_err(|e| e.error).with_context(|| format!("renaming into {}", path.display()))?;
    Ok(())
}

/// An output file written through a temporary file, or standard output.
pub(crate) struct Output {
    file: Option<(tokio::fs::File, tempfile::TempPath, PathBuf)>,
    stdout: tokio::io::Stdout,
}

impl Output {
    /// `-` is standard output; anything else a file that appears only at
    /// [`persist`](Self::persist).
    pub(crate) fn create(output: &str) -> anyhow::Result<Self> {
        let file = if output == "-" {
            None
        } else {
            let path = PathBuf::from(output);
            if path.is_dir() {
                bail!("{output} is a directory: name the file to write");
            }
            let (file, temp) = temp_beside(&path)?.into_parts();
            Some((tokio::fs::File::from_std(file), temp, path))
        };
        Ok(Self { file, stdout: tokio::io::stdout() })
    }

    pub(crate) async fn write(&mut self, data: &[u8]) -> anyhow::Result<()> {
        match &mut self.file {
            Some((file, _, path)) => file.write_all(data).await.with_context(|| format!("writing {}", path.display())),
            None => {
                self.stdout.write_all(data).await.map_err(crate::exit::on_stdout).context("writing to standard output")
            }
        }
    }

    /// Makes everything written durable. The flush reports an error of the
    /// last buffered write, which `sync_all` alone would not.
    pub(crate) async fn sync(&mut self) -> anyhow::Result<()> {
        match &mut self.file {
            Some((file, _, path)) => {
                let context = || format!("writing {}", path.display());
                file.flush().await.with_context(context)?;
                file.sync_all().await.with_context(context)
            }
            None => self.stdout.flush().await.map_err(crate::exit::on_stdout).context("writing to standard output"),
        }
    }

    /// Renames the synced temporary file over the destination.
    pub(crate) fn persist(mut self) -> anyhow::Result<()> {
        if let Some((file, temp, path)) = self.file.take() {
            drop(file);
            temp.persist(&path).map_err(|e| e.error).with_context(|| format!("renaming into {}", path.display()))?;
        }
        Ok(())
    }
}

/// Writes a new private-key file (mode 0600, refused if it exists); what
/// was written is removed if any write fails.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file =
        options.open(path).with_context(|| format!("creating {} (it must not exist yet)", path.display()))?;
    if let Err(error) = file.write_all(bytes).and_then(|()| file.sync_all()) {
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(error).with_context(|| format!("writing {}", path.display()));
    }
    Ok(())
}

/// Creates `dir` (and its parents) readable by the owner only.
pub(crate) fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).with_context(|| format!("creating {}", dir.display()))
}

/// An input file, or standard input for `-`, and its length when known.
pub(crate) async fn open_input(
    input: &str,
) -> anyhow::Result<(Box<dyn tokio::io::AsyncRead + Unpin + Send>, Option<u64>)> {
    if input == "-" {
        return Ok((Box::new(tokio::io::stdin()), None));
    }
    let file = tokio::fs::File::open(input).await.with_context(|| format!("opening {input}"))?;
    let len = file.metadata().await?.len();
    Ok((Box::new(file), Some(len)))
}

/// Runs `input` through `cipher` into `output` in 1 MiB chunks.
pub(crate) async fn transform(
    input: &mut (dyn tokio::io::AsyncRead + Unpin + Send),
    output: &mut Output,
    cipher: &mut oss_cse_client::core::Aes256Ctr,
    mut ciphertext_hasher: Option<&mut oss_cse_client::core::auth::ChunkHasher>,
) -> anyhow::Result<u64> {
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = input.read(&mut buf).await?;
        if n == 0 {
            return Ok(total);
        }
        if let Some(hasher) = ciphertext_hasher.as_deref_mut() {
            hasher.update(&buf[..n]);
        }
        cipher.apply_keystream(&mut buf[..n]);
        output.write(&buf[..n]).await?;
        total += n as u64;
    }
}

/// Refuses an envelope file that is also the input or the output: writing
/// it would destroy the data it describes.
pub(crate) fn refuse_shared_meta(input: &str, output: &str, meta: &Path, flag: &str) -> anyhow::Result<()> {
    for (name, role) in [(input, "input"), (output, "output")] {
        if name != "-" && same_file(Path::new(name), meta) {
            bail!("{flag} {} is the {role} file: give the envelope a file of its own", meta.display());
        }
    }
    Ok(())
}
