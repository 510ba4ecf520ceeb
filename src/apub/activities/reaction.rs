//! `Like` (ActivityPub §7.10) and `Announce` (§7.11) of the author's posts: recorded once per
//! actor, counted, and notified. Their `Undo` is handled in `undo.rs`.

use super::sender;
use crate::{
    apub::protocol::{id_of, Reaction},
    db::{
        models::*,
        queries::{notifications, objects, reactions},
    },
    error::{Error, Result},
    state::Data,
};

/// The reaction kind and the notification it makes, by activity type.
pub fn kinds(activity_type: &str) -> Option<(&'static str, &'static str)> {
    match activity_type {
        "Like" => Some((LIKE, notifications::FAVOURITE)),
        "Announce" => Some((ANNOUNCE, notifications::REBLOG)),
        _ => None,
    }
}

super::handler!(Reaction);

impl Reaction {
    async fn check(&self, _data: &Data) -> Result<()> {
        id_of(&self.object)
            .map(|_| ())
            .ok_or_else(|| Error::BadRequest(format!("{} without an object", self.kind)))
    }

    async fn act(self, data: &Data) -> Result<()> {
        let Some((kind, notification)) = kinds(&self.kind) else {
            return Ok(());
        };
        let Some(object) = id_of(&self.object) else {
            return Ok(());
        };
        if !object.as_str().starts_with(data.urls.base()) {
            tracing::debug!(%object, "reaction to a post that is not ours");
            return Ok(());
        }
        let actor = sender(&self.actor, data).await?;
        let activity = self.id.to_string();
        let added = data
            .db
            .run_write(move |c| {
                let Some(post) = objects::by_ap_id(c, object.as_str())?.filter(|p| p.local) else {
                    return Ok(false);
                };
                let added = reactions::add(c, post.id, actor.id, kind, &activity)?;
                if added {
                    notifications::add(c, notification, actor.id, Some(post.id))?;
                }
                Ok(added)
            })
            .await?;
        tracing::info!(kind, id = %self.id, added, "reaction received");
        Ok(())
    }
}
