//! Listings: ListObjectsV2 pages as `object_store` paths and metadata
//! (sizes of encrypted objects are their plaintext sizes: AES-CTR keeps the
//! length), with `start-after` for offsets and `/` as the delimiter.

use async_trait::async_trait;
use futures_util::stream::{self, BoxStream};
use futures_util::{StreamExt, TryStreamExt};
use object_store::list::{PaginatedListOptions, PaginatedListResult, PaginatedListStore};
use object_store::path::{DELIMITER, Path};
use object_store::{ListResult, ObjectMeta};
use oss_cse_client::ListObjectsRequest;
use oss_cse_client::types::{ListObjectsPage, ObjectSummary};

use crate::OssCseStore;
use crate::error::{Error, from_client, generic};

/// Keys per ListObjectsV2 page (OSS's most).
const PAGE: u32 = 1000;

/// The key prefix listing under `prefix` means: the path and a delimiter,
/// so `foo` lists `foo/x` but not `foo.bar/y` or the object `foo` itself.
fn key_prefix(prefix: Option<&Path>) -> String {
    match prefix.map(Path::as_ref) {
        None | Some("") => String::new(),
        Some(p) => format!("{p}{DELIMITER}"),
    }
}

impl OssCseStore {
    fn path_of(&self, key: &str) -> object_store::Result<Path> {
        Path::parse(key)
            .map_err(|source| generic(Error::InvalidKey { bucket: self.bucket.clone(), key: key.to_owned(), source }))
    }

    fn summary_meta(&self, summary: ObjectSummary) -> object_store::Result<ObjectMeta> {
        let location = self.path_of(&summary.key)?;
        let etag = Some(summary.etag).filter(|e| !e.is_empty());
        self.object_meta(&location, summary.size, etag, Some(&summary.last_modified), "LastModified")
    }

    /// A page's objects and common prefixes. Keys ending in `/` (the
    /// empty "folder" objects consoles make) are not objects to
    /// `object_store`, and are skipped.
    fn page_result(&self, page: ListObjectsPage) -> object_store::Result<ListResult> {
        let objects = page
            .objects
            .into_iter()
            .filter(|o| !o.key.ends_with(DELIMITER))
            .map(|o| self.summary_meta(o))
            .collect::<object_store::Result<Vec<_>>>()?;
        let common_prefixes = page
            .common_prefixes
            .iter()
            .map(|p| self.path_of(p.strip_suffix(DELIMITER).unwrap_or(p)))
            .collect::<object_store::Result<Vec<_>>>()?;
        Ok(ListResult { common_prefixes, objects })
    }

    /// Every page of `list`, one after another.
    pub(crate) fn pages(&self, list: ListObjectsRequest) -> BoxStream<'static, object_store::Result<ListResult>> {
        let store = self.clone();
        stream::try_unfold(Some(list), move |next| {
            let store = store.clone();
            async move {
                let Some(list) = next else { return Ok(None) };
                let page = store.client.oss().list_objects(&store.bucket, &list).await;
                let page = page.map_err(|e| from_client(e, &list.prefix))?;
                let token = page.next_continuation_token.clone();
                let result = store.page_result(page)?;
                let following = token
                    .filter(|t| Some(t) != list.continuation_token.as_ref())
                    .map(|t| ListObjectsRequest { continuation_token: Some(t), ..list });
                Ok(Some((result, following)))
            }
        })
        .boxed()
    }

    pub(crate) fn list_objects(
        &self,
        prefix: Option<&Path>,
        offset: Option<&Path>,
    ) -> BoxStream<'static, object_store::Result<ObjectMeta>> {
        let list = ListObjectsRequest {
            prefix: key_prefix(prefix),
            start_after: offset.map(|o| o.as_ref().to_owned()),
            max_keys: Some(PAGE),
            ..ListObjectsRequest::default()
        };
        self.pages(list).map_ok(|page| stream::iter(page.objects.into_iter().map(Ok))).try_flatten().boxed()
    }

    pub(crate) async fn list_delimited(&self, prefix: Option<&Path>) -> object_store::Result<ListResult> {
        let list = ListObjectsRequest {
            prefix: key_prefix(prefix),
            delimiter: Some(DELIMITER.to_owned()),
            max_keys: Some(PAGE),
            ..ListObjectsRequest::default()
        };
        let mut all = ListResult { common_prefixes: Vec::new(), objects: Vec::new() };
        let mut pages = self.pages(list);
        while let Some(page) = pages.try_next().await? {
            all.objects.extend(page.objects);
            all.common_prefixes.extend(page.common_prefixes);
        }
        Ok(all)
    }
}

/// One ListObjectsV2 page per call: `prefix` is a raw key prefix here, the
/// page token OSS's continuation token, the offset its `start-after`.
#[async_trait]
impl PaginatedListStore for OssCseStore {
    async fn list_paginated(
        &self,
        prefix: Option<&str>,
        options: PaginatedListOptions,
    ) -> object_store::Result<PaginatedListResult> {
        let list = ListObjectsRequest {
            prefix: prefix.unwrap_or_default().to_owned(),
            delimiter: options.delimiter.map(|d| d.into_owned()),
            start_after: options.offset,
            continuation_token: options.page_token,
            max_keys: Some(options.max_keys.map_or(PAGE, |m| m.clamp(1, PAGE as usize) as u32)),
        };
        let page = self.client.oss().list_objects(&self.bucket, &list).await;
        let page = page.map_err(|e| from_client(e, &list.prefix))?;
        let page_token = page.next_continuation_token.clone();
        Ok(PaginatedListResult { result: self.page_result(page)?, page_token })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_lists_below_it_and_the_root_lists_everything() {
        assert_eq!(key_prefix(None), "");
        assert_eq!(key_prefix(Some(&Path::from("/"))), "");
        assert_eq!(key_prefix(Some(&Path::from("foo"))), "foo/");
        assert_eq!(key_prefix(Some(&Path::from_iter(["a", "b/c"]))), "a/b%2Fc/");
    }
}
