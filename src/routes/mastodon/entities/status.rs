//! Mastodon's Status, for the author's posts, the comments under them, and the posts of the
//! accounts the author follows. An article's title leads its content as a heading (apps show
//! `content`; Mastodon itself would show only the title and a link).

use super::{account::Account, media, time, Ctx};
use crate::{
    db::{
        models::*,
        queries::posts::{self, Post},
        Conn,
    },
    domain::text::escape,
    error::Result,
};
use serde::Serialize;
use serde_json::{json, Value};

#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub id: String,
    pub uri: String,
    pub url: String,
    pub created_at: String,
    pub edited_at: Option<String>,
    pub account: Account,
    pub content: String,
    pub visibility: String,
    pub sensitive: bool,
    pub spoiler_text: String,
    pub media_attachments: Vec<Value>,
    pub application: Option<Value>,
    pub mentions: Vec<Value>,
    pub tags: Vec<Value>,
    pub emojis: Vec<Value>,
    pub reblogs_count: i64,
    pub favourites_count: i64,
    pub replies_count: i64,
    pub in_reply_to_id: Option<String>,
    pub in_reply_to_account_id: Option<String>,
    pub reblog: Option<Box<Status>>,
    pub poll: Option<Value>,
    pub card: Option<Value>,
    pub language: Option<String>,
    pub text: Option<String>,
    pub favourited: bool,
    pub reblogged: bool,
    pub muted: bool,
    pub bookmarked: bool,
    pub pinned: bool,
    pub filtered: Vec<Value>,
}

/// The HTML an app shows: an article's title as a heading before its body.
pub fn display_content(o: &DbObject) -> String {
    match (&o.name, o.kind.as_str()) {
        (Some(title), "Article" | "Page") => format!("<h1>{}</h1>{}", escape(title), o.content),
        _ => o.content.clone(),
    }
}

/// What a content warning is on the wire: a note's `summary` (an article's is its abstract).
pub fn spoiler_of(o: &DbObject) -> String {
    match o.kind.as_str() {
        "Article" | "Page" => String::new(),
        _ => o.summary.clone().unwrap_or_default(),
    }
}

pub fn render(c: &mut Conn, ctx: &mut Ctx<'_>, o: &DbObject) -> Result<Status> {
    let mut one = render_all(c, ctx, std::slice::from_ref(o))?;
    one.pop().ok_or(crate::error::Error::NotFound)
}

/// Renders a page of statuses from the one read model (`db::queries::posts`).
pub fn render_all(c: &mut Conn, ctx: &mut Ctx<'_>, rows: &[DbObject]) -> Result<Vec<Status>> {
    let me = ctx.state.local.actor.id;
    posts::load(c, rows.to_vec(), Some(me))?
        .into_iter()
        .map(|p| status_of(c, ctx, p))
        .collect()
}

fn status_of(c: &mut Conn, ctx: &mut Ctx<'_>, p: Post) -> Result<Status> {
    let account = ctx.account(c, p.post.actor_id)?;
    let urls = &ctx.state.urls;
    let o = &p.post;
    let mentions = p
        .mentioned
        .iter()
        .map(|a| {
            json!({
                "id": a.id.to_string(),
                "username": a.username,
                "acct": if a.local { a.username.clone() } else { a.acct() },
                "url": a.url.clone().unwrap_or_else(|| a.ap_id.clone()),
            })
        })
        .collect();
    let tags = p
        .hashtags
        .iter()
        .map(|t| json!({ "name": t, "url": urls.tag(t).to_string() }))
        .collect();
    Ok(Status {
        id: o.id.to_string(),
        uri: o.ap_id.clone(),
        url: o.url.clone().unwrap_or_else(|| o.ap_id.clone()),
        created_at: time(o.published),
        edited_at: o.updated.map(time),
        account,
        content: display_content(o),
        visibility: o.visibility.clone(),
        sensitive: o.sensitive,
        spoiler_text: spoiler_of(o),
        media_attachments: p
            .media
            .iter()
            .map(|m| media::render(ctx.state, m))
            .collect(),
        application: o.local.then(|| json!({ "name": "perch", "website": null })),
        mentions,
        tags,
        emojis: Vec::new(),
        reblogs_count: p.boosts,
        favourites_count: p.likes,
        replies_count: p.replies,
        in_reply_to_id: p.parent.map(|(id, _)| id.to_string()),
        in_reply_to_account_id: p.parent.map(|(_, actor)| actor.to_string()),
        reblog: None,
        poll: None,
        card: None,
        language: o.language.clone(),
        text: None,
        favourited: p.liked,
        reblogged: p.boosted,
        muted: false,
        bookmarked: false,
        pinned: false,
        filtered: Vec::new(),
    })
}
