//! `GET /posts/{id}` and `GET /activities/{id}`: each public object and activity at its own
//! URL. Followers-only and direct posts (and their Creates) are not shown to unsigned readers.
//! A post's URL is also its web page: a request that does not ask for ActivityStreams JSON
//! gets the HTML page from `routes::web`.

use super::activity_json;
use crate::{
    apub::{objects::post, protocol::with_context},
    db::queries::{activities, objects},
    domain::Visibility,
    error::{Error, Result},
    state::Data,
};
use actix_web::{web, HttpRequest, HttpResponse};

pub async fn post(id: web::Path<String>, req: HttpRequest, data: Data) -> Result<HttpResponse> {
    let id = id.into_inner();
    if !crate::apub::wants_activity_json(super::accept_header(&req)) {
        return Ok(crate::routes::web::post_page(&data, id).await);
    }
    let row = data
        .db
        .run(move |c| objects::by_public_id(c, &id))
        .await?
        .ok_or(Error::NotFound)?;
    let visible = Visibility::parse(&row.visibility).is_some_and(Visibility::is_public);
    if !visible {
        return Err(Error::NotFound);
    }
    let note = post::to_note(&data.urls, &row)?;
    Ok(activity_json(&req, &with_context(&note)))
}

/// Follow bookkeeping says no more than the public followers and following collections, and
/// receivers may dereference it to check an Accept or an Undo.
const FOLLOW_KINDS: [&str; 4] = ["Follow", "Accept", "Reject", "Undo"];

pub async fn activity(id: web::Path<String>, req: HttpRequest, data: Data) -> Result<HttpResponse> {
    let id = id.into_inner();
    let row = data
        .db
        .run(move |c| activities::by_public_id(c, &id))
        .await?
        .filter(|a| a.public || FOLLOW_KINDS.contains(&a.kind.as_str()))
        .ok_or(Error::NotFound)?;
    let value: serde_json::Value = serde_json::from_str(&row.data)?;
    Ok(activity_json(&req, &value))
}
