//! `GET /users/{name}`: the author's `Person` (ActivityPub §4.1).

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
    let person = local_person(&data.local.actor, &data);
    Ok(activity_json(&req, &with_context(&person)))
}
