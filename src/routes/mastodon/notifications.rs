//! `/api/v1/notifications`: follows, follow requests, mentions (every comment is one, held
//! ones included), favourites, boosts and edits; with `types[]` / `exclude_types[]`, dismiss
//! and clear.

use super::{
    auth::Auth,
    entities::{notification, Ctx},
    paging,
    params::Params,
    ApiError, ApiResult,
};
use crate::{db::queries, error::Result, services, state::Data};
use actix_web::{web::Path, HttpRequest, HttpResponse};
use serde_json::{json, Value};

/// One page of notifications per the request's filters, rendered, with their ids for paging.
async fn page_of(data: &Data, params: &Params) -> ApiResult<(Vec<i64>, Vec<Value>)> {
    let page = paging::read(params, 15, 30)?;
    let types = params.list("types");
    let exclude = params.list("exclude_types");
    let state = data.app_data().clone();
    Ok(data
        .db
        .run(move |c| -> Result<_> {
            let kinds = queries::notifications::Kinds {
                only: types,
                except: exclude,
            };
            let rows = queries::notifications::page(c, kinds, page)?;
            let mut ctx = Ctx::new(&state);
            let items = rows
                .iter()
                .map(|r| notification::render(c, &mut ctx, r))
                .collect::<Result<Vec<_>>>()?;
            Ok((rows.iter().map(|r| r.id).collect(), items))
        })
        .await?)
}

/// [`GET /api/v1/notifications`](https://docs.joinmastodon.org/methods/notifications/#get): a page
/// of notifications, with `types[]` / `exclude_types[]`.
pub async fn list(
    data: Data,
    auth: Auth,
    req: HttpRequest,
    params: Params,
) -> ApiResult<HttpResponse> {
    auth.require("read:notifications")?;
    let (ids, items) = page_of(&data, &params).await?;
    Ok(paging::respond(&data, &req, &items, &ids))
}

/// [`GET /api/v2/notifications`](https://docs.joinmastodon.org/methods/grouped_notifications/#get-grouped)
/// (Mastodon 4.3's grouped notifications, which apps use when the server says it is 4.3): every
/// notification is a group of its own.
pub async fn grouped(
    data: Data,
    auth: Auth,
    req: HttpRequest,
    params: Params,
) -> ApiResult<HttpResponse> {
    auth.require("read:notifications")?;
    let (ids, items) = page_of(&data, &params).await?;
    let (mut accounts, mut statuses, mut groups) = (Vec::new(), Vec::new(), Vec::new());
    for (id, n) in ids.iter().zip(&items) {
        let account_id = n["account"]["id"].clone();
        if !accounts.iter().any(|a: &Value| a["id"] == account_id) {
            accounts.push(n["account"].clone());
        }
        let status_id = n["status"]["id"].clone();
        if !status_id.is_null() && !statuses.iter().any(|s: &Value| s["id"] == status_id) {
            statuses.push(n["status"].clone());
        }
        groups.push(json!({
            "group_key": n["group_key"],
            "notifications_count": 1,
            "type": n["type"],
            "most_recent_notification_id": id.to_string(),
            "page_min_id": id.to_string(),
            "page_max_id": id.to_string(),
            "latest_page_notification_at": n["created_at"],
            "sample_account_ids": [account_id],
            "status_id": status_id,
        }));
    }
    let body = json!({ "accounts": accounts, "statuses": statuses, "notification_groups": groups });
    Ok(paging::respond(&data, &req, &body, &ids))
}

/// [`GET /api/v2/notifications/policy`](https://docs.joinmastodon.org/methods/notifications/#get-policy)
/// (and its v1 path): perch filters nothing out of notifications.
pub async fn policy(auth: Auth) -> ApiResult<HttpResponse> {
    auth.require("read:notifications")?;
    Ok(HttpResponse::Ok().json(json!({
        "for_not_following": "accept",
        "for_not_followers": "accept",
        "for_new_accounts": "accept",
        "for_private_mentions": "accept",
        "for_limited_accounts": "accept",
        "summary": { "pending_requests_count": 0, "pending_notifications_count": 0 },
    })))
}

fn parse(id: &str) -> ApiResult<i64> {
    id.parse().map_err(|_| ApiError::not_found())
}

/// [`GET /api/v1/notifications/:id`](https://docs.joinmastodon.org/methods/notifications/#get-one):
/// one notification.
pub async fn get(data: Data, auth: Auth, id: Path<String>) -> ApiResult<HttpResponse> {
    auth.require("read:notifications")?;
    let id = parse(&id)?;
    let state = data.app_data().clone();
    let body = data
        .db
        .run(move |c| {
            let row =
                queries::notifications::undismissed(c, id)?.ok_or(crate::error::Error::NotFound)?;
            notification::render(c, &mut Ctx::new(&state), &row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// Dismisses notification `id`, or all of them.
async fn dismiss_where(data: &Data, id: Option<i64>) -> ApiResult<HttpResponse> {
    services::reading::dismiss(data.app_data(), id).await?;
    Ok(HttpResponse::Ok().json(json!({})))
}

/// [`POST /api/v1/notifications/:id/dismiss`](https://docs.joinmastodon.org/methods/notifications/#dismiss):
/// dismisses one notification.
pub async fn dismiss(data: Data, auth: Auth, id: Path<String>) -> ApiResult<HttpResponse> {
    auth.require("write:notifications")?;
    dismiss_where(&data, Some(parse(&id)?)).await
}

/// [`POST /api/v1/notifications/clear`](https://docs.joinmastodon.org/methods/notifications/#clear):
/// dismisses every notification.
pub async fn clear(data: Data, auth: Auth) -> ApiResult<HttpResponse> {
    auth.require("write:notifications")?;
    dismiss_where(&data, None).await
}

/// [`GET /api/v1/notifications/unread_count`](https://docs.joinmastodon.org/methods/notifications/#unread-count)
/// and
/// [`GET /api/v2/notifications/unread_count`](https://docs.joinmastodon.org/methods/grouped_notifications/#unread-group-count)
/// (what Mastodon 4.3 apps poll): how many notifications are unread; each is a group.
pub async fn unread_count(data: Data, auth: Auth) -> ApiResult<HttpResponse> {
    auth.require("read:notifications")?;
    let count = data.db.run(queries::notifications::unread).await?;
    Ok(HttpResponse::Ok().json(json!({ "count": count })))
}
