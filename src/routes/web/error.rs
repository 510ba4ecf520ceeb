//! The web surface's one mapping of [`Error`] to a response: a small HTML page with the
//! status. Causes from inside (database, templates, bugs) are logged and shown as a bare
//! "something went wrong"; a plain-text page stands in if even the error page fails.

use super::{html, templates::val, view::Meta, view::Site};
use crate::{error::Error, routes, state::Data};
use actix_web::{http::StatusCode, HttpResponse};

/// The HTML error page for `error`.
pub fn page(data: &Data, error: &Error) -> HttpResponse {
    let status = routes::error::status(error);
    let (title, message) = match status {
        StatusCode::NOT_FOUND => (
            "Not found",
            "There is nothing to see at this address.".into(),
        ),
        StatusCode::GONE => ("Gone", "This post was deleted by its author.".into()),
        s if s.is_server_error() => {
            tracing::error!(error = %error, "web page failed");
            (
                "Something went wrong",
                "This page could not be shown just now. Please try again later.".into(),
            )
        }
        s => (
            s.canonical_reason().unwrap_or("Error"),
            routes::error::public_message(error),
        ),
    };
    let ctx = minijinja::context! {
        site => val(&Site::new(data)),
        meta => val(&Meta::new(title, message.clone())),
        title,
        message,
    };
    html(status, "error.html", ctx).unwrap_or_else(|e| {
        tracing::error!(error = %e, "error page failed");
        HttpResponse::build(status)
            .content_type("text/plain; charset=utf-8")
            .body(title)
    })
}

/// Any URL no route claims.
pub async fn not_found(data: Data) -> HttpResponse {
    page(&data, &Error::NotFound)
}
