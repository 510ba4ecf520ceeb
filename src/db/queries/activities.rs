//! Activities, sent and received, with their JSON as it went over the wire.

use crate::db::{models::*, schema::activities::dsl::*, Conn};
use crate::error::Result;
use diesel::prelude::*;

pub fn insert(conn: &mut Conn, new: &NewActivity) -> Result<DbActivity> {
    Ok(crate::db::native!(conn, |c| diesel::insert_into(
        activities
    )
    .values(new)
    .returning(DbActivity::as_returning())
    .get_result(c))?)
}

/// The `kind` the inbox gives an activity it does not act on: such activities are not stored.
pub const NOT_ACTED_ON: &str = "Unknown";

/// The largest received body stored. A bigger one keeps its row (for replay detection) and
/// its size, not its JSON: nothing reads received bodies, they are kept for the operator.
pub const MAX_STORED_BODY_BYTES: usize = 32 * 1024;

/// Records a received activity that perch acted on; `false` when its id was seen before (a
/// replay), or when it is not stored at all (its kind is [`NOT_ACTED_ON`]).
pub fn record_received(conn: &mut Conn, new: &NewActivity) -> Result<bool> {
    if new.kind == NOT_ACTED_ON {
        return Ok(false);
    }
    let omitted;
    let new = if new.data.len() > MAX_STORED_BODY_BYTES {
        omitted = NewActivity {
            data: serde_json::json!({ "omitted_bytes": new.data.len() }).to_string(),
            ..new.clone()
        };
        &omitted
    } else {
        new
    };
    let n = crate::db::native!(conn, |c| diesel::insert_into(activities)
        .values(new)
        .on_conflict(ap_id)
        .do_nothing()
        .execute(c))?;
    Ok(n > 0)
}

/// Forgets the bodies of received activities stored before `before` (their rows stay, for
/// replay detection). Returns how many.
pub fn expire_received_bodies(conn: &mut Conn, before: chrono::NaiveDateTime) -> Result<usize> {
    Ok(diesel::update(
        activities.filter(
            local
                .eq(false)
                .and(created_at.lt(before))
                .and(data.ne(EXPIRED_BODY)),
        ),
    )
    .set(data.eq(EXPIRED_BODY))
    .execute(conn)?)
}

/// What an expired body is replaced with.
pub const EXPIRED_BODY: &str = "{}";

pub fn by_public_id(conn: &mut Conn, pid: &str) -> Result<Option<DbActivity>> {
    Ok(activities
        .filter(public_id.eq(pid).and(local.eq(true)))
        .select(DbActivity::as_select())
        .first(conn)
        .optional()?)
}

pub fn by_ap_id(conn: &mut Conn, wanted: &str) -> Result<Option<DbActivity>> {
    Ok(activities
        .filter(ap_id.eq(wanted))
        .select(DbActivity::as_select())
        .first(conn)
        .optional()?)
}

/// The public activities of the outbox, newest post first: by the post's `published`, so
/// that imported posts take their place by their original dates.
pub fn outbox(conn: &mut Conn, offset: i64, limit: i64) -> Result<Vec<DbActivity>> {
    use crate::db::schema::objects;
    Ok(activities
        .inner_join(objects::table.on(object_ap_id.eq(objects::ap_id.nullable())))
        .filter(local.eq(true).and(public.eq(true)).and(kind.eq("Create")))
        .order((objects::published.desc(), id.desc()))
        .offset(offset)
        .limit(limit)
        .select(DbActivity::as_select())
        .load(conn)?)
}

pub fn outbox_count(conn: &mut Conn) -> Result<i64> {
    Ok(activities
        .filter(local.eq(true).and(public.eq(true)).and(kind.eq("Create")))
        .count()
        .get_result(conn)?)
}

/// Takes a deleted post's activities out of the outbox and off their public URLs.
pub fn withdraw_for_object(conn: &mut Conn, object: &str) -> Result<usize> {
    Ok(diesel::update(
        activities.filter(
            local
                .eq(true)
                .and(object_ap_id.eq(object))
                .and(kind.eq_any(["Create", "Update"])),
        ),
    )
    .set(public.eq(false))
    .execute(conn)?)
}

/// The newest activity of ours (what a CLI command just queued).
pub fn newest_local(conn: &mut Conn) -> Result<Option<i64>> {
    Ok(activities
        .filter(local.eq(true))
        .select(diesel::dsl::max(id))
        .first::<Option<i64>>(conn)?)
}
