//! `oss_cse._native`: the oss-cse engine for Python. A thin surface over
//! `oss-cse-client` (no logic of its own beyond the Python types): the
//! `Client` class, the exceptions, and the GIL released for every request so
//! that Python threads run transfers in parallel.

mod client;
mod errors;
mod listing;
mod multipart;
mod settings;
mod stream;
mod writer;

use pyo3::prelude::*;

/// The extension module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<client::Client>()?;
    m.add_class::<listing::Listing>()?;
    m.add_class::<writer::Writer>()?;
    m.add_class::<stream::ObjectStream>()?;
    m.add_class::<multipart::Upload>()?;
    errors::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
