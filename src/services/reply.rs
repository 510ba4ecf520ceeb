//! The author answering a post or a comment: the reply joins that thread, and the parent's
//! author is mentioned, addressed and sent the reply.

use crate::{
    apub::{
        objects::comment::{placement_under, Placement},
        protocol::Note,
    },
    db::{
        models::DbActor,
        queries::{actors, objects},
    },
    error::{Error, Result},
    services::compose::Composed,
    state::Data,
};
use activitypub_federation::fetch::{fetch_object_http, object_id::ObjectId};
use serde_json::json;
use url::Url;

/// What a reply answers.
#[derive(Debug, Clone)]
pub struct Parent {
    pub ap_id: String,
    /// Set when the parent is in one of our threads (a perch post or a comment under one).
    pub placement: Option<Placement>,
}

/// Resolves `target` (a URL, or the id or slug of one of our posts) and adds its author to
/// the reply's mentions, so that they are addressed and delivered to.
pub async fn parent(data: &Data, target: &str, composed: &mut Composed) -> Result<Parent> {
    let wanted = target.to_owned();
    let stored = data
        .db
        .run(move |c| {
            let found = match objects::by_ap_id(c, &wanted)? {
                Some(o) => Some(o),
                None => objects::find_local(c, &wanted)?,
            };
            let Some(object) = found else { return Ok(None) };
            let mut people: Vec<DbActor> = actors::by_id(c, object.actor_id)?.into_iter().collect();
            // Those the parent mentioned stay in the conversation, as Mastodon apps do it.
            for href in crate::apub::objects::post::mentioned(&object) {
                if let Some(a) = actors::by_ap_id(c, href.as_str())? {
                    people.push(a);
                }
            }
            Ok(Some((object, people)))
        })
        .await?;
    let (ap_id, placement, people) = match stored {
        Some((object, people)) => {
            if object.is_deleted() {
                return Err(Error::Unprocessable("that post has been deleted".into()));
            }
            (object.ap_id.clone(), placement_under(&object), people)
        }
        None => {
            let url = Url::parse(target).map_err(|_| {
                Error::Unprocessable(format!("`{target}` is neither a post here nor a URL"))
            })?;
            let note = fetch_object_http::<_, Note>(&url, data).await?.object;
            let author = ObjectId::<DbActor>::from(note.author()?.clone())
                .dereference(data)
                .await?;
            (note.id.to_string(), None, vec![author])
        }
    };
    for person in people.into_iter().filter(|a| !a.local) {
        if !composed.mentions.iter().any(|m| m.id == person.id) {
            if let Some(tags) = composed.tags.as_array_mut() {
                tags.push(json!({ "type": "Mention", "href": person.ap_id, "name": format!("@{}", person.acct()) }));
            }
            composed.mentions.push(person);
        }
    }
    Ok(Parent { ap_id, placement })
}
