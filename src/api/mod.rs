//! The Mastodon client API: what Mastodon apps (Tusky, Ivory, Elk, Phanpy, toot, Mastodon.py…)
//! call to log in, post, edit, delete, upload, read timelines and notifications, and moderate
//! comments. OAuth lives in `oauth`, Mastodon's JSON shapes in `entities`, one file per group of
//! endpoints beside them. Errors answer `{"error": "..."}` ([`ApiError`]); CORS is open, as on
//! Mastodon, because browser apps call from their own origin with a bearer token (no cookies).

pub mod auth;
mod error;
pub mod limits;
pub mod oauth;
pub mod params;
pub mod scopes;

pub use error::{ApiError, ApiResult};

use actix_web::web::{self, ServiceConfig};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        web::scope("/api")
            .wrap(cors())
            .route("/v1/apps", web::post().to(oauth::apps::create))
            .route(
                "/v1/apps/verify_credentials",
                web::get().to(oauth::apps::verify_credentials),
            )
            .default_service(web::to(not_found)),
    )
    .service(
        web::scope("/oauth")
            .wrap(cors())
            .route("/token", web::post().to(oauth::token::token))
            .route("/revoke", web::post().to(oauth::token::revoke)),
    )
    .route(
        "/.well-known/oauth-authorization-server",
        web::get().to(oauth::metadata),
    );
}

fn cors() -> actix_cors::Cors {
    actix_cors::Cors::default()
        .allow_any_origin()
        .allow_any_method()
        .allow_any_header()
        .expose_headers(["Link", "Retry-After", "X-RateLimit-Remaining"])
        .max_age(3600)
}

/// An API path perch does not have: Mastodon's 404 body.
async fn not_found() -> ApiResult<actix_web::HttpResponse> {
    Err(ApiError::not_found())
}
