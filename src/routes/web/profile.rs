//! `GET /@{username}`: the profile page (the actor's `url`), with a `rel="me"` link for each
//! of `actor.links` so that other sites can verify they belong to the same person.

use super::{
    home::{self, Address},
    respond, PageQuery,
};
use crate::{error::Error, state::Data};
use actix_web::{web, HttpResponse};

pub async fn get(
    username: web::Path<String>,
    query: web::Query<PageQuery>,
    data: Data,
) -> HttpResponse {
    let result = if *username == data.settings.actor.username {
        home::page(&data, &query, Address::Profile).await
    } else {
        Err(Error::NotFound)
    };
    respond(&data, result)
}
