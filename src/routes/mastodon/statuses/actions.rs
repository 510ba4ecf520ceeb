//! Favouriting and boosting a status and undoing either, through `services::react`.

use super::{load, render_one};
use crate::{
    routes::mastodon::{auth::Auth, ApiResult},
    services::react,
    state::Data,
};
use actix_web::{web::Path, HttpResponse};

async fn reacted(
    data: Data,
    auth: Auth,
    id: String,
    scope: &str,
    act: Act,
) -> ApiResult<HttpResponse> {
    auth.require(scope)?;
    let object = load(&data, id, true).await?;
    let after = match act {
        Act::Favourite => react::favourite(&data, object.id).await?,
        Act::Unfavourite => react::unfavourite(&data, object.id).await?,
        Act::Reblog => react::reblog(&data, object.id).await?,
        Act::Unreblog => react::unreblog(&data, object.id).await?,
    };
    Ok(HttpResponse::Ok().json(render_one(&data, after).await?))
}

#[derive(Clone, Copy)]
enum Act {
    Favourite,
    Unfavourite,
    Reblog,
    Unreblog,
}

/// [`POST /api/v1/statuses/:id/favourite`](https://docs.joinmastodon.org/methods/statuses/#favourite):
/// likes a status (a held comment is approved).
pub async fn favourite(data: Data, auth: Auth, id: Path<String>) -> ApiResult<HttpResponse> {
    reacted(
        data,
        auth,
        id.into_inner(),
        "write:favourites",
        Act::Favourite,
    )
    .await
}

/// [`POST /api/v1/statuses/:id/unfavourite`](https://docs.joinmastodon.org/methods/statuses/#unfavourite):
/// takes the like back.
pub async fn unfavourite(data: Data, auth: Auth, id: Path<String>) -> ApiResult<HttpResponse> {
    reacted(
        data,
        auth,
        id.into_inner(),
        "write:favourites",
        Act::Unfavourite,
    )
    .await
}

/// [`POST /api/v1/statuses/:id/reblog`](https://docs.joinmastodon.org/methods/statuses/#boost):
/// boosts a status.
pub async fn reblog(data: Data, auth: Auth, id: Path<String>) -> ApiResult<HttpResponse> {
    reacted(data, auth, id.into_inner(), "write:statuses", Act::Reblog).await
}

/// [`POST /api/v1/statuses/:id/unreblog`](https://docs.joinmastodon.org/methods/statuses/#unreblog):
/// takes the boost back.
pub async fn unreblog(data: Data, auth: Auth, id: Path<String>) -> ApiResult<HttpResponse> {
    reacted(data, auth, id.into_inner(), "write:statuses", Act::Unreblog).await
}
