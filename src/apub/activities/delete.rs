//! `Delete` (ActivityPub §7.4): an author withdraws a post we keep, or an actor deletes
//! itself (then everything we keep of it goes).

use crate::{
    apub::protocol::{id_of, Delete},
    db::queries::{actors, objects},
    error::{Error, Result},
    state::Data,
};

super::handler!(Delete);

impl Delete {
    async fn check(&self, _data: &Data) -> Result<()> {
        let object = id_of(&self.object)
            .ok_or_else(|| Error::BadRequest("Delete without an object id".into()))?;
        crate::apub::same_origin_or(
            &object,
            &self.actor,
            Error::Forbidden("an actor can only delete its own server's objects".into()),
        )?;
        Ok(())
    }

    async fn act(self, data: &Data) -> Result<()> {
        let Some(object) = id_of(&self.object) else {
            return Ok(());
        };
        let actor_id = self.actor.to_string();
        let removed = data
            .db
            .run_write(move |c| {
                let Some(actor) = actors::by_ap_id(c, &actor_id)? else {
                    return Ok(false);
                };
                if object.as_str() == actor.ap_id {
                    // The account is gone: its follows and posts go with it.
                    actors::remove(c, actor.id)?;
                    return Ok(true);
                }
                let Some(stored) = objects::by_ap_id(c, object.as_str())? else {
                    return Ok(false);
                };
                if stored.actor_id != actor.id || stored.local {
                    return Err(Error::Forbidden(
                        "only its author may delete an object".into(),
                    ));
                }
                // A comment with answers leaves a tombstone, so the thread keeps its shape.
                if objects::has_replies(c, stored.id)? {
                    objects::mark_deleted(c, stored.id)?;
                } else {
                    objects::remove(c, stored.id)?;
                }
                Ok(true)
            })
            .await?;
        tracing::info!(id = %self.id, removed, "delete received");
        Ok(())
    }
}
