//! The ECS instance metadata service stand-in: IMDSv2 only (a session token
//! from `PUT /latest/api/token` must accompany every read, as on an instance
//! with IMDSv1 disabled), serving the instance's RAM role credentials.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;

use crate::sts::Sts;

const ROLE_PATH: &str = "/latest/meta-data/ram/security-credentials/";

/// The router of the metadata port.
pub(crate) fn metadata_router(sts: Arc<Sts>) -> axum::Router {
    axum::Router::new().fallback(metadata).with_state(sts)
}

fn text(status: StatusCode, body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert("content-type", HeaderValue::from_static("text/plain"));
    response
}

async fn metadata(State(sts): State<Arc<Sts>>, request: Request) -> Response {
    let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok());
    let path = request.uri().path();
    if path == "/latest/api/token" {
        if request.method() != axum::http::Method::PUT {
            return text(StatusCode::METHOD_NOT_ALLOWED, "use PUT".into());
        }
        return match sts.imds_token(header("x-aliyun-ecs-metadata-token-ttl-seconds")) {
            Some(token) => text(StatusCode::OK, token),
            None => text(StatusCode::BAD_REQUEST, "X-aliyun-ecs-metadata-token-ttl-seconds must be 1 to 21600".into()),
        };
    }
    if request.method() != axum::http::Method::GET {
        return text(StatusCode::METHOD_NOT_ALLOWED, "use GET".into());
    }
    let Some(role) = path.strip_prefix(ROLE_PATH) else {
        return text(StatusCode::NOT_FOUND, "Not Found".into());
    };
    if !sts.imds_token_valid(header("x-aliyun-ecs-metadata-token")) {
        return text(StatusCode::UNAUTHORIZED, "a valid X-aliyun-ecs-metadata-token is required".into());
    }
    if role.is_empty() {
        return text(StatusCode::OK, sts.ecs_role().to_owned());
    }
    if role != sts.ecs_role() {
        return text(StatusCode::NOT_FOUND, "Not Found".into());
    }
    let mut response = text(StatusCode::OK, sts.ecs_credentials().to_string());
    response.headers_mut().insert("content-type", HeaderValue::from_static("application/json"));
    response
}
