//! Read plans: which ciphertext bytes to fetch for the plaintext bytes a
//! caller asked for, how a download cuts them into block-aligned ranges, and
//! what each fetched range (or one ranged reply) contributes to the output.
//!
//! Decrypting CTR from byte `n` needs the counter at block `n / 16`, so every
//! fetch starts on a block boundary, possibly before the caller's first
//! byte; those leading bytes are decrypted and dropped.

use crate::Error;
use crate::offset::{BLOCK_LEN, ByteRange, FetchPlan, align_down};

/// Most ranges one download is cut into; larger objects get larger ranges,
/// so the per-range state (CRCs, a checkpoint's list) stays small whatever
/// size a server reports.
pub const MAX_DOWNLOAD_RANGES: u64 = 10_000;

/// One range of a [`DownloadPlan`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchRange {
    /// 0-based index in the plan.
    pub index: u64,
    /// First ciphertext byte to fetch (a multiple of 16).
    pub start: u64,
    /// Ciphertext bytes to fetch.
    pub len: u64,
    /// Leading bytes of the range before the caller's first byte, decrypted
    /// and dropped (non-zero only for the first range, below 16).
    pub skip: u64,
    /// Where the range's kept bytes go in the output.
    pub output_offset: u64,
}

impl FetchRange {
    /// Bytes the range contributes to the output.
    pub fn kept(&self) -> u64 {
        self.len - self.skip
    }
}

/// A download of plaintext bytes `first..=last` of an object, cut into
/// block-aligned ranges of equal size (the last one shorter). An empty
/// object has one empty range, so even it is fetched (and its ETag checked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DownloadPlan {
    object_size: u64,
    first: u64,
    last: u64,
    aligned_first: u64,
    fetched_len: u64,
    range_size: u64,
    range_count: u64,
    whole: bool,
}

impl DownloadPlan {
    /// Plans the download of `range` (the whole object when `None`) of an
    /// object of `object_size` bytes, in ranges of `preferred_range_size`
    /// bytes, grown in whole blocks so there are at most
    /// [`MAX_DOWNLOAD_RANGES`].
    ///
    /// # Errors
    /// [`Error::PartSizeNotMultipleOf16`] for a range size that is not a
    /// positive multiple of 16; [`Error::InvalidRange`] and
    /// [`Error::RangeNotSatisfiable`] as [`ByteRange::resolve`].
    pub fn new(object_size: u64, range: Option<ByteRange>, preferred_range_size: u64) -> Result<Self, Error> {
        if preferred_range_size == 0 || preferred_range_size % BLOCK_LEN != 0 {
            return Err(Error::PartSizeNotMultipleOf16 { part_size: preferred_range_size });
        }
        let (first, last) = match range {
            Some(range) => range.resolve(object_size)?,
            None => (0, object_size.saturating_sub(1)),
        };
        let aligned_first = align_down(first);
        let fetched_len = if object_size == 0 { 0 } else { last + 1 - aligned_first };
        let least = fetched_len.div_ceil(MAX_DOWNLOAD_RANGES).div_ceil(BLOCK_LEN) * BLOCK_LEN;
        let range_size = preferred_range_size.max(least);
        let range_count = fetched_len.div_ceil(range_size).max(1);
        Ok(Self {
            object_size,
            first,
            last,
            aligned_first,
            fetched_len,
            range_size,
            range_count,
            whole: range.is_none(),
        })
    }

    /// Size of the whole object.
    pub fn object_size(&self) -> u64 {
        self.object_size
    }

    /// The caller's first byte.
    pub fn first(&self) -> u64 {
        self.first
    }

    /// The caller's last byte (0 for an empty object).
    pub fn last(&self) -> u64 {
        self.last
    }

    /// Whether the whole object is downloaded (so its CRC-64 and plaintext
    /// MD5 can be checked).
    pub fn is_whole(&self) -> bool {
        self.whole
    }

    /// Bytes written to the output.
    pub fn output_len(&self) -> u64 {
        if self.object_size == 0 { 0 } else { self.last + 1 - self.first }
    }

    /// Ciphertext bytes fetched in all.
    pub fn fetched_len(&self) -> u64 {
        self.fetched_len
    }

    /// Size of every range but the last.
    pub fn range_size(&self) -> u64 {
        self.range_size
    }

    /// Number of ranges.
    pub fn range_count(&self) -> u64 {
        self.range_count
    }

    /// Range `index`, or `None` outside the plan.
    pub fn range(&self, index: u64) -> Option<FetchRange> {
        if index >= self.range_count {
            return None;
        }
        let start = self.aligned_first + index * self.range_size;
        let len = self.range_size.min(self.aligned_first + self.fetched_len - start);
        let skip = self.first.saturating_sub(start).min(len);
        Some(FetchRange { index, start, len, skip, output_offset: start + skip - self.first })
    }

    /// Every range, in order.
    pub fn ranges(&self) -> impl Iterator<Item = FetchRange> + '_ {
        (0..self.range_count).filter_map(|index| self.range(index))
    }
}

/// What to do with the reply to one ranged (or whole) GET: how many leading
/// decrypted bytes to drop and how many to deliver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplyPlan {
    /// The caller's first byte.
    pub first: u64,
    /// The caller's last byte (0 for an empty object).
    pub last: u64,
    /// Leading bytes of the reply before `first`.
    pub skip: u64,
    /// Bytes to deliver.
    pub remaining: u64,
}

impl FetchPlan {
    /// The fetch as a [`ByteRange`] to request.
    pub fn fetch_range(&self) -> ByteRange {
        match self.fetch_end {
            Some(end) => ByteRange::Inclusive { start: self.fetch_start, end },
            None => ByteRange::From { start: self.fetch_start },
        }
    }

    /// Plans the reply to this fetch, which starts at `returned_start` (from
    /// its Content-Range, never from what was asked: a server that ignored
    /// the range must not make the caller decrypt at the wrong counter) in
    /// an object of `total` bytes.
    ///
    /// # Errors
    /// [`Error::RangeNotSatisfiable`] if the caller's first byte is past the
    /// end; [`Error::ReplyStartsLate`] if the reply starts after it.
    pub fn reply(&self, returned_start: u64, total: u64) -> Result<ReplyPlan, Error> {
        let first = self.fetch_start + self.discard;
        if first >= total {
            return Err(Error::RangeNotSatisfiable { start: first, object_size: total });
        }
        let last = self.fetch_end.map_or(total - 1, |end| end.min(total - 1));
        reply_plan(first, last, returned_start, total)
    }
}

/// Plans the reply to a GET of a whole object of `total` bytes.
///
/// # Errors
/// [`Error::ReplyStartsLate`] if the reply does not start at 0.
pub fn whole_reply(returned_start: u64, total: u64) -> Result<ReplyPlan, Error> {
    reply_plan(0, total.saturating_sub(1), returned_start, total)
}

/// Plans the reply to a GET of the last `len` bytes (`Range: bytes=-len`),
/// asked with no HEAD first: CTR decrypts from any byte, so the reply's
/// Content-Range (`returned_start`, `total`) is all the plan needs.
///
/// # Errors
/// [`Error::InvalidRange`] for `len == 0`; [`Error::RangeNotSatisfiable`]
/// for an empty object; [`Error::ReplyStartsLate`] if the reply starts after
/// the first byte asked for.
pub fn suffix_reply(len: u64, returned_start: u64, total: u64) -> Result<ReplyPlan, Error> {
    let (first, last) = ByteRange::Suffix { len }.resolve(total)?;
    reply_plan(first, last, returned_start, total)
}

fn reply_plan(first: u64, last: u64, returned_start: u64, total: u64) -> Result<ReplyPlan, Error> {
    if returned_start > first {
        return Err(Error::ReplyStartsLate { returned: returned_start, wanted: first });
    }
    let remaining = if total == 0 { 0 } else { last + 1 - first };
    Ok(ReplyPlan { first, last, skip: first - returned_start, remaining })
}

#[cfg(test)]
mod tests;
