//! Which HTTP signature format each server took last, by host (`host[:port]`).

use crate::db::{now, schema::signature_formats::dsl::*, Conn};
use crate::error::Result;
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub const RFC9421: &str = "rfc9421";
pub const CAVAGE: &str = "cavage";

/// The format `server` took last and when that was found out.
pub fn get(conn: &mut Conn, server: &str) -> Result<Option<(String, NaiveDateTime)>> {
    Ok(signature_formats
        .filter(host.eq(server.to_ascii_lowercase()))
        .select((format, checked_at))
        .first(conn)
        .optional()?)
}

/// Remembers that `server` took `taken` (one of [`RFC9421`], [`CAVAGE`]).
pub fn set(conn: &mut Conn, server: &str, taken: &str) -> Result<()> {
    let server = server.to_ascii_lowercase();
    diesel::insert_into(signature_formats)
        .values((host.eq(&server), format.eq(taken), checked_at.eq(now())))
        .on_conflict(host)
        .do_update()
        .set((format.eq(taken), checked_at.eq(now())))
        .execute(conn)?;
    Ok(())
}
