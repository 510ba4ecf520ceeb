//! `/api/v1/instance` and `/api/v2/instance`: what apps read at start-up to learn limits and
//! features. `version` reads as Mastodon 4.3 so that apps enable what perch supports.

use super::entities::account;
use crate::{
    db::queries::objects,
    routes::mastodon::ApiResult,
    state::{AppState, Data},
};
use actix_web::HttpResponse;
use serde_json::{json, Value};

/// The version string apps parse as Mastodon's.
pub fn version() -> String {
    format!(
        "{} (compatible; perch {})",
        crate::domain::MASTODON_API_VERSION,
        env!("CARGO_PKG_VERSION")
    )
}

fn limits(state: &AppState) -> Value {
    json!({
        "statuses": {
            "max_characters": state.settings.publishing.note_max_chars,
            "max_media_attachments": 4,
            "characters_reserved_per_url": 23,
        },
        "media_attachments": {
            "supported_mime_types": ["image/jpeg", "image/png", "image/gif", "image/webp"],
            "image_size_limit": state.settings.media.max_bytes,
            "image_matrix_limit": crate::media::MAX_PIXELS,
            "video_size_limit": 0,
            "video_frame_rate_limit": 0,
            "video_matrix_limit": 0,
            "description_limit": crate::services::media::MAX_DESCRIPTION_CHARS,
        },
        "polls": {
            "max_options": 0,
            "max_characters_per_option": 0,
            "min_expiration": 0,
            "max_expiration": 0,
        },
        "accounts": { "max_featured_tags": 0, "max_pinned_statuses": 0 },
        "translation": { "enabled": false },
    })
}

struct Facts {
    author: account::Account,
    profile: crate::domain::profile::Profile,
    statuses: i64,
    domains: i64,
}

async fn facts(data: &Data) -> ApiResult<Facts> {
    let state = data.app_data().clone();
    Ok(data
        .db
        .run(move |c| {
            Ok(Facts {
                author: account::render(c, &state, &state.local.actor)?,
                profile: state.profile(),
                statuses: objects::count_local(c)?,
                domains: crate::db::queries::actors::count_remote(c)?,
            })
        })
        .await?)
}

/// [`GET /api/v1/instance`](https://docs.joinmastodon.org/methods/instance/#v1): the server's
/// description and limits, in the older shape.
pub async fn v1(data: Data) -> ApiResult<HttpResponse> {
    let f = facts(&data).await?;
    let s = &data.settings;
    let mut configuration = limits(data.app_data());
    configuration["urls"] = json!({ "streaming_api": null });
    Ok(HttpResponse::Ok().json(json!({
        "uri": s.server.domain,
        "title": f.profile.display_name,
        "short_description": f.profile.summary,
        "description": f.profile.summary,
        "email": "",
        "version": version(),
        "urls": { "streaming_api": null },
        "stats": { "user_count": 1, "status_count": f.statuses, "domain_count": f.domains },
        "thumbnail": f.author.avatar,
        "languages": ["en"],
        "registrations": false,
        "approval_required": false,
        "invites_enabled": false,
        "configuration": configuration,
        "contact_account": f.author,
        "rules": [],
    })))
}

/// [`GET /api/v2/instance`](https://docs.joinmastodon.org/methods/instance/#v2): the server's
/// description, limits and contact (the author).
pub async fn v2(data: Data) -> ApiResult<HttpResponse> {
    let f = facts(&data).await?;
    let s = &data.settings;
    let mut configuration = limits(data.app_data());
    configuration["urls"] = json!({ "streaming": null, "status": null });
    configuration["vapid"] = json!({ "public_key": "" });
    Ok(HttpResponse::Ok().json(json!({
        "domain": s.server.domain,
        "title": f.profile.display_name,
        "version": version(),
        "source_url": env!("CARGO_PKG_REPOSITORY"),
        "description": f.profile.summary,
        "usage": { "users": { "active_month": 1 } },
        "thumbnail": { "url": f.author.avatar },
        "icon": [],
        "languages": ["en"],
        "configuration": configuration,
        "registrations": { "enabled": false, "approval_required": false, "message": null, "url": null },
        "api_versions": { "mastodon": 2 },
        "contact": { "email": "", "account": f.author },
        "rules": [],
    })))
}

/// [`GET /api/v1/instance/peers`](https://docs.joinmastodon.org/methods/instance/#peers): the
/// servers perch knows accounts on.
pub async fn peers(data: Data) -> ApiResult<HttpResponse> {
    let domains: Vec<String> = data
        .db
        .run(crate::db::queries::actors::remote_domains)
        .await?;
    Ok(HttpResponse::Ok().json(domains))
}

/// [`GET /api/v1/instance/extended_description`](https://docs.joinmastodon.org/methods/instance/#extended_description):
/// the author's bio.
pub async fn extended_description(data: Data) -> HttpResponse {
    let profile = data.profile();
    HttpResponse::Ok().json(json!({
        "updated_at": null,
        "content": crate::domain::text::plain_to_html(&profile.summary),
    }))
}
