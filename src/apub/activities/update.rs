//! `Update` (ActivityPub §7.3): a followed account edits a post we keep (the old text is kept
//! as a version), or an actor updates its own profile.

use super::sender;
use crate::{
    apub::{
        protocol::{id_of, lenient::NOT_CONTENT, Note, Person, Update},
        sanitize,
    },
    db::{
        self,
        models::*,
        queries::{notifications, objects},
    },
    error::{Error, Result},
    state::Data,
};
use activitypub_federation::traits::Object;

const ACTOR_TYPES: [&str; 5] = ["Person", "Service", "Application", "Group", "Organization"];

fn object_kind(update: &Update) -> &str {
    update
        .object
        .get("type")
        .and_then(|t| t.as_str())
        .unwrap_or("")
}

super::handler!(Update);

impl Update {
    async fn check(&self, _data: &Data) -> Result<()> {
        let object = id_of(&self.object)
            .ok_or_else(|| Error::BadRequest("Update without an object id".into()))?;
        crate::apub::same_origin_or(
            &object,
            &self.actor,
            Error::Forbidden("an actor can only update its own server's objects".into()),
        )?;
        if ACTOR_TYPES.contains(&object_kind(self)) && object != self.actor {
            return Err(Error::Forbidden(
                "an actor can only update its own profile".into(),
            ));
        }
        Ok(())
    }

    async fn act(self, data: &Data) -> Result<()> {
        if NOT_CONTENT.contains(&object_kind(&self)) {
            tracing::debug!(
                id = %self.id,
                kind = object_kind(&self),
                "an Update of an object that is not content: acknowledged and ignored"
            );
            return Ok(());
        }
        if ACTOR_TYPES.contains(&object_kind(&self)) {
            let person: Person = serde_json::from_value(self.object)
                .map_err(|e| Error::BadRequest(format!("malformed actor in Update: {e}")))?;
            DbActor::verify(&person, &self.actor, data).await?;
            DbActor::from_json(person, data).await?;
            return Ok(());
        }
        let Ok(note) = serde_json::from_value::<Note>(self.object) else {
            tracing::info!(id = %self.id, "Update of an object perch does not keep");
            return Ok(());
        };
        if !note.is_by(&self.actor) {
            return Err(Error::Forbidden(
                "the object is attributed to another actor".into(),
            ));
        }
        let author = sender(&self.actor, data).await?;
        let updated = data
            .db
            .run_write(move |c| {
                let Some(stored) = objects::by_ap_id(c, note.id.as_str())? else {
                    return Ok(false);
                };
                if stored.actor_id != author.id || stored.local {
                    return Err(Error::Forbidden(
                        "only its author may edit an object".into(),
                    ));
                }
                let extras = crate::apub::objects::post::Extras::of(&note).to_json();
                let edit = objects::PostEdit {
                    content: sanitize::clean(&note.body()),
                    name: note.name,
                    summary: note.summary.as_deref().map(sanitize::clean),
                    source: None,
                    tags: crate::apub::objects::post::checked_tags(&note.tag, &note.id),
                    sensitive: note.sensitive.unwrap_or(false),
                    updated: Some(note.updated.map(|u| u.naive_utc()).unwrap_or_else(db::now)),
                };
                objects::edit(c, &stored, &edit)?;
                objects::set_extras(c, stored.id, extras)?;
                if objects::answered_by_author(c, stored.id)? {
                    notifications::add(c, notifications::UPDATE, author.id, Some(stored.id))?;
                }
                Ok(true)
            })
            .await?;
        tracing::info!(id = %self.id, updated, "update received");
        Ok(())
    }
}
