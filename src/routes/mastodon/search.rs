//! `GET /api/v2/search`: accounts by `@user@host` and posts by URL (fetched from their server
//! with `resolve=true`, as Mastodon does for a signed-in user), and hashtags by name.

use super::{
    auth::Auth,
    entities::{account, status, Ctx},
    params::Params,
    ApiResult,
};
use crate::{services::resolve, state::Data};
use actix_web::HttpResponse;
use serde_json::json;

/// [`GET /api/v2/search`](https://docs.joinmastodon.org/methods/search/#v2): accounts, statuses and
/// hashtags for `q` (from other servers too with `resolve=true`).
pub async fn v2(data: Data, auth: Auth, params: Params) -> ApiResult<HttpResponse> {
    auth.require("read:search")?;
    let q = params.str("q").unwrap_or_default().trim().to_owned();
    let fetch = params.bool("resolve")?.unwrap_or(false);
    let kind = params.str("type").unwrap_or_default();
    let wants = |k: &str| kind.is_empty() || kind == k;
    let mut accounts = Vec::new();
    let mut statuses = Vec::new();
    let mut hashtags = Vec::new();
    if wants("accounts") && q.trim_start_matches('@').contains('@') && !q.contains('/') {
        if let Some(a) = resolve::account(&data, &q, fetch).await? {
            accounts.push(a);
        }
    }
    if wants("statuses") {
        if let Ok(url) = url::Url::parse(&q) {
            if matches!(url.scheme(), "https" | "http") {
                if let Some(o) = resolve::post(&data, &url, fetch).await? {
                    statuses.push(o);
                }
            }
        }
    }
    if wants("hashtags") {
        let name = q.trim_start_matches('#');
        if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            hashtags.push(json!({
                "name": name.to_lowercase(),
                "url": data.urls.tag(&name.to_lowercase()).to_string(),
                "history": [],
            }));
        }
    }
    let state = data.app_data().clone();
    let (accounts, statuses) = data
        .db
        .run(move |c| {
            let mut ctx = Ctx::new(&state);
            let accounts = accounts
                .iter()
                .map(|a| account::render(c, &state, a))
                .collect::<crate::error::Result<Vec<_>>>()?;
            Ok((accounts, status::render_all(c, &mut ctx, &statuses)?))
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "accounts": accounts,
        "statuses": statuses,
        "hashtags": hashtags,
    })))
}
