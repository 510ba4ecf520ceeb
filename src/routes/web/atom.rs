//! `GET /feed.atom`: the newest public and unlisted posts as an Atom feed (RFC 4287).
//! Articles carry their full HTML and their summary, notes their content; each entry's id is
//! the post's ActivityPub id, its categories the post's hashtags.

use super::{feed_posts, respond, view::PostView, view::Site};
use crate::{error::Error, error::Result, state::Data};
use actix_web::HttpResponse;
use atom_syndication::{
    Category, Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text,
};
use chrono::Utc;

pub async fn get(data: Data) -> HttpResponse {
    respond(&data, render(&data).await)
}

async fn render(data: &Data) -> Result<HttpResponse> {
    let posts = feed_posts(data).await?;
    let site = Site::new(data);
    let author = Person {
        name: site.name.clone(),
        uri: Some(site.profile.clone()),
        ..Person::default()
    };
    let updated = posts
        .iter()
        .map(|p| p.updated_at.unwrap_or(p.published_at))
        .max()
        .or_else(|| data.local.actor.published.map(|p| p.and_utc()))
        .unwrap_or_else(Utc::now);
    let profile = data.profile();
    let summary = profile.summary.trim();
    let feed = Feed {
        title: Text::plain(site.name.clone()),
        id: site.home.clone(),
        updated: updated.fixed_offset(),
        authors: vec![author.clone()],
        links: vec![
            link("alternate", &site.home, "text/html"),
            link("self", &site.atom, "application/atom+xml"),
        ],
        subtitle: (!summary.is_empty()).then(|| Text::plain(summary)),
        generator: Some(Generator {
            value: "perch".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
            ..Generator::default()
        }),
        lang: Some(site.lang.into()),
        entries: posts.iter().map(entry).collect(),
        ..Feed::default()
    };
    let xml = feed
        .write_to(Vec::new())
        .map_err(|e| Error::internal(format!("atom feed: {e}")))?;
    Ok(crate::routes::cache::shared(
        HttpResponse::Ok()
            .content_type("application/atom+xml; charset=utf-8")
            .insert_header(("Cache-Control", "public, max-age=300"))
            .body(xml),
    ))
}

fn link(rel: &str, href: &str, mime_type: &str) -> Link {
    Link {
        rel: rel.into(),
        href: href.into(),
        mime_type: Some(mime_type.into()),
        ..Link::default()
    }
}

fn entry(post: &PostView) -> Entry {
    let published: FixedDateTime = post.published_at.fixed_offset();
    Entry {
        title: Text::plain(post.display_title()),
        id: post.ap_id.clone(),
        updated: post.updated_at.map_or(published, |u| u.fixed_offset()),
        published: Some(published),
        links: vec![link("alternate", &post.url, "text/html")],
        summary: post.summary.clone().map(Text::plain),
        content: Some(Content {
            // Footnote links and the like are relative to the post's page.
            base: Some(post.url.clone()),
            value: Some(post.content_with_images()),
            content_type: Some("html".into()),
            ..Content::default()
        }),
        categories: post
            .tags
            .iter()
            .map(|t| Category {
                term: t.name.clone(),
                scheme: None,
                label: Some(format!("#{}", t.name)),
            })
            .collect(),
        ..Entry::default()
    }
}
