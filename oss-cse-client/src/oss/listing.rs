//! Listings read lazily, page by page, so a job starts on the first page
//! while the rest is still to come and never holds the whole listing.

use futures_util::Stream;

use crate::oss::types::ObjectSummary;
use crate::{OssClient, Result};

/// Where a listing is.
enum Cursor {
    Start,
    Next(String),
    End,
}

impl OssClient {
    /// Every object under `prefix`, one ListObjectsV2 page (1000 keys)
    /// fetched at a time as the stream is read.
    pub fn list_stream(&self, bucket: &str, prefix: &str) -> impl Stream<Item = Result<ObjectSummary>> + use<> {
        let (client, bucket, prefix) = (self.clone(), bucket.to_owned(), prefix.to_owned());
        let pages = futures_util::stream::unfold(Cursor::Start, move |cursor| {
            let (client, bucket, prefix) = (client.clone(), bucket.clone(), prefix.clone());
            async move {
                let token = match cursor {
                    Cursor::End => return None,
                    Cursor::Start => None,
                    Cursor::Next(token) => Some(token),
                };
                match client.list_objects_v2(&bucket, &prefix, None, token.as_deref(), Some(1000)).await {
                    Err(error) => Some((vec![Err(error)], Cursor::End)),
                    Ok(page) => {
                        // A token that repeats would list the same page forever.
                        let next = match page.next_continuation_token {
                            Some(next) if Some(&next) != token.as_ref() => Cursor::Next(next),
                            _ => Cursor::End,
                        };
                        Some((page.objects.into_iter().map(Ok).collect(), next))
                    }
                }
            }
        });
        futures_util::StreamExt::flat_map(pages, futures_util::stream::iter)
    }
}
