//! The one error type of `oss-cse-envelope`.

use core::fmt;

/// Which wrapped value an unwrap or wrap step was working on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WrappedValue {
    /// The data key (`…-key` header).
    DataKey,
    /// The IV or V1 start counter (`…-start` header).
    Start,
}

impl fmt::Display for WrappedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::DataKey => "data key",
            Self::Start => "start (IV)",
        })
    }
}

/// Boxed error from a master-key provider outside this crate (KMS, HSM, ...).
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong decoding or encoding an envelope, loading a
/// master key, wrapping or unwrapping. No variant ever carries key material.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A header the format requires is absent (or empty).
    #[error("envelope header {header} is missing")]
    MissingHeader {
        /// Header name.
        header: &'static str,
    },
    /// An envelope header appears more than once.
    #[error("envelope header {header} appears more than once")]
    DuplicateHeader {
        /// Header name.
        header: &'static str,
    },
    /// A header value longer than [`crate::consts::MAX_HEADER_VALUE_LEN`].
    #[error("envelope header {header} is {len} bytes long, above the limit of {max}")]
    HeaderTooLong {
        /// Header name.
        header: &'static str,
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A header value with a control character, or (outside the matdesc,
    /// the one header SDKs write in UTF-8) a byte outside printable ASCII.
    #[error("envelope header {header} holds a control character or a byte outside printable ASCII")]
    NonAsciiHeader {
        /// Header name.
        header: &'static str,
    },
    /// A header value that should be base64 and is not.
    #[error("envelope header {header} is not valid base64")]
    InvalidBase64 {
        /// Header name.
        header: &'static str,
    },
    /// A size header that is not a decimal integer.
    #[error("envelope header {header} is not a decimal size: {value:?}")]
    InvalidNumber {
        /// Header name.
        header: &'static str,
        /// The value (at most 40 characters of it).
        value: String,
    },
    /// A content cipher this library does not implement.
    #[error("unsupported content encryption algorithm {value:?} in {header}")]
    UnsupportedCekAlgorithm {
        /// Header name.
        header: &'static str,
        /// The label found (at most 40 characters of it).
        value: String,
    },
    /// A key wrap algorithm this library does not know.
    #[error("unsupported key wrap algorithm {value:?} in {header}")]
    UnsupportedWrapAlgorithm {
        /// Header name.
        header: &'static str,
        /// The label found (at most 40 characters of it).
        value: String,
    },
    /// A wrap algorithm that the requested format cannot express (for
    /// example RSA PKCS#1 v1.5 in format V1, which only knew OAEP).
    #[error("format {format} cannot record wrap algorithm {algorithm}")]
    WrapAlgorithmNotInFormat {
        /// The wrap algorithm.
        algorithm: crate::WrapAlgorithm,
        /// The format.
        format: crate::Format,
    },
    /// A material description that is not a JSON object of strings.
    #[error("invalid material description: {reason}")]
    InvalidMaterialDescription {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Unwrapped material of the wrong shape (length, V1 counter text).
    #[error("unwrapped {what} is malformed")]
    MalformedUnwrap {
        /// Which value.
        what: WrappedValue,
        /// The core error describing the shape problem.
        #[source]
        source: oss_cse_core::Error,
    },
    /// RSA decryption of the wrapped key or IV failed, or gave a value of
    /// the wrong shape: a wrong private key, or a tampered envelope. One
    /// error whatever the cause and whichever value, with no length in it, so
    /// that it cannot serve as a padding oracle (Bleichenbacher, Marvin).
    #[error("RSA unwrap failed: wrong private key or tampered envelope")]
    RsaUnwrap,
    /// RSA encryption of a value failed.
    #[error("RSA wrap of the {what} failed")]
    RsaWrap {
        /// Which value.
        what: WrappedValue,
    },
    /// A PEM key that could not be read.
    #[error("invalid {what} PEM: {reason}")]
    InvalidPem {
        /// `"public key"` or `"private key"`.
        what: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// An RSA key generation failure.
    #[error("RSA key generation of {bits} bits failed")]
    KeyGeneration {
        /// Requested size.
        bits: usize,
    },
    /// The master key has no public key, so it cannot wrap (encrypt).
    #[error("master key {matdesc} has no public key: it can decrypt but not encrypt")]
    MissingPublicKey {
        /// The key's material description, or `(none)`.
        matdesc: String,
    },
    /// The master key has no private key, so it cannot unwrap (decrypt).
    #[error("master key {matdesc} has no private key: it can encrypt but not decrypt")]
    MissingPrivateKey {
        /// The key's material description, or `(none)`.
        matdesc: String,
    },
    /// The key ring has no key for the object's material description.
    #[error("no master key matches material description {matdesc} and wrap algorithm {algorithm}")]
    NoMatchingMasterKey {
        /// The object's material description as JSON, or `(none)`.
        matdesc: String,
        /// The object's wrap algorithm.
        algorithm: crate::WrapAlgorithm,
    },
    /// None of the keys tried on the envelope opened it (unless the one key
    /// tried was an exact matdesc match: then its own error). One error
    /// whatever each key's failure was, so it tells nothing about the
    /// envelope's padding (see [`Error::RsaUnwrap`]).
    #[error(
        "no master key for {algorithm} opened the object (material description {matdesc}; {tried} tried): \
         wrong keys or a tampered envelope"
    )]
    NoKeyOpened {
        /// The object's material description as JSON, or `(none)`.
        matdesc: String,
        /// The object's wrap algorithm.
        algorithm: crate::WrapAlgorithm,
        /// How many keys were tried.
        tried: usize,
    },
    /// A KMS master key was asked for while writing for an SDK family that
    /// has no KMS master key.
    #[error("--compat {compat} cannot be used with a KMS master key: that SDK has no KMS master key to read it")]
    CompatWithoutKms {
        /// The SDK family chosen.
        compat: crate::Compat,
    },
    /// The key ring was asked to encrypt but holds no encrypting key.
    #[error("the key ring has no key to encrypt with")]
    NoEncryptingKey,
    /// A master key was asked to unwrap an envelope of a kind it does not handle.
    #[error("{key} master key cannot unwrap {algorithm} envelopes")]
    IncompatibleMasterKey {
        /// What kind of master key.
        key: &'static str,
        /// The envelope's wrap algorithm.
        algorithm: crate::WrapAlgorithm,
    },
    /// A KMS-wrapped value that is empty or not a base64 `CiphertextBlob`.
    #[error("the KMS-wrapped {what} is not a valid CiphertextBlob")]
    InvalidKmsBlob {
        /// Which value.
        what: WrappedValue,
    },
    /// A KMS `Decrypt` plaintext that should be base64 and is not.
    #[error("KMS returned a plaintext for the {what} that is not base64")]
    KmsPlaintextNotBase64 {
        /// Which value.
        what: WrappedValue,
    },
    /// An authentication header (tag or signature) that does not parse.
    #[error("authentication header {header} is invalid: {reason}")]
    InvalidAuthHeader {
        /// The header.
        header: &'static str,
        /// Why.
        reason: &'static str,
    },
    /// A master-key provider outside this crate failed (for example KMS).
    #[error("{provider} master key failed")]
    Provider {
        /// Provider name, e.g. `"kms"`.
        provider: &'static str,
        /// Whether repeating the operation later may succeed.
        retryable: bool,
        /// The provider's error.
        #[source]
        source: BoxError,
    },
}

impl Error {
    /// Whether the same call may succeed if repeated later (only provider
    /// failures such as throttling can be).
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Provider { retryable: true, .. })
    }
}

/// The first `max` characters of `value`, for error messages that echo
/// untrusted input.
pub(crate) fn clip(value: &str) -> String {
    const MAX: usize = 40;
    match value.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &value[..cut]),
        None => value.to_owned(),
    }
}
