//! Mastodon's Relationship: how the author stands with an account.

use crate::{
    db::{
        models::*,
        queries::{blocks, follows},
        Conn,
    },
    error::Result,
};
use serde_json::{json, Value};

pub fn render(c: &mut Conn, actor: &DbActor) -> Result<Value> {
    let out = follows::get(c, actor.id, Direction::Outgoing)?;
    let incoming = follows::get(c, actor.id, Direction::Incoming)?;
    let state_is = |f: &Option<DbFollow>, s: FollowState| f.as_ref().is_some_and(|f| f.state == s);
    let blocked = blocks::is_blocked(c, &actor.ap_id, "")?;
    let domain_blocked = blocks::is_blocked(c, "", &actor.domain)?;
    Ok(json!({
        "id": actor.id.to_string(),
        "following": state_is(&out, FollowState::Accepted),
        "showing_reblogs": state_is(&out, FollowState::Accepted),
        "notifying": false,
        "languages": null,
        "followed_by": state_is(&incoming, FollowState::Accepted),
        "blocking": blocked,
        "blocked_by": false,
        "muting": false,
        "muting_notifications": false,
        "requested": state_is(&out, FollowState::Pending),
        "requested_by": state_is(&incoming, FollowState::Pending),
        "domain_blocking": domain_blocked,
        "endorsed": false,
        "note": "",
    }))
}
