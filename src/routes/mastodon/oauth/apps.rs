//! `POST /api/v1/apps` (registration is open, as on Mastodon: any redirect URI, including
//! `urn:ietf:wg:oauth:2.0:oob` and app schemes like `com.example.app:/callback`) and
//! `GET /api/v1/apps/verify_credentials`.

use crate::{
    db::{self, models::*, queries::oauth},
    domain::scopes::Scopes,
    routes::mastodon::{auth::Auth, params::Params, ApiError, ApiResult},
    services::auth::{self, grants},
    state::Data,
};
use actix_web::HttpResponse;
use serde_json::json;

/// [`POST /api/v1/apps`](https://docs.joinmastodon.org/methods/apps/#create): registers an app and
/// answers with its client id and secret.
pub async fn create(
    data: Data,
    req: actix_web::HttpRequest,
    params: Params,
) -> ApiResult<HttpResponse> {
    data.limits.register_app(&req)?;
    let name = params
        .str("client_name")
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .ok_or_else(|| {
            ApiError::unprocessable("Validation failed: Application name can't be blank")
        })?;
    let redirect_uris: Vec<String> = match params.value("redirect_uris") {
        Some(serde_json::Value::Array(_)) => params.list("redirect_uris"),
        _ => params
            .str("redirect_uris")
            .unwrap_or_default()
            .split(['\n', ' '])
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_owned)
            .collect(),
    };
    if redirect_uris.is_empty() {
        return Err(ApiError::unprocessable(
            "Validation failed: Redirect URI can't be blank",
        ));
    }
    for uri in &redirect_uris {
        if uri != super::OOB && url::Url::parse(uri).is_err() {
            return Err(ApiError::unprocessable(format!(
                "Validation failed: Redirect URI `{uri}` must be an absolute URI"
            )));
        }
    }
    let scopes = Scopes::parse(&params.str("scopes").unwrap_or_default())
        .map_err(|e| ApiError::unprocessable(e.to_string()))?;
    let website = params.str("website").filter(|w| !w.trim().is_empty());
    let (client_id, client_secret) = (auth::secret(), auth::secret());
    let new = NewApp {
        client_id: client_id.clone(),
        secret_hash: auth::hash(&client_secret),
        name,
        website,
        redirect_uris: redirect_uris.join("\n"),
        scopes: scopes.to_string(),
        created_at: db::now(),
    };
    let app = grants::register_app(data.app_data(), new).await?;
    let mut body = application(&app);
    body["client_id"] = json!(client_id);
    body["client_secret"] = json!(client_secret);
    body["client_secret_expires_at"] = json!(0);
    Ok(HttpResponse::Ok().json(body))
}

/// Mastodon's Application entity (without the secrets).
pub fn application(app: &DbApp) -> serde_json::Value {
    let uris: Vec<&str> = app.redirect_uris.lines().collect();
    json!({
        "id": app.id.to_string(),
        "name": app.name,
        "website": app.website,
        "scopes": app.scopes.split(' ').collect::<Vec<_>>(),
        "redirect_uri": app.redirect_uris,
        "redirect_uris": uris,
        "vapid_key": "",
    })
}

/// [`GET /api/v1/apps/verify_credentials`](https://docs.joinmastodon.org/methods/apps/#verify_credentials):
/// the app the token was granted to (perch itself for a `perch token create` token).
pub async fn verify_credentials(data: Data, auth: Auth) -> ApiResult<HttpResponse> {
    let app_id = auth.token.app_id;
    let app = match app_id {
        Some(id) => data.db.run(move |c| oauth::app_by_id(c, id)).await?,
        None => None,
    };
    let body = match app {
        Some(app) => application(&app),
        None => json!({ "name": "perch", "website": null, "scopes": auth.scopes.list() }),
    };
    Ok(HttpResponse::Ok().json(body))
}
