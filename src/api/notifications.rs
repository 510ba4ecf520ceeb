//! `/api/v1/notifications`: follows, follow requests, mentions (every comment is one, held
//! ones included), favourites, boosts and edits; with `types[]` / `exclude_types[]`, dismiss
//! and clear.

use super::{
    auth::Auth,
    entities::{notification, Ctx},
    paging::{self, Page},
    params::Params,
    ApiError, ApiResult,
};
use crate::{
    db::{self, models::*, schema},
    error::Result,
    paged,
    state::Data,
};
use actix_web::{web::Path, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde_json::json;

pub async fn list(
    data: Data,
    auth: Auth,
    req: HttpRequest,
    params: Params,
) -> ApiResult<HttpResponse> {
    auth.require("read:notifications")?;
    let page = Page::read(&params, 15, 30)?;
    let types = params.list("types");
    let exclude = params.list("exclude_types");
    let state = data.app_data().clone();
    let (items, ids) = data
        .db
        .run(move |c| -> Result<_> {
            use schema::notifications::dsl as n;
            let mut q = n::notifications.filter(n::dismissed.eq(false)).into_boxed();
            if !types.is_empty() {
                q = q.filter(n::kind.eq_any(types));
            }
            if !exclude.is_empty() {
                q = q.filter(n::kind.ne_all(exclude));
            }
            let rows: Vec<DbNotification> = paged!(q, n::id, page)
                .select(DbNotification::as_select())
                .load(c)?;
            let rows = page.finish(rows);
            let mut ctx = Ctx::new(&state);
            let items = rows
                .iter()
                .map(|r| notification::render(c, &mut ctx, r))
                .collect::<Result<Vec<_>>>()?;
            Ok((items, rows.iter().map(|r| r.id).collect::<Vec<_>>()))
        })
        .await?;
    Ok(paging::respond(&data, &req, &items, &ids))
}

fn parse(id: &str) -> ApiResult<i64> {
    id.parse().map_err(|_| ApiError::not_found())
}

pub async fn get(data: Data, auth: Auth, id: Path<String>) -> ApiResult<HttpResponse> {
    auth.require("read:notifications")?;
    let id = parse(&id)?;
    let state = data.app_data().clone();
    let body = data
        .db
        .run(move |c| {
            use schema::notifications::dsl as n;
            let row: DbNotification = n::notifications
                .find(id)
                .filter(n::dismissed.eq(false))
                .select(DbNotification::as_select())
                .first(c)
                .optional()?
                .ok_or(crate::error::Error::NotFound)?;
            notification::render(c, &mut Ctx::new(&state), &row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(body))
}

pub async fn dismiss(data: Data, auth: Auth, id: Path<String>) -> ApiResult<HttpResponse> {
    auth.require("write:notifications")?;
    let id = parse(&id)?;
    data.db
        .run(move |c| {
            db::write(c, |c| {
                use schema::notifications::dsl as n;
                diesel::update(n::notifications.find(id))
                    .set(n::dismissed.eq(true))
                    .execute(c)?;
                Ok(())
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({})))
}

pub async fn clear(data: Data, auth: Auth) -> ApiResult<HttpResponse> {
    auth.require("write:notifications")?;
    data.db
        .run(|c| {
            db::write(c, |c| {
                use schema::notifications::dsl as n;
                diesel::update(n::notifications)
                    .set(n::dismissed.eq(true))
                    .execute(c)?;
                Ok(())
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({})))
}

/// `GET /api/v1/notifications/unread_count` (what Mastodon 4.3 apps poll).
pub async fn unread_count(data: Data, auth: Auth) -> ApiResult<HttpResponse> {
    auth.require("read:notifications")?;
    let count: i64 = data
        .db
        .run(|c| {
            use schema::markers::dsl as m;
            use schema::notifications::dsl as n;
            let read: Option<String> = m::markers
                .find("notifications")
                .select(m::last_read_id)
                .first(c)
                .optional()?;
            let after = read.and_then(|r| r.parse::<i64>().ok()).unwrap_or(0);
            Ok(n::notifications
                .filter(n::dismissed.eq(false).and(n::id.gt(after)))
                .count()
                .get_result(c)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "count": count })))
}
