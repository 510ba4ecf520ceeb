//! Builders for the activities perch sends. Each returns an [`Outgoing`]: the JSON as it will
//! go over the wire, plus what the activity table records of it. Delivery is the queue's job.

use crate::{
    apub::{objects::post, protocol},
    db::{
        models::{DbActor, DbObject},
        queries::posts::Post,
    },
    delivery::Outgoing,
    domain::{Urls, Visibility},
    error::Result,
    state::AppState,
};
use serde_json::{json, Value};

fn outgoing(
    urls: &Urls,
    kind: &'static str,
    object: Value,
    extra: Value,
    public: bool,
) -> Outgoing {
    let public_id = Urls::new_public_id();
    let id = urls.activity(&public_id);
    let object_id = protocol::id_of(&object).map(|u| u.to_string());
    let mut body = json!({
        "@context": protocol::context(),
        "id": id,
        "type": kind,
        "actor": urls.actor(),
        "object": object,
    });
    if let (Value::Object(b), Value::Object(e)) = (&mut body, extra) {
        b.extend(e);
    }
    Outgoing {
        public_id,
        id,
        kind,
        object: object_id,
        public,
        json: body,
    }
}

/// `Follow` of a remote actor.
pub fn follow(urls: &Urls, target: &DbActor) -> Outgoing {
    outgoing(
        urls,
        "Follow",
        json!(target.ap_id),
        json!({ "to": [target.ap_id] }),
        false,
    )
}

/// `Accept` of a received Follow (embedded, as Mastodon expects).
pub fn accept(urls: &Urls, follow: &protocol::Follow) -> Outgoing {
    respond(urls, "Accept", follow)
}

/// `Reject` of a received Follow.
pub fn reject(urls: &Urls, follow: &protocol::Follow) -> Outgoing {
    respond(urls, "Reject", follow)
}

fn respond(urls: &Urls, kind: &'static str, follow: &protocol::Follow) -> Outgoing {
    let embedded = json!({
        "id": follow.id,
        "type": "Follow",
        "actor": follow.actor,
        "object": follow.object,
    });
    outgoing(urls, kind, embedded, json!({ "to": [follow.actor] }), false)
}

/// `Like` of someone's post, sent to its author.
pub fn like(urls: &Urls, object: &str, author: &str) -> Outgoing {
    outgoing(
        urls,
        "Like",
        json!(object),
        json!({ "to": [author] }),
        false,
    )
}

/// `Announce` (a boost) of someone's post: public, to our followers and its author.
pub fn announce(urls: &Urls, object: &str, author: &str) -> Outgoing {
    let extra = json!({
        "to": [crate::domain::PUBLIC],
        "cc": [urls.followers(), author],
        "published": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    });
    outgoing(urls, "Announce", json!(object), extra, true)
}

/// `Undo` of one of our own activities (embedded without its `@context`).
pub fn undo(urls: &Urls, ours: &Value, to: &str) -> Outgoing {
    let mut inner = ours.clone();
    if let Value::Object(o) = &mut inner {
        o.remove("@context");
    }
    outgoing(urls, "Undo", inner, json!({ "to": [to] }), false)
}

/// `Create` of a local post, addressed like the post itself.
pub fn create(state: &AppState, post: &Post) -> Result<Outgoing> {
    about_post(state, "Create", post)
}

/// `Update` of an edited post, with its new text and `updated`, to the same audience.
pub fn update(state: &AppState, post: &Post) -> Result<Outgoing> {
    about_post(state, "Update", post)
}

fn about_post(state: &AppState, kind: &'static str, post: &Post) -> Result<Outgoing> {
    let note = post::to_note(state, post)?;
    let visibility = Visibility::parse(&post.post.visibility).unwrap_or(Visibility::Direct);
    let when = if kind == "Create" {
        note.published
    } else {
        note.updated
    };
    let extra = json!({ "to": note.to, "cc": note.cc, "published": when });
    Ok(outgoing(
        &state.urls,
        kind,
        serde_json::to_value(&note)?,
        extra,
        visibility.is_public(),
    ))
}

/// `Update` of the author's actor document (after a profile edit), to the followers.
pub fn update_actor(state: &AppState, person: Value) -> Outgoing {
    let extra = json!({ "to": [crate::domain::PUBLIC], "cc": [state.urls.followers()] });
    outgoing(&state.urls, "Update", person, extra, true)
}

/// `Delete` of a post: a Tombstone, to the audience the post had.
pub fn delete(state: &AppState, post: &DbObject) -> Outgoing {
    let visibility = Visibility::parse(&post.visibility).unwrap_or(Visibility::Direct);
    let (to, cc) = post::audience(state, visibility, &post::mentioned(post));
    let tombstone = json!({ "id": post.ap_id, "type": "Tombstone" });
    outgoing(
        &state.urls,
        "Delete",
        tombstone,
        json!({ "to": to, "cc": cc }),
        false,
    )
}
