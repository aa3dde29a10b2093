//! Unwrapped content material kept per object for a while, so that many
//! ranged reads of one object (a Parquet file's footer and column chunks)
//! pay one master-key operation (an RSA decryption, a KMS call), not one
//! each. An entry is found by bucket, key, ETag and the wrapped key and IV
//! themselves (an envelope replaced under the same ETag is unwrapped
//! afresh); the cache is bounded in count and in lifetime, and the data key
//! of an entry is zeroized when the last reader drops it.
//!
//! A few hundred entries searched in order: smaller and plainer than a
//! general-purpose cache crate, which would add a dependency for this.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use oss_cse_core::ContentMaterial;
use oss_cse_envelope::Envelope;

/// What identifies the material of one object's envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MaterialId {
    bucket: String,
    key: String,
    etag: String,
    wrapped_key: Vec<u8>,
    wrapped_start: Vec<u8>,
}

impl MaterialId {
    /// `None` for an object without an ETag: nothing says it is unchanged.
    pub(crate) fn of(bucket: &str, key: &str, etag: Option<&str>, envelope: &Envelope) -> Option<Self> {
        Some(Self {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            etag: etag.filter(|e| !e.is_empty())?.to_owned(),
            wrapped_key: envelope.wrapped.wrapped_key.clone(),
            wrapped_start: envelope.wrapped.wrapped_start.clone(),
        })
    }
}

struct Entry {
    id: MaterialId,
    material: Arc<ContentMaterial>,
    until: Instant,
}

/// The cache; `capacity` 0 keeps nothing.
pub(crate) struct MaterialCache {
    entries: Mutex<VecDeque<Entry>>,
    capacity: usize,
    lifetime: Duration,
}

impl std::fmt::Debug for MaterialCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let held = self.entries.lock().map_or(0, |entries| entries.len());
        f.debug_struct("MaterialCache").field("held", &held).field("capacity", &self.capacity).finish()
    }
}

impl MaterialCache {
    pub(crate) fn new(capacity: usize, lifetime: Duration) -> Self {
        Self { entries: Mutex::new(VecDeque::new()), capacity, lifetime }
    }

    /// The material of `id`, if held and not expired (expired entries are
    /// dropped on the way).
    pub(crate) fn get(&self, id: &MaterialId) -> Option<Arc<ContentMaterial>> {
        let mut entries = self.entries.lock().ok()?;
        let now = Instant::now();
        entries.retain(|entry| entry.until > now);
        entries.iter().find(|entry| &entry.id == id).map(|entry| entry.material.clone())
    }

    /// Keeps `material` for `id`, dropping the oldest entry when full.
    pub(crate) fn insert(&self, id: MaterialId, material: Arc<ContentMaterial>) {
        if self.capacity == 0 {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else { return };
        entries.retain(|entry| entry.id != id);
        while entries.len() >= self.capacity {
            entries.pop_front();
        }
        entries.push_back(Entry { id, material, until: Instant::now() + self.lifetime });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(etag: &str) -> MaterialId {
        MaterialId {
            bucket: "b".into(),
            key: "k".into(),
            etag: etag.into(),
            wrapped_key: vec![1],
            wrapped_start: vec![2],
        }
    }

    fn material() -> Arc<ContentMaterial> {
        Arc::new(ContentMaterial::generate(&mut rand_core::UnwrapErr(rand::rngs::SysRng)))
    }

    #[test]
    fn entries_are_bounded_in_count_and_lifetime() {
        let cache = MaterialCache::new(2, Duration::from_secs(60));
        cache.insert(id("a"), material());
        cache.insert(id("b"), material());
        cache.insert(id("c"), material());
        assert!(cache.get(&id("a")).is_none(), "the oldest went first");
        assert!(cache.get(&id("b")).is_some() && cache.get(&id("c")).is_some());
        assert!(cache.get(&MaterialId { wrapped_key: vec![9], ..id("b") }).is_none(), "another envelope");

        let brief = MaterialCache::new(2, Duration::ZERO);
        brief.insert(id("a"), material());
        assert!(brief.get(&id("a")).is_none(), "expired");
        let off = MaterialCache::new(0, Duration::from_secs(60));
        off.insert(id("a"), material());
        assert!(off.get(&id("a")).is_none());
    }
}
