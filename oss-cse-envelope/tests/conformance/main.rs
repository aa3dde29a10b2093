//! Conformance of the envelope and the content cipher with the official
//! Python SDKs, over the vectors in `vectors/` (copied from the project's
//! shared vector set, never edited).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod behaviours;
mod fuzz_corpus;
mod kms;
mod multikey;
mod multipart;
mod ranged;
mod rsa_simple;
mod sdks;
mod v1;
