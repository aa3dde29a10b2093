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

/// One entry of a page: an object, or (with a delimiter) a common prefix.
enum Entry {
    Object(ObjectSummary),
    Prefix(String),
}

/// Where a listing stands.
struct State {
    page: VecDeque<Entry>,
    token: Option<String>,
    done: bool,
}

/// An iterator of the objects under a prefix.
#[pyclass(module = "oss_cse", frozen)]
pub(crate) struct Listing {
    client: Blocking,
    bucket: String,
    prefix: String,
    delimiter: Option<String>,
    state: Mutex<State>,
}

impl Listing {
    pub(crate) fn new(client: Blocking, bucket: &str, prefix: &str, delimiter: Option<String>) -> Self {
        let state = State { page: VecDeque::new(), token: None, done: false };
        let (bucket, prefix) = (bucket.to_owned(), prefix.to_owned());
        Self { client, bucket, prefix, delimiter, state: Mutex::new(state) }
    }

    /// The next entry, fetching a page when needed; `None` at the end.
    fn next_entry(&self) -> PyResult<Option<Entry>> {
        let mut state = self.state.lock().map_err(|_| crate::errors::Error::new_err("a listing was poisoned"))?;
        loop {
            if let Some(object) = state.page.pop_front() {
                return Ok(Some(object));
            }
            if state.done {
                return Ok(None);
            }
            let oss = self.client.async_client().oss();
            let delimiter = self.delimiter.as_deref();
            let fetch = oss.list_objects_v2(&self.bucket, &self.prefix, delimiter, state.token.as_deref(), Some(1000));
            let page = self.client.run(fetch).map_err(|e| to_py(&e))?.map_err(|e| to_py(&e))?;
            // A token that repeats would list the same page forever.
            state.done = match &page.next_continuation_token {
                Some(next) => Some(next) == state.token.as_ref(),
                None => true,
            };
            state.token = page.next_continuation_token;
            let prefixes = page.common_prefixes.into_iter().map(Entry::Prefix);
            state.page = page.objects.into_iter().map(Entry::Object).chain(prefixes).collect();
        }
    }
}

#[pymethods]
impl Listing {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        let Some(entry) = detached(py, || self.next_entry())? else { return Ok(None) };
        let dict = PyDict::new(py);
        match entry {
            Entry::Object(object) => {
                dict.set_item("key", object.key)?;
                dict.set_item("size", object.size)?;
                dict.set_item("etag", object.etag)?;
                dict.set_item("last_modified", object.last_modified)?;
                dict.set_item("storage_class", object.storage_class)?;
            }
            Entry::Prefix(prefix) => dict.set_item("prefix", prefix)?,
        }
        Ok(Some(dict))
    }
}
