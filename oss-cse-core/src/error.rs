//! The one error type of `oss-cse-core`.

/// Everything that can go wrong in the core: bad key material lengths, offsets
/// that do not fit, and part plans that break OSS multipart rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Key material of the wrong length (for example an unwrapped data key that
    /// is not 32 bytes).
    #[error("{what} must be {expected} bytes, got {actual}")]
    InvalidLength {
        /// What was being built: `"data key"` or `"IV"`.
        what: &'static str,
        /// The required length in bytes.
        expected: usize,
        /// The length that was given.
        actual: usize,
    },
    /// A V1 start counter that is not an ASCII decimal integer below 2^128.
    #[error("V1 start counter is not a decimal integer below 2^128")]
    InvalidCounterText,
    /// Processing would move the keystream position past `u64::MAX` bytes.
    #[error("keystream position overflow: {position} + {len} bytes exceeds 2^64")]
    PositionOverflow {
        /// The position where processing would start.
        position: u64,
        /// The number of bytes to process.
        len: u64,
    },
    /// Input and output buffers of different lengths.
    #[error("input is {input} bytes but output is {output} bytes")]
    BufferLengthMismatch {
        /// Length of the input buffer.
        input: usize,
        /// Length of the output buffer.
        output: usize,
    },
    /// An offset that must be a multiple of the AES block size is not.
    #[error("offset {offset} is not a multiple of 16")]
    UnalignedOffset {
        /// The offending offset.
        offset: u64,
    },
    /// A byte range whose end lies before its start, or that is empty.
    #[error("invalid byte range: {reason}")]
    InvalidRange {
        /// Why the range is invalid.
        reason: &'static str,
    },
    /// A byte range that starts at or after the end of the object.
    #[error("range starts at byte {start} but the object has {object_size} bytes")]
    RangeNotSatisfiable {
        /// First requested byte.
        start: u64,
        /// Size of the object.
        object_size: u64,
    },
    /// A multipart part size that is not a positive multiple of 16.
    #[error("part size {part_size} is not a positive multiple of 16")]
    PartSizeNotMultipleOf16 {
        /// The requested part size.
        part_size: u64,
    },
    /// A multipart part size below the OSS minimum for every part but the last.
    #[error("part size {part_size} is below the OSS minimum of {min} bytes")]
    PartSizeTooSmall {
        /// The requested part size.
        part_size: u64,
        /// The minimum allowed.
        min: u64,
    },
    /// A multipart part size above the OSS maximum.
    #[error("part size {part_size} is above the OSS maximum of {max} bytes")]
    PartSizeTooLarge {
        /// The requested part size.
        part_size: u64,
        /// The maximum allowed.
        max: u64,
    },
    /// More parts than OSS allows in one multipart upload.
    #[error("{total_size} bytes in parts of {part_size} need {parts} parts, above the OSS limit of {max}")]
    TooManyParts {
        /// Total object size.
        total_size: u64,
        /// Part size.
        part_size: u64,
        /// Parts the plan would need.
        parts: u64,
        /// The limit.
        max: u32,
    },
    /// A part number outside `1..=part_count` of a plan.
    #[error("part number {part_number} is outside 1..={part_count}")]
    PartNumberOutOfRange {
        /// The requested part number.
        part_number: u32,
        /// Number of parts in the plan.
        part_count: u32,
    },
    /// A reply to a ranged GET that starts after the first byte asked for,
    /// so the bytes wanted are not all in it.
    #[error("the reply starts at byte {returned}, after the first byte wanted ({wanted})")]
    ReplyStartsLate {
        /// Where the reply starts.
        returned: u64,
        /// The first byte wanted.
        wanted: u64,
    },
    /// The AES backend refused an operation it should always accept.
    #[error("AES-CTR backend failure")]
    Backend,
}
