//! [`Error`] as HTTP, written once: the status of each variant, what a caller (a remote server,
//! an app, a browser) may be told of it, and the federation surface's answer — the status and a
//! short plain-text reason (also what discovery and the media files answer). The Mastodon API
//! (`mastodon::error`) and the web pages (`web::error`) take the status and the message from
//! here and only shape the body.

use crate::error::Error;
use actix_web::{http::StatusCode, HttpResponse, ResponseError};

/// The status `error` is answered with.
pub fn status(error: &Error) -> StatusCode {
    use activitypub_federation::error::Error as Fed;
    match error {
        Error::NotFound => StatusCode::NOT_FOUND,
        Error::Gone => StatusCode::GONE,
        Error::BadRequest(_) | Error::Json(_) => StatusCode::BAD_REQUEST,
        Error::Unauthorized(_) => StatusCode::UNAUTHORIZED,
        Error::Forbidden(_) => StatusCode::FORBIDDEN,
        Error::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        Error::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
        Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        Error::Unprocessable(_) | Error::Import { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        Error::Federation(e) => match **e {
            Fed::NotFound => StatusCode::NOT_FOUND,
            Fed::ActivityBodyDigestInvalid | Fed::ActivitySignatureInvalid => {
                StatusCode::UNAUTHORIZED
            }
            Fed::UrlVerificationError(_) | Fed::ParseReceivedActivity(..) => {
                StatusCode::BAD_REQUEST
            }
            _ => StatusCode::BAD_GATEWAY,
        },
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// What a caller may be told of a 4xx or a 503. The federation crate's errors, JSON and HTTP
/// errors may carry what another server sent (a fetched body, its parse error): they are logged
/// at debug and answered with the status's own reason. Every other message is ours.
pub fn public_message(error: &Error) -> String {
    match error {
        Error::Federation(_) | Error::Json(_) | Error::Http(_) => {
            tracing::debug!(error = %error, "answered with a fixed reason");
            fixed_reason(status(error))
        }
        _ => error.to_string(),
    }
}

/// The words a status goes by ("Not Found").
pub fn fixed_reason(status: StatusCode) -> String {
    status
        .canonical_reason()
        .unwrap_or("internal error")
        .to_owned()
}

/// What a caller is told: the public message, or for a 5xx other than "try later" the bare
/// reason, with the cause logged in full.
pub fn answer_text(error: &Error, surface: &str) -> String {
    let status = status(error);
    if status.is_server_error() && !matches!(error, Error::Unavailable(_)) {
        tracing::error!(error = %error, surface, "request failed");
        fixed_reason(status)
    } else {
        public_message(error)
    }
}

/// `status` with the `Retry-After` the error asks for.
pub fn response(error: &Error) -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::build(status(error));
    if let Some(after) = error.retry_after() {
        response.insert_header(("Retry-After", after.to_string()));
    }
    response
}

/// The federation surface's answer.
impl ResponseError for Error {
    fn status_code(&self) -> StatusCode {
        status(self)
    }

    fn error_response(&self) -> HttpResponse {
        response(self)
            .content_type("text/plain; charset=utf-8")
            .body(answer_text(self, "federation"))
    }
}
