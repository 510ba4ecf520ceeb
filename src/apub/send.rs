//! Builders for the activities perch sends. Each returns an [`Outgoing`]: the JSON as it will
//! go over the wire, plus what the activity table records of it. Delivery is the queue's job.

use crate::{
    apub::{objects::post, protocol},
    db::models::{DbActor, DbObject},
    domain::{Urls, Visibility},
    error::Result,
};
use serde_json::{json, Value};
use url::Url;

#[derive(Debug, Clone)]
pub struct Outgoing {
    pub public_id: String,
    pub id: Url,
    pub kind: &'static str,
    pub object: Option<String>,
    /// Listed in the outbox and readable by anyone.
    pub public: bool,
    pub json: Value,
}

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

/// `Undo` of one of our own activities (embedded without its `@context`).
pub fn undo(urls: &Urls, ours: &Value, to: &str) -> Outgoing {
    let mut inner = ours.clone();
    if let Value::Object(o) = &mut inner {
        o.remove("@context");
    }
    outgoing(urls, "Undo", inner, json!({ "to": [to] }), false)
}

/// `Create` of a local post, addressed like the post itself.
pub fn create(urls: &Urls, post: &DbObject) -> Result<Outgoing> {
    let note = post::to_note(urls, post)?;
    let visibility = Visibility::parse(&post.visibility).unwrap_or(Visibility::Direct);
    let extra = json!({
        "to": note.to,
        "cc": note.cc,
        "published": note.published,
    });
    Ok(outgoing(
        urls,
        "Create",
        serde_json::to_value(&note)?,
        extra,
        visibility.is_public(),
    ))
}
