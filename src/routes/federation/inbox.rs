//! `POST /inbox` (shared) and `POST /users/{name}/inbox` (ActivityPub §7): 202 once verified
//! and handled, 401 for a signature that does not hold, 4xx with a reason for bad input.

use crate::{
    apub::inbox::receive,
    error::{Error, Result},
    state::Data,
};
use actix_web::{web, HttpRequest, HttpResponse};

pub async fn shared(req: HttpRequest, body: web::Bytes, data: Data) -> Result<HttpResponse> {
    handle(req, body, data).await
}

pub async fn personal(
    name: web::Path<String>,
    req: HttpRequest,
    body: web::Bytes,
    data: Data,
) -> Result<HttpResponse> {
    if *name != data.settings.actor.username {
        return Err(Error::NotFound);
    }
    handle(req, body, data).await
}

async fn handle(req: HttpRequest, body: web::Bytes, data: Data) -> Result<HttpResponse> {
    let client = data.limits.key(&req);
    match receive(super::incoming(&req), &client, &body, &data).await {
        Ok(()) => Ok(HttpResponse::Accepted().finish()),
        Err(e) => {
            if crate::routes::error::status(&e).is_client_error() {
                tracing::info!(error = %e, "inbox refused a request");
            }
            Err(e)
        }
    }
}
