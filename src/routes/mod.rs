//! HTTP surfaces: discovery (`well_known`), the ActivityPub endpoints (`federation`) and the
//! web pages (`web`). Handlers are thin: parse, authorise, call apub or a service, shape.

pub mod federation;
pub mod web;
pub mod well_known;

use actix_web::web::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    well_known::configure(cfg);
    // Before federation: its scope("") claims every path it is offered, so routes
    // registered after it are never reached.
    web::configure(cfg);
    federation::configure(cfg);
}
