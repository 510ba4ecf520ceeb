//! The authorization step of the code flow, without its HTML (that is the web surface's
//! `login` page): checking an authorization request against the registered app, and granting
//! a code once the author has logged in and consented.

use super::OOB;
use crate::services::auth::{grants, hash, secret};
use crate::{
    db::{self, models::*, queries::oauth},
    domain::scopes::Scopes,
    error::{Error, Result},
    state::Data,
};
use serde::{Deserialize, Serialize};

/// How long an authorization code may wait to be exchanged.
const CODE_LIFETIME_MINUTES: i64 = 10;

/// An authorization request, as the app sent it (query string, then the form's hidden fields).
/// Mastodon.py sends `state=None` and `lang=None` literally; they are taken as given.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct AuthRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub response_type: String,
    pub scope: String,
    pub state: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
}

/// A request that passed the checks: the app and what it asks for.
#[derive(Debug, Clone)]
pub struct Checked {
    pub app: DbApp,
    pub scopes: Scopes,
}

/// What the author is sent to once they consent.
#[derive(Debug)]
pub enum Granted {
    /// Back to the app with the code (or the refusal).
    Redirect(String),
    /// `urn:ietf:wg:oauth:2.0:oob`: the page shows the code to copy.
    ShowCode(String),
}

/// Checks the app, its redirect URI, the response type, the scopes and PKCE parameters.
pub async fn check(data: &Data, request: &AuthRequest) -> Result<Checked> {
    let client_id = request.client_id.clone();
    let app = data
        .db
        .run(move |c| oauth::app_by_client_id(c, &client_id))
        .await?
        .ok_or_else(|| {
            Error::BadRequest("This app is not registered here (unknown client_id).".into())
        })?;
    let redirect = request.redirect_uri.trim();
    let registered = app.redirect_uris.lines().any(|u| u == redirect);
    // An app that registered one URI may leave it out of the request.
    if !(registered || (redirect.is_empty() && app.redirect_uris.lines().count() == 1)) {
        return Err(Error::BadRequest(
            "The redirect URI is not one this app registered.".into(),
        ));
    }
    if !request.response_type.is_empty() && request.response_type != "code" {
        return Err(Error::BadRequest(format!(
            "Unsupported response type `{}`: only `code` is.",
            request.response_type
        )));
    }
    let scopes = Scopes::parse(&request.scope)?;
    if !scopes.within(&Scopes::parse(&app.scopes)?) {
        return Err(Error::BadRequest(
            "The app asks for scopes it did not register.".into(),
        ));
    }
    if let Some(method) = request.code_challenge_method.as_deref() {
        if !matches!(method, "S256" | "plain") {
            return Err(Error::BadRequest(format!(
                "Unsupported code challenge method `{method}`."
            )));
        }
    }
    Ok(Checked { app, scopes })
}

impl AuthRequest {
    /// The redirect URI in effect (the registered one when the request left it out).
    pub fn redirect_for(&self, app: &DbApp) -> String {
        let given = self.redirect_uri.trim();
        if given.is_empty() {
            app.redirect_uris.lines().next().unwrap_or(OOB).to_owned()
        } else {
            given.to_owned()
        }
    }

    /// Where to send the author back with `query` (the code or the error) appended.
    fn back_to_app(&self, app: &DbApp, query: &[(&str, &str)]) -> String {
        let mut target = self.redirect_for(app);
        let mut pairs = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in query {
            pairs.append_pair(k, v);
        }
        if let Some(state) = self.state.as_deref().filter(|s| !s.is_empty()) {
            pairs.append_pair("state", state);
        }
        target.push(if target.contains('?') { '&' } else { '?' });
        target.push_str(&pairs.finish());
        target
    }

    /// The author said no.
    pub fn denied(&self, app: &DbApp) -> Granted {
        if self.redirect_for(app) == OOB {
            return Granted::ShowCode(String::new());
        }
        Granted::Redirect(self.back_to_app(
            app,
            &[
                ("error", "access_denied"),
                ("error_description", "The author denied the request."),
            ],
        ))
    }
}

/// Issues an authorization code for a checked request.
pub async fn grant(data: &Data, request: &AuthRequest, checked: Checked) -> Result<Granted> {
    let code = secret();
    let redirect = request.redirect_for(&checked.app);
    let row = DbCode {
        id: 0,
        code_hash: hash(&code),
        app_id: checked.app.id,
        redirect_uri: redirect.clone(),
        scopes: checked.scopes.to_string(),
        code_challenge: request.code_challenge.clone().filter(|c| !c.is_empty()),
        code_challenge_method: request.code_challenge_method.clone(),
        expires_at: db::now() + chrono::Duration::minutes(CODE_LIFETIME_MINUTES),
    };
    grants::grant_code(data.app_data(), row).await?;
    Ok(if redirect == OOB {
        Granted::ShowCode(code)
    } else {
        Granted::Redirect(request.back_to_app(&checked.app, &[("code", &code)]))
    })
}
