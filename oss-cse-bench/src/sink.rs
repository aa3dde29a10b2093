//! A deliberately trivial OSS stand-in for measuring a client at the speed of
//! the wire: it discards what is uploaded (remembering only each object's
//! size and `x-oss-meta-*` headers) and serves downloads from one repeating
//! 1 MiB block, with the CRC-64 of exactly those bytes. It checks no
//! signature and stores nothing, so nearly all of the CPU a transfer costs is
//! the client's (or curl's). Speaks just enough HTTP/1.1 for reqwest and curl:
//! Content-Length or chunked bodies, `Expect: 100-continue`, keep-alive.
//!
//! `GET /__first-request` answers with the Unix time in microseconds at
//! which the first request since the last `POST /__reset` arrived.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use crc_fast::CrcAlgorithm;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

const BLOCK: usize = 1 << 20;

#[derive(Clone)]
struct Object {
    size: u64,
    meta: Vec<(String, String)>,
    /// The CRC-64 of the bytes served for it.
    crc: u64,
}

/// A multipart upload: its key, the metadata of Initiate, part sizes by number.
type Upload = (String, Vec<(String, String)>, HashMap<u32, u64>);

#[derive(Default)]
struct State {
    objects: HashMap<String, Object>,
    uploads: HashMap<String, Upload>,
    first_request_us: Option<u128>,
    next_upload: u64,
}

/// What a request gets.
enum Decision {
    Reply(u16, Vec<(String, String)>, String),
    Serve(Object),
}

struct Sink {
    block: Vec<u8>,
    block_crc: u64,
    state: Mutex<State>,
}

/// Serves on an ephemeral port of 127.0.0.1; prints `http://127.0.0.1:PORT`
/// and runs until the process is killed.
pub(crate) async fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    println!("http://{}", listener.local_addr()?);
    let block: Vec<u8> = (0..BLOCK).map(|i| (i * 31 % 251) as u8).collect();
    let block_crc = crc_fast::checksum(CrcAlgorithm::Crc64Xz, &block);
    let sink = Arc::new(Sink { block, block_crc, state: Mutex::default() });
    loop {
        let (stream, _) = listener.accept().await?;
        let _ = stream.set_nodelay(true);
        let sink = sink.clone();
        tokio::spawn(async move {
            let _ = sink.connection(stream).await;
        });
    }
}

fn now_us() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_micros()).unwrap_or(0)
}

/// One parsed request head.
struct Head {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
}

impl Head {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn param(&self, name: &str) -> Option<&str> {
        self.query.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (k == name).then_some(v)
        })
    }
}

impl Sink {
    async fn connection(&self, stream: TcpStream) -> std::io::Result<()> {
        let (read, mut write) = stream.into_split();
        let mut read = BufReader::with_capacity(256 * 1024, read);
        let mut scratch = vec![0u8; 256 * 1024];
        loop {
            let Some(head) = read_head(&mut read).await? else { return Ok(()) };
            {
                let mut state = self.state.lock().map_err(|_| std::io::Error::other("poisoned"))?;
                if !head.path.starts_with("/__") && state.first_request_us.is_none() {
                    state.first_request_us = Some(now_us());
                }
            }
            if head.header("expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue")) {
                write.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").await?;
            }
            let received = read_body(&mut read, &head, &mut scratch).await?;
            self.respond(&head, received, &mut write).await?;
        }
    }

    async fn respond(
        &self,
        head: &Head,
        received: u64,
        write: &mut (impl AsyncWriteExt + Unpin),
    ) -> std::io::Result<()> {
        let (status, headers, text) = match self.decide(head, received)? {
            Decision::Serve(object) => return self.serve_object(head, &object, write).await,
            Decision::Reply(status, headers, text) => (status, headers, text),
        };
        let mut out = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\nx-oss-request-id: sink\r\n", text.len());
        for (k, v) in headers {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        out.push_str("\r\n");
        out.push_str(&text);
        write.write_all(out.as_bytes()).await
    }

    /// What to answer, decided under the state lock.
    fn decide(&self, head: &Head, received: u64) -> std::io::Result<Decision> {
        let meta = |headers: &[(String, String)]| -> Vec<(String, String)> {
            headers.iter().filter(|(k, _)| k.starts_with("x-oss-meta-")).cloned().collect()
        };
        let key = head.path.clone();
        let mut state = self.state.lock().map_err(|_| std::io::Error::other("poisoned"))?;
        let reply = |status: u16, headers: Vec<(String, String)>, text: String| Decision::Reply(status, headers, text);
        Ok(match head.method.as_str() {
            "POST" if head.path == "/__reset" => {
                state.first_request_us = None;
                reply(200, vec![], String::new())
            }
            "GET" if head.path == "/__first-request" => {
                reply(200, vec![], state.first_request_us.map_or_else(String::new, |t| t.to_string()))
            }
            "POST" if head.param("uploads").is_some() => {
                state.next_upload += 1;
                let id = format!("SINK{:08}", state.next_upload);
                state.uploads.insert(id.clone(), (key, meta(&head.headers), HashMap::new()));
                let xml = format!(
                    "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>{id}</UploadId></InitiateMultipartUploadResult>"
                );
                reply(200, vec![], xml)
            }
            "PUT" if head.param("uploadId").is_some() => {
                let id = head.param("uploadId").unwrap_or_default().to_owned();
                let number: u32 = head.param("partNumber").and_then(|n| n.parse().ok()).unwrap_or(0);
                if let Some((_, _, parts)) = state.uploads.get_mut(&id) {
                    parts.insert(number, received);
                }
                reply(200, vec![("etag".into(), format!("\"PART{number}\""))], String::new())
            }
            // Complete: every part sent is used (the part list is not read).
            "POST" if head.param("uploadId").is_some() => {
                let id = head.param("uploadId").unwrap_or_default().to_owned();
                match state.uploads.remove(&id) {
                    Some((key, meta, parts)) => {
                        let size = parts.values().sum();
                        state.objects.insert(key, Object { size, meta, crc: self.crc_of(size) });
                        let xml =
                            "<CompleteMultipartUploadResult><ETag>\"DONE\"</ETag></CompleteMultipartUploadResult>";
                        reply(200, vec![], xml.to_owned())
                    }
                    None => reply(404, vec![], "<Error><Code>NoSuchUpload</Code></Error>".to_owned()),
                }
            }
            "PUT" => {
                let crc = self.crc_of(received);
                state.objects.insert(key, Object { size: received, meta: meta(&head.headers), crc });
                reply(200, vec![("etag".into(), "\"SINK\"".into())], String::new())
            }
            "DELETE" => {
                state.objects.remove(&key);
                reply(204, vec![], String::new())
            }
            "GET" | "HEAD" => match state.objects.get(&key).cloned() {
                Some(object) => Decision::Serve(object),
                None => reply(404, vec![], "<Error><Code>NoSuchKey</Code></Error>".to_owned()),
            },
            _ => reply(405, vec![], String::new()),
        })
    }

    async fn serve_object(
        &self,
        head: &Head,
        object: &Object,
        write: &mut (impl AsyncWriteExt + Unpin),
    ) -> std::io::Result<()> {
        let size = object.size;
        let range = head.header("range").and_then(|r| r.strip_prefix("bytes=")).and_then(|r| {
            let (s, e) = r.split_once('-')?;
            let start: u64 = s.parse().ok()?;
            let end: u64 = if e.is_empty() { size.checked_sub(1)? } else { e.parse::<u64>().ok()?.min(size - 1) };
            (start <= end && start < size).then_some((start, end))
        });
        let (start, len) = range.map_or((0, size), |(s, e)| (s, e - s + 1));
        let mut out = format!(
            "HTTP/1.1 {}\r\ncontent-length: {len}\r\netag: \"SINK\"\r\nx-oss-request-id: sink\r\nx-oss-hash-crc64ecma: {}\r\n",
            if range.is_some() { "206 Partial Content" } else { "200 OK" },
            object.crc
        );
        if range.is_some() {
            out.push_str(&format!("content-range: bytes {start}-{}/{size}\r\n", start + len - 1));
        }
        for (k, v) in &object.meta {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        out.push_str("\r\n");
        write.write_all(out.as_bytes()).await?;
        if head.method == "HEAD" {
            return Ok(());
        }
        let (mut position, end) = (start, start + len);
        while position < end {
            let at = (position % BLOCK as u64) as usize;
            let n = (BLOCK - at).min((end - position) as usize);
            write.write_all(&self.block[at..at + n]).await?;
            position += n as u64;
        }
        Ok(())
    }

    /// The CRC-64 of the first `size` bytes of the repeating block, in
    /// O(log size) combinations: the whole blocks are one block doubled.
    fn crc_of(&self, size: u64) -> u64 {
        let combine = |a, b, len_b| crc_fast::checksum_combine(CrcAlgorithm::Crc64Xz, a, b, len_b);
        let (mut crc, mut doubled, mut doubled_len) = (0u64, self.block_crc, BLOCK as u64);
        let mut whole = size / BLOCK as u64;
        while whole > 0 {
            if whole & 1 == 1 {
                crc = combine(crc, doubled, doubled_len);
            }
            doubled = combine(doubled, doubled, doubled_len);
            doubled_len *= 2;
            whole >>= 1;
        }
        let rest = (size % BLOCK as u64) as usize;
        combine(crc, crc_fast::checksum(CrcAlgorithm::Crc64Xz, &self.block[..rest]), rest as u64)
    }
}

async fn read_head(read: &mut (impl AsyncBufReadExt + Unpin)) -> std::io::Result<Option<Head>> {
    let mut line = String::new();
    if read.read_line(&mut line).await? == 0 {
        return Ok(None);
    }
    let mut words = line.split_whitespace();
    let method = words.next().unwrap_or_default().to_owned();
    let target = words.next().unwrap_or_default();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let (path, query) = (path.to_owned(), query.to_owned());
    let mut headers = Vec::new();
    loop {
        line.clear();
        if read.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        if let Some((k, v)) = trimmed.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
    Ok(Some(Head { method, path, query, headers }))
}

/// Reads and discards a request body; returns its length.
async fn read_body(
    read: &mut (impl AsyncBufReadExt + AsyncReadExt + Unpin),
    head: &Head,
    scratch: &mut [u8],
) -> std::io::Result<u64> {
    let mut total = 0u64;
    let cap = scratch.len() as u64;
    if head.header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        let mut line = String::new();
        loop {
            line.clear();
            read.read_line(&mut line).await?;
            let size = u64::from_str_radix(line.trim().split(';').next().unwrap_or("0"), 16)
                .map_err(|_| std::io::Error::other("bad chunk size"))?;
            if size == 0 {
                // Trailers, then the blank line.
                loop {
                    line.clear();
                    if read.read_line(&mut line).await? == 0 || line.trim().is_empty() {
                        return Ok(total);
                    }
                }
            }
            let mut left = size;
            while left > 0 {
                let n = read.read(&mut scratch[..left.min(cap) as usize]).await?;
                if n == 0 {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
                left -= n as u64;
            }
            total += size;
            line.clear();
            read.read_line(&mut line).await?;
        }
    }
    let mut left: u64 = head.header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    while left > 0 {
        let n = read.read(&mut scratch[..left.min(cap) as usize]).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        left -= n as u64;
        total += n as u64;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crc_of_a_size_is_that_of_the_bytes_served() {
        let block: Vec<u8> = (0..BLOCK).map(|i| (i * 31 % 251) as u8).collect();
        let block_crc = crc_fast::checksum(CrcAlgorithm::Crc64Xz, &block);
        let sink = Sink { block, block_crc, state: Mutex::default() };
        for size in [0u64, 1, 4096, BLOCK as u64, BLOCK as u64 * 3 + 17, BLOCK as u64 * 8] {
            let bytes: Vec<u8> = (0..size).map(|i| sink.block[(i % BLOCK as u64) as usize]).collect();
            assert_eq!(sink.crc_of(size), crc_fast::checksum(CrcAlgorithm::Crc64Xz, &bytes), "{size}");
        }
    }
}
