//! `Create` of a `Note` or `Article` (ActivityPub §7.2): a reply in one of our threads becomes
//! a comment; a post that mentions the author is kept and notified; posts from accounts the
//! author follows are kept for the home timeline; anything else is acknowledged and dropped.

use super::sender;
use crate::{
    apub::{
        objects::{comment, post},
        protocol::Create,
    },
    db::{
        models::*,
        queries::{follows, notifications, objects},
    },
    error::{Error, Result},
    state::Data,
};

super::handler!(Create);

impl Create {
    async fn check(&self, _data: &Data) -> Result<()> {
        if !self.object.is_by(&self.actor) {
            return Err(Error::Forbidden(
                "the object is attributed to another actor".into(),
            ));
        }
        crate::apub::same_origin_or(
            &self.object.id,
            &self.actor,
            Error::Forbidden("the object's id is on another server".into()),
        )?;
        Ok(())
    }

    async fn act(self, data: &Data) -> Result<()> {
        let author = sender(&self.actor, data).await?;
        let mut note = self.object;
        if let Some(stored) = comment::as_comment(data, &mut note, &author).await? {
            tracing::info!(comment = ?stored.map(|s| s.id), "comment received");
            return Ok(());
        }
        let us = data.urls.actor().to_string();
        let mentions_us = note.mentions(&us);
        let row = post::clean_row(&note, &author);
        let (owner, attachment) = (note.id.clone(), note.attachment.clone());
        let stored = data
            .db
            .run_write(move |c| {
                let followed = follows::get(c, author.id, Direction::Outgoing)?
                    .is_some_and(|f| f.state == FollowState::Accepted);
                if !followed && !mentions_us {
                    return Ok(false);
                }
                let Some(stored) = objects::insert_remote(c, &row)? else {
                    return Ok(false);
                };
                comment::store_attachments(c, stored.id, &owner, &attachment)?;
                if mentions_us {
                    notifications::add(c, notifications::MENTION, author.id, Some(stored.id))?;
                }
                Ok(true)
            })
            .await?;
        tracing::info!(object = %self.id, stored, mentions_us, "create received");
        Ok(())
    }
}
