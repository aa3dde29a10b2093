//! The lazy iterator `Client.list` returns: one ListObjectsV2 page fetched
//! (with the GIL released) when the objects of the last one are used up, so
//! a bucket of any size lists in the memory of one page.

use std::collections::VecDeque;
use std::sync::Mutex;

use oss_cse_client::blocking::EncryptionClient as Blocking;
use oss_cse_client::types::ObjectSummary;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::errors::{detached, to_py};

/// Where a listing stands.
struct State {
    page: VecDeque<ObjectSummary>,
    token: Option<String>,
    done: bool,
}

/// An iterator of the objects under a prefix.
#[pyclass(module = "oss_cse", frozen)]
pub(crate) struct Listing {
    client: Blocking,
    bucket: String,
    prefix: String,
    state: Mutex<State>,
}

impl Listing {
    pub(crate) fn new(client: Blocking, bucket: &str, prefix: &str) -> Self {
        let state = State { page: VecDeque::new(), token: None, done: false };
        Self { client, bucket: bucket.to_owned(), prefix: prefix.to_owned(), state: Mutex::new(state) }
    }

    /// The next object, fetching a page when needed; `None` at the end.
    fn next_object(&self) -> PyResult<Option<ObjectSummary>> {
        let mut state = self.state.lock().map_err(|_| crate::errors::Error::new_err("a listing was poisoned"))?;
        loop {
            if let Some(object) = state.page.pop_front() {
                return Ok(Some(object));
            }
            if state.done {
                return Ok(None);
            }
            let oss = self.client.async_client().oss();
            let fetch = oss.list_objects_v2(&self.bucket, &self.prefix, None, state.token.as_deref(), Some(1000));
            let page = self.client.run(fetch).map_err(|e| to_py(&e))?.map_err(|e| to_py(&e))?;
            // A token that repeats would list the same page forever.
            state.done = match &page.next_continuation_token {
                Some(next) => Some(next) == state.token.as_ref(),
                None => true,
            };
            state.token = page.next_continuation_token;
            state.page = page.objects.into();
        }
    }
}

#[pymethods]
impl Listing {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        let Some(object) = detached(py, || self.next_object())? else { return Ok(None) };
        let dict = PyDict::new(py);
        dict.set_item("key", object.key)?;
        dict.set_item("size", object.size)?;
        dict.set_item("etag", object.etag)?;
        dict.set_item("last_modified", object.last_modified)?;
        dict.set_item("storage_class", object.storage_class)?;
        Ok(Some(dict))
    }
}
