//! How the client API answers errors: Mastodon's `{"error": "..."}` body with Mastodon's status
//! codes. The status comes from [`Error`]'s one mapping; only the body differs from the
//! federation surface. Causes from inside are logged and answered as a bare 500.

use crate::error::Error;
use actix_web::{http::StatusCode, HttpResponse, ResponseError};

/// An [`Error`] on its way to a Mastodon client.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct ApiError(#[from] pub Error);

pub type ApiResult<T> = std::result::Result<T, ApiError>;

impl ApiError {
    pub fn unauthorized(why: &str) -> ApiError {
        ApiError(Error::Unauthorized(why.into()))
    }
    pub fn forbidden(why: &str) -> ApiError {
        ApiError(Error::Forbidden(why.into()))
    }
    pub fn unprocessable(why: impl Into<String>) -> ApiError {
        ApiError(Error::Unprocessable(why.into()))
    }
    pub fn not_found() -> ApiError {
        ApiError(Error::NotFound)
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> ApiError {
        ApiError(e.into())
    }
}

/// What a client is told: the message without our internal prefixes.
fn message(e: &Error) -> String {
    match e {
        Error::NotFound => "Record not found".into(),
        Error::Gone => "Gone".into(),
        Error::BadRequest(m)
        | Error::Unauthorized(m)
        | Error::Forbidden(m)
        | Error::Unprocessable(m) => m.clone(),
        other => other.public_message(),
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.0.status_code()
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let error = if status.is_server_error() {
            tracing::error!(error = %self.0, "api request failed");
            status
                .canonical_reason()
                .unwrap_or("Internal error")
                .to_owned()
        } else {
            message(&self.0)
        };
        let mut response = HttpResponse::build(status);
        if let Some(after) = self.0.retry_after() {
            response.insert_header(("Retry-After", after.to_string()));
        }
        response.json(serde_json::json!({ "error": error }))
    }
}
