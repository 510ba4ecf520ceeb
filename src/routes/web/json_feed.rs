//! `GET /feed.json`: the newest public and unlisted posts as a JSON Feed 1.1
//! (<https://www.jsonfeed.org/version/1.1/>). Notes have no title, as the spec asks of
//! microblog posts.

use super::{feed_posts, respond, view::PostView, view::Site};
use crate::{error::Result, state::Data};
use actix_web::HttpResponse;
use chrono::SecondsFormat;
use serde::Serialize;

#[derive(Debug, Serialize)]
struct JsonFeed {
    version: &'static str,
    title: String,
    home_page_url: String,
    feed_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    icon: Option<String>,
    authors: Vec<Author>,
    language: &'static str,
    items: Vec<Item>,
}

#[derive(Debug, Serialize)]
struct Author {
    name: String,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    avatar: Option<String>,
}

#[derive(Debug, Serialize)]
struct Item {
    id: String,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    content_html: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    date_published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
}

pub async fn get(data: Data) -> HttpResponse {
    respond(&data, render(&data).await)
}

async fn render(data: &Data) -> Result<HttpResponse> {
    let posts = feed_posts(data).await?;
    let site = Site::new(data);
    let profile = data.profile();
    let summary = profile.summary.trim();
    let avatar = profile
        .avatar
        .as_ref()
        .map(|f| data.urls.media(f).to_string());
    let feed = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: site.name.clone(),
        home_page_url: site.home.clone(),
        feed_url: site.json_feed.clone(),
        description: (!summary.is_empty()).then(|| summary.to_owned()),
        icon: avatar.clone(),
        authors: vec![Author {
            name: site.name.clone(),
            url: site.profile.clone(),
            avatar,
        }],
        language: site.lang,
        items: posts.iter().map(item).collect(),
    };
    let body = serde_json::to_string(&feed)?;
    Ok(crate::routes::cache::shared(
        HttpResponse::Ok()
            .content_type("application/feed+json")
            .insert_header(("Cache-Control", "public, max-age=300"))
            .body(body),
    ))
}

fn item(post: &PostView) -> Item {
    let rfc3339 = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    Item {
        id: post.ap_id.clone(),
        url: post.url.clone(),
        title: post.title.clone(),
        content_html: post.content_with_images(),
        summary: post.summary.clone(),
        image: post.images.first().map(|i| i.url.clone()),
        date_published: rfc3339(post.published_at),
        date_modified: post.updated_at.map(rfc3339),
        tags: post.tags.iter().map(|t| t.name.clone()).collect(),
    }
}
