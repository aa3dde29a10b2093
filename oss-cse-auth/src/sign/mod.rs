//! Request signatures, as pure functions that return what to add to a
//! request and send nothing: [`oss`] for OSS, [`acs`] for the ACS APIs (KMS,
//! STS).

pub mod acs;
pub mod oss;
