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

/// The writes of the OAuth flow, each in its own transaction: registering an app, granting
/// an authorization code, redeeming it (once), issuing a token, revoking one.
pub mod grants {
    use super::*;
    use crate::state::AppState;

    pub async fn register_app(state: &AppState, new: NewApp) -> Result<DbApp> {
        state
            .db
            .run_write(move |c| oauth::insert_app(c, &new))
            .await
    }

    pub async fn grant_code(state: &AppState, row: DbCode) -> Result<()> {
        state
            .db
            .run_write(move |c| oauth::insert_code(c, &row))
            .await
    }

    /// The code stored under `code_hash`, removed so that it serves once.
    pub async fn redeem_code(state: &AppState, code_hash: String) -> Result<Option<DbCode>> {
        state
            .db
            .run_write(move |c| oauth::take_code(c, &code_hash))
            .await
    }

    /// A token for `app` (`None`: `perch token create`); the row and the token.
    pub async fn token(
        state: &AppState,
        app: Option<DbApp>,
        scopes: Scopes,
        user: bool,
    ) -> Result<(DbToken, String)> {
        state
            .db
            .run_write(move |c| issue_token(c, app.as_ref(), &scopes, user))
            .await
    }

    /// Revokes the token under `token_hash` if `client_id` and `client_secret` are its app's;
    /// `None` when they are not an app's credentials.
    pub async fn revoke(
        state: &AppState,
        client_id: String,
        client_secret: String,
        token_hash: String,
    ) -> Result<Option<bool>> {
        state
            .db
            .run_write(move |c| {
                let Some(app) = authenticate_app(c, &client_id, &client_secret)? else {
                    return Ok(None);
                };
                oauth::revoke_token(c, &token_hash, app.id).map(Some)
            })
            .await
    }
}
