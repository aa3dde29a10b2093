//! Positional reads and writes of a local file on the blocking pool: a part
//! is read straight into its reused buffer, and a decrypted batch is written
//! straight from its buffer at its offset. `tokio::fs::File` would copy every
//! byte once more through a buffer of its own, and make each range task seek
//! a handle of its own.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::local::io_error;
use crate::{Error, Result};

/// A file opened for positional I/O, shared by the tasks of one transfer.
#[derive(Clone, Debug)]
pub(super) struct PositionalFile {
    file: Arc<File>,
    path: PathBuf,
}

impl PositionalFile {
    /// Opens `path` for reading.
    pub(super) async fn open(path: &Path) -> Result<Self> {
        let owned = path.to_owned();
        let file = blocking(move || File::open(&owned)).await?.map_err(io_error("opening", path))?;
        Ok(Self { file: Arc::new(file), path: path.to_owned() })
    }

    /// Opens an existing `path` for writing.
    pub(super) async fn open_write(path: &Path) -> Result<Self> {
        let owned = path.to_owned();
        let file = blocking(move || std::fs::OpenOptions::new().write(true).open(&owned))
            .await?
            .map_err(io_error("opening", path))?;
        Ok(Self { file: Arc::new(file), path: path.to_owned() })
    }

    /// Fills `buf` from the bytes at `offset` (a file shorter than that is
    /// an error) and hands it back.
    pub(super) async fn read_exact_at(&self, mut buf: Vec<u8>, offset: u64) -> Result<Vec<u8>> {
        let file = self.file.clone();
        let read = blocking(move || read_exact_at(&file, &mut buf, offset).map(|()| buf)).await?;
        read.map_err(io_error("reading", &self.path))
    }

    /// Writes `buf[..len]` at `offset` and hands the buffer back for reuse.
    pub(super) async fn write_all_at(&self, buf: Vec<u8>, len: usize, offset: u64) -> Result<Vec<u8>> {
        let file = self.file.clone();
        let written = blocking(move || write_all_at(&file, &buf[..len.min(buf.len())], offset).map(|()| buf)).await?;
        written.map_err(io_error("writing", &self.path))
    }

    /// Sets the file's length (a sparse extension where the file system has them).
    pub(super) async fn set_len(&self, len: u64) -> Result<()> {
        let file = self.file.clone();
        blocking(move || file.set_len(len)).await?.map_err(io_error("sizing", &self.path))
    }

    /// Makes what was written durable.
    pub(super) async fn sync(&self) -> Result<()> {
        let file = self.file.clone();
        blocking(move || file.sync_all()).await?.map_err(io_error("writing", &self.path))
    }
}

/// Runs blocking file work on tokio's blocking pool.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(work).await.map_err(|join| Error::TaskFailed { reason: join.to_string() })
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(unix)]
fn write_all_at(file: &File, buf: &[u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset) {
            Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(windows)]
fn write_all_at(file: &File, mut buf: &[u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_write(file, buf, offset) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) => {
                buf = &buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reads_and_writes_at_offsets_and_refuses_a_short_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("f");
        std::fs::write(&path, vec![0u8; 10]).unwrap_or_else(|e| panic!("{e}"));
        let file = PositionalFile::open_write(&path).await.unwrap_or_else(|e| panic!("{e}"));
        let buf = file.write_all_at(b"abcdef".to_vec(), 3, 4).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(buf, b"abcdef", "the buffer comes back whole");
        file.sync().await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(std::fs::read(&path).unwrap_or_default(), b"\0\0\0\0abc\0\0\0");
        file.set_len(12).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0), 12);
        let reader = PositionalFile::open(&path).await.unwrap_or_else(|e| panic!("{e}"));
        let got = reader.read_exact_at(vec![9; 4], 3).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got, b"\0abc");
        let short = reader.read_exact_at(vec![0; 8], 8).await;
        assert!(matches!(short, Err(Error::Io { action: "reading", .. })), "{short:?}");
    }
}
