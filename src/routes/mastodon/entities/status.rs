//! Mastodon's Status, for the author's posts, the comments under them, and the posts of the
//! accounts the author follows. An article's title leads its content as a heading (apps show
//! `content`; Mastodon itself would show only the title and a link).

use super::{account::Account, media, time, Ctx};
use crate::{
    db::{
        models::*,
        queries::{self, objects},
        schema, Conn,
    },
    domain::text::escape,
    error::Result,
};
use diesel::prelude::*;
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
    use schema::{actors, hashtags, mentions, objects as obj, reactions};
    let account = ctx.account(c, o.actor_id)?;
    let me = ctx.state.local.actor.id;
    let urls = &ctx.state.urls;
    let attachments = queries::media::for_object(c, o.id)?
        .iter()
        .map(|m| media::render(ctx.state, m))
        .collect();
    let mentioned: Vec<DbActor> = mentions::table
        .inner_join(actors::table)
        .filter(mentions::object_id.eq(o.id))
        .select(DbActor::as_select())
        .load(c)?;
    let mentions = mentioned
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
    let tag_names: Vec<String> = hashtags::table
        .filter(hashtags::object_id.eq(o.id))
        .select(hashtags::name)
        .load(c)?;
    let tags = tag_names
        .iter()
        .map(|t| json!({ "name": t, "url": urls.tag(t).to_string() }))
        .collect();
    let mine = |c: &mut Conn, kind: &str| -> Result<bool> {
        Ok(diesel::select(diesel::dsl::exists(
            reactions::table.filter(
                reactions::object_id
                    .eq(o.id)
                    .and(reactions::actor_id.eq(me))
                    .and(reactions::kind.eq(kind)),
            ),
        ))
        .get_result(c)?)
    };
    let replies_count: i64 = obj::table
        .filter(
            obj::parent_id
                .eq(o.id)
                .and(obj::deleted_at.is_null())
                // Counted as the web page shows them: no held, hidden or non-public answers.
                .and(obj::moderation.is_null().or(obj::moderation.eq(VISIBLE)))
                .and(obj::visibility.eq_any(["public", "unlisted"])),
        )
        .count()
        .get_result(c)?;
    let parent = match (o.parent_id, &o.in_reply_to) {
        (Some(id), _) => objects::by_id(c, id)?,
        (None, Some(ap_id)) => objects::by_ap_id(c, ap_id)?,
        (None, None) => None,
    };
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
        media_attachments: attachments,
        application: o.local.then(|| json!({ "name": "perch", "website": null })),
        mentions,
        tags,
        emojis: Vec::new(),
        reblogs_count: queries::reactions::count(c, o.id, ANNOUNCE)?,
        favourites_count: queries::reactions::count(c, o.id, LIKE)?,
        replies_count,
        in_reply_to_id: parent.as_ref().map(|p| p.id.to_string()),
        in_reply_to_account_id: parent.as_ref().map(|p| p.actor_id.to_string()),
        reblog: None,
        poll: None,
        card: None,
        language: o.language.clone(),
        text: None,
        favourited: mine(c, LIKE)?,
        reblogged: mine(c, ANNOUNCE)?,
        muted: false,
        bookmarked: false,
        pinned: false,
        filtered: Vec::new(),
    })
}

/// Renders a page of statuses.
pub fn render_all(c: &mut Conn, ctx: &mut Ctx<'_>, rows: &[DbObject]) -> Result<Vec<Status>> {
    rows.iter().map(|o| render(c, ctx, o)).collect()
}
