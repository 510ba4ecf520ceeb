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
    db::{models::*, schema, Conn},
    error::Result,
    paged,
    state::{AppState, Data},
};
use actix_web::{web::Path, HttpRequest, HttpResponse};
use diesel::prelude::*;

type Query<'a> = schema::objects::BoxedQuery<'a, diesel::sqlite::Sqlite>;

/// Live objects, without hidden comments (pending ones only for the author).
fn live<'a>(author: bool) -> Query<'a> {
    use schema::objects::dsl as o;
    let q = o::objects
        .filter(o::deleted_at.is_null())
        .filter(o::moderation.is_null().or(o::moderation.ne(HIDDEN)))
        .into_boxed();
    if author {
        q
    } else {
        q.filter(o::visibility.eq_any(["public", "unlisted"]))
            .filter(o::moderation.is_null().or(o::moderation.ne(PENDING)))
    }
}

/// Runs a timeline query for `page` and answers with the statuses and their Link header.
async fn answer(
    data: &Data,
    req: &HttpRequest,
    page: Page,
    build: impl FnOnce(&AppState) -> Query<'static> + Send + 'static,
) -> ApiResult<HttpResponse> {
    let state = data.app_data().clone();
    let (statuses, ids) = data
        .db
        .run(move |c: &mut Conn| -> Result<_> {
            use schema::objects::dsl as o;
            let rows: Vec<DbObject> = paged!(build(&state), o::id, page)
                .select(DbObject::as_select())
                .load(c)?;
            let rows = page.finish(rows);
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            Ok((status::render_all(c, &mut Ctx::new(&state), &rows)?, ids))
        })
        .await?;
    Ok(paging::respond(data, req, &statuses, &ids))
}

pub async fn home(
    data: Data,
    auth: Auth,
    req: HttpRequest,
    params: Params,
) -> ApiResult<HttpResponse> {
    auth.require("read:statuses")?;
    let page = Page::read(&params, 20, 40)?;
    answer(&data, &req, page, |_| {
        use schema::follows::dsl as f;
        use schema::objects::dsl as o;
        let followed = f::follows
            .filter(f::direction.eq(OUTGOING).and(f::state.eq(ACCEPTED)))
            .select(f::actor_id);
        live(true).filter(
            o::local.eq(true).or(o::actor_id
                .eq_any(followed)
                .and(o::thread_root_id.is_null())),
        )
    })
    .await
}

pub async fn public(
    data: Data,
    _auth: MaybeAuth,
    req: HttpRequest,
    params: Params,
) -> ApiResult<HttpResponse> {
    let page = Page::read(&params, 20, 40)?;
    let remote_only = params.bool("remote")?.unwrap_or(false);
    let only_media = params.bool("only_media")?.unwrap_or(false);
    answer(&data, &req, page, move |_| {
        use schema::objects::dsl as o;
        let q = live(false)
            .filter(o::visibility.eq("public"))
            .filter(o::local.eq(!remote_only))
            .filter(o::thread_root_id.is_null());
        with_media(q, only_media)
    })
    .await
}

pub async fn tag(
    data: Data,
    _auth: MaybeAuth,
    req: HttpRequest,
    tag: Path<String>,
    params: Params,
) -> ApiResult<HttpResponse> {
    let page = Page::read(&params, 20, 40)?;
    let name = tag.into_inner().to_lowercase();
    answer(&data, &req, page, move |_| {
        use schema::hashtags::dsl as h;
        use schema::objects::dsl as o;
        let tagged = h::hashtags.filter(h::name.eq(name)).select(h::object_id);
        live(false)
            .filter(o::visibility.eq("public"))
            .filter(o::id.eq_any(tagged))
    })
    .await
}

fn with_media(q: Query<'static>, only_media: bool) -> Query<'static> {
    use schema::media::dsl as m;
    use schema::objects::dsl as o;
    if only_media {
        q.filter(o::id.nullable().eq_any(m::media.select(m::object_id)))
    } else {
        q
    }
}

/// `GET /api/v1/accounts/:id/statuses` (`exclude_replies`, `only_media`, `pinned`).
pub async fn of_account(
    data: Data,
    auth: MaybeAuth,
    req: HttpRequest,
    id: Path<String>,
    params: Params,
) -> ApiResult<HttpResponse> {
    let page = Page::read(&params, 20, 40)?;
    let Ok(actor) = id.parse::<i64>() else {
        return Err(super::ApiError::not_found());
    };
    let author = auth.is_author("read:statuses");
    let exclude_replies = params.bool("exclude_replies")?.unwrap_or(false);
    let only_media = params.bool("only_media")?.unwrap_or(false);
    // perch has no pinned posts.
    let pinned = params.bool("pinned")?.unwrap_or(false);
    answer(&data, &req, page, move |_| {
        use schema::objects::dsl as o;
        let mut q = live(author).filter(o::actor_id.eq(actor));
        if exclude_replies {
            q = q.filter(o::in_reply_to.is_null());
        }
        if pinned {
            q = q.filter(o::id.eq(-1));
        }
        with_media(q, only_media)
    })
    .await
}
