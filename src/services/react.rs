//! The author's own likes and boosts. A like of a remote post sends `Like` to its author; a
//! like of a comment held for approval also approves it (that is how apps moderate). A boost
//! sends `Announce` to the followers and the post's author. Undoing sends `Undo`.

use crate::domain::visibility::Moderation;
use crate::{
    apub::send,
    db::{
        models::*,
        queries::{activities, actors, follows, objects, reactions, visibility::Reader},
        Conn,
    },
    delivery,
    domain::Visibility,
    error::{Error, Result},
    state::{AppState, Data},
};

/// Likes (favourites) the stored object `id`; approves it if it is a held comment.
pub async fn favourite(data: &Data, id: i64) -> Result<DbObject> {
    react(data, id, LIKE, true).await
}

pub async fn unfavourite(data: &Data, id: i64) -> Result<DbObject> {
    react(data, id, LIKE, false).await
}

/// Boosts the stored object `id` (public and unlisted posts only).
pub async fn reblog(data: &Data, id: i64) -> Result<DbObject> {
    react(data, id, ANNOUNCE, true).await
}

pub async fn unreblog(data: &Data, id: i64) -> Result<DbObject> {
    react(data, id, ANNOUNCE, false).await
}

async fn react(data: &Data, id: i64, kind: &'static str, on: bool) -> Result<DbObject> {
    let state = data.app_data().clone();
    let object = data
        .db
        .run_write(move |c| {
            let object = objects::by_id(c, id)?
                .filter(|o| o.readable_by(Reader::Author))
                .ok_or(Error::NotFound)?;
            if on {
                add(c, &state, &object, kind)?;
            } else {
                withdraw(c, &state, &object, kind)?;
            }
            objects::by_id(c, id)?.ok_or(Error::NotFound)
        })
        .await?;
    data.queue.wake();
    Ok(object)
}

fn add(c: &mut Conn, state: &AppState, object: &DbObject, kind: &'static str) -> Result<()> {
    let me = state.local.actor.id;
    if kind == ANNOUNCE && !Visibility::parse(&object.visibility).is_some_and(Visibility::is_public)
    {
        return Err(Error::Unprocessable(
            "Only public and unlisted posts can be boosted".into(),
        ));
    }
    if kind == LIKE && object.moderation.as_deref() == Some(Moderation::Held.as_str()) {
        objects::set_moderation(c, object.id, Moderation::Visible)?;
    }
    let author = actors::by_id(c, object.actor_id)?.ok_or(Error::NotFound)?;
    let activity = match kind {
        ANNOUNCE => send::announce(&state.urls, &object.ap_id, &author.ap_id),
        _ => send::like(&state.urls, &object.ap_id, &author.ap_id),
    };
    if !reactions::add(c, object.id, me, kind, activity.id.as_str())? {
        return Ok(());
    }
    let inboxes = reach(c, &author, kind)?;
    delivery::enqueue(c, &activity, &inboxes)?;
    Ok(())
}

fn withdraw(c: &mut Conn, state: &AppState, object: &DbObject, kind: &'static str) -> Result<()> {
    let me = state.local.actor.id;
    let Some(mine) = reactions::of(c, object.id, me, kind)? else {
        return Ok(());
    };
    reactions::remove(c, me, kind, &mine.activity_ap_id, Some(object.id))?;
    let author = actors::by_id(c, object.actor_id)?.ok_or(Error::NotFound)?;
    let Some(original) = activities::by_ap_id(c, &mine.activity_ap_id)?
        .and_then(|a| serde_json::from_str::<serde_json::Value>(&a.data).ok())
    else {
        return Ok(());
    };
    let undo = send::undo(&state.urls, &original, &author.ap_id);
    let inboxes = reach(c, &author, kind)?;
    delivery::enqueue(c, &undo, &inboxes)?;
    Ok(())
}

/// Who hears of a reaction: the post's author (when remote), and for boosts the followers.
fn reach(c: &mut Conn, author: &DbActor, kind: &str) -> Result<Vec<String>> {
    let mut inboxes = Vec::new();
    if !author.local {
        inboxes.push(author.inbox.clone());
    }
    if kind == ANNOUNCE {
        inboxes.extend(follows::follower_inboxes(c)?);
    }
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}
