//! A post's thread and reactions as collections: `replies` (the visible comments and the
//! author's answers directly under it, so that Mastodon can fetch the whole thread), and the
//! counts of `likes` and `shares`.

use super::activity_json;
use crate::{
    apub::protocol::context,
    db::queries::{
        objects,
        posts::{self, Post},
        visibility::Reader,
    },
    error::{Error, Result},
    state::Data,
};
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

/// Replies listed in one collection; a thread longer than this is cut (newest dropped).
const MAX_REPLIES: usize = 500;

async fn public_post(data: &Data, id: String) -> Result<Post> {
    data.db
        .run(move |c| {
            match objects::by_public_id(c, &id)?.filter(|p| p.in_audience(Reader::Anonymous)) {
                Some(p) => Ok(posts::one(c, p, None)?),
                None => Err(Error::NotFound),
            }
        })
        .await
}

/// The `replies`, `likes` and `shares` of a post, as embedded in its object.
pub async fn interactions(data: &Data, loaded: &Post) -> Result<Map<String, Value>> {
    let (post, id) = (&loaded.post, loaded.post.id);
    let (likes, shares) = (loaded.likes, loaded.boosts);
    let replies: Vec<String> = data
        .db
        .run(move |c| objects::visible_replies(c, id))
        .await?
        .into_iter()
        .take(MAX_REPLIES)
        .map(|r| r.ap_id)
        .collect();
    let mut out = Map::new();
    out.insert("replies".into(), replies_collection(&post.ap_id, replies));
    out.insert(
        "likes".into(),
        count_collection(&post.ap_id, "likes", likes),
    );
    out.insert(
        "shares".into(),
        count_collection(&post.ap_id, "shares", shares),
    );
    Ok(out)
}

fn replies_collection(post: &str, items: Vec<String>) -> Value {
    json!({
        "id": format!("{post}/replies"),
        "type": "OrderedCollection",
        "totalItems": items.len(),
        "orderedItems": items,
    })
}

fn count_collection(post: &str, name: &str, n: i64) -> Value {
    json!({ "id": format!("{post}/{name}"), "type": "Collection", "totalItems": n })
}

/// `GET /posts/{id}/replies`
pub async fn replies(id: web::Path<String>, req: HttpRequest, data: Data) -> Result<HttpResponse> {
    super::authorize(&req, &data).await?;
    let post = public_post(&data, id.into_inner()).await?;
    let mut body = interactions(&data, &post)
        .await?
        .remove("replies")
        .unwrap_or(Value::Null);
    body["@context"] = context();
    Ok(activity_json(&req, &body))
}

/// `GET /posts/{id}/likes` and `/posts/{id}/shares`: the counts.
pub async fn reactions(
    path: web::Path<(String, String)>,
    req: HttpRequest,
    data: Data,
) -> Result<HttpResponse> {
    super::authorize(&req, &data).await?;
    let (id, which) = path.into_inner();
    if which != "likes" && which != "shares" {
        return Err(Error::NotFound);
    }
    let post = public_post(&data, id).await?;
    let mut body = interactions(&data, &post)
        .await?
        .remove(&which)
        .unwrap_or(Value::Null);
    body["@context"] = context();
    Ok(activity_json(&req, &body))
}
