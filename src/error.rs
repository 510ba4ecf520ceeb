//! The one internal error type, and its policy.
//!
//! Every layer returns [`Error`]; it keeps its cause for the logs. Nothing here knows HTTP:
//! `routes::error` gives each variant its status and what a caller may be told of it, and each
//! surface answers it once in its own way (federation: a short plain-text reason; the
//! Mastodon API: `{"error": …}`; the web: an HTML page). Causes that come from inside (database, I/O, our own
//! bugs) are logged in full and answered as a bare 500, so internals never leak to the network.
//! Input from the network is never a reason to panic: it is a `BadRequest`, `Unauthorized`,
//! `Forbidden` or `PayloadTooLarge` with a message saying what was wrong; a client over a rate
//! limit gets `TooManyRequests` (429 with `Retry-After`). Text that came from another server
//! (a fetched document, its parse error) never goes into an answer: such errors are answered
//! with the status's own reason and logged at debug.

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
    /// The database cannot be opened: the server's own words, with the location (no password).
    #[error("database: {0}")]
    Connect(String),
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
    /// Our own failure (a bug, a broken invariant, a template): logged, answered as a bare 500.
    #[error(transparent)]
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The `Retry-After` of a 503 [`Error::Unavailable`], in seconds.
pub const UNAVAILABLE_RETRY_AFTER: u64 = 60;

impl Error {
    /// Our own failure, keeping its cause (an error, or words saying what broke).
    pub fn internal(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Error {
        Error::Internal(e.into())
    }

    /// A short fixed word for what went wrong, for metrics and logs (never the message).
    pub fn label(&self) -> &'static str {
        match self {
            Error::NotFound => "not_found",
            Error::Gone => "gone",
            Error::BadRequest(_) | Error::Import { .. } | Error::Json(_) => "bad_request",
            Error::Unauthorized(_) => "unauthorized",
            Error::Forbidden(_) => "forbidden",
            Error::PayloadTooLarge(_) => "too_large",
            Error::Unprocessable(_) => "unprocessable",
            Error::TooManyRequests(_) => "rate_limited",
            Error::Unavailable(_) => "unavailable",
            Error::Federation(_) | Error::Http(_) => "remote",
            Error::Database(_)
            | Error::Connect(_)
            | Error::Pool(_)
            | Error::Migration(_)
            | Error::Key(_)
            | Error::Config(_)
            | Error::Io(_)
            | Error::Internal(_) => "internal",
        }
    }

    /// Seconds the client should wait before trying again (for `Retry-After`).
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Error::TooManyRequests(secs) => Some(*secs),
            Error::Unavailable(_) => Some(UNAVAILABLE_RETRY_AFTER),
            _ => None,
        }
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
        Error::Internal(Box::new(e))
    }
}
