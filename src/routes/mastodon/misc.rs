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

/// An empty list.
pub async fn empty() -> HttpResponse {
    HttpResponse::Ok().json(json!([]))
}

/// An empty object.
pub async fn empty_object() -> HttpResponse {
    HttpResponse::Ok().json(json!({}))
}

/// An empty list for the author only.
pub async fn empty_authed(_auth: Auth) -> HttpResponse {
    HttpResponse::Ok().json(json!([]))
}

/// A list or filter that does not exist (perch makes none).
pub async fn none_here(_auth: Auth) -> ApiResult<HttpResponse> {
    Err(ApiError::not_found())
}

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

/// The posts the author liked, newest like first.
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

/// `GET /api/v1/markers?timeline[]=home&timeline[]=notifications`.
pub async fn markers(data: Data, auth: Auth, params: Params) -> ApiResult<HttpResponse> {
    auth.require("read:statuses")?;
    let wanted = params.list("timeline");
    let rows: Vec<DbMarker> = data
        .db
        .run(move |c| queries::markers::of(c, wanted))
        .await?;
    Ok(HttpResponse::Ok().json(markers_json(&rows)))
}

/// `POST /api/v1/markers` with `home[last_read_id]` and/or `notifications[last_read_id]`.
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
