//! What the author is told about: follows, follow requests, mentions (every comment is one),
//! likes, boosts and edits.

use crate::db::{models::*, now, schema::notifications::dsl::*, Conn};
use crate::error::Result;
use diesel::prelude::*;

pub const FOLLOW: &str = "follow";
pub const FOLLOW_REQUEST: &str = "follow_request";
pub const MENTION: &str = "mention";
pub const FAVOURITE: &str = "favourite";
pub const REBLOG: &str = "reblog";
pub const UPDATE: &str = "update";

pub fn add(conn: &mut Conn, what: &str, actor: i64, object: Option<i64>) -> Result<()> {
    diesel::insert_into(notifications)
        .values((
            kind.eq(what),
            actor_id.eq(actor),
            object_id.eq(object),
            dismissed.eq(false),
            created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Undismissed notifications, newest first.
pub fn recent(conn: &mut Conn, limit: i64) -> Result<Vec<DbNotification>> {
    Ok(notifications
        .filter(dismissed.eq(false))
        .order(id.desc())
        .limit(limit)
        .select(DbNotification::as_select())
        .load(conn)?)
}

/// Removes the notification a withdrawn like or boost had made.
pub fn withdraw(conn: &mut Conn, what: &str, actor: i64, object: i64) -> Result<()> {
    diesel::delete(
        notifications.filter(
            kind.eq(what)
                .and(actor_id.eq(actor))
                .and(object_id.eq(object)),
        ),
    )
    .execute(conn)?;
    Ok(())
}
