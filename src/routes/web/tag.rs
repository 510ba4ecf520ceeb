//! `GET /tags/{tag}`: the public posts carrying a hashtag, newest first, paged. Unlisted
//! posts stay off tag pages, as on Mastodon.

use super::{
    html, respond,
    templates::val,
    view::{Meta, Pager, PostView, Site},
    PageQuery, PAGE_SIZE,
};
use crate::{
    db::queries::{pages, posts},
    error::{Error, Result},
    state::Data,
};
use actix_web::{http::StatusCode, web, HttpResponse};

pub async fn get(tag: web::Path<String>, query: web::Query<PageQuery>, data: Data) -> HttpResponse {
    respond(&data, render(&data, &tag, &query).await)
}

async fn render(data: &Data, tag: &str, query: &PageQuery) -> Result<HttpResponse> {
    // Stored lower-cased and without `#`; accept `#Rust` and `Rust` for `rust`.
    let tag = tag.trim().trim_start_matches('#').to_lowercase();
    if tag.is_empty() {
        return Err(Error::NotFound);
    }
    let (number, offset) = query.offset()?;
    let wanted = tag.clone();
    let rows = data
        .db
        .run(move |c| {
            let rows = pages::tagged_posts(c, &wanted, offset, PAGE_SIZE + 1)?;
            posts::load(c, rows, None)
        })
        .await?;
    if rows.is_empty() && number > 1 {
        return Err(Error::NotFound);
    }
    let has_older = rows.len() as i64 > PAGE_SIZE;
    let posts: Vec<PostView> = rows
        .iter()
        .take(PAGE_SIZE as usize)
        .map(|r| PostView::new(data, r))
        .collect();
    let site = Site::new(data);
    let own_url = data.urls.tag(&tag).to_string();
    let mut meta = Meta::new(
        format!("#{tag}"),
        format!("Posts by {} tagged #{tag}", site.name),
    );
    meta.url = Some(match number {
        1 => own_url.clone(),
        n => format!("{own_url}?page={n}"),
    });
    let pager = Pager::new(&own_url, number, has_older);
    let ctx = minijinja::context! {
        site => val(&site), meta => val(&meta), tag, posts => val(&posts), pager => val(&pager),
    };
    html(StatusCode::OK, "tag.html", ctx)
}
