//! The author's followers: listing them, and answering follow requests when locked.

use crate::{
    apub::{activities::follow, protocol::Follow},
    db::{
        models::*,
        queries::{actors, follows},
    },
    domain::Acct,
    error::{Error, Result},
    state::AppState,
};
use url::Url;

/// Followers in `state` (`pending` or `accepted`), oldest first.
pub async fn list(state: &AppState, in_state: FollowState) -> Result<Vec<(DbFollow, DbActor)>> {
    state
        .db
        .run(move |c| follows::list(c, Direction::Incoming, in_state, 0, i64::MAX))
        .await
}

/// Accepts (`approve = true`) or rejects a pending follow request from `handle`.
pub async fn answer(state: &AppState, handle: &str, approve: bool) -> Result<()> {
    let acct = Acct::parse(handle)
        .ok_or_else(|| Error::BadRequest(format!("`{handle}` is not a @user@host handle")))?;
    let urls = state.urls.clone();
    state
        .db
        .run_write(move |c| {
            let actor = actors::by_handle(c, &acct.user, &acct.host)?.ok_or(Error::NotFound)?;
            let request = follows::get(c, actor.id, Direction::Incoming)?
                .filter(|f| f.state == FollowState::Pending)
                .ok_or_else(|| {
                    Error::BadRequest(format!("no pending follow request from {acct}"))
                })?;
            let follow_act = Follow {
                kind: "Follow".into(),
                id: Url::parse(&request.follow_ap_id).map_err(Error::internal)?,
                actor: Url::parse(&actor.ap_id).map_err(Error::internal)?,
                object: urls.actor(),
            };
            if approve {
                follow::accept(c, &urls, &actor, &follow_act)
            } else {
                follow::reject(c, &urls, &actor, &follow_act)
            }
        })
        .await?;
    state.queue.wake();
    Ok(())
}
