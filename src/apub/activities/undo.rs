//! `Undo` (ActivityPub §6.10): of a `Follow`, the follower is removed. Undo of anything else
//! perch does not keep yet is accepted and logged.

use crate::{
    apub::protocol::{id_of, Undo},
    db::{self, models::*, queries::follows},
    error::{Error, Result},
    state::{AppState, Data},
};
use activitypub_federation::{fetch::object_id::ObjectId, traits::ActivityHandler};
use url::Url;

#[async_trait::async_trait]
impl ActivityHandler for Undo {
    type DataType = AppState;
    type Error = Error;

    fn id(&self) -> &Url {
        &self.id
    }
    fn actor(&self) -> &Url {
        &self.actor
    }

    async fn verify(&self, _data: &Data) -> Result<()> {
        // Only what the actor did can be undone by them.
        let inner_actor = self.object.get("actor").and_then(id_of);
        if inner_actor.is_some_and(|a| a != self.actor) {
            return Err(Error::Forbidden(
                "an actor can only undo its own activities".into(),
            ));
        }
        Ok(())
    }

    async fn receive(self, data: &Data) -> Result<()> {
        let inner_kind = self
            .object
            .get("type")
            .and_then(|t| t.as_str())
            .unwrap_or("");
        let inner_id = id_of(&self.object).map(|u| u.to_string());
        let Some(actor) = ObjectId::<DbActor>::from(self.actor.clone())
            .dereference_local(data)
            .await
            .ok()
        else {
            return Ok(());
        };
        let removed = data
            .db
            .run({
                let inner_kind = inner_kind.to_owned();
                move |c| {
                    db::write(c, |c| {
                        let Some(f) = follows::get(c, actor.id, INCOMING)? else {
                            return Ok(false);
                        };
                        if inner_kind == "Follow" || inner_id.as_deref() == Some(&f.follow_ap_id) {
                            follows::remove(c, actor.id, INCOMING)
                        } else {
                            Ok(false)
                        }
                    })
                }
            })
            .await?;
        tracing::info!(by = %self.actor, %inner_kind, removed, "undo received");
        Ok(())
    }
}
