//! Posting, editing and deleting statuses: `POST /api/v1/statuses`, `PUT` and `DELETE
//! /api/v1/statuses/:id`, through the publish, edit and moderation services.

use super::{find, load, own, render_one};
use crate::{
    db::queries,
    domain::Visibility,
    routes::mastodon::{auth::Auth, idempotency, params::Params, ApiError, ApiResult},
    services::{compose::Source, edit, moderation, publish},
    state::Data,
};
use actix_web::{web::Path, HttpRequest, HttpResponse};

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

/// [`POST /api/v1/statuses`](https://docs.joinmastodon.org/methods/statuses/#create): publishes a
/// note or an article (once per `Idempotency-Key`).
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

/// [`PUT /api/v1/statuses/:id`](https://docs.joinmastodon.org/methods/statuses/#edit): edits one of
/// the author's posts and sends the edit.
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

/// [`DELETE /api/v1/statuses/:id`](https://docs.joinmastodon.org/methods/statuses/#delete): deletes
/// one of the author's posts (answering with its source, for "delete and redraft"), or hides a
/// comment.
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
