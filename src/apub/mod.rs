//! ActivityPub: wire types (`protocol`), how our rows become objects and back (`objects`),
//! one file per activity type (`activities`), the inbox's parse → verify → dispatch path
//! (`inbox`) and its rate limit per server (`throttle`), HTTP signatures (`signatures`), signed
//! fetches both ways (`signed_fetch`) and the builders of outgoing activities (`send`).

pub mod activities;
pub mod fetch_client;
pub mod inbox;
pub mod objects;
pub mod protocol;
pub mod sanitize;
pub mod send;
pub mod signatures;
pub mod signed_fetch;
pub mod throttle;
pub mod url_verifier;
pub mod urls;

/// The media type we answer and send with.
pub const ACTIVITY_JSON: &str = "application/activity+json";
/// The other media type ActivityPub clients ask for.
pub const LD_JSON: &str = r#"application/ld+json; profile="https://www.w3.org/ns/activitystreams""#;

/// Whether `a` and `b` are on one server ([`Host::same`](crate::domain::Host::same): host and
/// port; activitypub_federation compares only the host, which would let two servers on one
/// host speak for each other), or `err`.
pub fn same_origin_or(
    a: &url::Url,
    b: &url::Url,
    err: crate::error::Error,
) -> crate::error::Result<()> {
    if crate::domain::Host::same(a, b) {
        Ok(())
    } else {
        Err(err)
    }
}

/// Whether an `Accept` header asks for ActivityStreams JSON.
pub fn wants_activity_json(accept: &str) -> bool {
    let a = accept.to_ascii_lowercase();
    a.contains("application/activity+json") || a.contains("application/ld+json")
}
