//! Uploads: `POST /api/v2/media` (and v1), `GET` and `PUT /api/v1/media/:id` (description and
//! focal point). The same checks, limits and metadata stripping as `perch post --image`.

use super::{auth::Auth, entities::media, params::Params, ApiError, ApiResult};
use crate::{
    db::{models::DbMedia, queries},
    services,
    state::Data,
};
use actix_web::{web::Path, HttpResponse};

/// `"x,y"` with both in -1..1, as Mastodon takes it.
fn parse_focus(text: &str) -> ApiResult<String> {
    let parsed = text
        .split_once(',')
        .and_then(|(x, y)| Some((x.trim().parse::<f64>().ok()?, y.trim().parse::<f64>().ok()?)))
        .filter(|(x, y)| (-1.0..=1.0).contains(x) && (-1.0..=1.0).contains(y));
    match parsed {
        Some((x, y)) => Ok(format!("{x},{y}")),
        None => Err(ApiError::unprocessable(
            "focus must be two numbers from -1 to 1, as \"x,y\"",
        )),
    }
}

/// The request's `focus`, checked; `None` when not given.
fn focus_param(params: &Params) -> ApiResult<Option<String>> {
    match params.str("focus") {
        Some(f) if !f.is_empty() => parse_focus(&f).map(Some),
        _ => Ok(None),
    }
}

/// [`POST /api/v2/media`](https://docs.joinmastodon.org/methods/media/#v2) (and the older
/// [`POST /api/v1/media`](https://docs.joinmastodon.org/methods/media/#v1)): uploads an image, with
/// its description and focal point; it is ready at once.
pub async fn upload(data: Data, auth: Auth, mut params: Params) -> ApiResult<HttpResponse> {
    auth.require("write:media")?;
    let file = params
        .take_file("file")
        .ok_or_else(|| ApiError::unprocessable("Validation failed: File can't be blank"))?;
    let focus = focus_param(&params)?;
    let stored =
        services::media::upload(data.app_data(), file.bytes, params.str("description")).await?;
    let stored = match focus {
        Some(f) => services::media::describe(data.app_data(), stored.id, None, Some(f)).await?,
        None => stored,
    };
    Ok(HttpResponse::Ok().json(media::render(data.app_data(), &stored)))
}

/// The author's upload `id` (not a remote attachment).
async fn own(data: &Data, id: &str) -> ApiResult<DbMedia> {
    let id: i64 = id.parse().map_err(|_| ApiError::not_found())?;
    data.db
        .run(move |c| queries::media::upload(c, id))
        .await?
        .ok_or_else(ApiError::not_found)
}

/// [`GET /api/v1/media/:id`](https://docs.joinmastodon.org/methods/media/#get): one of the author's
/// uploads.
pub async fn get(data: Data, auth: Auth, id: Path<String>) -> ApiResult<HttpResponse> {
    auth.require("write:media")?;
    let m = own(&data, &id).await?;
    Ok(HttpResponse::Ok().json(media::render(data.app_data(), &m)))
}

/// [`PUT /api/v1/media/:id`](https://docs.joinmastodon.org/methods/media/#update): an upload's
/// description or focal point.
pub async fn update(
    data: Data,
    auth: Auth,
    id: Path<String>,
    params: Params,
) -> ApiResult<HttpResponse> {
    auth.require("write:media")?;
    let m = own(&data, &id).await?;
    let description = params.str("description").map(Some);
    let focus = focus_param(&params)?;
    let updated = services::media::describe(data.app_data(), m.id, description, focus).await?;
    Ok(HttpResponse::Ok().json(media::render(data.app_data(), &updated)))
}
