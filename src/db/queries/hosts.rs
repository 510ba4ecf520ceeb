//! Servers that deliveries go to and whether they answer: a row only while one is failing
//! or marked unreachable (a server that answers has none).

use crate::db::{models::DbHost, schema::hosts::dsl::*, Conn};
use crate::error::Result;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Records a failed delivery to `server` at `at` and returns the server's row. Its failing
/// streak starts now unless it was already failing and the last failure is at most `gap` ago
/// (a longer silence is no evidence that it stayed down).
pub fn failed(
    conn: &mut Conn,
    server: &str,
    at: NaiveDateTime,
    error: &str,
    gap: chrono::Duration,
) -> Result<DbHost> {
    let since = get(conn, server)?
        .filter(|h| at - h.updated_at <= gap)
        .and_then(|h| h.failing_since)
        .unwrap_or(at);
    Ok(crate::db::native!(conn, |c| diesel::insert_into(hosts)
        .values((
            host.eq(server),
            failing_since.eq(Some(since)),
            last_error.eq(Some(error)),
            updated_at.eq(at),
        ))
        .on_conflict(host)
        .do_update()
        .set((
            failing_since.eq(Some(since)),
            last_error.eq(Some(error)),
            updated_at.eq(at),
        ))
        .returning(DbHost::as_returning())
        .get_result(c))?)
}

/// Marks `server` unreachable (if it was not yet) with its next probe at `probe_at`.
pub fn mark_unreachable(
    conn: &mut Conn,
    server: &str,
    at: NaiveDateTime,
    probe_at: NaiveDateTime,
) -> Result<()> {
    diesel::update(hosts.find(server).filter(unreachable_since.is_null()))
        .set((
            unreachable_since.eq(Some(at)),
            next_probe_at.eq(Some(probe_at)),
            updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Sets when `server` is next probed.
pub fn probe_later(conn: &mut Conn, server: &str, at: NaiveDateTime) -> Result<()> {
    diesel::update(hosts.find(server))
        .set(next_probe_at.eq(Some(at)))
        .execute(conn)?;
    Ok(())
}

/// `server` answered: forgets its failures. Returns the row it had, if any.
pub fn answered(conn: &mut Conn, server: &str) -> Result<Option<DbHost>> {
    let row = get(conn, server)?;
    if row.is_some() {
        diesel::delete(hosts.find(server)).execute(conn)?;
    }
    Ok(row)
}

pub fn get(conn: &mut Conn, server: &str) -> Result<Option<DbHost>> {
    Ok(hosts
        .find(server)
        .select(DbHost::as_select())
        .first(conn)
        .optional()?)
}

/// Every server marked unreachable.
pub fn unreachable(conn: &mut Conn) -> Result<Vec<DbHost>> {
    Ok(hosts
        .filter(unreachable_since.is_not_null())
        .order(host.asc())
        .select(DbHost::as_select())
        .load(conn)?)
}

/// Every server that is failing or unreachable.
pub fn all(conn: &mut Conn) -> Result<Vec<DbHost>> {
    Ok(hosts
        .order(host.asc())
        .select(DbHost::as_select())
        .load(conn)?)
}

/// The servers failing now but not (yet) marked unreachable.
pub fn failing(conn: &mut Conn) -> Result<Vec<String>> {
    Ok(hosts
        .filter(failing_since.is_not_null().and(unreachable_since.is_null()))
        .select(host)
        .load(conn)?)
}
