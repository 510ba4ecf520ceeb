//! The one internal error type, and its policy.
//!
//! Every layer returns [`Error`]; it keeps its cause for the logs. Each HTTP surface maps it to
//! a response exactly once: the federation surface (here, [`actix_web::ResponseError`]) answers
//! a status and a short plain-text reason. Causes that come from inside (database, I/O, our own
//! bugs) are logged in full and answered as a bare 500, so internals never leak to the network.
//! Input from the network is never a reason to panic: it is a `BadRequest`, `Unauthorized`,
//! `Forbidden` or `PayloadTooLarge` with a message saying what was wrong; a client over a rate
//! limit gets `TooManyRequests` (429 with `Retry-After`). Text that came from another server
//! (a fetched document, its parse error) never goes into an answer: such errors are answered
//! with the status's own reason and logged at debug.

use actix_web::{http::StatusCode, HttpResponse, ResponseError};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not found")]
    NotFound,
    #[error("gone")]
    Gone,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("signature rejected: {0}")]
    Unauthorized(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("too large: the limit is {0} bytes")]
    PayloadTooLarge(usize),
    #[error("unprocessable: {0}")]
    Unprocessable(String),
    /// Over a rate limit; the number is the seconds to wait (sent as `Retry-After`).
    #[error("too many requests: try again in {0} s")]
    TooManyRequests(u64),
    /// Something this request needs from another server is out of reach for now (a timeout,
    /// a 5xx): 503 with `Retry-After`, so that the sender retries rather than drops it.
    #[error("unavailable: {0}")]
    Unavailable(&'static str),
    /// A file given to `perch import` that cannot be read as what it claims to be.
    #[error("{file}{}: {message}", line.map(|l| format!(", line {l}")).unwrap_or_default())]
    Import {
        file: String,
        line: Option<usize>,
        message: String,
    },
    #[error("database: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("database pool: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("database migration: {0}")]
    Migration(String),
    #[error("federation: {0}")]
    Federation(Box<activitypub_federation::error::Error>),
    #[error("http: {0}")]
    Http(#[from] reqwest::Error),
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    #[error("key: {0}")]
    Key(String),
    #[error("config: {0}")]
    Config(Box<crate::config::ConfigError>),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The `Retry-After` of a 503 [`Error::Unavailable`], in seconds.
pub const UNAVAILABLE_RETRY_AFTER: u64 = 60;

impl Error {
    pub fn internal(e: impl std::fmt::Display) -> Error {
        Error::Internal(e.to_string())
    }

    /// Seconds the client should wait before trying again (for `Retry-After`).
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Error::TooManyRequests(secs) => Some(*secs),
            Error::Unavailable(_) => Some(UNAVAILABLE_RETRY_AFTER),
            _ => None,
        }
    }

    /// What a caller (a remote server, an app, a browser) may be told of a 4xx or a 503. The
    /// federation crate's errors, JSON and HTTP errors may carry what another server sent (a
    /// fetched body, its parse error): they are logged at debug and answered with the status's
    /// own reason. Every other message is ours.
    pub fn public_message(&self) -> String {
        match self {
            Error::Federation(_) | Error::Json(_) | Error::Http(_) => {
                tracing::debug!(error = %self, "answered with a fixed reason");
                fixed_reason(self.status_code())
            }
            _ => self.to_string(),
        }
    }

    /// Whether the cause lies with the request (4xx) rather than with us.
    pub fn is_client_error(&self) -> bool {
        self.status_code().is_client_error()
    }
}

impl From<activitypub_federation::error::Error> for Error {
    fn from(e: activitypub_federation::error::Error) -> Error {
        Error::Federation(Box::new(e))
    }
}

impl From<crate::config::ConfigError> for Error {
    fn from(e: crate::config::ConfigError) -> Error {
        Error::Config(Box::new(e))
    }
}

impl From<tokio::task::JoinError> for Error {
    fn from(e: tokio::task::JoinError) -> Error {
        Error::Internal(format!("background task failed: {e}"))
    }
}

fn fixed_reason(status: StatusCode) -> String {
    status
        .canonical_reason()
        .unwrap_or("internal error")
        .to_owned()
}

impl ResponseError for Error {
    fn status_code(&self) -> StatusCode {
        use activitypub_federation::error::Error as Fed;
        match self {
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

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let text = if status.is_server_error() && !matches!(self, Error::Unavailable(_)) {
            tracing::error!(error = %self, "request failed");
            fixed_reason(status)
        } else {
            self.public_message()
        };
        let mut response = HttpResponse::build(status);
        if let Some(after) = self.retry_after() {
            response.insert_header(("Retry-After", after.to_string()));
        }
        response
            .content_type("text/plain; charset=utf-8")
            .body(text)
    }
}
