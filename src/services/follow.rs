//! The author follows and unfollows remote accounts.

use crate::{
    apub::send,
    db::{
        models::*,
        queries::{activities, actors, follows},
    },
    delivery,
    domain::Acct,
    error::{Error, Result},
    state::Data,
};
use activitypub_federation::fetch::webfinger::webfinger_resolve_actor;

/// What a follow request came to.
#[derive(Debug, PartialEq, Eq)]
pub enum FollowOutcome {
    Requested,
    AlreadyFollowing,
}

/// Resolves `@user@host` by WebFinger and sends a `Follow`.
pub async fn follow(data: &Data, handle: &str) -> Result<(DbActor, FollowOutcome)> {
    let acct = Acct::parse(handle)
        .ok_or_else(|| Error::BadRequest(format!("`{handle}` is not a @user@host handle")))?;
    let target: DbActor = webfinger_resolve_actor(&acct.to_string(), data).await?;
    if target.local {
        return Err(Error::BadRequest(
            "the author cannot follow themselves".into(),
        ));
    }
    let urls = data.urls.clone();
    let t = target.clone();
    let state = data
        .db
        .run_write(move |c| {
            if follows::get(c, t.id, Direction::Outgoing)?
                .is_some_and(|f| f.state == FollowState::Accepted)
            {
                return Ok(FollowOutcome::AlreadyFollowing);
            }
            let activity = send::follow(&urls, &t);
            follows::upsert(
                c,
                t.id,
                Direction::Outgoing,
                activity.id.as_str(),
                FollowState::Pending,
            )?;
            delivery::enqueue(c, &activity, std::slice::from_ref(&t.inbox))?;
            Ok(FollowOutcome::Requested)
        })
        .await?;
    data.queue.wake();
    Ok((target, state))
}

/// Sends `Undo(Follow)` and forgets the follow. `false` when the author did not follow them.
pub async fn unfollow(data: &Data, handle: &str) -> Result<bool> {
    let acct = Acct::parse(handle)
        .ok_or_else(|| Error::BadRequest(format!("`{handle}` is not a @user@host handle")))?;
    let urls = data.urls.clone();
    let done = data
        .db
        .run_write(move |c| {
            let Some(target) = actors::by_handle(c, &acct.user, &acct.host)? else {
                return Ok(false);
            };
            let Some(ours) = follows::get(c, target.id, Direction::Outgoing)? else {
                return Ok(false);
            };
            let original = activities::by_ap_id(c, &ours.follow_ap_id)?
                .and_then(|a| serde_json::from_str(&a.data).ok())
                .unwrap_or_else(|| {
                    serde_json::json!({
                        "id": ours.follow_ap_id,
                        "type": "Follow",
                        "actor": urls.actor(),
                        "object": target.ap_id,
                    })
                });
            let activity = send::undo(&urls, &original, &target.ap_id);
            follows::remove(c, target.id, Direction::Outgoing)?;
            delivery::enqueue(c, &activity, std::slice::from_ref(&target.inbox))?;
            Ok(true)
        })
        .await?;
    data.queue.wake();
    Ok(done)
}
