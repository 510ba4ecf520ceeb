//! What the author is told about: follows, follow requests, mentions (every comment is one),
//! likes, boosts and edits.

use crate::db::{models::*, now, paging::Page, schema::notifications::dsl::*, Conn};
use crate::error::Result;
use crate::paged;
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

/// Which notifications a list shows: only these kinds (if any), none of those.
#[derive(Debug, Clone, Default)]
pub struct Kinds {
    pub only: Vec<String>,
    pub except: Vec<String>,
}

/// A page of undismissed notifications of `kinds`, newest first.
pub fn page(conn: &mut Conn, kinds: Kinds, page: Page) -> Result<Vec<DbNotification>> {
    // A mention whose comment was not kept (comments off) has nothing to show.
    let mut q = notifications
        .filter(dismissed.eq(false))
        .filter(kind.ne(MENTION).or(object_id.is_not_null()))
        .into_boxed();
    if !kinds.only.is_empty() {
        q = q.filter(kind.eq_any(kinds.only));
    }
    if !kinds.except.is_empty() {
        q = q.filter(kind.ne_all(kinds.except));
    }
    let rows = paged!(q, id, page)
        .select(DbNotification::as_select())
        .load(conn)?;
    Ok(page.finish(rows))
}

/// Notification `wanted`, unless dismissed.
pub fn undismissed(conn: &mut Conn, wanted: i64) -> Result<Option<DbNotification>> {
    Ok(notifications
        .find(wanted)
        .filter(dismissed.eq(false))
        .select(DbNotification::as_select())
        .first(conn)
        .optional()?)
}

/// Dismisses notification `which`, or all of them.
pub fn dismiss(conn: &mut Conn, which: Option<i64>) -> Result<()> {
    let mut q = diesel::update(notifications).into_boxed();
    if let Some(wanted) = which {
        q = q.filter(id.eq(wanted));
    }
    q.set(dismissed.eq(true)).execute(conn)?;
    Ok(())
}

/// Undismissed notifications the author has not read: newer than the `notifications` marker.
pub fn unread(conn: &mut Conn) -> Result<i64> {
    let read = crate::db::queries::markers::last_read(conn, "notifications")?;
    let after = read.and_then(|r| r.parse::<i64>().ok()).unwrap_or(0);
    Ok(notifications
        .filter(dismissed.eq(false).and(id.gt(after)))
        .count()
        .get_result(conn)?)
}
