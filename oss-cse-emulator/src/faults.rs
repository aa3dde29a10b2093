//! Fault injection: rules that make chosen requests fail, stall, or break
//! their connection, so tests can prove a client copes.

use std::sync::Mutex;
use std::time::Duration;

/// What a request looks like to a fault rule.
#[derive(Debug, Clone)]
pub struct RequestInfo {
    /// HTTP method.
    pub method: String,
    /// Bucket, if any.
    pub bucket: Option<String>,
    /// Object key, if any.
    pub key: Option<String>,
    /// Query parameter names (`uploadId`, `partNumber`, ...).
    pub query: Vec<String>,
    /// Whether it names a source to copy (`x-oss-copy-source`).
    pub copy_source: bool,
    /// A KMS or STS call's action (`Decrypt`, `AssumeRole`, ...).
    pub action: Option<String>,
}

impl RequestInfo {
    /// Whether the request carries query parameter `name`.
    pub fn has_query(&self, name: &str) -> bool {
        self.query.iter().any(|q| q == name)
    }

    /// A short operation name (`PutObject`, `UploadPart`, `GetObject`, ...).
    pub fn operation(&self) -> &'static str {
        let object = self.key.is_some();
        match (self.method.as_str(), object) {
            ("PUT", true) if self.copy_source && self.has_query("partNumber") => "UploadPartCopy",
            ("PUT", true) if self.copy_source => "CopyObject",
            ("PUT", true) if self.has_query("partNumber") => "UploadPart",
            ("PUT", true) => "PutObject",
            ("GET", true) if self.has_query("uploadId") => "ListParts",
            ("GET", true) => "GetObject",
            ("HEAD", true) => "HeadObject",
            ("DELETE", true) if self.has_query("uploadId") => "AbortMultipartUpload",
            ("DELETE", true) => "DeleteObject",
            ("POST", true) if self.has_query("uploads") => "InitiateMultipartUpload",
            ("POST", true) => "CompleteMultipartUpload",
            ("GET", false) if self.bucket.is_some() => "ListObjects",
            ("POST" | "GET", false) if self.bucket.is_none() && self.has_query("Action") => {
                match self.action.as_deref() {
                    Some("AssumeRole" | "AssumeRoleWithOIDC" | "GetCallerIdentity") => "Sts",
                    _ => "Kms",
                }
            }
            _ => "Other",
        }
    }
}

/// What an injected fault does.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Reply with this status and OSS error code, without doing the work.
    Status {
        /// HTTP status.
        status: u16,
        /// OSS error code.
        code: String,
    },
    /// Reply 503 `SlowDown`, as OSS does when throttling.
    SlowDown,
    /// Do the work, then break the connection after sending the headers.
    ResetConnection,
    /// Do the work, then break the connection after `after` body bytes.
    TruncateBody {
        /// Bytes of body sent before the break.
        after: u64,
    },
    /// Wait before handling the request.
    Delay(Duration),
    /// Do the work but report a wrong CRC-64 in the reply.
    WrongCrc,
    /// Do the work and send the headers, then wait this long before the
    /// first byte of the body (a slow disk or network after the reply began).
    StallBody(Duration),
    /// Do the work but send no CRC-64 header, as OSS does for objects
    /// stored before it kept CRCs.
    OmitCrc,
    /// Serve a ranged GET but claim, in Content-Range, that it starts 16
    /// bytes later than it does (a server lying about what it sent).
    WrongContentRange,
    /// Do the work but announce a Content-Length `delta` bytes off the
    /// length of the body (the body is cut at a shorter claim; a longer claim
    /// leaves the connection to break when the body runs out).
    WrongContentLength {
        /// Bytes added to the true length (negative: removed).
        delta: i64,
    },
    /// Answer a GET without Range as if it had one: 206, `Content-Range:
    /// bytes 0-(keep-1)/size`, no CRC-64, only the first `keep` bytes (all
    /// when `None`), with the byte at `flip` inverted (a proxy that turns a
    /// whole read into a partial one to switch its checks off).
    PartialWhole {
        /// Bytes sent; the whole object when `None`.
        keep: Option<u64>,
        /// Offset of a byte sent inverted.
        flip: Option<u64>,
    },
    /// Skip the work and answer with this status and raw body, as a broken
    /// or hostile server (or a proxy in front of one) might.
    Reply {
        /// HTTP status.
        status: u16,
        /// The `Content-Type` announced.
        content_type: &'static str,
        /// The body, sent as is.
        body: bytes::Bytes,
    },
    /// Skip the work and answer with a body that never ends, so a client
    /// that reads replies without a bound can be caught running out of memory.
    EndlessBody {
        /// HTTP status.
        status: u16,
    },
}

type Matcher = Box<dyn Fn(&RequestInfo) -> bool + Send + Sync>;

/// When a fault fires.
pub struct FaultRule {
    fault: Fault,
    matcher: Option<Matcher>,
    nth: Option<u64>,
    after: Option<u64>,
    times: Option<u64>,
    fraction: Option<f64>,
    seen: u64,
    fired: u64,
}

impl std::fmt::Debug for FaultRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaultRule")
            .field("fault", &self.fault)
            .field("nth", &self.nth)
            .field("times", &self.times)
            .field("fraction", &self.fraction)
            .field("fired", &self.fired)
            .finish_non_exhaustive()
    }
}

impl FaultRule {
    /// A rule that fires on every matching request (narrow it with the
    /// other methods).
    pub fn new(fault: Fault) -> Self {
        Self { fault, matcher: None, nth: None, after: None, times: None, fraction: None, seen: 0, fired: 0 }
    }

    /// Only requests for which `matcher` is true.
    pub fn when(mut self, matcher: impl Fn(&RequestInfo) -> bool + Send + Sync + 'static) -> Self {
        self.matcher = Some(Box::new(matcher));
        self
    }

    /// Only requests of this operation (see [`RequestInfo::operation`]).
    pub fn operation(self, operation: &'static str) -> Self {
        self.when(move |r| r.operation() == operation)
    }

    /// Only the `n`th matching request (1-based).
    pub fn nth(mut self, n: u64) -> Self {
        self.nth = Some(n);
        self
    }

    /// Every matching request after the first `n`.
    pub fn after(mut self, n: u64) -> Self {
        self.after = Some(n);
        self
    }

    /// At most `n` times.
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// A random `fraction` (0 to 1) of matching requests.
    pub fn fraction(mut self, fraction: f64) -> Self {
        self.fraction = Some(fraction.clamp(0.0, 1.0));
        self
    }

    fn check(&mut self, request: &RequestInfo) -> Option<Fault> {
        if self.matcher.as_ref().is_some_and(|m| !m(request)) {
            return None;
        }
        self.seen += 1;
        if self.nth.is_some_and(|n| n != self.seen)
            || self.after.is_some_and(|n| self.seen <= n)
            || self.times.is_some_and(|t| self.fired >= t)
        {
            return None;
        }
        if self.fraction.is_some_and(|p| rand::random::<f64>() >= p) {
            return None;
        }
        self.fired += 1;
        Some(self.fault.clone())
    }
}

/// The emulator's fault rules and counters.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Mutex<Vec<FaultRule>>,
    requests: Mutex<Vec<RequestInfo>>,
}

impl Faults {
    /// Adds a rule.
    pub fn add(&self, rule: FaultRule) {
        if let Ok(mut rules) = self.rules.lock() {
            rules.push(rule);
        }
    }

    /// Removes every rule.
    pub fn clear(&self) {
        if let Ok(mut rules) = self.rules.lock() {
            rules.clear();
        }
    }

    /// How many times rules have fired in total.
    pub fn fired(&self) -> u64 {
        self.rules.lock().map(|r| r.iter().map(|rule| rule.fired).sum()).unwrap_or(0)
    }

    /// Every request seen so far, in order.
    pub fn requests(&self) -> Vec<RequestInfo> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// How many requests of `operation` were seen.
    pub fn count(&self, operation: &str) -> usize {
        self.requests().iter().filter(|r| r.operation() == operation).count()
    }

    /// Records a request and returns the fault to apply, if any (first
    /// matching rule wins).
    pub(crate) fn on_request(&self, request: &RequestInfo) -> Option<Fault> {
        if let Ok(mut seen) = self.requests.lock() {
            seen.push(request.clone());
        }
        let mut rules = self.rules.lock().ok()?;
        rules.iter_mut().find_map(|rule| rule.check(request))
    }
}
