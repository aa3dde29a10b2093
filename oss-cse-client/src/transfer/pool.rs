//! Part buffers: reading a part of a local file into a reused buffer, and
//! the pool that hands buffers back when their request body is dropped.

use super::*;

pub(super) async fn read_part(path: &Path, part: &Part) -> Result<Vec<u8>> {
    read_part_into(path, part, Vec::new()).await
}

/// Reads `part` of the file into `buf` (reusing its allocation).
pub(super) async fn read_part_into(path: &Path, part: &Part, mut buf: Vec<u8>) -> Result<Vec<u8>> {
    let mut file = tokio::fs::File::open(path).await.map_err(io_error("opening", path))?;
    file.seek(std::io::SeekFrom::Start(part.offset)).await.map_err(io_error("reading", path))?;
    buf.clear();
    buf.resize(part.len as usize, 0);
    file.read_exact(&mut buf).await.map_err(io_error("reading", path))?;
    Ok(buf)
}

/// Part buffers reused from one part to the next.
///
/// Memory of a parallel upload should stay at about `concurrency × part
/// size`; with a fresh multi-MiB allocation per part, glibc's malloc (whose
/// mmap threshold rises after the first large free) lets the heap creep up
/// with the object size. A buffer handed to the HTTP body comes back here
/// when the body is dropped.
#[derive(Clone, Default)]
pub(super) struct BufferPool(Arc<Mutex<Vec<Vec<u8>>>>);

/// A pooled buffer owned by a request body.
pub(super) struct PooledBuffer {
    buf: Vec<u8>,
    pool: BufferPool,
}

impl AsRef<[u8]> for PooledBuffer {
    fn as_ref(&self) -> &[u8] {
        &self.buf
    }
}

impl Drop for PooledBuffer {
    fn drop(&mut self) {
        let buf = std::mem::take(&mut self.buf);
        if let Ok(mut free) = self.pool.0.lock() {
            // Keep a few: more than the parts in flight is never needed.
            if free.len() < 16 {
                free.push(buf);
            }
        }
    }
}

impl BufferPool {
    pub(super) fn take(&self) -> Vec<u8> {
        self.0.lock().ok().and_then(|mut free| free.pop()).unwrap_or_default()
    }

    pub(super) fn body(&self, buf: Vec<u8>) -> bytes::Bytes {
        bytes::Bytes::from_owner(PooledBuffer { buf, pool: self.clone() })
    }
}
