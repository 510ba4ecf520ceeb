//! Finding what the author searched for: an account by `@user@host` (WebFinger) or a post by
//! its URL, fetched from its server and stored when perch does not know it yet (a reply in one
//! of our threads is stored as a comment, anything else as a remote post).

use crate::{
    apub::{
        objects::{comment, post},
        protocol::Note,
    },
    db::{
        models::*,
        queries::{actors, objects},
    },
    domain::Acct,
    error::{Error, Result},
    state::Data,
};
use activitypub_federation::fetch::{
    fetch_object_http, object_id::ObjectId, webfinger::webfinger_resolve_actor,
};
use url::Url;

/// The account `@user@host`: known already, or (with `fetch`) found by WebFinger.
pub async fn account(data: &Data, handle: &str, fetch: bool) -> Result<Option<DbActor>> {
    let Some(acct) = Acct::parse(handle) else {
        return Ok(None);
    };
    let (user, host) = (acct.user.clone(), acct.host.clone());
    if let Some(known) = data
        .db
        .run(move |c| actors::by_handle(c, &user, &host))
        .await?
    {
        return Ok(Some(known));
    }
    if !fetch {
        return Ok(None);
    }
    match webfinger_resolve_actor::<_, DbActor>(&acct.to_string(), data).await {
        Ok(actor) => Ok(Some(actor)),
        Err(e) => {
            tracing::info!(%acct, error = %e, "account not found");
            Ok(None)
        }
    }
}

/// The post at `url`: known already (by id or URL), or (with `fetch`) fetched and stored.
pub async fn post(data: &Data, url: &Url, fetch: bool) -> Result<Option<DbObject>> {
    let wanted = url.to_string();
    let ours = wanted.starts_with(data.urls.base());
    let known = data
        .db
        .run(move |c| {
            Ok(match objects::by_ap_id(c, &wanted)? {
                Some(o) => Some(o),
                // Our own posts also answer to their slug URLs.
                None if ours => objects::find_local(c, &wanted)?,
                None => objects::by_url(c, &wanted)?,
            })
        })
        .await?;
    if known.is_some() || !fetch || url.as_str().starts_with(data.urls.base()) {
        return Ok(known.filter(|o| !o.is_deleted()));
    }
    let mut note = match fetch_object_http::<_, Note>(url, data).await {
        Ok(res) => res.object,
        Err(e) => {
            tracing::info!(%url, error = %e, "post not found");
            return Ok(None);
        }
    };
    let author_id = note.author()?.clone();
    if !crate::domain::Host::same(&note.id, &author_id) {
        return Err(Error::Forbidden(
            "the post is attributed to an actor on another server".into(),
        ));
    }
    let id = note.id.to_string();
    let author = ObjectId::<DbActor>::from(author_id)
        .dereference(data)
        .await?;
    if let Some(stored) = comment::as_comment(data, &mut note, &author).await? {
        return Ok(stored);
    }
    let row = post::clean_row(&note, &author);
    let (owner, attachments) = (note.id.clone(), note.attachment.clone());
    data.db
        .run_write(move |c| {
            if let Some(stored) = objects::insert_remote(c, &row)? {
                comment::store_attachments(c, stored.id, &owner, &attachments)?;
            }
            objects::by_ap_id(c, &id)
        })
        .await
}
