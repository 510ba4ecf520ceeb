//! Timelines: home (the author's posts and those of the accounts they follow), public (the
//! author's public posts: perch is a one-person instance), a hashtag's, and an account's.

use super::{
    auth::{Auth, MaybeAuth},
    entities::{status, Ctx},
    paging::{self, Page},
    params::Params,
    ApiResult,
};
use crate::{
    db::{
        queries::{
            timelines::{self, Timeline},
            visibility::Viewer,
        },
        Conn,
    },
    error::Result,
    state::Data,
};
use actix_web::{web::Path, HttpRequest, HttpResponse};

/// Reads a page of `timeline` and answers with the statuses and their Link header.
async fn answer(
    data: &Data,
    req: &HttpRequest,
    page: Page,
    timeline: Timeline,
) -> ApiResult<HttpResponse> {
    let state = data.app_data().clone();
    let (statuses, ids) = data
        .db
        .run(move |c: &mut Conn| -> Result<_> {
            let rows = timelines::page(c, timeline, page)?;
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            Ok((status::render_all(c, &mut Ctx::new(&state), &rows)?, ids))
        })
        .await?;
    Ok(paging::respond(data, req, &statuses, &ids))
}

/// [`GET /api/v1/timelines/home`](https://docs.joinmastodon.org/methods/timelines/#home): the
/// author's posts and those of the accounts they follow.
pub async fn home(
    data: Data,
    auth: Auth,
    req: HttpRequest,
    params: Params,
) -> ApiResult<HttpResponse> {
    auth.require("read:statuses")?;
    let page = paging::read(&params, 20, 40)?;
    answer(&data, &req, page, Timeline::Home).await
}

/// [`GET /api/v1/timelines/public`](https://docs.joinmastodon.org/methods/timelines/#public):
/// public posts, the author's (or with `remote=true`, those of others perch has).
pub async fn public(
    data: Data,
    _auth: MaybeAuth,
    req: HttpRequest,
    params: Params,
) -> ApiResult<HttpResponse> {
    let page = paging::read(&params, 20, 40)?;
    let timeline = Timeline::Public {
        remote: params.bool("remote")?.unwrap_or(false),
        only_media: params.bool("only_media")?.unwrap_or(false),
    };
    answer(&data, &req, page, timeline).await
}

/// [`GET /api/v1/timelines/tag/:hashtag`](https://docs.joinmastodon.org/methods/timelines/#tag):
/// the public posts with a hashtag.
pub async fn tag(
    data: Data,
    _auth: MaybeAuth,
    req: HttpRequest,
    tag: Path<String>,
    params: Params,
) -> ApiResult<HttpResponse> {
    let page = paging::read(&params, 20, 40)?;
    let name = tag.into_inner().to_lowercase();
    answer(&data, &req, page, Timeline::Tag(name)).await
}

/// [`GET /api/v1/accounts/:id/statuses`](https://docs.joinmastodon.org/methods/accounts/#statuses):
/// an account's statuses (`exclude_replies`, `only_media`, `pinned`).
pub async fn of_account(
    data: Data,
    auth: MaybeAuth,
    req: HttpRequest,
    id: Path<String>,
    params: Params,
) -> ApiResult<HttpResponse> {
    let mut page = paging::read(&params, 20, 40)?;
    let Ok(actor) = id.parse::<i64>() else {
        return Err(super::ApiError::not_found());
    };
    // perch has no pinned posts.
    if params.bool("pinned")?.unwrap_or(false) {
        page.limit = 0;
    }
    let timeline = Timeline::Account {
        actor,
        viewer: Viewer::author_if(auth.is_author("read:statuses")),
        exclude_replies: params.bool("exclude_replies")?.unwrap_or(false),
        only_media: params.bool("only_media")?.unwrap_or(false),
    };
    answer(&data, &req, page, timeline).await
}
