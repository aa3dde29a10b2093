//! The encryption client over real HTTP against the emulator.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

mod support;

mod authenticated;
mod bulk_jobs;
mod content_md5;
mod copy;
mod credentials;
mod hostile;
mod interop;
mod keys;
mod matrix;
mod multipart;
mod objects;
mod refused;
mod rewrap;
mod transfers;
