//! Wire types: plain serde structs shaped as ActivityStreams names them, nothing else.
//! Fields that other servers fill in many ways are read leniently.

mod activities;
pub mod capabilities;
mod collections;
pub mod lenient;
mod objects;

pub use activities::*;
pub use collections::*;
pub use objects::*;

use serde_json::{json, Value};

/// The `@context` perch sends: ActivityStreams, security, and the Mastodon extensions used.
pub fn context() -> Value {
    json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        {
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "sensitive": "as:sensitive",
            "Hashtag": "as:Hashtag",
            "toot": "http://joinmastodon.org/ns#",
            "discoverable": "toot:discoverable",
            "blurhash": "toot:blurhash"
        }
    ])
}

/// `value` with our `@context` first.
pub fn with_context<T: serde::Serialize>(value: &T) -> Value {
    let mut out = serde_json::Map::new();
    out.insert("@context".into(), context());
    if let Ok(Value::Object(fields)) = serde_json::to_value(value) {
        out.extend(fields);
    }
    Value::Object(out)
}

/// Reads an id that may come as a string or as an object with an `id`.
pub fn id_of(value: &Value) -> Option<url::Url> {
    match value {
        Value::String(s) => url::Url::parse(s).ok(),
        Value::Object(o) => o.get("id").and_then(id_of),
        _ => None,
    }
}

/// Whether a `Create`'s object is content perch keeps (see [`lenient::CONTENT_TYPES`]); an
/// object that is not content (a `Tombstone`, a `Profile`…) is logged as the reason it is
/// ignored.
pub fn is_content(object: &Value) -> bool {
    if lenient::content_type(object).is_some() {
        return true;
    }
    if let Some(kind) = object.get("type").and_then(Value::as_str) {
        if lenient::NOT_CONTENT.contains(&kind) {
            tracing::debug!(
                kind,
                "an object that is not content: acknowledged and ignored"
            );
        }
    }
    false
}
