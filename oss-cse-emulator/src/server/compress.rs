//! HTTP compression of GetObject replies, as OSS does it: a whole-object GET
//! that accepts gzip, of a text-like content type and at least 1 KiB, is
//! sent gzip-encoded, chunked, without a Content-Length. Clients must cope
//! (or not ask); ciphertext stored under a text content type is compressed
//! as readily as anything else.

use std::io::Write as _;

use axum::body::Body;
use axum::response::Response;
use bytes::Bytes;
use flate2::Compression;
use flate2::write::GzEncoder;
use futures_util::StreamExt as _;

use super::Ctx;
use crate::error::insert;
use crate::store::ObjectRecord;

/// The content types OSS compresses.
const COMPRESSIBLE: [&str; 9] = [
    "text/html",
    "text/plain",
    "text/xml",
    "text/css",
    "application/javascript",
    "application/x-javascript",
    "application/rss+xml",
    "application/json",
    "application/xml",
];

/// The smallest object OSS compresses.
const MIN_SIZE: u64 = 1024;

/// Whether a whole-object GET of `record` is sent compressed.
pub(super) fn wanted(ctx: &Ctx, record: &ObjectRecord) -> bool {
    let accepts = ctx.header("accept-encoding").is_some_and(|list| {
        list.split(',').any(|coding| coding.split(';').next().is_some_and(|c| c.trim().eq_ignore_ascii_case("gzip")))
    });
    let media = record.content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    accepts && record.size >= MIN_SIZE && COMPRESSIBLE.contains(&media.as_str())
}

/// Makes `response` gzip-encoded and chunked.
pub(super) fn apply(response: &mut Response) {
    let headers = response.headers_mut();
    headers.remove("content-length");
    insert(headers, "content-encoding", "gzip");
    let body = std::mem::replace(response.body_mut(), Body::empty());
    *response.body_mut() = gzip(body);
}

fn gzip(body: Body) -> Body {
    let encoder = GzEncoder::new(Vec::new(), Compression::fast());
    let state = (body.into_data_stream(), Some(encoder));
    let stream = futures_util::stream::try_unfold(state, |(mut input, encoder)| async move {
        let Some(mut encoder) = encoder else { return Ok(None) };
        loop {
            match input.next().await {
                Some(Ok(chunk)) => {
                    encoder.write_all(&chunk)?;
                    if !encoder.get_ref().is_empty() {
                        let out = std::mem::take(encoder.get_mut());
                        return Ok(Some((Bytes::from(out), (input, Some(encoder)))));
                    }
                }
                Some(Err(error)) => return Err(std::io::Error::other(error)),
                None => return Ok(Some((Bytes::from(encoder.finish()?), (input, None)))),
            }
        }
    });
    Body::from_stream(stream)
}
