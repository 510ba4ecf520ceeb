//! OAuth 2 as Mastodon does it: apps register (`apps`), the author logs in and consents on an
//! HTML page (`authorize`), codes and passwords become tokens (`token`). Secrets, codes and
//! tokens are random 256-bit strings; only their SHA-256 hashes are stored.

pub mod apps;
pub mod authorize;
pub mod token;

use crate::{
    api::scopes::Scopes,
    db::{self, models::*, queries::oauth, Conn},
    error::Result,
};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::Engine;
use rsa::sha2::{Digest, Sha256};

/// The redirect URI that means "show the code on the page".
pub const OOB: &str = "urn:ietf:wg:oauth:2.0:oob";

/// A fresh random secret, URL-safe.
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

/// Compares without leaking where the first difference is.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `/.well-known/oauth-authorization-server` (RFC 8414), as Mastodon 4.3 publishes it. Clients
/// read `grant_types_supported` before trying the password grant.
pub async fn metadata(data: crate::state::Data) -> actix_web::HttpResponse {
    let base = data.urls.base();
    let scopes: Vec<&str> = crate::api::scopes::ALL.to_vec();
    actix_web::HttpResponse::Ok().json(serde_json::json!({
        "issuer": format!("{base}/"),
        "service_documentation": "https://docs.joinmastodon.org/",
        "authorization_endpoint": format!("{base}/oauth/authorize"),
        "token_endpoint": format!("{base}/oauth/token"),
        "revocation_endpoint": format!("{base}/oauth/revoke"),
        "app_registration_endpoint": format!("{base}/api/v1/apps"),
        "scopes_supported": scopes,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "code_challenge_methods_supported": ["S256", "plain"],
        "grant_types_supported": ["authorization_code", "password", "client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
    }))
}
