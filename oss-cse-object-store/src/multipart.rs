//! `object_store`'s multipart writer over the encryption client's stream
//! upload. `object_store` gives parts of any size, with no total, while an
//! encrypted multipart upload on OSS must declare its data size and part
//! size when it starts. So the parts, in the order `put_part` was called,
//! feed one plaintext stream to `EncryptionClient::put_stream`, which (the
//! conventions' unknown-length rule) sends it in one PUT if it ends within a
//! part, and otherwise encrypts it into a ciphertext spool and uploads that in
//! equal parts. Nothing is stored before `complete`; an upload dropped or
//! aborted before then stores nothing.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use bytes::Bytes;
use futures_util::StreamExt;
use object_store::{MultipartUpload, PutPayload, PutResult, UploadPart};
use oss_cse_client::{EncryptionClient, PutOptions};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::error::{Error, from_client, generic};

/// What the writer sends to the stream being uploaded.
enum Message {
    /// A part's bytes, and who waits for them to be taken.
    Part(PutPayload, oneshot::Sender<()>),
    /// `complete`: the stream ends here.
    Finish,
}

/// An encrypted multipart upload in progress (see the module docs).
pub struct EncryptedUpload {
    bucket: String,
    key: String,
    sender: Option<mpsc::UnboundedSender<Message>>,
    task: Option<JoinHandle<oss_cse_client::Result<oss_cse_client::types::WriteOutput>>>,
    /// Set when the upload task has ended with an error before `complete`.
    failed: Arc<AtomicBool>,
}

impl fmt::Debug for EncryptedUpload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncryptedUpload").field("bucket", &self.bucket).field("key", &self.key).finish_non_exhaustive()
    }
}

/// The plaintext stream the parts make: each part's bytes in call order; a
/// channel closed without `Finish` (the writer dropped) is a read error, so
/// the upload fails instead of storing a truncated object.
fn plaintext_stream(
    receiver: mpsc::UnboundedReceiver<Message>,
    bucket: String,
    key: String,
) -> futures_util::stream::BoxStream<'static, std::io::Result<Bytes>> {
    futures_util::stream::unfold(Some(receiver), move |receiver| {
        let (bucket, key) = (bucket.clone(), key.clone());
        async move {
            let mut receiver = receiver?;
            match receiver.recv().await {
                Some(Message::Part(payload, taken)) => {
                    let _ = taken.send(());
                    let chunks = futures_util::stream::iter(payload.into_iter().map(Ok));
                    Some((chunks.left_stream(), Some(receiver)))
                }
                Some(Message::Finish) => None,
                None => {
                    let dropped = Error::UploadAbandoned { bucket, key, how: "dropped" };
                    let error = futures_util::stream::once(async move { Err(std::io::Error::other(dropped)) });
                    Some((error.right_stream(), None))
                }
            }
        }
    })
    .flatten()
    .boxed()
}

impl EncryptedUpload {
    /// Starts the upload task: it reads the parts as they are sent.
    pub(crate) fn start(client: EncryptionClient, bucket: String, key: String, options: PutOptions) -> Self {
        let (sender, receiver) = mpsc::unbounded_channel();
        let failed = Arc::new(AtomicBool::new(false));
        let reader = tokio_util::io::StreamReader::new(plaintext_stream(receiver, bucket.clone(), key.clone()));
        let (task_bucket, task_key, task_failed) = (bucket.clone(), key.clone(), failed.clone());
        let task = tokio::spawn(async move {
            let result = client.put_stream(&task_bucket, &task_key, reader, &options).await;
            if result.is_err() {
                task_failed.store(true, Ordering::Release);
            }
            result
        });
        Self { bucket, key, sender: Some(sender), task: Some(task), failed }
    }

    fn failed_error(&self) -> object_store::Error {
        generic(Error::UploadFailed { bucket: self.bucket.clone(), key: self.key.clone() })
    }

    /// Ends the stream (or fails it) and waits for the upload task.
    async fn finish(&mut self, message: Option<Message>) -> object_store::Result<oss_cse_client::types::WriteOutput> {
        if let (Some(sender), Some(message)) = (self.sender.take(), message) {
            let _ = sender.send(message);
        }
        let Some(task) = self.task.take() else {
            return Err(self.failed_error());
        };
        match task.await {
            Ok(result) => result.map_err(|e| from_client(e, &self.key)),
            Err(source) => {
                Err(generic(Error::UploadTask { bucket: self.bucket.clone(), key: self.key.clone(), source }))
            }
        }
    }
}

#[async_trait]
impl MultipartUpload for EncryptedUpload {
    fn put_part(&mut self, data: PutPayload) -> UploadPart {
        let (taken, waiting) = oneshot::channel();
        let sent = self.sender.as_ref().is_some_and(|s| s.send(Message::Part(data, taken)).is_ok());
        let failed = self.failed.clone();
        let error = self.failed_error();
        Box::pin(async move {
            // The part is done once the upload has taken it (encrypted into
            // its buffer or spool): memory stays bounded by the parts in flight.
            if sent && waiting.await.is_ok() && !failed.load(Ordering::Acquire) {
                return Ok(());
            }
            Err(error)
        })
    }

    async fn complete(&mut self) -> object_store::Result<PutResult> {
        let out = self.finish(Some(Message::Finish)).await?;
        Ok(PutResult { e_tag: Some(out.etag), version: None })
    }

    async fn abort(&mut self) -> object_store::Result<()> {
        // Dropping the sender without `Finish` fails the stream, so the
        // upload task aborts whatever it began on OSS and stores nothing.
        self.sender = None;
        match self.finish(None).await {
            Ok(_) => Err(object_store::Error::Generic {
                store: crate::error::STORE,
                source: format!("oss://{}/{}: abort came too late, the object was stored", self.bucket, self.key)
                    .into(),
            }),
            Err(_) => Ok(()),
        }
    }
}
