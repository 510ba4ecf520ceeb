//! Idempotency keys: which status an app's `Idempotency-Key` posted.

use crate::db::{models::DbObject, now, queries::objects, schema::idempotency_keys::dsl::*, Conn};
use crate::error::Result;
use diesel::prelude::*;

/// The live post made earlier with `wanted`.
pub fn earlier(conn: &mut Conn, wanted: &str) -> Result<Option<DbObject>> {
    let id: Option<i64> = idempotency_keys
        .filter(key.eq(wanted))
        .select(object_id)
        .first(conn)
        .optional()?;
    match id {
        Some(id) => Ok(objects::by_id(conn, id)?.filter(|o| !o.is_deleted())),
        None => Ok(None),
    }
}

/// Remembers that `given` posted `object`; in the transaction that writes the post.
pub fn remember(conn: &mut Conn, given: &str, object: i64) -> Result<()> {
    let t = now();
    crate::db::native!(conn, |c| diesel::insert_into(idempotency_keys)
        .values((key.eq(given), object_id.eq(object), created_at.eq(t)))
        .on_conflict(key)
        .do_update()
        .set((object_id.eq(object), created_at.eq(t)))
        .execute(c))?;
    Ok(())
}
