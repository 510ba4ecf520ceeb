//! The author's outbox, followers and following as paged `OrderedCollection`s
//! (ActivityPub §5): the collection gives `totalItems` and `first`; `?page=N` gives a page.

use super::activity_json;
use crate::{
    apub::protocol::{with_context, OrderedCollection, OrderedCollectionPage},
    db::{
        models::*,
        queries::{activities, follows},
    },
    error::{Error, Result},
    state::Data,
};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::Value;
use url::Url;

const PAGE_SIZE: i64 = 20;

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<i64>,
}

pub async fn outbox(
    name: web::Path<String>,
    query: web::Query<PageQuery>,
    req: HttpRequest,
    data: Data,
) -> Result<HttpResponse> {
    let page = check(&name, &query, &data)?;
    super::authorize(&req, &data).await?;
    let id = data.urls.outbox();
    let (total, items) = data
        .db
        .run(move |c| {
            let total = activities::outbox_count(c)?;
            let items = match page {
                Some(p) => activities::outbox(c, (p - 1) * PAGE_SIZE, PAGE_SIZE)?,
                None => Vec::new(),
            };
            Ok((total, items))
        })
        .await?;
    let items: Vec<Value> = items
        .iter()
        .filter_map(|a| serde_json::from_str::<Value>(&a.data).ok())
        .map(|mut v| {
            if let Value::Object(o) = &mut v {
                o.remove("@context");
            }
            v
        })
        .collect();
    Ok(activity_json(&req, &collection(id, total, page, items)))
}

pub async fn followers(
    name: web::Path<String>,
    query: web::Query<PageQuery>,
    req: HttpRequest,
    data: Data,
) -> Result<HttpResponse> {
    actors(name, query, req, data, Direction::Incoming).await
}

pub async fn following(
    name: web::Path<String>,
    query: web::Query<PageQuery>,
    req: HttpRequest,
    data: Data,
) -> Result<HttpResponse> {
    actors(name, query, req, data, Direction::Outgoing).await
}

async fn actors(
    name: web::Path<String>,
    query: web::Query<PageQuery>,
    req: HttpRequest,
    data: Data,
    direction: Direction,
) -> Result<HttpResponse> {
    let page = check(&name, &query, &data)?;
    super::authorize(&req, &data).await?;
    let id = if direction == Direction::Incoming {
        data.urls.followers()
    } else {
        data.urls.following()
    };
    let (total, rows) = data
        .db
        .run(move |c| {
            let total = follows::count(c, direction, FollowState::Accepted)?;
            let rows = match page {
                Some(p) => follows::list(
                    c,
                    direction,
                    FollowState::Accepted,
                    (p - 1) * PAGE_SIZE,
                    PAGE_SIZE,
                )?,
                None => Vec::new(),
            };
            Ok((total, rows))
        })
        .await?;
    let items = rows
        .into_iter()
        .map(|(_, actor)| Value::String(actor.ap_id))
        .collect();
    Ok(activity_json(&req, &collection(id, total, page, items)))
}

fn check(name: &str, query: &PageQuery, data: &Data) -> Result<Option<i64>> {
    if name != data.settings.actor.username {
        return Err(Error::NotFound);
    }
    match query.page {
        Some(p) if p < 1 => Err(Error::BadRequest("pages start at 1".into())),
        p => Ok(p),
    }
}

fn page_url(base: &Url, page: i64) -> Url {
    let mut u = base.clone();
    u.set_query(Some(&format!("page={page}")));
    u
}

fn collection(id: Url, total: i64, page: Option<i64>, items: Vec<Value>) -> Value {
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    match page {
        None => with_context(&OrderedCollection {
            kind: "OrderedCollection",
            first: Some(page_url(&id, 1)),
            last: Some(page_url(&id, pages)),
            id,
            total_items: total,
        }),
        Some(p) => with_context(&OrderedCollectionPage {
            kind: "OrderedCollectionPage",
            id: page_url(&id, p),
            next: (p < pages).then(|| page_url(&id, p + 1)),
            prev: (p > 1).then(|| page_url(&id, p - 1)),
            part_of: id,
            total_items: total,
            ordered_items: items,
        }),
    }
}
