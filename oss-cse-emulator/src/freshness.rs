//! What the KMS and STS fronts check of a call before they act on it, as
//! Alibaba Cloud's RPC and V3 APIs do: a timestamp within 15 minutes of now
//! (`InvalidTimeStamp.Expired`), and, for a signed call, a nonce not used
//! before within that window (`SignatureNonceUsed`), so a captured request
//! cannot be replayed. The OSS front's own window is in `auth`.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::kms::RpcError;

/// How far a request's time may be from the server's.
const WINDOW: jiff::SignedDuration = jiff::SignedDuration::from_mins(15);

/// The nonces of signed calls seen within the window.
#[derive(Debug, Default)]
pub(crate) struct Nonces {
    seen: Mutex<HashMap<String, jiff::Timestamp>>,
}

fn missing(name: &str) -> RpcError {
    (
        400,
        "MissingParameter",
        format!("The input parameter \"{name}\" that is mandatory for processing this request is not supplied."),
    )
}

/// Checks a call's `timestamp` (RPC `Timestamp` or V3 `x-acs-date`) against
/// `now`.
pub(crate) fn check_time(timestamp: Option<&str>, name: &str, now: jiff::Timestamp) -> Result<(), RpcError> {
    let text = timestamp.ok_or_else(|| missing(name))?;
    let time: jiff::Timestamp = text.parse().map_err(|_| {
        (400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.".to_owned())
    })?;
    if (now - time).abs() > WINDOW {
        return Err((400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.".to_owned()));
    }
    Ok(())
}

impl Nonces {
    /// Records a signed call's `nonce` (RPC `SignatureNonce` or V3
    /// `x-acs-signature-nonce`); one seen before within the window is refused.
    pub(crate) fn check(&self, nonce: Option<&str>, name: &str, now: jiff::Timestamp) -> Result<(), RpcError> {
        let nonce = nonce.filter(|n| !n.is_empty()).ok_or_else(|| missing(name))?;
        let Ok(mut seen) = self.seen.lock() else { return Ok(()) };
        // Nonces older than the window cannot come back with a fresh time.
        seen.retain(|_, at| now - *at <= WINDOW * 2);
        if seen.insert(nonce.to_owned(), now).is_some() {
            return Err((400, "SignatureNonceUsed", "Specified signature nonce was used already.".to_owned()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_future_and_replayed_calls_are_refused() {
        let now: jiff::Timestamp = "2026-12-06T12:00:00Z".parse().unwrap_or_else(|e| panic!("{e}"));
        assert!(check_time(Some("2026-12-06T11:50:00Z"), "Timestamp", now).is_ok());
        let code = |r: Result<(), RpcError>| r.err().map(|e| e.1);
        assert_eq!(code(check_time(Some("2001-01-01T00:00:00Z"), "Timestamp", now)), Some("InvalidTimeStamp.Expired"));
        assert_eq!(code(check_time(Some("2026-12-06T12:16:00Z"), "Timestamp", now)), Some("InvalidTimeStamp.Expired"));
        assert_eq!(code(check_time(Some("yesterday"), "Timestamp", now)), Some("InvalidTimeStamp.Format"));
        assert_eq!(code(check_time(None, "Timestamp", now)), Some("MissingParameter"));
        let nonces = Nonces::default();
        assert!(nonces.check(Some("n1"), "SignatureNonce", now).is_ok());
        assert_eq!(code(nonces.check(Some("n1"), "SignatureNonce", now)), Some("SignatureNonceUsed"));
        assert_eq!(code(nonces.check(None, "SignatureNonce", now)), Some("MissingParameter"));
        // Long after the window, the table has let it go.
        let later = now + jiff::SignedDuration::from_hours(1);
        assert!(nonces.check(Some("n1"), "SignatureNonce", later).is_ok());
    }
}
