//! The Mastodon client API: what Mastodon apps (Tusky, Ivory, Elk, Phanpy, toot, Mastodon.py…)
//! call to log in, post, edit, delete, upload, read timelines and notifications, and moderate
//! comments. OAuth lives in `oauth`, Mastodon's JSON shapes in `entities`, one file per group of
//! endpoints beside them. Errors answer `{"error": "..."}` ([`ApiError`]); CORS is open, as on
//! Mastodon, because browser apps call from their own origin with a bearer token (no cookies).

mod accounts;
pub mod auth;
pub mod entities;
mod error;
mod idempotency;
mod instance;
mod media;
mod misc;
mod notifications;
pub mod oauth;
pub mod paging;
pub mod params;
mod search;
mod statuses;
mod timelines;

pub use error::{ApiError, ApiResult};

use actix_web::web::{self, ServiceConfig};

pub fn configure(cfg: &mut ServiceConfig) {
    use web::{delete, get, patch, post, put};
    cfg.service(
        web::scope("/api")
            .wrap(cors())
            .route("/v1/apps", post().to(oauth::apps::create))
            .route(
                "/v1/apps/verify_credentials",
                get().to(oauth::apps::verify_credentials),
            )
            // Accounts
            .route(
                "/v1/accounts/verify_credentials",
                get().to(accounts::verify_credentials),
            )
            .route(
                "/v1/accounts/update_credentials",
                patch().to(accounts::update_credentials),
            )
            .route("/v1/accounts/lookup", get().to(accounts::lookup))
            .route(
                "/v1/accounts/familiar_followers",
                get().to(misc::empty_authed),
            )
            .route(
                "/v1/accounts/relationships",
                get().to(accounts::relationships),
            )
            .route("/v1/accounts/{id}", get().to(accounts::get))
            .route(
                "/v1/accounts/{id}/statuses",
                get().to(timelines::of_account),
            )
            .route(
                "/v1/accounts/{id}/followers",
                get().to(accounts::followers_of),
            )
            .route(
                "/v1/accounts/{id}/following",
                get().to(accounts::following_of),
            )
            .route("/v1/accounts/{id}/follow", post().to(accounts::follow))
            .route("/v1/accounts/{id}/unfollow", post().to(accounts::unfollow))
            .route("/v1/accounts/{id}/block", post().to(accounts::block))
            .route("/v1/accounts/{id}/unblock", post().to(accounts::unblock))
            .route("/v1/follow_requests", get().to(accounts::follow_requests))
            .route(
                "/v1/follow_requests/{id}/authorize",
                post().to(accounts::authorize_request),
            )
            .route(
                "/v1/follow_requests/{id}/reject",
                post().to(accounts::reject_request),
            )
            .route("/v1/blocks", get().to(accounts::blocked_accounts))
            .route("/v1/domain_blocks", get().to(accounts::domain_blocks))
            .route("/v1/domain_blocks", post().to(accounts::block_domain))
            .route("/v1/domain_blocks", delete().to(accounts::unblock_domain))
            // Statuses
            .route("/v1/statuses", post().to(statuses::create))
            .route("/v1/statuses/{id}", get().to(statuses::get))
            .route("/v1/statuses/{id}", put().to(statuses::update))
            .route("/v1/statuses/{id}", delete().to(statuses::delete))
            .route("/v1/statuses/{id}/source", get().to(statuses::source))
            .route("/v1/statuses/{id}/history", get().to(statuses::history))
            .route("/v1/statuses/{id}/context", get().to(statuses::context))
            .route(
                "/v1/statuses/{id}/favourite",
                post().to(statuses::favourite),
            )
            .route(
                "/v1/statuses/{id}/unfavourite",
                post().to(statuses::unfavourite),
            )
            .route("/v1/statuses/{id}/reblog", post().to(statuses::reblog))
            .route("/v1/statuses/{id}/unreblog", post().to(statuses::unreblog))
            .route(
                "/v1/statuses/{id}/favourited_by",
                get().to(statuses::favourited_by),
            )
            .route(
                "/v1/statuses/{id}/reblogged_by",
                get().to(statuses::reblogged_by),
            )
            // Media
            .route("/v1/media", post().to(media::upload))
            .route("/v2/media", post().to(media::upload))
            .route("/v1/media/{id}", get().to(media::get))
            .route("/v1/media/{id}", put().to(media::update))
            // Timelines, notifications, markers
            .route("/v1/timelines/home", get().to(timelines::home))
            .route("/v1/timelines/public", get().to(timelines::public))
            .route("/v1/timelines/tag/{tag}", get().to(timelines::tag))
            .route("/v1/notifications", get().to(notifications::list))
            .route("/v1/notifications/clear", post().to(notifications::clear))
            .route(
                "/v1/notifications/unread_count",
                get().to(notifications::unread_count),
            )
            .route("/v2/notifications", get().to(notifications::grouped))
            .route("/v2/notifications/policy", get().to(notifications::policy))
            .route("/v1/notifications/policy", get().to(notifications::policy))
            .route(
                "/v2/notifications/unread_count",
                get().to(notifications::unread_count),
            )
            .route("/v1/notifications/requests", get().to(misc::empty_authed))
            .route("/v1/notifications/{id}", get().to(notifications::get))
            .route(
                "/v1/notifications/{id}/dismiss",
                post().to(notifications::dismiss),
            )
            .route("/v1/markers", get().to(misc::markers))
            .route("/v1/markers", post().to(misc::save_markers))
            // Instance and discovery
            .route("/v1/instance", get().to(instance::v1))
            .route("/v2/instance", get().to(instance::v2))
            .route("/v1/instance/peers", get().to(instance::peers))
            .route("/v1/instance/rules", get().to(misc::empty))
            .route("/v1/custom_emojis", get().to(misc::empty))
            .route("/v2/search", get().to(search::v2))
            .route("/v1/preferences", get().to(misc::preferences))
            .route("/v1/favourites", get().to(misc::favourites))
            .route("/v1/trends", get().to(misc::empty))
            .route("/v1/trends/tags", get().to(misc::empty))
            .route("/v1/trends/statuses", get().to(misc::empty))
            .route("/v1/trends/links", get().to(misc::empty))
            .route("/v1/announcements", get().to(misc::empty_authed))
            .route("/v1/lists", get().to(misc::empty_authed))
            .route("/v1/lists/{id}", get().to(misc::none_here))
            .route("/v1/filters", get().to(misc::empty_authed))
            .route("/v2/filters", get().to(misc::empty_authed))
            .route("/v2/filters/{id}", get().to(misc::none_here))
            .route("/v1/bookmarks", get().to(misc::empty_authed))
            .route("/v1/conversations", get().to(misc::empty_authed))
            .route("/v1/mutes", get().to(misc::empty_authed))
            .route("/v1/followed_tags", get().to(misc::empty_authed))
            .route("/v1/featured_tags", get().to(misc::empty_authed))
            .route("/v2/suggestions", get().to(misc::empty_authed))
            .route("/v1/scheduled_statuses", get().to(misc::empty_authed))
            .route("/v1/endorsements", get().to(misc::empty_authed))
            .route("/v1/accounts/{id}/featured_tags", get().to(misc::empty))
            .route("/v1/accounts/{id}/lists", get().to(misc::empty_authed))
            .route("/v1/directory", get().to(misc::empty))
            .route("/v1/instance/activity", get().to(misc::empty))
            .route(
                "/v1/instance/translation_languages",
                get().to(misc::empty_object),
            )
            .route(
                "/v1/instance/extended_description",
                get().to(instance::extended_description),
            )
            .default_service(web::to(not_found)),
    )
    .service(
        web::resource("/oauth/token")
            .wrap(cors())
            .route(post().to(oauth::token::token)),
    )
    .service(
        web::resource("/oauth/revoke")
            .wrap(cors())
            .route(post().to(oauth::token::revoke)),
    )
    .route(
        "/.well-known/oauth-authorization-server",
        get().to(oauth::metadata),
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
