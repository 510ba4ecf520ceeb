//! Reading statuses: one status, its source and edit history, its thread context, and who
//! favourited or boosted it. Reads only, through `db::queries`.

use super::{load, own, render_one};
use crate::{
    db::{
        models::*,
        queries::{self, objects},
    },
    domain::visibility::Reader,
    routes::mastodon::{
        auth::{Auth, MaybeAuth},
        entities::{account, status, time, Ctx},
        ApiResult,
    },
    state::Data,
};
use actix_web::{web::Path, HttpResponse};
use serde_json::json;

/// [`GET /api/v1/statuses/:id`](https://docs.joinmastodon.org/methods/statuses/#get): one status,
/// if the caller may read it.
pub async fn get(data: Data, auth: MaybeAuth, id: Path<String>) -> ApiResult<HttpResponse> {
    let post = load(&data, id.into_inner(), auth.is_author("read:statuses")).await?;
    Ok(HttpResponse::Ok().json(render_one(&data, post).await?))
}

/// [`GET /api/v1/statuses/:id/source`](https://docs.joinmastodon.org/methods/statuses/#source): the
/// text of one of the author's posts as typed, for editing.
pub async fn source(data: Data, auth: Auth, id: Path<String>) -> ApiResult<HttpResponse> {
    auth.require("read:statuses")?;
    let post = own(&data, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(json!({
        "id": post.id.to_string(),
        "text": post.source.clone().unwrap_or_default(),
        "spoiler_text": status::spoiler_of(&post),
    })))
}

/// [`GET /api/v1/statuses/:id/history`](https://docs.joinmastodon.org/methods/statuses/#history):
/// every version, oldest first, the current one last.
pub async fn history(data: Data, auth: MaybeAuth, id: Path<String>) -> ApiResult<HttpResponse> {
    let post = load(&data, id.into_inner(), auth.is_author("read:statuses")).await?;
    let state = data.app_data().clone();
    let versions = data
        .db
        .run(move |c| {
            let mut ctx = Ctx::new(&state);
            let current = status::render(c, &mut ctx, &post)?;
            let mut out: Vec<serde_json::Value> = objects::versions(c, post.id)?
                .into_iter()
                .map(|v| {
                    let old = DbObject {
                        name: v.name,
                        summary: v.summary,
                        content: v.content,
                        sensitive: v.sensitive,
                        ..post.clone()
                    };
                    json!({
                        "content": status::display_content(&old),
                        "spoiler_text": status::spoiler_of(&old),
                        "sensitive": old.sensitive,
                        "created_at": time(v.valid_from),
                        "account": current.account,
                        "media_attachments": current.media_attachments,
                        "emojis": [],
                    })
                })
                .collect();
            out.push(json!({
                "content": current.content,
                "spoiler_text": current.spoiler_text,
                "sensitive": current.sensitive,
                "created_at": current.edited_at.clone().unwrap_or(current.created_at.clone()),
                "account": current.account,
                "media_attachments": current.media_attachments,
                "emojis": [],
            }));
            Ok(out)
        })
        .await?;
    Ok(HttpResponse::Ok().json(versions))
}

/// [`GET /api/v1/statuses/:id/context`](https://docs.joinmastodon.org/methods/statuses/#context):
/// ancestors (oldest first) and descendants (in thread order): a perch post's comments are its
/// descendants. Anonymous callers see only what the web page shows.
pub async fn context(data: Data, auth: MaybeAuth, id: Path<String>) -> ApiResult<HttpResponse> {
    let author = auth.is_author("read:statuses");
    let object = load(&data, id.into_inner(), author).await?;
    let state = data.app_data().clone();
    let body = data
        .db
        .run(move |c| {
            let shown = |o: &DbObject| o.readable_by(Reader::author_if(author));
            let mut ancestors = Vec::new();
            let mut cursor = object.clone();
            while let Some(parent) = match (cursor.parent_id, &cursor.in_reply_to) {
                (Some(id), _) => objects::by_id(c, id)?,
                (None, Some(ap)) => objects::by_ap_id(c, ap)?,
                _ => None,
            } {
                if ancestors.len() > 64 || ancestors.iter().any(|a: &DbObject| a.id == parent.id) {
                    break;
                }
                ancestors.push(parent.clone());
                cursor = parent;
            }
            ancestors.reverse();
            let root = object.thread_root_id.unwrap_or(object.id);
            let thread = objects::thread(c, root)?;
            let mut below = vec![object.id];
            let mut descendants = Vec::new();
            // The thread is in date order, so parents come before their answers.
            for o in thread {
                // What sits under a comment the caller may not see stays out with it.
                if o.parent_id.is_some_and(|p| below.contains(&p)) && shown(&o) {
                    below.push(o.id);
                    descendants.push(o);
                }
            }
            let mut ctx = Ctx::new(&state);
            let ancestors: Vec<DbObject> = ancestors.into_iter().filter(|o| shown(o)).collect();
            Ok(json!({
                "ancestors": status::render_all(c, &mut ctx, &ancestors)?,
                "descendants": status::render_all(c, &mut ctx, &descendants)?,
            }))
        })
        .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// Who liked (`favourited_by`) or boosted (`reblogged_by`) a status.
async fn reactors(
    data: Data,
    auth: MaybeAuth,
    id: String,
    kind: &'static str,
) -> ApiResult<HttpResponse> {
    let object = load(&data, id, auth.is_author("read:statuses")).await?;
    let state = data.app_data().clone();
    let accounts = data
        .db
        .run(move |c| {
            let who = queries::reactions::reactors(c, object.id, kind, 80)?;
            who.iter()
                .map(|a| account::render(c, &state, a))
                .collect::<crate::error::Result<Vec<_>>>()
        })
        .await?;
    Ok(HttpResponse::Ok().json(accounts))
}

/// [`GET /api/v1/statuses/:id/favourited_by`](https://docs.joinmastodon.org/methods/statuses/#favourited_by):
/// who liked the status.
pub async fn favourited_by(
    data: Data,
    auth: MaybeAuth,
    id: Path<String>,
) -> ApiResult<HttpResponse> {
    reactors(data, auth, id.into_inner(), LIKE).await
}

/// [`GET /api/v1/statuses/:id/reblogged_by`](https://docs.joinmastodon.org/methods/statuses/#reblogged_by):
/// who boosted the status.
pub async fn reblogged_by(
    data: Data,
    auth: MaybeAuth,
    id: Path<String>,
) -> ApiResult<HttpResponse> {
    reactors(data, auth, id.into_inner(), ANNOUNCE).await
}
