//! `Undo` (ActivityPub §6.10): of a `Follow`, the follower is removed; of a `Like` or an
//! `Announce`, the reaction and its notification go. Anything else is accepted and logged.

use super::reaction::kinds;
use crate::{
    apub::protocol::{id_of, Undo},
    db::{
        models::*,
        queries::{follows, notifications, objects, reactions},
    },
    error::{Error, Result},
    state::Data,
};
use activitypub_federation::fetch::object_id::ObjectId;

super::handler!(Undo);

impl Undo {
    async fn check(&self, _data: &Data) -> Result<()> {
        // Only what the actor did can be undone by them.
        let inner_actor = self.object.get("actor").and_then(id_of);
        if inner_actor.is_some_and(|a| a != self.actor) {
            return Err(Error::Forbidden(
                "an actor can only undo its own activities".into(),
            ));
        }
        Ok(())
    }

    async fn act(self, data: &Data) -> Result<()> {
        let inner_kind = self
            .object
            .get("type")
            .and_then(|t| t.as_str())
            .unwrap_or("")
            .to_owned();
        let inner_id = id_of(&self.object)
            .map(|u| u.to_string())
            .unwrap_or_default();
        let inner_object = self
            .object
            .get("object")
            .and_then(id_of)
            .map(|u| u.to_string());
        let Some(actor) = ObjectId::<DbActor>::from(self.actor.clone())
            .dereference_local(data)
            .await
            .ok()
        else {
            return Ok(());
        };
        let kind = inner_kind.clone();
        let undone = data
            .db
            .run_write(move |c| {
                if let Some((reaction, notification)) = kinds(&kind) {
                    let object = match &inner_object {
                        Some(o) => objects::by_ap_id(c, o)?.map(|p| p.id),
                        None => None,
                    };
                    let Some(post) = reactions::remove(c, actor.id, reaction, &inner_id, object)?
                    else {
                        return Ok(false);
                    };
                    notifications::withdraw(c, notification, actor.id, post)?;
                    return Ok(true);
                }
                let Some(f) = follows::get(c, actor.id, Direction::Incoming)? else {
                    return Ok(false);
                };
                if kind == "Follow" || inner_id == f.follow_ap_id {
                    follows::remove(c, actor.id, Direction::Incoming)
                } else {
                    Ok(false)
                }
            })
            .await?;
        tracing::info!(by = %self.actor, %inner_kind, undone, "undo received");
        Ok(())
    }
}
