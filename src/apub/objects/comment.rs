//! Replies from the fediverse as comments: finding the perch post whose thread a reply belongs
//! to (fetching missing ancestors, parent first, within a bounded depth), and storing it
//! sanitised, moderated as configured, with its attachments.

use crate::{
    apub::{objects::post, protocol::Note, sanitize},
    config::CommentPolicy,
    db::{
        self,
        models::*,
        queries::{follows, notifications, objects},
        Conn,
    },
    error::{Error, Result},
    state::Data,
};
use activitypub_federation::fetch::{fetch_object_http, object_id::ObjectId};
use serde_json::Value;
use url::Url;

/// Where a reply goes: the perch post at the root of the thread, and the object it answers.
#[derive(Debug, Clone, Copy)]
pub struct Placement {
    pub root: i64,
    pub parent: i64,
}

/// The thread `in_reply_to` belongs to, if it is one of ours. Missing ancestors are fetched
/// and stored (parent first) up to `depth` levels up.
pub async fn place(data: &Data, in_reply_to: &Url, depth: u32) -> Result<Option<Placement>> {
    let parent_id = in_reply_to.to_string();
    let parent = data
        .db
        .run(move |c| objects::by_ap_id(c, &parent_id))
        .await?;
    if let Some(parent) = parent {
        return Ok(placement_under(&parent));
    }
    if in_reply_to.as_str().starts_with(data.urls.base()) || depth == 0 {
        return Ok(None);
    }
    // A reply to a comment we have not seen: fetch it, and place it first.
    let fetched = match fetch_object_http::<_, Note>(in_reply_to, data).await {
        Ok(res) => res.object,
        Err(e) => {
            tracing::info!(url = %in_reply_to, error = %e, "cannot fetch a reply's parent");
            return Ok(None);
        }
    };
    if !crate::apub::same_origin(&fetched.id, &fetched.attributed_to) {
        return Err(Error::Forbidden(
            "a fetched parent is attributed to another server".into(),
        ));
    }
    let Some(grandparent) = fetched.in_reply_to.clone() else {
        return Ok(None);
    };
    let Some(above) = Box::pin(place(data, &grandparent, depth - 1)).await? else {
        return Ok(None);
    };
    let author = ObjectId::<DbActor>::from(fetched.attributed_to.clone())
        .dereference(data)
        .await?;
    let policy = data.settings.comments.policy;
    let stored = data
        .db
        .run(move |c| db::write(c, |c| store(c, &fetched, &author, &above, policy)))
        .await?;
    Ok(stored.map(|s| Placement {
        root: above.root,
        parent: s.id,
    }))
}

/// The thread a stored object is part of, if any: a perch post starts one.
pub fn placement_under(parent: &DbObject) -> Option<Placement> {
    let root = match parent.thread_root_id {
        Some(root) => root,
        None if parent.local && parent.in_reply_to.is_none() => parent.id,
        None => return None,
    };
    Some(Placement {
        root,
        parent: parent.id,
    })
}

/// How a new comment by `author` starts out under `policy`; `None`: not stored at all.
fn moderation_for(
    c: &mut Conn,
    policy: CommentPolicy,
    author: &DbActor,
) -> Result<Option<&'static str>> {
    Ok(match policy {
        CommentPolicy::Open => Some(VISIBLE),
        CommentPolicy::Approve => Some(PENDING),
        CommentPolicy::Off => None,
        CommentPolicy::Followers => {
            let follows_us =
                follows::get(c, author.id, INCOMING)?.is_some_and(|f| f.state == ACCEPTED);
            Some(if follows_us { VISIBLE } else { PENDING })
        }
    })
}

/// Stores a comment with its attachments and notifies the author (a mention). Returns the
/// comment, or `None` when the policy keeps no comments (the author is notified all the same).
pub fn store(
    c: &mut Conn,
    note: &Note,
    author: &DbActor,
    placement: &Placement,
    policy: CommentPolicy,
) -> Result<Option<DbObject>> {
    let Some(state) = moderation_for(c, policy, author)? else {
        notifications::add(c, notifications::MENTION, author.id, None)?;
        return Ok(None);
    };
    let mut row = post::remote_row(note, author);
    row.content = sanitize::clean(&note.content);
    row.summary = note.summary.as_deref().map(sanitize::clean);
    row.thread_root_id = Some(placement.root);
    row.parent_id = Some(placement.parent);
    row.moderation = Some(state.to_owned());
    row.language = note.language();
    let (comment, created) = objects::insert_comment(c, &row)?;
    if created {
        store_attachments(c, comment.id, &note.attachment)?;
        notifications::add(c, notifications::MENTION, author.id, Some(comment.id))?;
    }
    Ok(Some(comment))
}

/// Remote attachments are kept as links to the remote media, with their alt text.
pub fn store_attachments(c: &mut Conn, object: i64, attachments: &[Value]) -> Result<()> {
    use crate::db::schema::media;
    use diesel::prelude::*;
    for (position, a) in attachments.iter().enumerate().take(16) {
        let url = match &a["url"] {
            Value::String(s) => Some(s.clone()),
            Value::Array(items) => items
                .iter()
                .find_map(|i| i["href"].as_str().map(str::to_owned)),
            Value::Object(o) => o.get("href").and_then(Value::as_str).map(str::to_owned),
            _ => None,
        };
        let Some(url) = url.filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        else {
            continue;
        };
        let int = |k: &str| a[k].as_i64().and_then(|v| i32::try_from(v).ok());
        let text = |k: &str| a[k].as_str().map(str::to_owned);
        diesel::insert_into(media::table)
            .values(&NewMedia {
                public_id: crate::domain::Urls::new_public_id(),
                object_id: Some(object),
                position: position as i32,
                file_name: None,
                remote_url: Some(url),
                media_type: text("mediaType").unwrap_or_else(|| "application/octet-stream".into()),
                width: int("width"),
                height: int("height"),
                blurhash: text("blurhash"),
                description: text("name").filter(|n| !n.is_empty()),
                size_bytes: 0,
                created_at: db::now(),
                focus: None,
            })
            .execute(c)?;
    }
    Ok(())
}
