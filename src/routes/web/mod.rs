//! The web pages and feeds for people: home, profile, one page per post, tag pages, the
//! archive, Atom and JSON Feed, and the stylesheet. Server-rendered (minijinja templates under
//! `templates/`), no JavaScript. Only the author's own posts that anyone may see are shown;
//! the queries in `db::queries::pages` make sure of that. Errors render as HTML pages.

mod archive;
mod atom;
mod comments;
mod error;
mod home;
mod json_feed;
mod login;
mod post;
mod profile;
mod style;
mod tag;
mod templates;
mod view;

pub use post::page as post_page;

use crate::error::{Error, Result};
use crate::state::Data;
use actix_web::{http::StatusCode, web, HttpResponse};
use serde::Deserialize;

/// Posts per page on the home, profile and tag pages.
pub const PAGE_SIZE: i64 = 20;
/// Posts in each feed.
pub const FEED_SIZE: i64 = 50;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home::get))
        .route("/@{username}", web::get().to(profile::get))
        .route("/tags/{tag}", web::get().to(tag::get))
        .route("/archive", web::get().to(archive::get))
        .route("/feed.atom", web::get().to(atom::get))
        .route("/feed.json", web::get().to(json_feed::get))
        .route("/static/style.css", web::get().to(style::css))
        .route("/static/avatar.png", web::get().to(style::avatar))
        .route("/static/header.png", web::get().to(style::header))
        .route("/oauth/authorize", web::get().to(login::get))
        .route("/oauth/authorize", web::post().to(login::post))
        .default_service(web::to(error::not_found));
}

/// Renders `template` into an HTML response (the security headers are added by
/// [`crate::routes::headers`]).
/// A page rendered this way is the same for every reader ([`crate::routes::cache::shared`]).
fn html(status: StatusCode, template: &str, ctx: minijinja::Value) -> Result<HttpResponse> {
    html_with_csp(status, template, ctx, crate::routes::headers::CSP)
        .map(crate::routes::cache::shared)
}

/// [`html`] with a page's own Content-Security-Policy.
fn html_with_csp(
    status: StatusCode,
    template: &str,
    ctx: minijinja::Value,
    csp: &str,
) -> Result<HttpResponse> {
    let body = templates::render(template, ctx)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Content-Security-Policy", csp))
        .body(body))
}

/// A handler's outcome, errors as the HTML error page.
fn respond(data: &Data, result: Result<HttpResponse>) -> HttpResponse {
    result.unwrap_or_else(|e| error::page(data, &e))
}

/// `?page=N` on paged lists (1 when absent).
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

impl PageQuery {
    /// The page number; anything but a positive whole number is a page that does not exist.
    fn number(&self) -> Result<i64> {
        match self.page.as_deref() {
            None | Some("") => Ok(1),
            Some(n) => n
                .parse::<u32>()
                .ok()
                .filter(|&n| n >= 1)
                .map(i64::from)
                .ok_or(Error::NotFound),
        }
    }

    fn offset(&self) -> Result<(i64, i64)> {
        let page = self.number()?;
        Ok((page, (page - 1) * PAGE_SIZE))
    }
}

/// The newest posts of the feeds.
async fn feed_posts(data: &Data) -> Result<Vec<view::PostView>> {
    let rows = data
        .db
        .run(|c| {
            let rows = crate::db::queries::pages::listed_posts(c, 0, FEED_SIZE)?;
            crate::db::queries::posts::load(c, rows, None)
        })
        .await?;
    Ok(rows.iter().map(|r| view::PostView::new(data, r)).collect())
}
