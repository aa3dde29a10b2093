//! Writes: encrypted PUTs (with `PutMode::Create` as OSS's forbid-overwrite
//! header), server-side copies that keep the envelope, and batch deletes.

use futures_util::StreamExt;
use futures_util::stream::{self, BoxStream};
use object_store::path::Path;
use object_store::{Attributes, CopyMode, CopyOptions, PutMode, PutOptions, PutPayload, PutResult, TagSet};
use oss_cse_client::{MAX_DELETE_KEYS, PutOptions as OssPutOptions};

use crate::OssCseStore;
use crate::attributes::{self, Refused};
use crate::error::{STORE, from_client};

/// The header with which OSS refuses to replace an existing object.
pub(crate) const FORBID_OVERWRITE: (&str, &str) = ("x-oss-forbid-overwrite", "true");

impl OssCseStore {
    /// Request headers for `attributes` and `tags`, or the error saying why not.
    pub(crate) fn headers(
        &self,
        location: &Path,
        attributes: &Attributes,
        tags: &TagSet,
    ) -> object_store::Result<Vec<(String, String)>> {
        attributes::to_headers(attributes, tags).map_err(|refused| match refused {
            Refused::Unknown(attribute) => object_store::Error::NotImplemented {
                operation: format!("writing the attribute {attribute} to {location}"),
                implementer: self.to_string(),
            },
            Refused::Envelope(header) => object_store::Error::Generic {
                store: STORE,
                source: format!("{location}: {header} is the encryption envelope's, not user metadata").into(),
            },
        })
    }

    pub(crate) async fn put(
        &self,
        location: &Path,
        payload: PutPayload,
        options: PutOptions,
    ) -> object_store::Result<PutResult> {
        let key = location.as_ref();
        let mut headers = self.headers(location, &options.attributes, &options.tags)?;
        match options.mode {
            PutMode::Overwrite => {}
            PutMode::Create => headers.push((FORBID_OVERWRITE.0.to_owned(), FORBID_OVERWRITE.1.to_owned())),
            // OSS has no conditional PutObject (If-Match on a write), so a
            // compare-and-swap cannot be made safe: refuse rather than race.
            PutMode::Update(_) => {
                return Err(object_store::Error::NotImplemented {
                    operation: format!("put_opts with PutMode::Update to {location} (OSS has no conditional PUT)"),
                    implementer: self.to_string(),
                });
            }
        }
        // One chunk is taken over without a copy; several are joined once.
        let plaintext = Vec::from(bytes::Bytes::from(payload));
        let put = OssPutOptions { headers, ..OssPutOptions::default() };
        let out = self.client.put_object(&self.bucket, key, plaintext, &put).await.map_err(|e| from_client(e, key))?;
        Ok(PutResult { e_tag: Some(out.etag), version: None })
    }

    /// A copy with the metadata copied unchanged (never REPLACE): the copy
    /// carries the same envelope and ciphertext, so it decrypts as the
    /// source does. OSS copies objects up to the client's copy limit; a
    /// larger one is downloaded and uploaded again, checked
    /// ([`EncryptionClient::copy_object_with`](oss_cse_client::EncryptionClient::copy_object_with)).
    pub(crate) async fn copy(&self, from: &Path, to: &Path, options: CopyOptions) -> object_store::Result<()> {
        let forbid_overwrite = options.mode == CopyMode::Create;
        let copy = oss_cse_client::CopyOptions { forbid_overwrite, ..oss_cse_client::CopyOptions::default() };
        let copied = self.client.copy_object_with(&self.bucket, from.as_ref(), &self.bucket, to.as_ref(), &copy);
        match copied.await {
            Ok(_) => Ok(()),
            // A 404 is the source's; anything else (409 included) the destination's.
            Err(e) if e.service_error().is_some_and(|s| s.status == 404) => Err(from_client(e, from.as_ref())),
            Err(e) => Err(from_client(e, to.as_ref())),
        }
    }

    /// Deletes in batches of up to 1,000 keys (DeleteMultipleObjects),
    /// yielding each path in order once its batch is done.
    pub(crate) fn delete_batches(
        &self,
        locations: BoxStream<'static, object_store::Result<Path>>,
    ) -> BoxStream<'static, object_store::Result<Path>> {
        let (oss, bucket) = (self.client.oss().clone(), self.bucket.clone());
        locations
            .chunks(MAX_DELETE_KEYS)
            .then(move |batch| {
                let (oss, bucket) = (oss.clone(), bucket.clone());
                async move {
                    let keys: Vec<String> =
                        batch.iter().filter_map(|p| p.as_ref().ok()).map(|p| p.as_ref().to_owned()).collect();
                    let outcome = match keys.is_empty() {
                        true => Ok(Vec::new()),
                        false => oss.delete_objects(&bucket, &keys).await,
                    };
                    let results: Vec<object_store::Result<Path>> = match outcome {
                        // OSS lists every key it deleted; one it left out was not.
                        Ok(deleted) => {
                            let deleted: std::collections::HashSet<String> = deleted.into_iter().collect();
                            batch
                                .into_iter()
                                .map(|p| {
                                    let path = p?;
                                    match deleted.contains(path.as_ref()) {
                                        true => Ok(path),
                                        false => Err(object_store::Error::Generic {
                                            store: STORE,
                                            source: format!("oss://{bucket}/{path}: not reported deleted").into(),
                                        }),
                                    }
                                })
                                .collect()
                        }
                        Err(error) => {
                            let message = error.to_string();
                            batch
                                .into_iter()
                                .map(|p| {
                                    let path = p?;
                                    Err(object_store::Error::Generic {
                                        store: STORE,
                                        source: format!("deleting {path}: {message}").into(),
                                    })
                                })
                                .collect()
                        }
                    };
                    stream::iter(results)
                }
            })
            .flatten()
            .boxed()
    }
}
