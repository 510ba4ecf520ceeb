//! Which HTTP signature format each server (`host[:port]`) is sent, and the evidence for it.
//! No row means draft-cavage (see `delivery::sign`).

use crate::db::{now, schema::signature_formats::dsl::*, Conn};
use crate::error::Result;
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub const RFC9421: &str = "rfc9421";
pub const CAVAGE: &str = "cavage";

/// Why a server is sent the format it is sent.
pub mod why {
    /// It signed a request to perch the RFC 9421 way, and the signature verified.
    pub const SIGNED: &str = "signed";
    /// Its actor document advertises RFC 9421 (FEP-844e `generator.implements`).
    pub const ADVERTISED: &str = "advertised";
    /// It answered a delivery with an `Accept-Signature` header.
    pub const ASKED: &str = "asked";
    /// It refused an RFC 9421 signature (400, 401 or 403) and took draft-cavage.
    pub const REFUSED: &str = "refused";
}

/// What is known of one server.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Known {
    pub host: String,
    pub format: String,
    pub evidence: String,
    pub checked_at: NaiveDateTime,
}

/// What is known of `server`.
pub fn get(conn: &mut Conn, server: &str) -> Result<Option<Known>> {
    Ok(signature_formats
        .filter(host.eq(server.to_ascii_lowercase()))
        .select((host, format, evidence, checked_at))
        .first(conn)
        .optional()?)
}

/// Every server with a known format, by host.
pub fn all(conn: &mut Conn) -> Result<Vec<Known>> {
    Ok(signature_formats
        .select((host, format, evidence, checked_at))
        .order(host.asc())
        .load(conn)?)
}

/// Remembers that `server` is sent `taken` (one of [`RFC9421`], [`CAVAGE`]) because of `why`.
pub fn set(conn: &mut Conn, server: &str, taken: &str, why: &str) -> Result<()> {
    let server = server.to_ascii_lowercase();
    crate::db::native!(conn, |c| diesel::insert_into(signature_formats)
        .values((
            host.eq(&server),
            format.eq(taken),
            evidence.eq(why),
            checked_at.eq(now()),
        ))
        .on_conflict(host)
        .do_update()
        .set((format.eq(taken), evidence.eq(why), checked_at.eq(now())))
        .execute(c))?;
    Ok(())
}

/// Positive evidence that `server` verifies RFC 9421 (`why`, one of [`why`]'s). It wins over
/// nothing and over a refusal older than `refusal_kept`; a fresher refusal was seen with our
/// own eyes and stands. Returns whether anything changed (nothing is written otherwise).
pub fn evidence_for_rfc9421(
    conn: &mut Conn,
    server: &str,
    why: &str,
    refusal_kept: chrono::Duration,
) -> Result<bool> {
    match get(conn, server)? {
        Some(k) if k.format == RFC9421 => Ok(false),
        Some(k) if now() - k.checked_at < refusal_kept => Ok(false),
        _ => {
            set(conn, server, RFC9421, why)?;
            Ok(true)
        }
    }
}
