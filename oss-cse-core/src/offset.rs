//! Counter, range and multipart offset math, as small pure functions.
//!
//! Everything here is arithmetic on byte offsets and counter blocks, checked so
//! that no input can overflow or panic. The OSS multipart limits live here too
//! because the counter of each part depends on the part size.

use crate::Error;

/// AES block length in bytes: the counter advances once per block.
pub const BLOCK_LEN: u64 = 16;

/// Smallest part OSS accepts, except for the last part of an upload.
pub const MIN_PART_SIZE: u64 = 100 * 1024;
/// Largest part OSS accepts.
pub const MAX_PART_SIZE: u64 = 5 * 1024 * 1024 * 1024;
/// Most parts one multipart upload may have.
pub const MAX_PARTS: u32 = 10_000;
/// Largest object OSS stores: 10,000 parts of 5 GiB (48.8 TiB). A size
/// beyond it in a reply is a lie, and is refused before anything is planned
/// from it.
pub const MAX_OBJECT_SIZE: u64 = MAX_PARTS as u64 * MAX_PART_SIZE;
/// Part size the official SDKs start from when the caller gives none (10 MiB).
pub const DEFAULT_PART_SIZE: u64 = 10 * 1024 * 1024;

/// The counter block `block_index` blocks after `iv`: `iv + block_index`
/// as 128-bit big-endian integers, wrapping at 2^128.
pub fn counter_block_at(iv: &[u8; 16], block_index: u64) -> [u8; 16] {
    u128::from_be_bytes(*iv).wrapping_add(u128::from(block_index)).to_be_bytes()
}

/// The counter block at byte `offset`, which must be block-aligned.
///
/// # Errors
/// [`Error::UnalignedOffset`] if `offset` is not a multiple of 16.
pub fn counter_block_for_offset(iv: &[u8; 16], offset: u64) -> Result<[u8; 16], Error> {
    if offset % BLOCK_LEN != 0 {
        return Err(Error::UnalignedOffset { offset });
    }
    Ok(counter_block_at(iv, offset / BLOCK_LEN))
}

/// `offset` rounded down to a block boundary.
pub fn align_down(offset: u64) -> u64 {
    offset - offset % BLOCK_LEN
}

/// A byte range as a user asks for it, before the object size is known.
/// Bounds are inclusive, like the HTTP `Range` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteRange {
    /// `bytes=start-end`: `start` to `end`, both included.
    Inclusive {
        /// First byte.
        start: u64,
        /// Last byte (included).
        end: u64,
    },
    /// `bytes=start-`: from `start` to the end of the object.
    From {
        /// First byte.
        start: u64,
    },
    /// `bytes=-len`: the last `len` bytes of the object.
    Suffix {
        /// Number of bytes from the end.
        len: u64,
    },
}

impl ByteRange {
    /// Checks the range on its own (no object size needed).
    ///
    /// # Errors
    /// [`Error::InvalidRange`] if `end < start` or a suffix is empty.
    pub fn validate(&self) -> Result<(), Error> {
        match *self {
            Self::Inclusive { start, end } if end < start => Err(Error::InvalidRange { reason: "end is before start" }),
            Self::Suffix { len: 0 } => Err(Error::InvalidRange { reason: "suffix length is zero" }),
            _ => Ok(()),
        }
    }

    /// The `Range` header value that asks for it: `bytes=16-40`, `bytes=16-`
    /// or `bytes=-10`.
    pub fn header_value(&self) -> String {
        match *self {
            Self::Inclusive { start, end } => format!("bytes={start}-{end}"),
            Self::From { start } => format!("bytes={start}-"),
            Self::Suffix { len } => format!("bytes=-{len}"),
        }
    }

    /// The absolute, inclusive `(first, last)` bytes this range covers in an
    /// object of `object_size` bytes, clamping the end as HTTP does.
    ///
    /// # Errors
    /// [`Error::InvalidRange`] as for [`validate`](Self::validate);
    /// [`Error::RangeNotSatisfiable`] if the range starts at or past the end
    /// (an empty object satisfies no range).
    pub fn resolve(&self, object_size: u64) -> Result<(u64, u64), Error> {
        self.validate()?;
        let (start, end) = match *self {
            Self::Inclusive { start, end } => (start, end),
            Self::From { start } => (start, u64::MAX),
            Self::Suffix { len } => (object_size.saturating_sub(len), u64::MAX),
        };
        if start >= object_size {
            return Err(Error::RangeNotSatisfiable { start, object_size });
        }
        Ok((start, end.min(object_size - 1)))
    }
}

/// What to ask the server for so that a user's range can be decrypted: the
/// block-aligned start, the same end, and how many leading bytes of the
/// decrypted response to drop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchPlan {
    /// First byte to request (a multiple of 16).
    pub fetch_start: u64,
    /// Last byte to request, included; `None` for "to the end".
    pub fetch_end: Option<u64>,
    /// Leading bytes of the decrypted response that lie before the user's
    /// start (always below 16).
    pub discard: u64,
}

impl FetchPlan {
    /// Plans the fetch for user bytes `start..=end` (`end == None`: to the end).
    ///
    /// # Errors
    /// [`Error::InvalidRange`] if `end < start`.
    pub fn new(start: u64, end: Option<u64>) -> Result<Self, Error> {
        if end.is_some_and(|end| end < start) {
            return Err(Error::InvalidRange { reason: "end is before start" });
        }
        let fetch_start = align_down(start);
        Ok(Self { fetch_start, fetch_end: end, discard: start - fetch_start })
    }
}

/// One part of a multipart plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    /// 1-based part number, as OSS numbers parts.
    pub number: u32,
    /// Offset of the part's first byte in the whole object.
    pub offset: u64,
    /// Length of the part in bytes.
    pub len: u64,
}

impl Part {
    /// One past the part's last byte.
    pub fn end(&self) -> u64 {
        self.offset + self.len
    }

    /// The counter block that starts this part.
    pub fn counter_block(&self, iv: &[u8; 16]) -> [u8; 16] {
        counter_block_at(iv, self.offset / BLOCK_LEN)
    }
}

/// A validated multipart layout: a total size cut into equal parts (the last
/// one shorter), each starting on a block boundary so it can be encrypted on
/// its own at counter `IV + offset / 16`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartPlan {
    total_size: u64,
    part_size: u64,
    part_count: u32,
}

impl PartPlan {
    /// Validates a plan for `total_size` bytes in parts of `part_size` bytes.
    ///
    /// An empty object gets one empty part, because OSS needs at least one
    /// part to complete an upload.
    ///
    /// # Errors
    /// [`Error::PartSizeNotMultipleOf16`], [`Error::PartSizeTooSmall`] (only
    /// when there is more than one part), [`Error::PartSizeTooLarge`] or
    /// [`Error::TooManyParts`].
    pub fn new(total_size: u64, part_size: u64) -> Result<Self, Error> {
        if part_size == 0 || part_size % BLOCK_LEN != 0 {
            return Err(Error::PartSizeNotMultipleOf16 { part_size });
        }
        if part_size > MAX_PART_SIZE {
            return Err(Error::PartSizeTooLarge { part_size, max: MAX_PART_SIZE });
        }
        let parts = total_size.div_ceil(part_size).max(1);
        if parts > u64::from(MAX_PARTS) {
            return Err(Error::TooManyParts { total_size, part_size, parts, max: MAX_PARTS });
        }
        if parts > 1 && part_size < MIN_PART_SIZE {
            return Err(Error::PartSizeTooSmall { part_size, min: MIN_PART_SIZE });
        }
        // `parts` fits in u32: it is at most MAX_PARTS.
        Ok(Self { total_size, part_size, part_count: parts as u32 })
    }

    /// A plan with the part size the official SDKs would choose: `preferred`
    /// (default 10 MiB) rounded up to a multiple of 16 and at least 100 KiB,
    /// doubled until the object fits in 10,000 parts.
    ///
    /// # Errors
    /// [`Error::PartSizeTooLarge`] if even 5 GiB parts cannot hold the object.
    pub fn with_preferred_part_size(total_size: u64, preferred: Option<u64>) -> Result<Self, Error> {
        let mut part_size =
            preferred.unwrap_or(DEFAULT_PART_SIZE).clamp(MIN_PART_SIZE, MAX_PART_SIZE).div_ceil(BLOCK_LEN) * BLOCK_LEN;
        while total_size.div_ceil(part_size) > u64::from(MAX_PARTS) {
            part_size = part_size.saturating_mul(2).min(MAX_PART_SIZE);
            if part_size == MAX_PART_SIZE && total_size.div_ceil(part_size) > u64::from(MAX_PARTS) {
                return Err(Error::TooManyParts {
                    total_size,
                    part_size,
                    parts: total_size.div_ceil(part_size),
                    max: MAX_PARTS,
                });
            }
        }
        Self::new(total_size, part_size)
    }

    /// Total object size in bytes.
    pub fn total_size(&self) -> u64 {
        self.total_size
    }

    /// Size of every part but the last.
    pub fn part_size(&self) -> u64 {
        self.part_size
    }

    /// Number of parts.
    pub fn part_count(&self) -> u32 {
        self.part_count
    }

    /// Part `number` (1-based).
    ///
    /// # Errors
    /// [`Error::PartNumberOutOfRange`] outside `1..=part_count`.
    pub fn part(&self, number: u32) -> Result<Part, Error> {
        if number == 0 || number > self.part_count {
            return Err(Error::PartNumberOutOfRange { part_number: number, part_count: self.part_count });
        }
        let offset = u64::from(number - 1) * self.part_size;
        let len = self.part_size.min(self.total_size - offset);
        Ok(Part { number, offset, len })
    }

    /// All parts in order.
    pub fn parts(&self) -> impl ExactSizeIterator<Item = Part> + '_ {
        (0..self.part_count).map(|index| {
            let offset = u64::from(index) * self.part_size;
            Part { number: index + 1, offset, len: self.part_size.min(self.total_size - offset) }
        })
    }
}

#[cfg(test)]
mod tests;
