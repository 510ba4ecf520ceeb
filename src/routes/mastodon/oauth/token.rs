//! `POST /oauth/token` (authorization_code with PKCE, password, client_credentials) and
//! `POST /oauth/revoke`. Errors follow RFC 6749: `{"error": "invalid_grant",
//! "error_description": "..."}`.

use crate::services::auth::{authenticate_app, constant_time_eq, grants, hash};
use crate::{
    db::{self, models::*},
    domain::scopes::Scopes,
    error::Error,
    routes::mastodon::{params::Params, ApiResult},
    services::setup,
    state::Data,
};
use actix_web::{http::StatusCode, HttpRequest, HttpResponse};
use base64::Engine;
use rsa::sha2::{Digest, Sha256};
use serde_json::json;

/// An OAuth error answer.
fn refuse(status: StatusCode, error: &str, description: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({
        "error": error,
        "error_description": description,
    }))
}

/// The client's id and secret, from the body or HTTP Basic.
fn client_credentials(req: &HttpRequest, params: &Params) -> (String, String) {
    let basic = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| {
            base64::engine::general_purpose::STANDARD
                .decode(b.trim())
                .ok()
        })
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.split_once(':').map(|(a, b)| (a.to_owned(), b.to_owned())));
    basic.unwrap_or_else(|| {
        (
            params.str("client_id").unwrap_or_default(),
            params.str("client_secret").unwrap_or_default(),
        )
    })
}

/// [`POST /oauth/token`](https://docs.joinmastodon.org/methods/oauth/#token): an access token for
/// an authorization code, the author's password, or the app's own credentials.
pub async fn token(data: Data, req: HttpRequest, params: Params) -> ApiResult<HttpResponse> {
    let (client_id, client_secret) = client_credentials(&req, &params);
    let app = data
        .db
        .run(move |c| authenticate_app(c, &client_id, &client_secret))
        .await?;
    let Some(app) = app else {
        return Ok(refuse(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
        ));
    };
    let app_scopes = Scopes::parse(&app.scopes)?;
    let requested = match params.str("scope").or_else(|| params.str("scopes")) {
        Some(s) => match Scopes::parse(&s) {
            Ok(s) => Some(s),
            Err(e) => {
                return Ok(refuse(
                    StatusCode::BAD_REQUEST,
                    "invalid_scope",
                    &e.to_string(),
                ))
            }
        },
        None => None,
    };
    if requested.as_ref().is_some_and(|r| !r.within(&app_scopes)) {
        return Ok(refuse(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            "The requested scope is invalid, unknown, or malformed.",
        ));
    }
    let grant = params.str("grant_type").unwrap_or_default();
    let (scopes, user) = match grant.as_str() {
        "authorization_code" => match redeem_code(&data, &app, &params).await? {
            Ok(scopes) => (scopes, true),
            Err(why) => return Ok(refuse(StatusCode::BAD_REQUEST, "invalid_grant", why)),
        },
        "password" => {
            data.limits.login(&req)?;
            let password = params.str("password").unwrap_or_default();
            let username = params.str("username").unwrap_or_default();
            let db = data.db.clone();
            let ok = tokio::task::spawn_blocking(move || setup::check_password(&db, &password))
                .await
                .map_err(Error::from)??;
            if !ok || !username_matches(&data, &username) {
                return Ok(refuse(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "The user name or password is wrong.",
                ));
            }
            (requested.unwrap_or(Scopes::parse("read")?), true)
        }
        "client_credentials" => (requested.unwrap_or(Scopes::parse("read")?), false),
        _ => {
            return Ok(refuse(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "The authorization grant type is not supported by the authorization server.",
            ))
        }
    };
    let (row, token) = grants::token(data.app_data(), Some(app), scopes, user).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(json!({
            "access_token": token,
            "token_type": "Bearer",
            "scope": row.scopes,
            "created_at": row.created_at.and_utc().timestamp(),
        })))
}

/// The author logs in as their username, `@username`, `username@domain` or their email-like
/// handle; perch has one account, so any of these names it.
fn username_matches(data: &Data, given: &str) -> bool {
    let given = given.trim().trim_start_matches('@').to_ascii_lowercase();
    let user = data.local.actor.username.to_ascii_lowercase();
    let acct = format!(
        "{user}@{}",
        data.settings.server.domain.to_ascii_lowercase()
    );
    given == user || given == acct
}

/// Exchanges an authorization code: `Ok(scopes)` or `Err(why it is refused)`.
async fn redeem_code(
    data: &Data,
    app: &DbApp,
    params: &Params,
) -> ApiResult<Result<Scopes, &'static str>> {
    let code_hash = hash(&params.str("code").unwrap_or_default());
    let code = grants::redeem_code(data.app_data(), code_hash).await?;
    let Some(code) = code.filter(|c| c.app_id == app.id && c.expires_at > db::now()) else {
        return Ok(Err(
            "The authorization code is invalid, expired, used, or was issued to another client.",
        ));
    };
    let redirect = params.str("redirect_uri").unwrap_or_default();
    if redirect != code.redirect_uri {
        return Ok(Err(
            "The redirect URI does not match the one the code was issued for.",
        ));
    }
    if let Some(challenge) = &code.code_challenge {
        let verifier = params.str("code_verifier").unwrap_or_default();
        // RFC 7636: without a method, the challenge is the verifier itself.
        let expected = match code.code_challenge_method.as_deref() {
            None | Some("plain") => verifier,
            _ => base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(Sha256::digest(verifier.as_bytes())),
        };
        if !constant_time_eq(expected.as_bytes(), challenge.as_bytes()) {
            return Ok(Err("The PKCE code verifier does not match the challenge."));
        }
    }
    Ok(Ok(Scopes::parse(&code.scopes)?))
}

/// [`POST /oauth/revoke`](https://docs.joinmastodon.org/methods/oauth/#revoke): revokes a token the
/// app holds.
pub async fn revoke(data: Data, req: HttpRequest, params: Params) -> ApiResult<HttpResponse> {
    let (client_id, client_secret) = client_credentials(&req, &params);
    let token_hash = hash(&params.str("token").unwrap_or_default());
    let revoked = grants::revoke(data.app_data(), client_id, client_secret, token_hash).await?;
    Ok(match revoked {
        // Revoking an unknown token succeeds too (RFC 7009).
        Some(_) => HttpResponse::Ok().json(json!({})),
        None => refuse(
            StatusCode::FORBIDDEN,
            "unauthorized_client",
            "You are not authorized to revoke this token",
        ),
    })
}
