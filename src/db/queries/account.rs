//! The one account row: which actor is the author's, and their password hash.

use crate::db::{now, schema::account::dsl::*, Conn};
use crate::error::Result;
use diesel::prelude::*;

/// Makes `actor` the author's account, unless there is one.
pub fn ensure(conn: &mut Conn, actor: i64) -> Result<()> {
    crate::db::native!(conn, |c| diesel::insert_into(account)
        .values((id.eq(1), actor_id.eq(actor), created_at.eq(now())))
        .on_conflict(id)
        .do_nothing()
        .execute(c))?;
    Ok(())
}

/// Stores the password hash; `false` when there is no account yet.
pub fn set_password_hash(conn: &mut Conn, hash: String) -> Result<bool> {
    Ok(diesel::update(account)
        .set(password_hash.eq(Some(hash)))
        .execute(conn)?
        > 0)
}

/// The stored password hash, if the author has set a password.
pub fn password_hash_of(conn: &mut Conn) -> Result<Option<String>> {
    Ok(account
        .select(password_hash)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}
