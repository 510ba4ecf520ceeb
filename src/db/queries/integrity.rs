//! The database's own checks, and copies of a whole SQLite file (`perch backup`, `perch check`).

use crate::db::Conn;
use crate::error::Result;
use diesel::{prelude::*, sql_types::Text};
use std::path::Path;

/// Writes a consistent copy of the database to `target` (which must not exist). SQLite's
/// `VACUUM INTO` reads one snapshot inside a transaction, as the backup API does, and writes a
/// compact file; writers wait on the busy timeout meanwhile.
pub fn vacuum_into(conn: &mut Conn, target: &Path) -> Result<()> {
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(target.to_string_lossy().into_owned())
        .execute(conn)?;
    Ok(())
}

#[derive(diesel::QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

#[derive(diesel::QueryableByName)]
struct Dangling {
    #[diesel(sql_type = Text)]
    table: String,
}

/// `PRAGMA integrity_check`: `["ok"]`, or what is wrong.
pub fn integrity(conn: &mut Conn) -> Result<Vec<String>> {
    let lines: Vec<Line> = diesel::sql_query("PRAGMA integrity_check").load(conn)?;
    Ok(lines.into_iter().map(|l| l.integrity_check).collect())
}

/// `PRAGMA foreign_key_check`: the table of each row whose reference points nowhere.
pub fn dangling_rows(conn: &mut Conn) -> Result<Vec<String>> {
    let rows: Vec<Dangling> = diesel::sql_query("PRAGMA foreign_key_check").load(conn)?;
    Ok(rows.into_iter().map(|d| d.table).collect())
}

#[derive(diesel::QueryableByName)]
struct Version {
    #[diesel(sql_type = Text)]
    server_version: String,
}

/// PostgreSQL's `server_version` (e.g. "15.18 (Debian 15.18-0+deb12u1)").
pub fn postgres_version(conn: &mut Conn) -> Result<String> {
    let v: Version = diesel::sql_query("SHOW server_version").get_result(conn)?;
    Ok(v.server_version)
}
