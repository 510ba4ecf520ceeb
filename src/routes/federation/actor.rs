//! `GET /users/{name}`: the author's `Person` (ActivityPub §4.1). A browser (asking for
//! HTML, not ActivityStreams) is sent to the profile page instead, as Mastodon does.

use super::activity_json;
use crate::{
    apub::{objects::actor::local_person, protocol::with_context},
    error::{Error, Result},
    state::Data,
};
use actix_web::{web, HttpRequest, HttpResponse};

pub async fn get(name: web::Path<String>, req: HttpRequest, data: Data) -> Result<HttpResponse> {
    if *name != data.settings.actor.username {
        return Err(Error::NotFound);
    }
    let accept = super::accept_header(&req);
    if accept.contains("text/html") && !crate::apub::wants_activity_json(accept) {
        return Ok(HttpResponse::SeeOther()
            .insert_header(("Location", data.urls.profile().to_string()))
            .insert_header(("Vary", "Accept"))
            .finish());
    }
    let person = local_person(&data.local.actor, &data, &data.profile());
    Ok(activity_json(&req, &with_context(&person)))
}
