//! The exceptions, mirroring the CLI's exit statuses: `oss_cse.Error` and its
//! subclasses `NotFound`, `AccessDenied` (credentials too), `IntegrityError`,
//! `NetworkError` and `InvalidInput`, each carrying OSS's `code`, `ec` and
//! `request_id` when OSS answered. A Rust panic becomes `oss_cse.Error`,
//! never a panic crossing into Python.

use oss_cse_client::{Error as ClientError, Failure, auth_failure, one_line};
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

pyo3::create_exception!(oss_cse, Error, PyException, "Any failure of oss-cse.");
pyo3::create_exception!(oss_cse, NotFound, Error, "The object, bucket, upload or key file does not exist.");
pyo3::create_exception!(oss_cse, AccessDenied, Error, "Refused: credentials missing, expired or without the right.");
pyo3::create_exception!(
    oss_cse,
    IntegrityError,
    Error,
    "The data or its envelope does not check out: CRC-64, MD5, length, tag, or a key that does not open it."
);
pyo3::create_exception!(oss_cse, NetworkError, Error, "The network or the service was unavailable, after retries.");
pyo3::create_exception!(oss_cse, InvalidInput, Error, "Bad input: arguments, PEM, JSON, TOML, paths, key choice.");

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("Error", py.get_type::<Error>())?;
    m.add("NotFound", py.get_type::<NotFound>())?;
    m.add("AccessDenied", py.get_type::<AccessDenied>())?;
    m.add("IntegrityError", py.get_type::<IntegrityError>())?;
    m.add("NetworkError", py.get_type::<NetworkError>())?;
    m.add("InvalidInput", py.get_type::<InvalidInput>())?;
    Ok(())
}

/// The exception class of a kind of failure (the client's one
/// classification, which the CLI's exit statuses follow too).
fn class_of(failure: Failure) -> fn(String) -> PyErr {
    match failure {
        Failure::NotFound => NotFound::new_err,
        Failure::Denied => AccessDenied::new_err,
        Failure::Unavailable => NetworkError::new_err,
        Failure::Integrity => IntegrityError::new_err,
        Failure::BadInput => InvalidInput::new_err,
        _ => Error::new_err,
    }
}

/// The Python exception for a client error, with OSS's code, EC and request
/// id as attributes (`None` where OSS did not answer).
pub(crate) fn to_py(error: &ClientError) -> PyErr {
    let err = class_of(error.failure())(one_line(error));
    Python::attach(|py| {
        let value = err.value(py);
        let service = error.service_error();
        let _ = value.setattr("code", service.map(|s| s.code.clone()));
        let _ = value.setattr("ec", service.and_then(|s| s.ec.clone()));
        let _ = value.setattr("request_id", service.map(|s| s.request_id.clone()).filter(|id| !id.is_empty()));
        let _ = value.setattr("status", service.map(|s| s.status));
    });
    err
}

/// A credential source that cannot be used: refused (`AccessDenied`), or
/// misconfigured (`Error`), as the CLI's exit status says.
pub(crate) fn auth_to_py(error: &oss_cse_client::auth::Error) -> PyErr {
    class_of(auth_failure(error))(one_line(error))
}

/// Bad input found before any request.
pub(crate) fn invalid(message: impl Into<String>) -> PyErr {
    InvalidInput::new_err(message.into())
}

/// Runs `work` with the GIL released, turning a Rust panic into
/// `oss_cse.Error` (a panic never crosses into Python).
pub(crate) fn detached<T: Send>(py: Python<'_>, work: impl FnOnce() -> PyResult<T> + Send) -> PyResult<T> {
    py.detach(|| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or_else(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".to_owned());
            Err(Error::new_err(format!("internal error (a bug in oss-cse, please report it): {what}")))
        })
    })
}
