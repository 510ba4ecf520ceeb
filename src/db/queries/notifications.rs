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

/// Adds a notification, unless the author has the same one (type, actor, object) not yet
/// dismissed: a repeated activity, under whatever id, tells the author once. Callers are in a
/// write transaction, so the check and the insert are one step.
pub fn add(conn: &mut Conn, what: &str, actor: i64, object: Option<i64>) -> Result<()> {
    let same = notifications
        .filter(kind.eq(what).and(actor_id.eq(actor)))
        .filter(dismissed.eq(false))
        .into_boxed();
    let same = match object {
        Some(o) => same.filter(object_id.eq(o)),
        None => same.filter(object_id.is_null()),
    };
    let n: i64 = same.count().get_result(conn)?;
    if n > 0 {
        return Ok(());
    }
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
