//! The endpoints apps call at start-up for features perch does not have (lists, filters,
//! announcements, trends, custom emojis, bookmarks, conversations, mutes): real, empty
//! answers rather than 404s. Plus preferences, markers, and the author's favourites.

use super::{
    auth::Auth,
    entities::{status, Ctx},
    params::Params,
    ApiError, ApiResult,
};
use crate::{
    db::{models::*, queries},
    services,
    state::Data,
};
use actix_web::HttpResponse;
use serde_json::{json, Map, Value};

/// An empty list, for the methods perch has nothing for:
/// [`GET /api/v1/instance/rules`](https://docs.joinmastodon.org/methods/instance/#rules),
/// [`GET /api/v1/custom_emojis`](https://docs.joinmastodon.org/methods/custom_emojis/#get),
/// [`GET /api/v1/trends/tags`](https://docs.joinmastodon.org/methods/trends/#tags)
/// (and its old path `/api/v1/trends`),
/// [`GET /api/v1/trends/statuses`](https://docs.joinmastodon.org/methods/trends/#statuses),
/// [`GET /api/v1/trends/links`](https://docs.joinmastodon.org/methods/trends/#links),
/// [`GET /api/v1/accounts/:id/featured_tags`](https://docs.joinmastodon.org/methods/accounts/#featured_tags),
/// [`GET /api/v1/directory`](https://docs.joinmastodon.org/methods/directory/#get),
/// [`GET /api/v1/instance/activity`](https://docs.joinmastodon.org/methods/instance/#activity).
pub async fn empty() -> HttpResponse {
    HttpResponse::Ok().json(json!([]))
}

/// An empty object:
/// [`GET /api/v1/instance/translation_languages`](https://docs.joinmastodon.org/methods/instance/#translation_languages)
/// (perch translates nothing).
pub async fn empty_object() -> HttpResponse {
    HttpResponse::Ok().json(json!({}))
}

/// An empty list for the author only, for the methods perch has nothing for:
/// [`GET /api/v1/accounts/familiar_followers`](https://docs.joinmastodon.org/methods/accounts/#familiar_followers),
/// [`GET /api/v1/accounts/:id/lists`](https://docs.joinmastodon.org/methods/accounts/#lists),
/// [`GET /api/v1/notifications/requests`](https://docs.joinmastodon.org/methods/notifications/#get-requests),
/// [`GET /api/v1/announcements`](https://docs.joinmastodon.org/methods/announcements/#get),
/// [`GET /api/v1/lists`](https://docs.joinmastodon.org/methods/lists/#get),
/// [`GET /api/v1/filters`](https://docs.joinmastodon.org/methods/filters/#get-v1),
/// [`GET /api/v2/filters`](https://docs.joinmastodon.org/methods/filters/#get),
/// [`GET /api/v1/bookmarks`](https://docs.joinmastodon.org/methods/bookmarks/#get),
/// [`GET /api/v1/conversations`](https://docs.joinmastodon.org/methods/conversations/#get),
/// [`GET /api/v1/mutes`](https://docs.joinmastodon.org/methods/mutes/#get),
/// [`GET /api/v1/followed_tags`](https://docs.joinmastodon.org/methods/followed_tags/#get),
/// [`GET /api/v1/featured_tags`](https://docs.joinmastodon.org/methods/featured_tags/#get),
/// [`GET /api/v2/suggestions`](https://docs.joinmastodon.org/methods/suggestions/#v2),
/// [`GET /api/v1/scheduled_statuses`](https://docs.joinmastodon.org/methods/scheduled_statuses/#get),
/// [`GET /api/v1/endorsements`](https://docs.joinmastodon.org/methods/endorsements/#get).
pub async fn empty_authed(_auth: Auth) -> HttpResponse {
    HttpResponse::Ok().json(json!([]))
}

/// A list or filter that does not exist (perch makes none):
/// [`GET /api/v1/lists/:id`](https://docs.joinmastodon.org/methods/lists/#get-one),
/// [`GET /api/v2/filters/:id`](https://docs.joinmastodon.org/methods/filters/#get-one).
pub async fn none_here(_auth: Auth) -> ApiResult<HttpResponse> {
    Err(ApiError::not_found())
}

/// [`GET /api/v1/preferences`](https://docs.joinmastodon.org/methods/preferences/#get): perch's
/// fixed posting and reading defaults.
pub async fn preferences(auth: Auth) -> ApiResult<HttpResponse> {
    auth.require("read:accounts")?;
    Ok(HttpResponse::Ok().json(json!({
        "posting:default:visibility": "public",
        "posting:default:sensitive": false,
        "posting:default:language": null,
        "reading:expand:media": "default",
        "reading:expand:spoilers": false,
    })))
}

/// [`GET /api/v1/favourites`](https://docs.joinmastodon.org/methods/favourites/#get): the posts the
/// author liked, newest like first.
pub async fn favourites(data: Data, auth: Auth) -> ApiResult<HttpResponse> {
    auth.require("read:favourites")?;
    let state = data.app_data().clone();
    let body = data
        .db
        .run(move |c| {
            let rows = queries::reactions::reacted_to(c, state.local.actor.id, LIKE, 40)?;
            status::render_all(c, &mut Ctx::new(&state), &rows)
        })
        .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// Mastodon's Marker map: `{"home": {"last_read_id", "version", "updated_at"}, ...}`.
fn markers_json(rows: &[DbMarker]) -> Map<String, Value> {
    rows.iter()
        .map(|m| {
            let marker = json!({
                "last_read_id": m.last_read_id,
                "version": m.version,
                "updated_at": super::entities::time(m.updated_at),
            });
            (m.timeline.clone(), marker)
        })
        .collect()
}

/// [`GET /api/v1/markers`](https://docs.joinmastodon.org/methods/markers/#get): where the author
/// stopped reading (`timeline[]=home&timeline[]=notifications`).
pub async fn markers(data: Data, auth: Auth, params: Params) -> ApiResult<HttpResponse> {
    auth.require("read:statuses")?;
    let wanted = params.list("timeline");
    let rows: Vec<DbMarker> = data
        .db
        .run(move |c| queries::markers::of(c, wanted))
        .await?;
    Ok(HttpResponse::Ok().json(markers_json(&rows)))
}

/// [`POST /api/v1/markers`](https://docs.joinmastodon.org/methods/markers/#create): saves
/// `home[last_read_id]` and/or `notifications[last_read_id]`.
pub async fn save_markers(data: Data, auth: Auth, params: Params) -> ApiResult<HttpResponse> {
    auth.require("write:statuses")?;
    let mut given = Vec::new();
    for timeline in ["home", "notifications"] {
        let id = params
            .str(&format!("{timeline}[last_read_id]"))
            .or_else(|| {
                params
                    .value(timeline)
                    .and_then(|v| v.get("last_read_id"))
                    .and_then(|v| {
                        v.as_str()
                            .map(str::to_owned)
                            .or_else(|| v.as_i64().map(|n| n.to_string()))
                    })
            });
        if let Some(id) = id {
            given.push((timeline.to_owned(), id));
        }
    }
    let rows = services::reading::save_markers(data.app_data(), given).await?;
    Ok(HttpResponse::Ok().json(markers_json(&rows)))
}
