//! `oss_cse._native`: the oss-cse engine for Python. A thin surface over
//! `oss-cse-client` (no logic of its own beyond the Python types): the
//! `Client` class, the exceptions, and the GIL released for every request so
//! that Python threads run transfers in parallel.

mod client;
mod errors;
mod jobs;
mod listing;
mod multipart;
mod settings;
mod stream;
mod writer;

use pyo3::prelude::*;

/// Creates `path` readable and writable by this user only (0700), or
/// checks the folder that is there, for checkpoints: a checkpoint in a
/// folder others can write to could be planted (`oss_cse.InvalidInput`).
#[pyfunction]
fn prepare_checkpoint_folder(py: Python<'_>, path: std::path::PathBuf) -> PyResult<()> {
    errors::detached(py, || oss_cse_client::prepare_checkpoint_folder(&path).map_err(|e| errors::to_py(&e)))
}

/// The extension module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(prepare_checkpoint_folder, m)?)?;
    m.add_class::<client::Client>()?;
    m.add_class::<listing::Listing>()?;
    m.add_class::<writer::Writer>()?;
    m.add_class::<stream::ObjectStream>()?;
    m.add_class::<multipart::Upload>()?;
    errors::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
