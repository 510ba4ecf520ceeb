//! How the client API answers errors: Mastodon's `{"error": "..."}` body with Mastodon's status
//! codes. The status comes from [`Error`]'s one mapping (`routes::error`); only the body differs from the
//! federation surface. Causes from inside are logged and answered as a bare 500.

use crate::{error::Error, routes};
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
        other => routes::error::answer_text(other, "api"),
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        routes::error::status(&self.0)
    }

    fn error_response(&self) -> HttpResponse {
        routes::error::response(&self.0).json(serde_json::json!({ "error": message(&self.0) }))
    }
}
