//! The OAuth core, apart from the HTTP that carries it: fresh secrets, what is stored of them
//! (SHA-256 hashes, never the secrets), issuing tokens, checking an app's credentials and a
//! bearer token, and comparing secrets in constant time. Used by the Mastodon API's OAuth
//! routes, the web login page and `perch token create`.

use crate::{
    db::{self, models::*, queries::oauth, Conn},
    domain::scopes::Scopes,
    error::Result,
};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::Engine;
use rsa::sha2::{Digest, Sha256};

/// A fresh random secret (256 bits), URL-safe.
pub fn secret() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored of a secret.
pub fn hash(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Issues a token to `app` (none for `perch token create`); returns the row and the token.
pub fn issue_token(
    c: &mut Conn,
    app: Option<&DbApp>,
    scopes: &Scopes,
    user: bool,
) -> Result<(DbToken, String)> {
    let token = secret();
    let row = oauth::insert_token(
        c,
        &NewToken {
            token_hash: hash(&token),
            app_id: app.map(|a| a.id),
            scopes: scopes.to_string(),
            user_token: user,
            created_at: db::now(),
        },
    )?;
    Ok((row, token))
}

/// The app with this client id, if its secret matches.
pub fn authenticate_app(
    c: &mut Conn,
    client_id: &str,
    client_secret: &str,
) -> Result<Option<DbApp>> {
    Ok(oauth::app_by_client_id(c, client_id)?.filter(|app| {
        let given = hash(client_secret);
        constant_time_eq(given.as_bytes(), app.secret_hash.as_bytes())
    }))
}

/// The live token behind a bearer string, if any; its last use is recorded now and then.
pub fn token(c: &mut Conn, bearer: &str) -> Result<Option<DbToken>> {
    let Some(token) = oauth::token_by_hash(c, &hash(bearer))? else {
        return Ok(None);
    };
    if oauth::needs_touch(&token) {
        db::write(c, |c| oauth::touch_token(c, &token))?;
    }
    Ok(Some(token))
}

/// Compares without leaking where the first difference is.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
