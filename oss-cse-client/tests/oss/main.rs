//! The OSS client over real HTTP against the emulator on 127.0.0.1.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod acl;
mod cse_rules;
mod faults;
mod fuzz_corpus;
mod hostile;
mod multipart;
mod objects;
mod proxy;
mod signing;
mod sse;
mod subresources;
