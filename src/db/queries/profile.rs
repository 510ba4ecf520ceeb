//! The profile edits made from apps, stored over the config's values (one row).

use crate::db::{models::DbProfile, schema::profile::dsl::*, Conn};
use crate::error::Result;
use diesel::prelude::*;

/// The stored edits, if any.
pub fn get(conn: &mut Conn) -> Result<Option<DbProfile>> {
    Ok(profile
        .select(DbProfile::as_select())
        .first(conn)
        .optional()?)
}

/// Replaces the stored edits.
pub fn put(conn: &mut Conn, row: &DbProfile) -> Result<()> {
    // An upsert rather than SQLite's REPLACE, which PostgreSQL does not have.
    crate::db::native!(conn, |c| diesel::insert_into(profile)
        .values(row)
        .on_conflict(id)
        .do_update()
        .set(row)
        .execute(c))?;
    Ok(())
}
