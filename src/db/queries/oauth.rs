//! OAuth rows: registered apps, authorization codes and access tokens, each looked up by the
//! hash of its secret.

use crate::db::{models::*, now, schema, Conn};
use crate::error::Result;
use diesel::prelude::*;

pub fn insert_app(conn: &mut Conn, new: &NewApp) -> Result<DbApp> {
    use schema::oauth_apps::dsl::*;
    Ok(crate::db::native!(conn, |c| diesel::insert_into(
        oauth_apps
    )
    .values(new)
    .returning(DbApp::as_returning())
    .get_result(c))?)
}

pub fn app_by_client_id(conn: &mut Conn, wanted: &str) -> Result<Option<DbApp>> {
    use schema::oauth_apps::dsl::*;
    Ok(oauth_apps
        .filter(client_id.eq(wanted))
        .select(DbApp::as_select())
        .first(conn)
        .optional()?)
}

pub fn app_by_id(conn: &mut Conn, wanted: i64) -> Result<Option<DbApp>> {
    use schema::oauth_apps::dsl::*;
    Ok(oauth_apps
        .find(wanted)
        .select(DbApp::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert_code(conn: &mut Conn, new: &DbCode) -> Result<()> {
    diesel::insert_into(schema::oauth_codes::table)
        .values(new)
        .execute(conn)?;
    Ok(())
}

/// Takes the code with this hash: it is deleted whether or not it is still valid (used once).
pub fn take_code(conn: &mut Conn, hash: &str) -> Result<Option<DbCode>> {
    use schema::oauth_codes::dsl::*;
    diesel::delete(oauth_codes.filter(expires_at.lt(now()))).execute(conn)?;
    Ok(crate::db::native!(conn, |c| diesel::delete(
        oauth_codes.filter(code_hash.eq(hash))
    )
    .returning(DbCode::as_returning())
    .get_result(c))
    .optional()?)
}

pub fn insert_token(conn: &mut Conn, new: &NewToken) -> Result<DbToken> {
    use schema::oauth_tokens::dsl::*;
    Ok(crate::db::native!(conn, |c| diesel::insert_into(
        oauth_tokens
    )
    .values(new)
    .returning(DbToken::as_returning())
    .get_result(c))?)
}

pub fn token_by_hash(conn: &mut Conn, hash: &str) -> Result<Option<DbToken>> {
    use schema::oauth_tokens::dsl::*;
    Ok(oauth_tokens
        .filter(token_hash.eq(hash))
        .select(DbToken::as_select())
        .first(conn)
        .optional()?)
}

/// Whether a token's last use is old enough to be noted again (once a minute, to spare writes).
pub fn needs_touch(token: &DbToken) -> bool {
    token
        .last_used_at
        .is_none_or(|t| now() - t >= chrono::Duration::minutes(1))
}

/// Notes when a token was last used.
pub fn touch_token(conn: &mut Conn, token: &DbToken) -> Result<()> {
    use schema::oauth_tokens::dsl::*;
    let at = now();
    diesel::update(oauth_tokens.find(token.id))
        .set(last_used_at.eq(Some(at)))
        .execute(conn)?;
    Ok(())
}

/// Revokes the token with this hash if `app` issued it. `true` if one was revoked.
pub fn revoke_token(conn: &mut Conn, hash: &str, app: i64) -> Result<bool> {
    use schema::oauth_tokens::dsl::*;
    Ok(
        diesel::delete(oauth_tokens.filter(token_hash.eq(hash).and(app_id.eq(app))))
            .execute(conn)?
            > 0,
    )
}
