//! `Follow` of the author (ActivityPub §7.5): stored as a follower, answered with `Accept`, or
//! held pending when the actor is locked. One Accept per change of the follow's state: a
//! Follow from an accepted follower, under whatever id, is not answered again (but for a
//! daily re-Accept, for servers that lost theirs).

use super::{is_us, sender};
use crate::{
    apub::{protocol::Follow, send},
    db::{
        self,
        models::*,
        queries::{follows, notifications},
        Conn,
    },
    delivery,
    domain::Urls,
    error::{Error, Result},
    state::Data,
};

super::handler!(Follow);

impl Follow {
    async fn check(&self, data: &Data) -> Result<()> {
        if !is_us(&self.object, data) {
            return Err(Error::Unprocessable(format!(
                "this server has one actor; {} is not it",
                self.object
            )));
        }
        Ok(())
    }

    async fn act(self, data: &Data) -> Result<()> {
        let follower = sender(&self.actor, data).await?;
        let locked = data.profile().locked;
        let urls = data.urls.clone();
        let actor = self.actor.clone();
        let accepted = data
            .db
            .run_write(move |c| {
                let existing = follows::get(c, follower.id, Direction::Incoming)?;
                let already = existing
                    .as_ref()
                    .is_some_and(|f| f.state == FollowState::Accepted);
                if already && existing.is_some_and(|f| !reaccept_due(&f)) {
                    // A Follow repeated (under any id) gets no second Accept.
                    return Ok(false);
                }
                if locked && !already {
                    follows::upsert(
                        c,
                        follower.id,
                        Direction::Incoming,
                        self.id.as_str(),
                        FollowState::Pending,
                    )?;
                    notifications::add(c, notifications::FOLLOW_REQUEST, follower.id, None)?;
                    return Ok(false);
                }
                accept(c, &urls, &follower, &self)?;
                if !already {
                    notifications::add(c, notifications::FOLLOW, follower.id, None)?;
                }
                Ok(true)
            })
            .await?;
        if accepted {
            data.queue.wake();
        }
        tracing::info!(follower = %actor, accepted, "follow received");
        Ok(())
    }
}

/// A follower that follows again, already accepted, is sent the Accept again at most once
/// a day: enough for a server that lost the first, too little to make Follows into POSTs.
const REACCEPT_AFTER_HOURS: i64 = 24;

fn reaccept_due(follow: &DbFollow) -> bool {
    db::now() - follow.updated_at > chrono::Duration::hours(REACCEPT_AFTER_HOURS)
}

/// Makes `follower` an accepted follower and queues the `Accept` of `follow` to them.
pub fn accept(conn: &mut Conn, urls: &Urls, follower: &DbActor, follow: &Follow) -> Result<()> {
    follows::upsert(
        conn,
        follower.id,
        Direction::Incoming,
        follow.id.as_str(),
        FollowState::Accepted,
    )?;
    let activity = send::accept(urls, follow);
    delivery::enqueue(conn, &activity, std::slice::from_ref(&follower.inbox))?;
    Ok(())
}

/// Refuses a pending follow request and queues the `Reject`.
pub fn reject(conn: &mut Conn, urls: &Urls, follower: &DbActor, follow: &Follow) -> Result<()> {
    follows::remove(conn, follower.id, Direction::Incoming)?;
    let activity = send::reject(urls, follow);
    delivery::enqueue(conn, &activity, std::slice::from_ref(&follower.inbox))?;
    Ok(())
}
