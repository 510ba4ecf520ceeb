//! Actors: the local one (with its keys) and the remote ones we have fetched.

use crate::db::{models::*, schema::actors::dsl::*, AnyConnection, Conn};
use crate::error::Result;
use diesel::prelude::*;

pub fn find_local(conn: &mut Conn) -> Result<Option<DbActor>> {
    Ok(actors
        .filter(local.eq(true))
        .select(DbActor::as_select())
        .first(conn)
        .optional()?)
}

pub fn by_ap_id(conn: &mut Conn, wanted: &str) -> Result<Option<DbActor>> {
    Ok(actors
        .filter(ap_id.eq(wanted))
        .select(DbActor::as_select())
        .first(conn)
        .optional()?)
}

/// The actor who has published a key with this id (its first or any other).
pub fn by_public_key_id(conn: &mut Conn, key: &str) -> Result<Option<DbActor>> {
    use diesel::{dsl::sql, sql_types::Bool};
    // `other_keys` is a JSON array of {"id", "pem"}: each database reads JSON its own way.
    let each_id = match conn {
        AnyConnection::Sqlite(_) => {
            "EXISTS (SELECT 1 FROM json_each(actors.other_keys) WHERE json_extract(value, '$.id') = "
        }
        AnyConnection::Pg(_) => {
            "EXISTS (SELECT 1 FROM json_array_elements(actors.other_keys::json) k WHERE k->>'id' = "
        }
    };
    let among_others = sql::<Bool>(each_id)
        .bind::<diesel::sql_types::Text, _>(key.to_owned())
        .sql(")");
    Ok(actors
        .filter(public_key_id.eq(key).or(among_others))
        .select(DbActor::as_select())
        .first(conn)
        .optional()?)
}

pub fn by_id(conn: &mut Conn, actor: i64) -> Result<Option<DbActor>> {
    Ok(actors
        .find(actor)
        .select(DbActor::as_select())
        .first(conn)
        .optional()?)
}

pub fn by_handle(conn: &mut Conn, user: &str, host: &str) -> Result<Option<DbActor>> {
    Ok(actors
        .filter(username.eq(user).and(domain.eq(host)))
        .order(fetched_at.desc())
        .select(DbActor::as_select())
        .first(conn)
        .optional()?)
}

/// Inserts the actor, or refreshes the stored copy with the same `ap_id`.
pub fn upsert(conn: &mut Conn, new: &NewActor) -> Result<DbActor> {
    Ok(crate::db::native!(conn, |c| diesel::insert_into(actors)
        .values(new)
        .on_conflict(ap_id)
        .do_update()
        .set(new)
        .returning(DbActor::as_returning())
        .get_result(c))?)
}

/// Sets what [`upsert`] does not write of a remote actor: its keys after the first, and its
/// `url` when that is on another server.
pub fn set_remote_extras(
    conn: &mut Conn,
    actor: i64,
    keys: &str,
    foreign_url: Option<&str>,
) -> Result<DbActor> {
    Ok(crate::db::native!(conn, |c| diesel::update(
        actors.find(actor)
    )
    .set((other_keys.eq(keys), link.eq(foreign_url)))
    .returning(DbActor::as_returning())
    .get_result(c))?)
}

pub fn count_remote(conn: &mut Conn) -> Result<i64> {
    Ok(actors.filter(local.eq(false)).count().get_result(conn)?)
}

/// Whether any actor we know has its id on `host` (host[:port]).
pub fn any_on_host(conn: &mut Conn, host: &str) -> Result<bool> {
    use crate::db::schema::actors::dsl as a;
    let n: i64 = a::actors
        .filter(a::domain.eq(host))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The actors of `ids` (each once; unknown ids are left out).
pub fn by_ids(conn: &mut Conn, ids: &[i64]) -> Result<Vec<DbActor>> {
    Ok(actors
        .filter(id.eq_any(ids))
        .select(DbActor::as_select())
        .load(conn)?)
}

/// The servers perch knows accounts on.
pub fn remote_domains(conn: &mut Conn) -> Result<Vec<String>> {
    Ok(actors
        .filter(local.eq(false))
        .select(domain)
        .distinct()
        .load(conn)?)
}

/// Replaces the row of actor `wanted` with `new`.
pub fn replace(conn: &mut Conn, wanted: i64, new: &NewActor) -> Result<DbActor> {
    Ok(crate::db::native!(conn, |c| diesel::update(
        actors.find(wanted)
    )
    .set(new)
    .returning(DbActor::as_returning())
    .get_result(c))?)
}

/// What the local actor shows of the profile: its name, bio, avatar URL and lock.
pub fn set_profile(
    conn: &mut Conn,
    wanted: i64,
    display: &str,
    bio: &str,
    avatar: Option<String>,
    locked: bool,
) -> Result<()> {
    diesel::update(actors.find(wanted))
        .set((
            name.eq(Some(display)),
            summary.eq(Some(bio)),
            icon.eq(avatar),
            manually_approves_followers.eq(locked),
        ))
        .execute(conn)?;
    Ok(())
}

/// Removes an account that is gone, with its follows and posts (they cascade).
pub fn remove(conn: &mut Conn, wanted: i64) -> Result<()> {
    diesel::delete(actors.find(wanted)).execute(conn)?;
    Ok(())
}
