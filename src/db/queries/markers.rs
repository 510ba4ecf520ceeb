//! Markers: where the author stopped reading a timeline in an app (`home`, `notifications`).

use crate::db::{models::DbMarker, now, schema::markers::dsl::*, Conn};
use crate::error::Result;
use diesel::prelude::*;

/// The markers of `timelines`.
pub fn of(conn: &mut Conn, timelines: Vec<String>) -> Result<Vec<DbMarker>> {
    Ok(markers
        .filter(timeline.eq_any(timelines))
        .select(DbMarker::as_select())
        .load(conn)?)
}

/// The last id read in `which`, if the author has a marker there.
pub fn last_read(conn: &mut Conn, which: &str) -> Result<Option<String>> {
    Ok(markers
        .find(which)
        .select(last_read_id)
        .first(conn)
        .optional()?)
}

/// Moves the marker of `which` to `read`, one version on.
pub fn save(conn: &mut Conn, which: String, read: String) -> Result<DbMarker> {
    let current: i32 = markers
        .find(&which)
        .select(version)
        .first(conn)
        .optional()?
        .unwrap_or(0);
    let row = DbMarker {
        timeline: which,
        last_read_id: read,
        version: current + 1,
        updated_at: now(),
    };
    crate::db::native!(conn, |c| diesel::insert_into(markers)
        .values(&row)
        .on_conflict(timeline)
        .do_update()
        .set(&row)
        .execute(c))?;
    Ok(row)
}
