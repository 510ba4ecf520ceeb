//! `Create` of a `Note` or `Article` (ActivityPub §7.2): posts from accounts the author follows
//! are kept for the home timeline; others are acknowledged and dropped.

use super::sender;
use crate::{
    apub::{objects::post, protocol::Create},
    db::{
        self,
        models::*,
        queries::{follows, objects},
    },
    error::{Error, Result},
    state::{AppState, Data},
};
use activitypub_federation::{
    protocol::verification::verify_domains_match, traits::ActivityHandler,
};
use url::Url;

#[async_trait::async_trait]
impl ActivityHandler for Create {
    type DataType = AppState;
    type Error = Error;

    fn id(&self) -> &Url {
        &self.id
    }
    fn actor(&self) -> &Url {
        &self.actor
    }

    async fn verify(&self, _data: &Data) -> Result<()> {
        if self.object.attributed_to != self.actor {
            return Err(Error::Forbidden(
                "the object is attributed to another actor".into(),
            ));
        }
        verify_domains_match(&self.object.id, &self.actor)
            .map_err(|_| Error::Forbidden("the object's id is on another server".into()))?;
        Ok(())
    }

    async fn receive(self, data: &Data) -> Result<()> {
        let author = sender(&self.actor, data).await?;
        let row = post::remote_row(&self.object, &author);
        let stored = data
            .db
            .run(move |c| {
                db::write(c, |c| {
                    let followed =
                        follows::get(c, author.id, OUTGOING)?.is_some_and(|f| f.state == ACCEPTED);
                    if !followed {
                        return Ok(false);
                    }
                    Ok(objects::insert_remote(c, &row)?.is_some())
                })
            })
            .await?;
        tracing::info!(object = %self.object.id, stored, "create received");
        Ok(())
    }
}
