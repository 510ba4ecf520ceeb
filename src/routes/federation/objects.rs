//! `GET /posts/{id}` and `GET /activities/{id}`: each public object and activity at its own
//! URL. A followers-only post is shown only to a GET signed by an accepted follower or an actor
//! it mentions, a direct post only to those it mentions; anyone else gets 404. (Their Creates
//! stay private.)
//! A post's URL is also its web page: a request that does not ask for ActivityStreams JSON
//! gets the HTML page from `routes::web`.

use super::activity_json;
use crate::{
    apub::{objects::post, protocol::with_context},
    db::{
        models::{DbActor, DbObject},
        queries::{
            activities, objects, posts,
            visibility::{Reader, Viewer},
        },
    },
    error::{Error, Result},
    state::Data,
};
use actix_web::{web, HttpRequest, HttpResponse};

pub async fn post(id: web::Path<String>, req: HttpRequest, data: Data) -> Result<HttpResponse> {
    let id = id.into_inner();
    if !crate::apub::wants_activity_json(super::accept_header(&req)) {
        return Ok(crate::routes::web::post_page(&data, id).await);
    }
    let row = data
        .db
        .run(move |c| objects::by_public_id(c, &id))
        .await?
        .ok_or(Error::NotFound)?;
    let public = row.in_audience(Reader::Anonymous);
    if public {
        super::authorize(&req, &data).await?;
    } else if !meant_for(&row, super::reader(&req, &data).await?, &data).await? {
        return Err(Error::NotFound);
    }
    if let Some(deleted) = row.deleted_at {
        let tombstone = serde_json::json!({
            "@context": crate::apub::protocol::context(),
            "id": row.ap_id,
            "type": "Tombstone",
            "formerType": row.kind,
            "deleted": deleted.and_utc(),
        });
        let mut res = activity_json(&req, &tombstone);
        *res.status_mut() = actix_web::http::StatusCode::GONE;
        return Ok(res);
    }
    let loaded = data.db.run(move |c| posts::one(c, row, None)).await?;
    let note = post::to_note(data.app_data(), &loaded)?;
    let mut body = with_context(&note);
    if let serde_json::Value::Object(fields) = &mut body {
        fields.extend(super::thread::interactions(&data, &loaded).await?);
    }
    let mut res = activity_json(&req, &body);
    if !public {
        // For one reader only: no shared cache may keep it.
        res.headers_mut().insert(
            actix_web::http::header::CACHE_CONTROL,
            actix_web::http::header::HeaderValue::from_static("private, no-store"),
        );
    }
    Ok(res)
}

/// Whether a post anyone may not read is for `reader`, the signer of the GET: an accepted
/// follower (for followers-only posts) or an actor it mentions (both), as the one rule says.
async fn meant_for(row: &DbObject, reader: Option<DbActor>, data: &Data) -> Result<bool> {
    let Some(reader) = reader else {
        return Ok(false);
    };
    let row = row.clone();
    data.db
        .run(move |c| {
            let reader = Viewer::remote(c, &reader)?.reader_of(c, &row)?;
            Ok(row.in_audience(reader))
        })
        .await
}

/// Follow bookkeeping says no more than the public followers and following collections, and
/// receivers may dereference it to check an Accept or an Undo.
const FOLLOW_KINDS: [&str; 4] = ["Follow", "Accept", "Reject", "Undo"];

pub async fn activity(id: web::Path<String>, req: HttpRequest, data: Data) -> Result<HttpResponse> {
    super::authorize(&req, &data).await?;
    let id = id.into_inner();
    let row = data
        .db
        .run(move |c| activities::by_public_id(c, &id))
        .await?
        .filter(|a| a.public || FOLLOW_KINDS.contains(&a.kind.as_str()))
        .ok_or(Error::NotFound)?;
    let value: serde_json::Value = serde_json::from_str(&row.data)?;
    Ok(activity_json(&req, &value))
}
