//! The exit statuses of the conventions (`../shared/spec/conventions.md`)
//! and how a failure picks one: by the typed errors in its chain, so that a
//! script can tell "not found" from "denied" from "tampered" without parsing
//! messages.

use std::process::ExitCode;

use oss_cse_client::auth::{Error as AuthError, MissingCredentials};
use oss_cse_client::envelope::Error as EnvelopeError;
use oss_cse_client::kms::Error as KmsError;
use oss_cse_client::{Error as ClientError, Failure, auth_failure, envelope_failure, io_failure, kms_failure};
use serde_json::json;

/// A bulk job in which some objects failed: the exit status of the
/// conventions (3), or, when every object failed the same way, that failure's.
#[derive(Debug, thiserror::Error)]
#[error("{failed} of {total} objects failed (listed above)")]
pub(crate) struct JobFailed {
    pub failed: usize,
    pub total: u64,
    pub code: u8,
}

/// Bad usage or bad input (flags, PEM, JSON, TOML, paths).
pub(crate) const USAGE: u8 = 2;
/// Not found (object, bucket, upload, key file).
pub(crate) const NOT_FOUND: u8 = 4;
/// Access denied, or credentials missing, expired or refused.
pub(crate) const DENIED: u8 = 5;
/// Network or service unavailable after retries.
pub(crate) const UNAVAILABLE: u8 = 6;
/// Integrity: CRC-64, MD5, plaintext length, or an envelope that does not unwrap.
pub(crate) const INTEGRITY: u8 = 7;

/// The exit status for `error`.
pub(crate) fn code_of(error: &anyhow::Error) -> u8 {
    if let Some(job) = error.downcast_ref::<JobFailed>() {
        return job.code;
    }
    for cause in error.chain() {
        if let Some(error) = cause.downcast_ref::<ClientError>() {
            return client_code(error);
        }
        if let Some(error) = cause.downcast_ref::<EnvelopeError>() {
            return code(envelope_failure(error));
        }
        if let Some(error) = cause.downcast_ref::<KmsError>() {
            return code(kms_failure(error));
        }
        if let Some(error) = cause.downcast_ref::<AuthError>() {
            return code(auth_failure(error));
        }
        if cause.downcast_ref::<MissingCredentials>().is_some() {
            return DENIED;
        }
        if let Some(error) = cause.downcast_ref::<std::io::Error>() {
            return code(io_failure(error));
        }
    }
    // What is left are the command's own checks of its flags and input.
    USAGE
}

/// The status of one client error.
pub(crate) fn client_code(error: &ClientError) -> u8 {
    code(error.failure())
}

/// The status of a kind of failure (the client's one classification).
fn code(failure: Failure) -> u8 {
    match failure {
        Failure::BadInput => USAGE,
        Failure::NotFound => NOT_FOUND,
        Failure::Denied => DENIED,
        Failure::Unavailable => UNAVAILABLE,
        Failure::Integrity => INTEGRITY,
        _ => 1,
    }
}

/// What a write to our own standard output carries when its reader went
/// away (`oss-cse cat … | head`): the one broken pipe that is not a failure.
/// A broken pipe anywhere else (a server that closed the connection while an
/// upload was being sent) is a failure like any other.
#[derive(Debug)]
pub(crate) struct StdoutClosed;

impl std::fmt::Display for StdoutClosed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("standard output was closed by its reader")
    }
}

impl std::error::Error for StdoutClosed {}

/// Marks `error`, from a write to standard output, as [`StdoutClosed`]
/// when it is a broken pipe.
pub(crate) fn on_stdout(error: std::io::Error) -> std::io::Error {
    match error.kind() {
        std::io::ErrorKind::BrokenPipe => std::io::Error::new(std::io::ErrorKind::BrokenPipe, StdoutClosed),
        _ => error,
    }
}

/// Standard output, locked, whose broken pipe is [`StdoutClosed`]: every
/// line the CLI prints goes through it.
pub(crate) struct Stdout(std::io::StdoutLock<'static>);

/// Locks standard output (see [`Stdout`]).
pub(crate) fn stdout() -> Stdout {
    Stdout(std::io::stdout().lock())
}

impl std::io::Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf).map_err(on_stdout)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush().map_err(on_stdout)
    }
}

/// `text` as it may be shown on a terminal: control characters (C0, DEL, C1)
/// and the bidirectional overrides written as `\u{..}`, so an object key
/// holding `ESC ] 0 ; … BEL` (or one that reverses the line) cannot drive
/// or disguise the terminal. Human output only: JSON stays exact.
pub(crate) fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Whether the failure is only that standard output's reader went away:
/// not an error. Nothing but a write to our own stdout makes one.
pub(crate) fn is_stdout_closed(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.is::<StdoutClosed>()
            || cause
                .downcast_ref::<std::io::Error>()
                .and_then(std::io::Error::get_ref)
                .is_some_and(|inner| inner.is::<StdoutClosed>())
    })
}

/// Reports `error` on stderr (one line, or one JSON document with
/// `--json`) and returns its exit status.
pub(crate) fn report(error: &anyhow::Error, json: bool) -> ExitCode {
    if is_stdout_closed(error) {
        return ExitCode::SUCCESS;
    }
    let code = code_of(error);
    // One line, whatever the causes' own formatting.
    let message = format!("{error:#}");
    let message = message.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
    if json {
        let service = error.chain().find_map(|c| c.downcast_ref::<ClientError>()).and_then(ClientError::service_error);
        let oss = service.map(|s| {
            json!({"status": s.status, "code": s.code, "message": s.message, "ec": s.ec, "request_id": s.request_id})
        });
        eprintln!("{}", json!({"error": {"message": message, "exit_code": code, "oss": oss}}));
    } else {
        eprintln!("error: {}", shown(&message));
    }
    ExitCode::from(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(status: u16, code: &str) -> anyhow::Error {
        let error = oss_cse_client::ServiceError {
            status,
            code: code.into(),
            message: String::new(),
            request_id: "R".into(),
            ec: None,
        };
        anyhow::Error::new(ClientError::Service {
            operation: "GetObject",
            resource: "oss://b/k".into(),
            error: Box::new(error),
        })
        .context("downloading")
    }

    #[test]
    fn failures_map_to_the_conventions_codes() {
        assert_eq!(code_of(&service(404, "NoSuchKey")), NOT_FOUND);
        assert_eq!(code_of(&service(403, "AccessDenied")), DENIED);
        assert_eq!(code_of(&service(400, "SecurityTokenExpired")), DENIED);
        assert_eq!(code_of(&service(503, "ServiceUnavailable")), UNAVAILABLE);
        assert_eq!(code_of(&anyhow::Error::new(MissingCredentials)), DENIED);
        assert_eq!(code_of(&anyhow::Error::new(EnvelopeError::RsaUnwrap)), INTEGRITY);
        let pem = EnvelopeError::InvalidPem { what: "private key", reason: "x".into() };
        assert_eq!(code_of(&anyhow::Error::new(pem)), USAGE);
        let missing = std::io::Error::new(std::io::ErrorKind::NotFound, "gone");
        assert_eq!(code_of(&anyhow::Error::new(missing).context("reading key")), NOT_FOUND);
        assert_eq!(code_of(&anyhow::anyhow!("--shard 9/8 is not I/N")), USAGE);
        let job = JobFailed { failed: 2, total: 5, code: 3 };
        assert_eq!(code_of(&anyhow::Error::new(job)), 3);
        // Only our own stdout's broken pipe is quiet; a connection's is a failure.
        let pipe = || std::io::Error::new(std::io::ErrorKind::BrokenPipe, "closed");
        assert!(is_stdout_closed(&anyhow::Error::new(on_stdout(pipe())).context("writing stdout")));
        assert!(!is_stdout_closed(&anyhow::Error::new(pipe()).context("sending the upload")));
        assert_eq!(code_of(&anyhow::Error::new(pipe()).context("sending the upload")), 1);
    }

    #[test]
    fn control_characters_are_escaped_for_a_terminal() {
        assert_eq!(shown("plain/日本.txt"), "plain/日本.txt");
        assert_eq!(shown("a\u{1b}]0;pwned\u{7}b"), "a\\u{1b}]0;pwned\\u{7}b");
        assert_eq!(shown("x\ny\u{9b}z\u{7f}"), "x\\u{a}y\\u{9b}z\\u{7f}");
        assert_eq!(shown("evil\u{202e}txt.exe"), "evil\\u{202e}txt.exe");
    }
}
