//! The author keeps control of what their site shows: approving, hiding and deleting comments,
//! and blocking actors or whole domains.

use crate::domain::visibility::Moderation;
use crate::{
    db::{
        models::*,
        queries::{actors, blocks, objects},
    },
    domain::Acct,
    error::{Error, Result},
    state::{AppState, Data},
};
use activitypub_federation::fetch::webfinger::webfinger_resolve_actor;

/// Comments, newest first (only those waiting for approval with `pending`).
pub async fn list(state: &AppState, pending: bool) -> Result<Vec<(DbObject, DbActor)>> {
    state
        .db
        .run(move |c| objects::comments(c, pending, 200))
        .await
}

/// What the author can do to a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Approve,
    Hide,
    Unhide,
    Delete,
}

/// Applies `action` to the comment with database id `id`.
pub async fn moderate(state: &AppState, id: i64, action: Action) -> Result<()> {
    state
        .db
        .run_write(move |c| {
            let comment = objects::by_id(c, id)?
                .filter(|o| !o.local && o.thread_root_id.is_some())
                .ok_or(Error::NotFound)?;
            match action {
                Action::Approve | Action::Unhide => {
                    objects::set_moderation(c, comment.id, Moderation::Visible)?;
                }
                Action::Hide => {
                    objects::set_moderation(c, comment.id, Moderation::Hidden)?;
                }
                Action::Delete if objects::has_replies(c, comment.id)? => {
                    objects::mark_deleted(c, comment.id)?;
                }
                Action::Delete => objects::remove(c, comment.id)?,
            }
            Ok(())
        })
        .await
}

/// Blocks `@user@host` (resolved by WebFinger when unknown) or a whole domain.
pub async fn block(data: &Data, target: &str) -> Result<String> {
    let target = target.trim();
    if target.contains('@') {
        let acct = Acct::parse(target).ok_or_else(|| {
            Error::BadRequest(format!("`{target}` is not @user@host or a domain"))
        })?;
        let (user, host) = (acct.user.clone(), acct.host.clone());
        let known = data
            .db
            .run(move |c| actors::by_handle(c, &user, &host))
            .await?;
        let actor = match known {
            Some(a) => a,
            None => webfinger_resolve_actor::<_, DbActor>(&acct.to_string(), data).await?,
        };
        let label = actor.ap_id.clone();
        data.db
            .run_write(move |c| blocks::block_actor(c, &actor))
            .await?;
        Ok(label)
    } else {
        let valid = !target.is_empty()
            && target
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
        if !valid {
            return Err(Error::BadRequest(format!(
                "`{target}` is not @user@host or a domain"
            )));
        }
        let host = target.to_ascii_lowercase();
        let label = host.clone();
        data.db
            .run_write(move |c| blocks::block_domain(c, &host))
            .await?;
        Ok(label)
    }
}

/// Lifts the block on an actor (its id) or a domain; `false` if there was none. Comments
/// hidden meanwhile stay hidden.
pub async fn unblock(state: &AppState, actor_or_domain: String) -> Result<bool> {
    state
        .db
        .run_write(move |c| blocks::unblock(c, &actor_or_domain))
        .await
}
