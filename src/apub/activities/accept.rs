//! `Accept` and `Reject` of the author's own `Follow` (ActivityPub §7.6, §7.7).

use super::{is_us, sender};
use crate::{
    apub::protocol::{id_of, FollowResponse},
    db::{models::*, queries::follows},
    error::{Error, Result},
    state::Data,
};

super::handler!(FollowResponse);

impl FollowResponse {
    async fn check(&self, data: &Data) -> Result<()> {
        // An embedded Follow must be ours, of the actor who answers it.
        if let Some(follow) = self.object.as_object() {
            let by = follow.get("actor").and_then(id_of);
            let of = follow.get("object").and_then(id_of);
            if !by.is_some_and(|u| is_us(&u, data)) || of.as_ref() != Some(&self.actor) {
                return Err(Error::Unprocessable(format!(
                    "{} answers a Follow that is not the author's follow of {}",
                    self.kind, self.actor
                )));
            }
        }
        Ok(())
    }

    async fn act(self, data: &Data) -> Result<()> {
        let target = sender(&self.actor, data).await?;
        let follow_id = id_of(&self.object).map(|u| u.to_string());
        let new_state = if self.kind == "Accept" {
            FollowState::Accepted
        } else {
            FollowState::Rejected
        };
        let updated = data
            .db
            .run_write(move |c| {
                let Some(ours) = follows::get(c, target.id, Direction::Outgoing)? else {
                    return Ok(false);
                };
                // A bare id must name our Follow; some servers send only the actor.
                if follow_id
                    .is_some_and(|f| f != ours.follow_ap_id && !f.starts_with(&target.ap_id))
                {
                    return Ok(false);
                }
                follows::set_state(c, target.id, Direction::Outgoing, new_state)
            })
            .await?;
        tracing::info!(kind = %self.kind, by = %self.actor, updated, "answer to our follow");
        Ok(())
    }
}
