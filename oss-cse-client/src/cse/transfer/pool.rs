//! Part buffers: reading a part of a local file into a reused buffer, and
//! the pool that hands buffers back when their request body is dropped.

use std::sync::{Arc, Mutex};

use oss_cse_core::Part;

use super::positional::PositionalFile;
use crate::Result;

pub(super) async fn read_part(file: &PositionalFile, part: &Part) -> Result<Vec<u8>> {
    read_part_into(file, part, Vec::new()).await
}

/// Reads `part` of the file into `buf`, reusing its allocation: a positional
/// read straight into the buffer. A reused buffer is not zeroed again (only
/// growth is), so its bytes before the read are whatever the last part left.
pub(super) async fn read_part_into(file: &PositionalFile, part: &Part, mut buf: Vec<u8>) -> Result<Vec<u8>> {
    let len = part.len as usize;
    if buf.len() < len {
        buf.resize(len, 0);
    } else {
        buf.truncate(len);
    }
    file.read_exact_at(buf, part.offset).await
}

/// Part buffers reused from one part to the next.
///
/// Memory of a parallel upload should stay at about `parallel × part
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

    /// Returns a buffer taken with [`take`](Self::take) for the next user.
    pub(super) fn give_back(&self, buf: Vec<u8>) {
        drop(PooledBuffer { buf, pool: self.clone() });
    }

    pub(super) fn body(&self, buf: Vec<u8>) -> bytes::Bytes {
        bytes::Bytes::from_owner(PooledBuffer { buf, pool: self.clone() })
    }
}
