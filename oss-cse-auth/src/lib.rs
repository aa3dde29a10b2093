#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod credentials;
mod error;
pub mod http;
mod redact;
mod retry;
pub mod sign;
pub mod verify;

pub use credentials::{
    CredentialChain, Credentials, CredentialsProvider, MissingCredentials, ProfilePlace, refused_as_stale,
};
pub use error::{Error, Result, ServiceReply};
pub use redact::{has_userinfo, redact_url};
pub use retry::RetryPolicy;
