//! The ActivityPub endpoints: the actor, its inboxes, its collections, and every object and
//! activity at its own URL. Answers carry the ActivityStreams media type the client asked for.

mod actor;
mod collections;
mod inbox;
mod objects;
mod thread;

use crate::{
    apub::{signatures::IncomingRequest, signed_fetch, ACTIVITY_JSON, LD_JSON},
    error::Result,
    state::Data,
};
use actix_web::{web, HttpRequest, HttpResponse};

/// The inbox body limit.
pub const INBOX_BODY_LIMIT: usize = 1 << 20;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PayloadConfig::new(INBOX_BODY_LIMIT))
        .route("/inbox", web::post().to(inbox::shared))
        .route("/users/{name}/inbox", web::post().to(inbox::personal))
        .route("/users/{name}", web::get().to(actor::get))
        .route("/users/{name}/outbox", web::get().to(collections::outbox))
        .route(
            "/users/{name}/followers",
            web::get().to(collections::followers),
        )
        .route(
            "/users/{name}/following",
            web::get().to(collections::following),
        )
        .route("/posts/{id}", web::get().to(objects::post))
        .route("/posts/{id}/replies", web::get().to(thread::replies))
        .route("/posts/{id}/{which}", web::get().to(thread::reactions))
        .route("/activities/{id}", web::get().to(objects::activity));
}

/// The request as signature checks see it.
pub fn incoming(req: &HttpRequest) -> IncomingRequest {
    IncomingRequest {
        method: req.method().as_str().to_owned(),
        path_and_query: req
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| req.path().to_owned()),
        headers: req
            .headers()
            .iter()
            .filter_map(|(n, v)| {
                Some((n.as_str().to_ascii_lowercase(), v.to_str().ok()?.to_owned()))
            })
            .collect(),
    }
}

/// With authorized fetch on, 401 or 403 unless the GET is signed by an actor who is not
/// blocked (see [`signed_fetch`]).
pub async fn authorize(req: &HttpRequest, data: &Data) -> Result<()> {
    signed_fetch::require_signed_fetch(&incoming(req), &data.limits.key(req), data)
        .await
        .map(drop)
}

/// Who is reading: the verified signer of the GET, if it is signed (whatever authorized fetch
/// says), so that followers-only and direct posts can be shown to those they are for.
pub async fn reader(req: &HttpRequest, data: &Data) -> Result<Option<crate::db::models::DbActor>> {
    let (request, client) = (incoming(req), data.limits.key(req));
    match signed_fetch::require_signed_fetch(&request, &client, data).await? {
        Some(actor) => Ok(Some(actor)),
        None => signed_fetch::optional_signer(&request, &client, data).await,
    }
}

/// The request's `Accept` header ("" when absent or not text).
pub fn accept_header(req: &HttpRequest) -> &str {
    req.headers()
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// A JSON answer with the ActivityStreams media type the request asked for.
pub fn activity_json(req: &HttpRequest, body: &serde_json::Value) -> HttpResponse {
    let accept = accept_header(req);
    let content_type = if accept.contains("application/ld+json") && !accept.contains(ACTIVITY_JSON)
    {
        LD_JSON
    } else {
        ACTIVITY_JSON
    };
    crate::routes::cache::shared(
        HttpResponse::Ok()
            .content_type(content_type)
            .insert_header(("Vary", "Accept"))
            .json(body),
    )
}
