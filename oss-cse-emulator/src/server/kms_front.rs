//! The KMS RPC front of the emulator: parameters from the query and a form
//! body, a signature (V3 or RPC), and JSON replies.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;

use super::{App, Ctx, hostile_reply, parse_query};
use crate::faults::{Fault, RequestInfo};

pub(super) fn is_form(ctx: &Ctx) -> bool {
    ctx.method == "POST"
        && ctx.header("content-type").is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"))
}

/// A KMS RPC call: parameters from the query and a form body, JSON replies.
pub(super) async fn kms_call(app: &App, ctx: Ctx, mut info: RequestInfo, body: Body, request_id: &str) -> Response {
    let json = |status: u16, value: serde_json::Value| {
        let mut response = Response::new(Body::from(value.to_string()));
        *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
        response.headers_mut().insert("content-type", HeaderValue::from_static("application/json"));
        response
    };
    let error = |status: u16, code: &str, message: &str| {
        json(
            status,
            serde_json::json!({"RequestId": request_id, "HostId": "kms.emulator", "Code": code, "Message": message}),
        )
    };
    let query: Vec<(String, String)> =
        ctx.query.iter().map(|(k, v)| (k.clone(), v.clone().unwrap_or_default())).collect();
    let mut params = query.clone();
    let Ok(raw) = axum::body::to_bytes(body, 256 * 1024).await else {
        return error(400, "InvalidParameter", "The request body is too large or broken.");
    };
    if is_form(&ctx) {
        let form = String::from_utf8_lossy(&raw).replace('+', "%20");
        params.extend(parse_query(Some(&form)).into_iter().map(|(k, v)| (k, v.unwrap_or_default())));
    }
    // V3 names the action and version in headers.
    for (header, param) in [("x-acs-action", "Action"), ("x-acs-version", "Version")] {
        if let Some(value) = ctx.header(header).filter(|_| !params.iter().any(|(k, _)| k == param)) {
            params.push((param.to_owned(), value.to_owned()));
        }
    }
    if !info.has_query("Action") && params.iter().any(|(k, _)| k == "Action") {
        info.query.push("Action".to_owned());
    }
    info.action = params.iter().find(|(k, _)| k == "Action").map(|(_, v)| v.clone());
    match app.faults.on_request(&info) {
        Some(Fault::Status { status, code }) => return error(status, &code, "injected fault"),
        Some(Fault::SlowDown) => {
            return error(429, "Rejected.Throttling", "Request was denied due to request throttling.");
        }
        Some(Fault::Delay(delay)) => tokio::time::sleep(delay).await,
        Some(fault) => {
            if let Some(reply) = hostile_reply(&fault) {
                return reply;
            }
        }
        None => {}
    }
    let get = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let is_sts = get("Version") == Some("2015-04-01");
    let v3 = ctx.header("authorization").is_some_and(|a| a.starts_with("ACS3-"));
    let now = jiff::Timestamp::now();
    // A call is good for 15 minutes either side of now, as on Alibaba Cloud.
    let time = match v3 {
        true => crate::freshness::check_time(ctx.header("x-acs-date"), "x-acs-date", now),
        false => crate::freshness::check_time(get("Timestamp"), "Timestamp", now),
    };
    if let Err((status, code, message)) = time {
        return error(status, code, &message);
    }
    // AssumeRoleWithOIDC is the one anonymous call: the OIDC token is the credential.
    if is_sts && get("Action") == Some("AssumeRoleWithOIDC") {
        return match app.sts.handle(&params, None, request_id) {
            Ok(value) => json(200, value),
            Err((status, code, message)) => error(status, code, &message),
        };
    }
    // The signature first: nothing is done for an unauthenticated caller.
    let secret_of = |id: &str| app.secret_of(id);
    let caller = if v3 {
        let request =
            crate::kms::V3Request { method: &ctx.method, path: "/", query: &query, headers: &ctx.headers, body: &raw };
        crate::kms::verify_v3(&request, secret_of)
    } else {
        crate::kms::verify_rpc(&ctx.method, &params, secret_of)
    };
    // A signed call is taken once: its nonce may not come back (after the
    // signature, so nobody else can use up a caller's nonces).
    let caller = caller.and_then(|caller| {
        let nonce = match v3 {
            true => app.nonces.check(ctx.header("x-acs-signature-nonce"), "x-acs-signature-nonce", now),
            false => app.nonces.check(get("SignatureNonce"), "SignatureNonce", now),
        };
        nonce.map(|()| caller)
    });
    let token = ctx.header("x-acs-security-token").or_else(|| get("SecurityToken"));
    let caller = caller.and_then(|caller| match app.sts.check(&caller, token, now) {
        Ok(()) => Ok(caller),
        Err(crate::sts::TokenFailure::Expired) => {
            Err((400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.".to_owned()))
        }
        Err(_) => Err((
            400,
            "InvalidSecurityToken.MismatchWithAccessKey",
            "Specified SecurityToken mismatch with the AccessKey.".to_owned(),
        )),
    });
    let handled = caller.and_then(|caller| {
        if is_sts {
            app.sts.handle(&params, Some(&caller), request_id)
        } else {
            crate::kms::handle_rpc(&caller, &params, &app.kms, request_id)
        }
    });
    match handled {
        Ok(value) => json(200, value),
        Err((status, code, message)) => error(status, code, &message),
    }
}
