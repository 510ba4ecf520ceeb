//! A post's page, answered at its ActivityPub id (`/posts/{id}`) to readers who do not ask
//! for ActivityStreams JSON (see `routes::federation::objects`): the article or note in full
//! with its images and tags, a link to the AP representation, and the comments section.
//! Deleted posts answer 410; followers-only and direct posts do not exist here (404).

use super::{
    comments, html,
    templates::val,
    view::{Meta, PostView, Site},
};
use crate::{
    db::queries::{objects, posts, visibility::Reader},
    error::{Error, Result},
    state::Data,
};
use actix_web::{http::StatusCode, HttpResponse};

/// The HTML page of the local post `public_id`, errors included.
pub async fn page(data: &Data, public_id: String) -> HttpResponse {
    let mut response = super::respond(data, render(data, public_id).await);
    // The same URL answers JSON to ActivityPub clients: caches must keep both apart.
    response.headers_mut().insert(
        actix_web::http::header::VARY,
        actix_web::http::header::HeaderValue::from_static("Accept"),
    );
    response
}

async fn render(data: &Data, public_id: String) -> Result<HttpResponse> {
    let state = data.app_data().clone();
    let (row, discussion) = data
        .db
        .run(move |c| {
            let Some(post) = objects::by_public_id(c, &public_id)? else {
                return Ok(None);
            };
            if post.is_deleted() {
                return Err(Error::Gone);
            }
            if !post.in_audience(Reader::Anonymous) {
                return Ok(None);
            }
            let discussion = comments::discussion(c, &state, post.id)?;
            Ok(posts::load(c, vec![post], None)?
                .pop()
                .map(|p| (p, discussion)))
        })
        .await?
        .ok_or(Error::NotFound)?;
    let post = PostView::new(data, &row);
    let mut meta = Meta::new(post.display_title(), post.description());
    meta.url = Some(post.url.clone());
    meta.og_type = "article";
    meta.activity_json = Some(post.ap_id.clone());
    meta.published = Some(post.published.iso.clone());
    meta.image = post.images.first().cloned();
    let ctx = minijinja::context! {
        site => val(&Site::new(data)), meta => val(&meta), post => val(&post),
        discussion => val(&discussion),
    };
    html(StatusCode::OK, "post.html", ctx)
}
