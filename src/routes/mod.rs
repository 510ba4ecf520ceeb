//! HTTP surfaces (and the page cache in front of the public ones, `cache`): discovery (`well_known`), the ActivityPub endpoints (`federation`), the
//! stored uploads (`media`) and the web pages (`web`), and the security headers every
//! response gets (`headers`); health and metrics for whoever runs it (`ops`). Handlers are thin: parse, authorise, call apub or a service,
//! shape.

pub mod cache;
pub mod error;
pub mod federation;
pub mod head;
pub mod headers;
pub mod mastodon;
pub mod media;
pub mod ops;
pub mod web;
pub mod well_known;

use actix_web::web::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    ops::configure(cfg);
    well_known::configure(cfg);
    mastodon::configure(cfg);
    media::configure(cfg);
    web::configure(cfg);
    federation::configure(cfg);
}
