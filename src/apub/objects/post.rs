//! Posts (notes and articles) as `Note`/`Article` objects, and remote ones into rows.

use crate::{
    apub::protocol::Note,
    db::{self, models::*},
    domain::{Urls, Visibility, PUBLIC},
    error::{Error, Result},
};
use url::Url;

/// Who a post is addressed to, as Mastodon addresses it.
pub fn audience(urls: &Urls, visibility: Visibility) -> (Vec<Url>, Vec<Url>) {
    let public = Url::parse(PUBLIC).ok();
    let followers = urls.followers();
    match visibility {
        Visibility::Public => (public.into_iter().collect(), vec![followers]),
        Visibility::Unlisted => (vec![followers], public.into_iter().collect()),
        Visibility::Private => (vec![followers], vec![]),
        Visibility::Direct => (vec![], vec![]),
    }
}

/// A local post as the object we serve and send.
pub fn to_note(urls: &Urls, post: &DbObject) -> Result<Note> {
    let visibility = Visibility::parse(&post.visibility).unwrap_or(Visibility::Direct);
    let (to, cc) = audience(urls, visibility);
    let id = Url::parse(&post.ap_id).map_err(Error::internal)?;
    Ok(Note {
        kind: post.kind.clone(),
        id: id.clone(),
        attributed_to: urls.actor(),
        name: post.name.clone(),
        summary: post.summary.clone(),
        content: post.content.clone(),
        url: post
            .url
            .as_deref()
            .and_then(|u| Url::parse(u).ok())
            .or(Some(id)),
        in_reply_to: post.in_reply_to.as_deref().and_then(|u| Url::parse(u).ok()),
        published: Some(post.published.and_utc()),
        updated: post.updated.map(|u| u.and_utc()),
        to,
        cc,
        sensitive: Some(post.sensitive),
        tag: vec![],
    })
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
    }
}
