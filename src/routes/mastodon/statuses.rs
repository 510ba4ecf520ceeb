//! `/api/v1/statuses`: posting (a note, or an article when the text opens with a `# Title`
//! line; Markdown notes with `content_type: text/markdown`), reading, editing with history and
//! source, deleting, thread context, favourites and boosts. On a comment, `DELETE` hides it
//! and favouriting a held one approves it: that is how the author moderates from an app.

use super::{
    auth::{Auth, MaybeAuth},
    entities::{account, status, time, Ctx},
    idempotency,
    params::Params,
    ApiError, ApiResult,
};
use crate::{
    db::{
        models::*,
        queries::{self, objects},
        Conn,
    },
    domain::{visibility::Reader, Visibility},
    error::Error,
    services::{compose::Source, edit, moderation, publish, react},
    state::Data,
};
use actix_web::{web::Path, HttpRequest, HttpResponse};
use serde_json::json;

/// Renders one stored object as a Status.
pub async fn render_one(data: &Data, object: DbObject) -> ApiResult<status::Status> {
    let state = data.app_data().clone();
    Ok(data
        .db
        .run(move |c| status::render(c, &mut Ctx::new(&state), &object))
        .await?)
}

/// The live object `id`, if the caller may read it.
pub fn find(c: &mut Conn, id: &str, author: bool) -> crate::error::Result<DbObject> {
    let id: i64 = id.parse().map_err(|_| Error::NotFound)?;
    objects::by_id(c, id)?
        .filter(|o| o.readable_by(Reader::author_if(author)))
        .ok_or(Error::NotFound)
}

async fn load(data: &Data, id: String, author: bool) -> ApiResult<DbObject> {
    Ok(data.db.run(move |c| find(c, &id, author)).await?)
}

/// What the app's text is: an article if it opens with a level-1 heading, else a note.
fn source_for(text: &str, content_type: Option<&str>) -> Source {
    let first = text.trim_start().lines().next().unwrap_or("");
    if first.starts_with("# ") && first.len() > 2 {
        return Source::Article {
            markdown: text.to_owned(),
        };
    }
    Source::Note {
        text: text.to_owned(),
        markdown: content_type.is_some_and(|t| t.eq_ignore_ascii_case("text/markdown")),
    }
}

pub async fn create(
    data: Data,
    auth: Auth,
    req: HttpRequest,
    params: Params,
) -> ApiResult<HttpResponse> {
    auth.require("write:statuses")?;
    let key = idempotency::key(&req);
    let _one_at_a_time = match &key {
        Some(_) => Some(idempotency::serialise().await),
        None => None,
    };
    if let Some(key) = key.clone() {
        if let Some(post) = idempotency::earlier(&data, key).await? {
            return Ok(HttpResponse::Ok().json(render_one(&data, post).await?));
        }
    }
    if params.has("scheduled_at") || params.has("poll") || params.has("poll[options]") {
        return Err(ApiError::unprocessable(
            "perch has no scheduled posts or polls: nothing was posted",
        ));
    }
    let text = params.str("status").unwrap_or_default();
    let media_ids = params.ids("media_ids")?;
    if text.trim().is_empty() && media_ids.is_empty() {
        return Err(ApiError::unprocessable(
            "Validation failed: Text can't be blank",
        ));
    }
    check_media(&data, media_ids.clone()).await?;
    let visibility = match params.str("visibility") {
        Some(v) if !v.is_empty() => Visibility::parse(&v)
            .ok_or_else(|| ApiError::unprocessable(format!("Unknown visibility `{v}`")))?,
        _ => Visibility::Public,
    };
    let in_reply_to = match params.i64("in_reply_to_id")? {
        Some(id) => Some(
            data.db
                .run(move |c| find(c, &id.to_string(), true))
                .await?
                .ap_id,
        ),
        None => None,
    };
    let spoiler = params.str("spoiler_text").filter(|s| !s.trim().is_empty());
    let mut new = publish::NewPost::from(
        source_for(&text, params.str("content_type").as_deref()),
        visibility,
    );
    new.sensitive = params.bool("sensitive")?.unwrap_or(false) || spoiler.is_some();
    new.content_warning = spoiler;
    new.in_reply_to = in_reply_to;
    new.media_ids = media_ids;
    new.language = params
        .str("language")
        .map(|l| l.trim().to_ascii_lowercase())
        .filter(|l| (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_lowercase()));
    new.idempotency_key = key;
    let post = publish::publish(&data, new).await?.post;
    Ok(HttpResponse::Ok().json(render_one(&data, post).await?))
}

/// Each media id must be an upload of the author's that no post has taken yet.
async fn check_media(data: &Data, ids: Vec<i64>) -> ApiResult<()> {
    let bad = data
        .db
        .run(move |c| {
            let ours = queries::media::unattached_uploads(c, &ids)?;
            Ok(ids.into_iter().find(|id| !ours.contains(id)))
        })
        .await?;
    match bad {
        Some(id) => Err(ApiError::unprocessable(format!(
            "Validation failed: media {id} is not an unattached upload of yours"
        ))),
        None => Ok(()),
    }
}

pub async fn get(data: Data, auth: MaybeAuth, id: Path<String>) -> ApiResult<HttpResponse> {
    let post = load(&data, id.into_inner(), auth.is_author("read:statuses")).await?;
    Ok(HttpResponse::Ok().json(render_one(&data, post).await?))
}

/// The author's own live post `id`.
async fn own(data: &Data, id: String) -> ApiResult<DbObject> {
    let post = load(data, id, true).await?;
    if !post.local {
        return Err(ApiError::forbidden("This action is not allowed"));
    }
    Ok(post)
}

pub async fn update(
    data: Data,
    auth: Auth,
    id: Path<String>,
    params: Params,
) -> ApiResult<HttpResponse> {
    auth.require("write:statuses")?;
    let post = own(&data, id.into_inner()).await?;
    let text = params.str("status").unwrap_or_default();
    if text.trim().is_empty() {
        return Err(ApiError::unprocessable(
            "Validation failed: Text can't be blank",
        ));
    }
    let markdown = params
        .str("content_type")
        .is_some_and(|t| t.eq_ignore_ascii_case("text/markdown"));
    let extras = edit::Extras {
        content_warning: params
            .has("spoiler_text")
            .then(|| params.str("spoiler_text").filter(|s| !s.trim().is_empty())),
        sensitive: params.bool("sensitive")?,
    };
    let name = post.public_id.clone().unwrap_or(post.ap_id.clone());
    let updated = edit::edit_with(&data, &name, &text, markdown, extras).await?;
    Ok(HttpResponse::Ok().json(render_one(&data, updated).await?))
}

/// Deletes one of the author's posts (answering with its source, for "delete and redraft"), or
/// hides a comment.
pub async fn delete(data: Data, auth: Auth, id: Path<String>) -> ApiResult<HttpResponse> {
    auth.require("write:statuses")?;
    let object = load(&data, id.into_inner(), true).await?;
    if !object.local {
        if object.thread_root_id.is_none() {
            return Err(ApiError::forbidden("This action is not allowed"));
        }
        // Answered as it was, as Mastodon answers a delete: hidden, no one reads it now.
        let rendered = render_one(&data, object.clone()).await?;
        moderation::moderate(data.app_data(), object.id, moderation::Action::Hide).await?;
        return Ok(HttpResponse::Ok().json(rendered));
    }
    let mut rendered = render_one(&data, object.clone()).await?;
    let name = object.public_id.clone().unwrap_or(object.ap_id.clone());
    edit::delete(&data, &name).await?;
    rendered.text = Some(object.source.clone().unwrap_or_default());
    Ok(HttpResponse::Ok().json(rendered))
}

pub async fn source(data: Data, auth: Auth, id: Path<String>) -> ApiResult<HttpResponse> {
    auth.require("read:statuses")?;
    let post = own(&data, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(json!({
        "id": post.id.to_string(),
        "text": post.source.clone().unwrap_or_default(),
        "spoiler_text": status::spoiler_of(&post),
    })))
}

/// Every version, oldest first, the current one last.
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

/// Ancestors (oldest first) and descendants (in thread order): a perch post's comments are
/// its descendants. Anonymous callers see only what the web page shows.
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
pub async fn reblog(data: Data, auth: Auth, id: Path<String>) -> ApiResult<HttpResponse> {
    reacted(data, auth, id.into_inner(), "write:statuses", Act::Reblog).await
}
pub async fn unreblog(data: Data, auth: Auth, id: Path<String>) -> ApiResult<HttpResponse> {
    reacted(data, auth, id.into_inner(), "write:statuses", Act::Unreblog).await
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

pub async fn favourited_by(
    data: Data,
    auth: MaybeAuth,
    id: Path<String>,
) -> ApiResult<HttpResponse> {
    reactors(data, auth, id.into_inner(), LIKE).await
}
pub async fn reblogged_by(
    data: Data,
    auth: MaybeAuth,
    id: Path<String>,
) -> ApiResult<HttpResponse> {
    reactors(data, auth, id.into_inner(), ANNOUNCE).await
}
