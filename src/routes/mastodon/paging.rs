//! Mastodon's paging: `max_id` (older than), `since_id` (newer than, newest first), `min_id`
//! (just after, oldest first) and `limit`, answered with a `Link` header whose `next` and
//! `prev` URLs carry the same query with new bounds.

use super::params::Params;
use crate::{error::Result, state::Data};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;

pub use crate::db::paging::Page;

/// Reads the bounds; `limit` defaults to `default` and is capped at `max`.
pub fn read(params: &Params, default: i64, max: i64) -> Result<Page> {
    Ok(Page {
        max_id: params.i64("max_id")?,
        since_id: params.i64("since_id")?,
        min_id: params.i64("min_id")?,
        limit: params.i64("limit")?.unwrap_or(default).clamp(1, max),
    })
}

/// The JSON list with its `Link` header; `ids` are the page's ids, newest first.
pub fn respond<T: Serialize>(
    data: &Data,
    req: &HttpRequest,
    items: &T,
    ids: &[i64],
) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    if let (Some(newest), Some(oldest)) = (ids.first(), ids.last()) {
        let kept: Vec<(String, String)> =
            url::form_urlencoded::parse(req.query_string().as_bytes())
                .filter(|(k, _)| !matches!(k.as_ref(), "max_id" | "since_id" | "min_id"))
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
        let link = |key: &str, id: i64| {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            for (k, v) in &kept {
                query.append_pair(k, v);
            }
            query.append_pair(key, &id.to_string());
            format!("{}{}?{}", data.urls.base(), req.path(), query.finish())
        };
        response.insert_header((
            "Link",
            format!(
                r#"<{}>; rel="next", <{}>; rel="prev""#,
                link("max_id", *oldest),
                link("min_id", *newest)
            ),
        ));
    }
    response.json(items)
}
