//! Posts (notes and articles) as `Note`/`Article` objects, and remote ones into rows.

use crate::{
    apub::protocol::Note,
    config::ArticlesAs,
    db::{self, models::*},
    domain::{text::escape, Visibility, PUBLIC},
    error::{Error, Result},
    state::AppState,
};
use serde_json::Value;
use url::Url;

/// Who a post is addressed to, as Mastodon addresses it: the public collection, the
/// followers collection and the mentioned actors, by visibility.
pub fn audience(
    state: &AppState,
    visibility: Visibility,
    mentioned: &[Url],
) -> (Vec<Url>, Vec<Url>) {
    let public = Url::parse(PUBLIC).ok();
    let followers = state.urls.followers();
    let mut to = Vec::new();
    let mut cc = Vec::new();
    match visibility {
        Visibility::Public => {
            to.extend(public);
            cc.push(followers);
            cc.extend_from_slice(mentioned);
        }
        Visibility::Unlisted => {
            to.push(followers);
            cc.extend(public);
            cc.extend_from_slice(mentioned);
        }
        Visibility::Private => {
            to.push(followers);
            cc.extend_from_slice(mentioned);
        }
        Visibility::Direct => to.extend_from_slice(mentioned),
    }
    (to, cc)
}

/// The actor ids in a stored `tag` array's Mention objects.
pub fn mentioned(post: &DbObject) -> Vec<Url> {
    serde_json::from_str::<Value>(&post.tags)
        .ok()
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter(|t| t["type"] == "Mention")
        .filter_map(|t| t["href"].as_str().and_then(|h| Url::parse(h).ok()))
        .collect()
}

/// A post's attachments as ActivityPub objects, in their order.
pub fn attachments(c: &mut crate::db::Conn, state: &AppState, object: i64) -> Result<Vec<Value>> {
    Ok(crate::db::queries::media::for_object(c, object)?
        .iter()
        .map(|m| crate::media::to_attachment(&state.urls, m))
        .collect())
}

/// A local post as the object we serve and send, with its attachments.
pub fn to_note(state: &AppState, post: &DbObject, attachment: Vec<Value>) -> Result<Note> {
    let visibility = Visibility::parse(&post.visibility).unwrap_or(Visibility::Direct);
    let (to, cc) = audience(state, visibility, &mentioned(post));
    let id = Url::parse(&post.ap_id).map_err(Error::internal)?;
    let url = post
        .url
        .as_deref()
        .and_then(|u| Url::parse(u).ok())
        .unwrap_or_else(|| id.clone());
    let tag: Vec<Value> = serde_json::from_str(&post.tags).unwrap_or_default();
    let mut note = Note {
        kind: post.kind.clone(),
        id,
        attributed_to: state.urls.actor(),
        name: post.name.clone(),
        summary: post.summary.clone(),
        content: post.content.clone(),
        url: Some(url.clone()),
        in_reply_to: post.in_reply_to.as_deref().and_then(|u| Url::parse(u).ok()),
        published: Some(post.published.and_utc()),
        updated: post.updated.map(|u| u.and_utc()),
        content_map: None,
        to,
        cc,
        sensitive: Some(post.sensitive),
        tag,
        attachment,
    };
    if let Some(lang) = &post.language {
        // Mastodon reads a post's language from `contentMap`.
        note.content_map = Some([(lang.clone(), note.content.clone())].into());
    }
    if post.kind == "Article" && state.settings.publishing.articles_as == ArticlesAs::Note {
        // A teaser for servers that show only Notes: title, summary, link.
        let title = post.name.as_deref().unwrap_or_default();
        let mut content = format!("<p><strong>{}</strong></p>", escape(title));
        if let Some(summary) = &post.summary {
            content.push_str(&format!("<p>{}</p>", escape(summary)));
        }
        content.push_str(&format!(
            "<p><a href=\"{0}\">{0}</a></p>",
            escape(url.as_str())
        ));
        note.kind = "Note".into();
        note.name = None;
        note.summary = None;
        note.content_map = note
            .content_map
            .map(|m| m.into_keys().map(|k| (k, content.clone())).collect());
        note.content = content;
    }
    Ok(note)
}

/// How a received object was addressed, in Mastodon's terms.
pub fn visibility_of(note: &Note, followers_url: Option<&str>) -> Visibility {
    let is_public = |u: &Url| {
        let s = u.as_str();
        s == PUBLIC || s == "as:Public" || s == "Public"
    };
    if note.to.iter().any(is_public) {
        Visibility::Public
    } else if note.cc.iter().any(is_public) {
        Visibility::Unlisted
    } else if followers_url.is_some_and(|f| note.to.iter().chain(&note.cc).any(|u| u.as_str() == f))
    {
        Visibility::Private
    } else {
        Visibility::Direct
    }
}

/// The row for a remote post by `author`.
pub fn remote_row(note: &Note, author: &DbActor) -> NewObject {
    let now = db::now();
    NewObject {
        ap_id: note.id.to_string(),
        public_id: None,
        local: false,
        kind: note.kind.clone(),
        actor_id: author.id,
        name: note.name.clone(),
        summary: note.summary.clone(),
        content: note.content.clone(),
        source: None,
        url: note.url.as_ref().map(|u| u.to_string()),
        in_reply_to: note.in_reply_to.as_ref().map(|u| u.to_string()),
        visibility: visibility_of(note, author.followers_url.as_deref())
            .as_str()
            .to_owned(),
        sensitive: note.sensitive.unwrap_or(false),
        published: note.published.map(|p| p.naive_utc()).unwrap_or(now),
        updated: note.updated.map(|u| u.naive_utc()),
        created_at: now,
        slug: None,
        tags: serde_json::to_string(&note.tag).unwrap_or_else(|_| "[]".into()),
        source_key: None,
        ..Default::default()
    }
}

/// [`remote_row`] with its HTML cleaned and its language read: what perch stores of a post
/// received or fetched from another server.
pub fn clean_row(note: &Note, author: &DbActor) -> NewObject {
    let mut row = remote_row(note, author);
    row.content = crate::apub::sanitize::clean(&note.content);
    row.summary = note.summary.as_deref().map(crate::apub::sanitize::clean);
    row.language = note.language();
    row
}
