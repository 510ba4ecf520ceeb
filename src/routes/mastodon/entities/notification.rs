//! Mastodon's Notification. Every comment is a `mention`, and so is a comment held for
//! approval: the app shows it like any mention, and favouriting it approves it.

use super::{status, time, Ctx};
use crate::{
    db::{models::DbNotification, queries::objects, Conn},
    error::Result,
};
use serde_json::{json, Value};

pub fn render(c: &mut Conn, ctx: &mut Ctx<'_>, n: &DbNotification) -> Result<Value> {
    let account = ctx.account(c, n.actor_id)?;
    let status = match n.object_id {
        Some(id) => match objects::by_id(c, id)? {
            Some(o) => Some(status::render(c, ctx, &o)?),
            None => None,
        },
        None => None,
    };
    Ok(json!({
        "id": n.id.to_string(),
        "type": n.kind,
        "created_at": time(n.created_at),
        "group_key": format!("ungrouped-{}", n.id),
        "account": account,
        "status": status,
    }))
}
