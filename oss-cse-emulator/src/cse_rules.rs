//! The client-side-encryption rules OSS enforces on uploads
//! (`shared/spec/oss-server-rules.md` §1), each with its EC code: HTTP 400,
//! `InvalidArgument`, the EC in the body and in `x-oss-ec`.
//!
//! A request is "client-side encryption" when it carries any
//! `x-oss-meta-client-side-encryption-*` header (the strictest reading of
//! the docs' "in a client-side encryption scenario"). The codes 412, 414,
//! 415 and 417 have no published page; they are inferred from the numbering
//! of their neighbours (marked below).

use oss_cse_envelope::consts::{V2_CEK_ALG, V2_DATA_SIZE, V2_KEY, V2_PART_SIZE, V2_PREFIX, V2_START, V2_WRAP_ALG};

use crate::error::OssError;

/// `-magic-number-hmac`, required when the wrap algorithm is `rsa`.
const V2_HMAC: &str = "x-oss-meta-client-side-encryption-magic-number-hmac";

/// Most parts a CSE upload's sizes may imply (0005-00000410).
const MAX_PARTS: u64 = 10_000;

fn refuse(ec: &str, message: &str) -> OssError {
    OssError::new(400, "InvalidArgument", message).with_ec(ec)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// Whether a request carries any client-side encryption header.
pub(crate) fn is_cse(headers: &[(String, String)]) -> bool {
    headers.iter().any(|(k, _)| k.to_ascii_lowercase().starts_with(V2_PREFIX))
}

/// Which upload request is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Upload {
    Put,
    Initiate,
    Part,
}

/// The sizes a multipart CSE upload declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sizes {
    pub data_size: u64,
    pub part_size: u64,
}

impl Sizes {
    /// How many parts the sizes imply.
    pub(crate) fn parts(self) -> u64 {
        self.data_size.div_ceil(self.part_size).max(1)
    }

    /// The length part `number` must have (0005-00000419/420).
    pub(crate) fn part_len(self, number: u64) -> u64 {
        if number < self.parts() { self.part_size } else { self.data_size - self.part_size * (self.parts() - 1) }
    }
}

fn integer(headers: &[(String, String)], name: &str, ec: &str, what: &str) -> Result<Option<u64>, OssError> {
    match header(headers, name) {
        None => Ok(None),
        Some(value) => match value.trim().parse::<u64>() {
            Ok(n) if n > 0 || name == V2_DATA_SIZE => Ok(Some(n)),
            _ => Err(refuse(ec, &format!("The client-side encryption {what} {value:?} is not a valid integer."))),
        },
    }
}

/// Checks the CSE headers of a PutObject, InitiateMultipartUpload or
/// UploadPart (401-410). Returns the declared sizes of a multipart request.
pub(crate) fn check_headers(kind: Upload, headers: &[(String, String)]) -> Result<Option<Sizes>, OssError> {
    if !is_cse(headers) {
        return Ok(None);
    }
    for (name, ec) in [(V2_KEY, "0005-00000401"), (V2_START, "0005-00000402"), (V2_CEK_ALG, "0005-00000403")] {
        if header(headers, name).is_none() {
            return Err(refuse(ec, &format!("Client-side encryption requires the {name} header.")));
        }
    }
    let wrap = header(headers, V2_WRAP_ALG).ok_or_else(|| {
        refuse("0005-00000404", &format!("Client-side encryption requires the {V2_WRAP_ALG} header."))
    })?;
    if wrap == "rsa" && header(headers, V2_HMAC).is_none() {
        return Err(refuse("0005-00000405", &format!("Client-side encryption with wrap-alg rsa requires {V2_HMAC}.")));
    }
    if kind == Upload::Put {
        return Ok(None);
    }
    if header(headers, V2_DATA_SIZE).is_none() {
        return Err(refuse("0005-00000406", &format!("Client-side encryption multipart requires {V2_DATA_SIZE}.")));
    }
    if header(headers, V2_PART_SIZE).is_none() {
        return Err(refuse("0005-00000407", &format!("Client-side encryption multipart requires {V2_PART_SIZE}.")));
    }
    let data_size = integer(headers, V2_DATA_SIZE, "0005-00000408", "data-size")?.unwrap_or_default();
    let part_size = integer(headers, V2_PART_SIZE, "0005-00000409", "part-size")?.unwrap_or(1);
    let sizes = Sizes { data_size, part_size };
    if sizes.parts() > MAX_PARTS {
        return Err(refuse(
            "0005-00000410",
            "The client-side encryption data-size and part-size imply more than 10000 parts.",
        ));
    }
    Ok(Some(sizes))
}

/// Checks an UploadPart against its InitiateMultipartUpload (412-420):
/// - a part with no CSE header at all is accepted unless `strict` (the Java
///   and C++ SDKs send none on UploadPart against the real service);
/// - one with any must carry them all, equal to Initiate's;
/// - a part of a CSE upload must have the length the sizes imply.
pub(crate) fn check_part(
    initiated: &[(String, String)],
    part: &[(String, String)],
    number: u64,
    len: u64,
    strict: bool,
) -> Result<(), OssError> {
    let Some(sizes) = check_headers(Upload::Initiate, initiated)? else { return Ok(()) };
    if strict && !is_cse(part) {
        return Err(refuse("0005-00000401", &format!("Client-side encryption requires the {V2_KEY} header.")));
    }
    if is_cse(part) {
        check_headers(Upload::Part, part)?;
        for (name, ec) in [
            (V2_KEY, "0005-00000412"), // inferred: no published page
            (V2_START, "0005-00000413"),
            (V2_CEK_ALG, "0005-00000414"),  // inferred
            (V2_WRAP_ALG, "0005-00000415"), // inferred
            (V2_HMAC, "0005-00000416"),
            (V2_DATA_SIZE, "0005-00000417"), // inferred (the page shows no number)
            (V2_PART_SIZE, "0005-00000418"),
        ] {
            if header(part, name) != header(initiated, name) {
                return Err(refuse(
                    ec,
                    &format!("The part's {name} differs from the one given at InitiateMultipartUpload."),
                ));
            }
        }
    }
    if number <= sizes.parts() && len != sizes.part_len(number) {
        let ec = if number < sizes.parts() { "0005-00000419" } else { "0005-00000420" };
        return Err(refuse(
            ec,
            &format!("Part {number} is {len} bytes; the upload's sizes need {}.", sizes.part_len(number)),
        ));
    }
    Ok(())
}

/// Checks a CompleteMultipartUpload of a CSE upload: sizes it carries must
/// be integers (408/409), and it may not list more parts than the sizes
/// given at Initiate imply (0005-00000411).
pub(crate) fn check_complete(
    initiated: &[(String, String)],
    complete: &[(String, String)],
    listed: usize,
) -> Result<(), OssError> {
    integer(complete, V2_DATA_SIZE, "0005-00000408", "data-size")?;
    integer(complete, V2_PART_SIZE, "0005-00000409", "part-size")?;
    if let Some(sizes) = check_headers(Upload::Initiate, initiated)? {
        if listed as u64 > sizes.parts() {
            return Err(refuse(
                "0005-00000411",
                &format!("{listed} parts listed; the upload's data-size and part-size allow {}.", sizes.parts()),
            ));
        }
    }
    Ok(())
}
