//! Replies from the fediverse as comments: finding the perch post whose thread a reply belongs
//! to (fetching missing ancestors, parent first, within a bounded depth), and storing it
//! sanitised, moderated as configured, with its attachments.

use crate::{
    apub::{objects::post, protocol::Note, urls},
    config::CommentPolicy,
    db::{
        self,
        models::*,
        queries::{follows, notifications, objects},
        Conn,
    },
    domain::visibility::Moderation,
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

/// At most this many of a reply's `inReplyTo` targets are looked at.
const MAX_IN_REPLY_TO: usize = 8;

/// The thread a reply belongs to, if it is one of ours: the first of its `inReplyTo` targets
/// that perch has stored in a thread, else the first target, fetched with its missing
/// ancestors. The target found is put first in `note.in_reply_to`.
pub async fn place_reply(data: &Data, note: &mut Note, depth: u32) -> Result<Option<Placement>> {
    // A reply answers one post; a long list is someone's way to make us look many up.
    note.in_reply_to.truncate(MAX_IN_REPLY_TO);
    let targets: Vec<String> = note.in_reply_to.iter().map(Url::to_string).collect();
    let known = data
        .db
        .run(move |c| {
            for (i, target) in targets.iter().enumerate() {
                if let Some(p) = objects::by_ap_id(c, target)?
                    .as_ref()
                    .and_then(placement_under)
                {
                    return Ok(Some((i, p)));
                }
            }
            Ok(None)
        })
        .await?;
    if let Some((i, placement)) = known {
        note.in_reply_to[..=i].rotate_right(1);
        return Ok(Some(placement));
    }
    match note.in_reply_to.first().cloned() {
        Some(first) => place(data, &first, depth).await,
        None => Ok(None),
    }
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
    let mut fetched = match fetch_object_http::<_, Note>(in_reply_to, data).await {
        Ok(res) => res.object,
        Err(e) => {
            tracing::info!(url = %in_reply_to, error = %e, "cannot fetch a reply's parent");
            return Ok(None);
        }
    };
    let author_id = fetched.author()?.clone();
    if !crate::domain::Host::same(&fetched.id, &author_id) {
        return Err(Error::Forbidden(
            "a fetched parent is attributed to another server".into(),
        ));
    }
    let Some(above) = Box::pin(place_reply(data, &mut fetched, depth - 1)).await? else {
        return Ok(None);
    };
    let author = ObjectId::<DbActor>::from(author_id)
        .dereference(data)
        .await?;
    let policy = data.settings.comments.policy;
    let stored = data
        .db
        .run_write(move |c| store(c, &fetched, &author, &above, policy))
        .await?;
    Ok(stored.map(|s| Placement {
        root: above.root,
        parent: s.id,
    }))
}

/// Stores `note` by `author` as a comment when it answers into one of our threads: `None`
/// when it does not; `Some(None)` when the policy keeps no comments.
pub async fn as_comment(
    data: &Data,
    note: &mut Note,
    author: &DbActor,
) -> Result<Option<Option<DbObject>>> {
    let depth = data.settings.comments.max_fetch_depth;
    let Some(placement) = place_reply(data, note, depth).await? else {
        return Ok(None);
    };
    let policy = data.settings.comments.policy;
    let (note, author) = (note.clone(), author.clone());
    let stored = data
        .db
        .run_write(move |c| store(c, &note, &author, &placement, policy))
        .await?;
    Ok(Some(stored))
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
) -> Result<Option<Moderation>> {
    Ok(match policy {
        CommentPolicy::Open => Some(Moderation::Visible),
        CommentPolicy::Approve => Some(Moderation::Held),
        CommentPolicy::Off => None,
        CommentPolicy::Followers => {
            let follows_us = follows::get(c, author.id, Direction::Incoming)?
                .is_some_and(|f| f.state == FollowState::Accepted);
            Some(if follows_us {
                Moderation::Visible
            } else {
                Moderation::Held
            })
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
    let mut row = post::clean_row(note, author);
    row.thread_root_id = Some(placement.root);
    row.parent_id = Some(placement.parent);
    row.moderation = Some(state.as_str().to_owned());
    let (comment, created) = objects::insert_comment(c, &row)?;
    if created {
        store_attachments(c, comment.id, &note.id, &note.attachment)?;
        notifications::add(c, notifications::MENTION, author.id, Some(comment.id))?;
    }
    Ok(Some(comment))
}

/// Remote attachments of the object `owner` are kept as links to the remote media (on any
/// server, `http(s)` only), with their alt text.
pub fn store_attachments(
    c: &mut Conn,
    object: i64,
    owner: &Url,
    attachments: &[Value],
) -> Result<()> {
    for (position, a) in attachments.iter().enumerate().take(16) {
        let found = crate::apub::protocol::lenient::hrefs(a, 0);
        let Some(url) = found.iter().find_map(|(h, _)| urls::media(h, owner)) else {
            continue;
        };
        let media_type = found.iter().find_map(|(_, t)| t.clone());
        let int = |k: &str| a[k].as_i64().and_then(|v| i32::try_from(v).ok());
        let text = |k: &str| a[k].as_str().map(str::to_owned);
        crate::db::queries::media::insert(
            c,
            &NewMedia {
                public_id: crate::domain::Urls::new_public_id(),
                object_id: Some(object),
                position: position as i32,
                file_name: None,
                remote_url: Some(url),
                media_type: text("mediaType")
                    .or(media_type)
                    .unwrap_or_else(|| "application/octet-stream".into()),
                width: int("width"),
                height: int("height"),
                blurhash: text("blurhash"),
                description: text("name").filter(|n| !n.is_empty()),
                size_bytes: 0,
                created_at: db::now(),
                focus: None,
            },
        )?;
    }
    Ok(())
}
