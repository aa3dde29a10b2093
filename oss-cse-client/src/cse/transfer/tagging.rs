//! Hashing a file's ciphertext for its authentication tag, in parallel
//! segments of whole tag chunks: before an upload (the metadata, tag
//! included, goes out before the body), and after a download (re-encrypting
//! the decrypted bytes gives back exactly the ciphertext received).

use std::os::unix::fs::FileExt as _;
use std::path::Path;
use std::sync::Arc;

use oss_cse_core::ContentMaterial;
use oss_cse_core::auth::{ChunkHasher, TAG_CHUNK, TagBuilder};

use crate::local::io_error;
use crate::oss::body::FILE_CHUNK;
use crate::parallel::Bounded;
use crate::{Error, Result};

/// The chunk hashes of `len` bytes of the file at `path` (plaintext when
/// `material` is given: each chunk is encrypted at its offset first),
/// hashed `parallel` segments at a time on blocking threads.
pub(crate) async fn file_hashes(
    path: &Path,
    material: Option<Arc<ContentMaterial>>,
    len: u64,
    parallel: usize,
) -> Result<TagBuilder> {
    let chunks = oss_cse_core::auth::chunk_count(len).max(1);
    let segment = chunks.div_ceil(parallel.max(1) as u64) * TAG_CHUNK;
    let mut builder = TagBuilder::new(len);
    let starts: Vec<u64> = (0..len).step_by(segment as usize).collect();
    let hashed = Bounded::run(parallel.max(1), starts, |start| {
        let (path, material) = (path.to_owned(), material.clone());
        let end = (start + segment).min(len);
        async move {
            tokio::task::spawn_blocking(move || hash_segment(&path, material.as_deref(), start, end))
                .await
                .map_err(|join| Error::TaskFailed { reason: join.to_string() })?
        }
    })
    .await?;
    for hashes in hashed {
        if !builder.add(hashes) {
            return Err(Error::TaskFailed { reason: "a hashed segment does not fit the file".into() });
        }
    }
    Ok(builder)
}

fn hash_segment(
    path: &Path,
    material: Option<&ContentMaterial>,
    start: u64,
    end: u64,
) -> Result<(u64, Vec<[u8; oss_cse_core::auth::TAG_LEN]>)> {
    let file = std::fs::File::open(path).map_err(io_error("opening", path))?;
    let mut hasher = ChunkHasher::at(start).ok_or_else(|| Error::TaskFailed { reason: "unaligned segment".into() })?;
    let mut cipher = material.map(|m| m.cipher_at(start));
    let mut buf = vec![0u8; FILE_CHUNK];
    let mut offset = start;
    while offset < end {
        let chunk = &mut buf[..(end - offset).min(FILE_CHUNK as u64) as usize];
        file.read_exact_at(chunk, offset).map_err(io_error("reading", path))?;
        if let Some(cipher) = cipher.as_mut() {
            cipher.apply_keystream(chunk);
        }
        hasher.update(chunk);
        offset += chunk.len() as u64;
    }
    Ok(hasher.finish())
}
