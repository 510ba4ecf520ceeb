//! What the templates see: plain serializable values built from settings and rows. Every
//! string here is text to be escaped by the template, except the fields named `*_html` and a
//! post's `content`, which are HTML that perch itself produced from the author's text.

use super::style;
use crate::{
    db::{models::DbMedia, queries::posts::Post},
    state::Data,
};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;

/// The language of the pages and feeds.
// A config key is the way to change it, when someone writes in another language.
pub const LANG: &str = "en";

/// On every page: who this is and where things are.
#[derive(Debug, Serialize)]
pub struct Site {
    pub name: String,
    pub lang: &'static str,
    pub handle: String,
    pub home: String,
    pub archive: String,
    pub profile: String,
    pub atom: String,
    pub json_feed: String,
    pub stylesheet: String,
}

impl Site {
    pub fn new(data: &Data) -> Site {
        let s = &data.settings;
        let urls = &data.urls;
        Site {
            name: data.profile().display_name,
            lang: LANG,
            handle: format!("@{}@{}", s.actor.username, s.server.domain),
            home: urls.home().to_string(),
            archive: format!("{}/archive", urls.base()),
            profile: urls.profile().to_string(),
            atom: format!("{}/feed.atom", urls.base()),
            json_feed: format!("{}/feed.json", urls.base()),
            stylesheet: style::href(),
        }
    }
}

/// Per page: its title and what OpenGraph and Twitter cards say about it.
#[derive(Debug, Serialize)]
pub struct Meta {
    pub title: String,
    pub description: String,
    /// The page's own absolute URL (og:url, canonical); none for error pages.
    pub url: Option<String>,
    pub og_type: &'static str,
    pub image: Option<ImageView>,
    /// The ActivityPub id of what the page shows (`<link rel="alternate">`).
    pub activity_json: Option<String>,
    pub published: Option<String>,
    /// Which entry of the site navigation is this page ("home", "archive" or "").
    pub section: &'static str,
}

impl Meta {
    pub fn new(title: impl Into<String>, description: impl Into<String>) -> Meta {
        Meta {
            title: title.into(),
            description: description.into(),
            url: None,
            og_type: "website",
            image: None,
            activity_json: None,
            published: None,
            section: "",
        }
    }
}

/// A moment, for `<time datetime>` and for people.
#[derive(Debug, Clone, Serialize)]
pub struct Time {
    pub iso: String,
    pub human: String,
}

impl Time {
    pub fn new(t: NaiveDateTime) -> Time {
        let utc = t.and_utc();
        Time {
            iso: utc.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            human: utc.format("%-d %B %Y").to_string(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TagLink {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImageView {
    pub url: String,
    pub alt: String,
    pub width: Option<i32>,
    pub height: Option<i32>,
}

/// A post as pages and feeds show it.
#[derive(Debug, Clone, Serialize)]
pub struct PostView {
    /// Unique on the page, for `id` attributes.
    pub key: String,
    /// "article" or "note".
    pub kind: &'static str,
    pub is_article: bool,
    pub title: Option<String>,
    pub summary: Option<String>,
    /// The summary as the post's page shows it above the content: not when the content
    /// opens with it (a summary taken from the first paragraph).
    pub lede: Option<String>,
    /// HTML made by perch from the author's text (Markdown or plain text).
    pub content: String,
    /// The post's web page.
    pub url: String,
    /// The post's ActivityPub id (what to paste into a Mastodon search box).
    pub ap_id: String,
    pub published: Time,
    pub updated: Option<Time>,
    pub tags: Vec<TagLink>,
    pub images: Vec<ImageView>,
    /// The content as plain text, cut to about 80 characters.
    pub excerpt: String,
    #[serde(skip)]
    pub published_at: DateTime<Utc>,
    #[serde(skip)]
    pub updated_at: Option<DateTime<Utc>>,
}

impl PostView {
    pub fn new(data: &Data, item: &Post) -> PostView {
        let p = &item.post;
        let is_article = p.kind == "Article";
        let text = crate::domain::text::html_to_plain(&p.content);
        let summary = p.summary.clone().filter(|s| !s.trim().is_empty());
        let lede = summary
            .clone()
            .filter(|s| !text.starts_with(&crate::domain::text::html_to_plain(s)));
        PostView {
            key: p.public_id.clone().unwrap_or_else(|| p.id.to_string()),
            kind: if is_article { "article" } else { "note" },
            is_article,
            title: p.name.clone().filter(|n| !n.trim().is_empty()),
            summary,
            lede,
            content: p.content.clone(),
            url: p.url.clone().unwrap_or_else(|| p.ap_id.clone()),
            ap_id: p.ap_id.clone(),
            published: Time::new(p.published),
            updated: p.updated.map(Time::new),
            tags: item
                .hashtags
                .iter()
                .map(|name| TagLink {
                    name: name.clone(),
                    url: data.urls.tag(name).to_string(),
                })
                .collect(),
            images: item.media.iter().filter_map(|m| image(data, m)).collect(),
            excerpt: crate::domain::text::cut(&text, 80),
            published_at: p.published.and_utc(),
            updated_at: p.updated.map(|u| u.and_utc()),
        }
    }

    /// The heading a reader sees: an article's title, else the start of the note.
    pub fn display_title(&self) -> String {
        self.title.clone().unwrap_or_else(|| self.excerpt.clone())
    }

    /// A short description for cards and feeds.
    pub fn description(&self) -> String {
        match &self.summary {
            Some(s) => crate::domain::text::cut(s, 200),
            None => {
                crate::domain::text::cut(&crate::domain::text::html_to_plain(&self.content), 200)
            }
        }
    }

    /// The content with the images appended, for feed readers.
    pub fn content_with_images(&self) -> String {
        let mut html = self.content.clone();
        for i in &self.images {
            html.push_str(&format!(
                "<p><img src=\"{}\" alt=\"{}\"></p>",
                crate::domain::text::escape(&i.url),
                crate::domain::text::escape(&i.alt)
            ));
        }
        html
    }
}

/// An image attachment; other media types are not shown.
fn image(data: &Data, m: &DbMedia) -> Option<ImageView> {
    if !m.media_type.starts_with("image/") {
        return None;
    }
    ImageView::of(&data.urls, m)
}

impl ImageView {
    /// Any attachment, by its URL and alt text.
    pub fn of(urls: &crate::domain::Urls, m: &DbMedia) -> Option<ImageView> {
        Some(ImageView {
            url: crate::media::url_of(urls, m)?,
            alt: m.description.clone().unwrap_or_default(),
            width: m.width,
            height: m.height,
        })
    }
}

/// Older/newer links of a paged list.
#[derive(Debug, Serialize)]
pub struct Pager {
    pub page: i64,
    pub newer: Option<String>,
    pub older: Option<String>,
}

impl Pager {
    /// `base` is the list's own URL without a query.
    pub fn new(base: &str, page: i64, has_older: bool) -> Pager {
        let at = |n: i64| {
            if n <= 1 {
                base.to_owned()
            } else {
                format!("{base}?page={n}")
            }
        };
        Pager {
            page,
            newer: (page > 1).then(|| at(page - 1)),
            older: has_older.then(|| at(page + 1)),
        }
    }
}
