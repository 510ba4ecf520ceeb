//! Notes and articles, local and remote.

use crate::db::{models::*, schema::objects::dsl::*, Conn};
use crate::error::Result;
use diesel::prelude::*;

pub fn insert(conn: &mut Conn, new: &NewObject) -> Result<DbObject> {
    Ok(diesel::insert_into(objects)
        .values(new)
        .returning(DbObject::as_returning())
        .get_result(conn)?)
}

/// Stores a remote object once; a second copy with the same id is ignored.
pub fn insert_remote(conn: &mut Conn, new: &NewObject) -> Result<Option<DbObject>> {
    Ok(diesel::insert_into(objects)
        .values(new)
        .on_conflict(ap_id)
        .do_nothing()
        .returning(DbObject::as_returning())
        .get_result(conn)
        .optional()?)
}

pub fn by_ap_id(conn: &mut Conn, wanted: &str) -> Result<Option<DbObject>> {
    Ok(objects
        .filter(ap_id.eq(wanted))
        .select(DbObject::as_select())
        .first(conn)
        .optional()?)
}

pub fn by_public_id(conn: &mut Conn, pid: &str) -> Result<Option<DbObject>> {
    Ok(objects
        .filter(public_id.eq(pid).and(local.eq(true)))
        .select(DbObject::as_select())
        .first(conn)
        .optional()?)
}

pub fn count_local(conn: &mut Conn) -> Result<i64> {
    Ok(objects.filter(local.eq(true)).count().get_result(conn)?)
}

/// Posts by one actor, newest first.
pub fn by_actor(conn: &mut Conn, actor: i64, limit: i64) -> Result<Vec<DbObject>> {
    Ok(objects
        .filter(actor_id.eq(actor))
        .order((published.desc(), id.desc()))
        .limit(limit)
        .select(DbObject::as_select())
        .load(conn)?)
}
