//! ActivityPub: wire types (`protocol`), how our rows become objects and back (`objects`),
//! one file per activity type (`activities`), the inbox's parse → verify → dispatch path
//! (`inbox`), HTTP signatures (`signatures`) and the builders of outgoing activities (`send`).

pub mod activities;
pub mod inbox;
pub mod objects;
pub mod protocol;
pub mod sanitize;
pub mod send;
pub mod signatures;

/// The media type we answer and send with.
pub const ACTIVITY_JSON: &str = "application/activity+json";
/// The other media type ActivityPub clients ask for.
pub const LD_JSON: &str = r#"application/ld+json; profile="https://www.w3.org/ns/activitystreams""#;

/// Whether an `Accept` header asks for ActivityStreams JSON.
pub fn wants_activity_json(accept: &str) -> bool {
    let a = accept.to_ascii_lowercase();
    a.contains("application/activity+json") || a.contains("application/ld+json")
}
