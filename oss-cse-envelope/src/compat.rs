//! Which SDK family a written envelope is shaped for: one choice that sets
//! the matdesc text style and the KMS layout together.

use std::fmt;
use std::str::FromStr;

use crate::kms_layout::KmsLayout;
use crate::{Error, MatdescStyle};

/// The SDK family whose readers a new envelope must suit.
///
/// Content encryption and RSA wrapping are the same for all of them; what
/// differs is the text of the material description (which Go v1, Go v2 and
/// Python v2 match as raw text) and where a KMS `CiphertextBlob` sits.
///
/// | choice | matdesc text | KMS layout | read by (with a matdesc) |
/// |---|---|---|---|
/// | `oss2` (default) | `{"k": "v"}` | oss2's | oss2, py-v2, Java, C++, oss-cse |
/// | `py-v2` | `{"k": "v"}` | none | the same |
/// | `go` | `{"k":"v"}`, raw UTF-8 | Go/Java's | Go v1, Go v2, Java, C++, oss-cse; oss2 if ASCII |
/// | `java` | `{"k":"v"}`, `\/` | Go/Java's | oss2, Java, C++, oss-cse |
/// | `cpp` | `{"k":"v"}`, `\uXXXX` | none | oss2, Java, C++, oss-cse |
///
/// Objects without a matdesc are read by every SDK whatever the choice,
/// except that a KMS object is read only by the family of its layout. oss2
/// reads header bytes as ISO-8859-1, so Go's raw UTF-8 text of a non-ASCII
/// matdesc does not match oss2's own (`oss2_reads_every_compat_choice_that_applies_to_it`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Compat {
    /// Python `oss2`, the CI peer.
    #[default]
    Oss2,
    /// Python `alibabacloud-oss-v2` (no KMS master key).
    PyV2,
    /// Go SDK v1 and v2.
    Go,
    /// Java SDK.
    Java,
    /// C++ SDK (no KMS master key).
    Cpp,
}

impl Compat {
    /// Every choice, in the order the help lists them.
    pub const ALL: [Self; 5] = [Self::Oss2, Self::PyV2, Self::Go, Self::Java, Self::Cpp];

    /// The matdesc text style.
    pub fn matdesc_style(self) -> MatdescStyle {
        match self {
            Self::Oss2 | Self::PyV2 => MatdescStyle::Python,
            Self::Go => MatdescStyle::Go,
            Self::Java => MatdescStyle::Java,
            Self::Cpp => MatdescStyle::Cpp,
        }
    }

    /// Where a KMS master key puts its blobs for this family.
    ///
    /// # Errors
    /// [`Error::CompatWithoutKms`] for `py-v2` and `cpp`, which have no KMS
    /// master key.
    pub fn kms_layout(self) -> Result<KmsLayout, Error> {
        match self {
            Self::Oss2 => Ok(KmsLayout::Oss2),
            Self::Go | Self::Java => Ok(KmsLayout::BlobText),
            Self::PyV2 | Self::Cpp => Err(Error::CompatWithoutKms { compat: self }),
        }
    }

    /// The name used on the command line and in key ring files.
    pub fn name(self) -> &'static str {
        match self {
            Self::Oss2 => "oss2",
            Self::PyV2 => "py-v2",
            Self::Go => "go",
            Self::Java => "java",
            Self::Cpp => "cpp",
        }
    }
}

impl fmt::Display for Compat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An unknown `--compat` name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown SDK family {0:?}: use oss2, py-v2, go, java or cpp")]
pub struct UnknownCompat(pub String);

impl FromStr for Compat {
    type Err = UnknownCompat;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| UnknownCompat(text.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_kms_is_refused_where_the_sdk_has_none() {
        for compat in Compat::ALL {
            assert_eq!(compat.name().parse::<Compat>(), Ok(compat));
        }
        assert!("rust".parse::<Compat>().is_err());
        assert_eq!(Compat::default(), Compat::Oss2);
        assert_eq!(Compat::Go.kms_layout().unwrap(), KmsLayout::BlobText);
        assert_eq!(Compat::Java.kms_layout().unwrap(), KmsLayout::BlobText);
        assert_eq!(Compat::Oss2.kms_layout().unwrap(), KmsLayout::Oss2);
        for compat in [Compat::PyV2, Compat::Cpp] {
            let error = compat.kms_layout().unwrap_err();
            assert!(error.to_string().contains(compat.name()), "{error}");
        }
    }
}
