//! Mastodon's Account: the author (with counts, fields and, for the author's own token,
//! `source`) and the remote accounts perch knows.

use super::time;
use crate::{
    apub::sanitize,
    db::{
        models::*,
        queries::{follows, objects},
        Conn,
    },
    domain::text::{escape, plain_to_html},
    error::Result,
    state::AppState,
};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub name: String,
    pub value: String,
    pub verified_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Account {
    pub id: String,
    pub username: String,
    pub acct: String,
    pub display_name: String,
    pub locked: bool,
    pub bot: bool,
    pub discoverable: bool,
    pub indexable: bool,
    pub group: bool,
    pub noindex: bool,
    pub hide_collections: bool,
    pub created_at: String,
    pub note: String,
    pub url: String,
    pub uri: String,
    pub avatar: String,
    pub avatar_static: String,
    pub header: String,
    pub header_static: String,
    pub followers_count: i64,
    pub following_count: i64,
    pub statuses_count: i64,
    pub last_status_at: Option<String>,
    pub emojis: Vec<serde_json::Value>,
    pub fields: Vec<Field>,
    pub roles: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<serde_json::Value>,
}

pub fn render(c: &mut Conn, state: &AppState, actor: &DbActor) -> Result<Account> {
    let base = state.urls.base();
    let avatar = actor
        .icon
        .clone()
        .unwrap_or_else(|| format!("{base}/static/avatar.png"));
    let header = format!("{base}/static/header.png");
    let (followers, following, statuses, last) = if actor.local {
        // What anyone may read: the count must not tell when a private post was made.
        (
            follows::count(c, Direction::Incoming, FollowState::Accepted)?,
            follows::count(c, Direction::Outgoing, FollowState::Accepted)?,
            objects::count_local(c)?,
            objects::last_local_published(c)?,
        )
    } else {
        (0, 0, 0, None)
    };
    let profile = actor.local.then(|| state.profile());
    let note = match (&actor.summary, &profile) {
        (_, Some(p)) => plain_to_html(&p.summary),
        (Some(s), None) => sanitize::clean(s),
        (None, None) => String::new(),
    };
    let fields = profile
        .iter()
        .flat_map(|p| &p.fields)
        .map(|f| Field {
            name: f.name.clone(),
            value: match f.url() {
                Some(u) => format!(
                    r#"<a href="{0}" rel="me nofollow noopener noreferrer" target="_blank">{0}</a>"#,
                    escape(u)
                ),
                None => escape(&f.value),
            },
            verified_at: None,
        })
        .collect();
    let avatar = profile
        .as_ref()
        .and_then(|p| p.avatar.as_ref())
        .map_or(avatar, |f| state.urls.media(f).to_string());
    let header = profile
        .as_ref()
        .and_then(|p| p.header.as_ref())
        .map_or(header, |f| state.urls.media(f).to_string());
    let display_name = match &profile {
        Some(p) => p.display_name.clone(),
        None => actor.name.clone().unwrap_or_default(),
    };
    Ok(Account {
        id: actor.id.to_string(),
        username: actor.username.clone(),
        acct: if actor.local {
            actor.username.clone()
        } else {
            actor.acct()
        },
        display_name,
        locked: profile
            .as_ref()
            .map_or(actor.manually_approves_followers, |p| p.locked),
        bot: matches!(actor.kind.as_str(), "Service" | "Application"),
        discoverable: true,
        indexable: actor.local,
        group: actor.kind == "Group",
        noindex: false,
        hide_collections: false,
        created_at: time(actor.published.unwrap_or(actor.fetched_at)),
        note,
        url: actor.url.clone().unwrap_or_else(|| actor.ap_id.clone()),
        uri: actor.ap_id.clone(),
        avatar_static: avatar.clone(),
        avatar,
        header_static: header.clone(),
        header,
        followers_count: followers,
        following_count: following,
        statuses_count: statuses,
        last_status_at: last.map(|t| t.format("%Y-%m-%d").to_string()),
        emojis: Vec::new(),
        fields,
        roles: Vec::new(),
        source: None,
    })
}

/// The author's Account with `source` (what verify_credentials answers).
pub fn author_with_source(c: &mut Conn, state: &AppState) -> Result<Account> {
    let mut account = render(c, state, &state.local.actor)?;
    let profile = state.profile();
    account.source = Some(serde_json::json!({
        "privacy": "public",
        "sensitive": false,
        "language": "",
        "note": profile.summary,
        "fields": profile.fields.iter().map(|f| serde_json::json!({
            "name": f.name, "value": f.value, "verified_at": null,
        })).collect::<Vec<_>>(),
        "follow_requests_count": follows::count(c, Direction::Incoming, FollowState::Pending)?,
        "hide_collections": false,
        "discoverable": true,
        "indexable": true,
    }));
    Ok(account)
}
