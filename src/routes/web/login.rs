//! The OAuth login-and-consent page (`/oauth/authorize`, with or without a trailing slash): the
//! author types their password and allows (or denies) an app. The request is checked by
//! `routes::mastodon::oauth::authorize`; this module draws the page, guards the form against cross-site
//! posting with a double-submit token (a `SameSite=Strict`, `HttpOnly` cookie that must match
//! a hidden field), counts attempts per client address, and checks the password with argon2.

use super::{html_with_csp, templates::val, view::Meta, view::Site};
use crate::routes::headers::CSP;
use crate::{
    error::{Error, Result},
    routes::mastodon::oauth::authorize::{self, AuthRequest, Checked, Granted},
    services::{
        auth::{constant_time_eq, secret},
        setup,
    },
    state::Data,
};
use actix_web::{
    cookie::{Cookie, SameSite},
    http::StatusCode,
    web, HttpRequest, HttpResponse,
};
use std::collections::HashMap;

const CSRF_COOKIE: &str = "perch_csrf";

/// What the page shows.
enum View<'a> {
    Form { error: Option<&'a str> },
    Code(&'a str),
    Denied,
}

/// `GET /oauth/authorize?client_id=…&redirect_uri=…&scope=…`: the login form.
pub async fn get(data: Data, req: HttpRequest) -> HttpResponse {
    let request: AuthRequest = match web::Query::<AuthRequest>::from_query(req.query_string()) {
        Ok(q) => q.into_inner(),
        Err(e) => return super::error::page(&data, &Error::BadRequest(e.to_string())),
    };
    let result = async {
        let checked = authorize::check(&data, &request).await?;
        let csrf = secret();
        page(
            &data,
            &request,
            &checked,
            &csrf,
            View::Form { error: None },
            StatusCode::OK,
        )
        .map(|mut response| {
            let _ = response.add_cookie(&csrf_cookie(&data, &csrf));
            response
        })
    }
    .await;
    super::respond(&data, result)
}

/// `POST /oauth/authorize`: the form, sent back with the password and the decision.
pub async fn post(
    data: Data,
    req: HttpRequest,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let result = submit(&data, &req, form.into_inner()).await;
    super::respond(&data, result)
}

async fn submit(
    data: &Data,
    req: &HttpRequest,
    form: HashMap<String, String>,
) -> Result<HttpResponse> {
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    let request = AuthRequest {
        client_id: field("client_id"),
        redirect_uri: field("redirect_uri"),
        response_type: field("response_type"),
        scope: field("scope"),
        state: form.get("state").cloned(),
        code_challenge: form.get("code_challenge").cloned(),
        code_challenge_method: form
            .get("code_challenge_method")
            .cloned()
            .filter(|m| !m.is_empty()),
    };
    let cookie = req.cookie(CSRF_COOKIE).map(|c| c.value().to_owned());
    let token = field("csrf_token");
    if token.is_empty() || !cookie.is_some_and(|c| constant_time_eq(c.as_bytes(), token.as_bytes()))
    {
        return Err(Error::Forbidden(
            "This form expired or was not sent from this site. Go back to the app and try again."
                .into(),
        ));
    }
    let checked = authorize::check(data, &request).await?;
    if field("decision") == "deny" {
        return finish(
            data,
            &request,
            &checked,
            &token,
            request.denied(&checked.app),
        );
    }
    data.limits.login(req)?;
    let db = data.db.clone();
    let password = field("password");
    let ok = tokio::task::spawn_blocking(move || setup::check_password(&db, &password)).await??;
    if !ok {
        let view = View::Form {
            error: Some("That password is not right."),
        };
        return page(
            data,
            &request,
            &checked,
            &token,
            view,
            StatusCode::UNAUTHORIZED,
        );
    }
    let granted = authorize::grant(data, &request, checked.clone()).await?;
    finish(data, &request, &checked, &token, granted)
}

/// Sends the author back to the app, or shows the code to copy.
fn finish(
    data: &Data,
    request: &AuthRequest,
    checked: &Checked,
    csrf: &str,
    granted: Granted,
) -> Result<HttpResponse> {
    match granted {
        Granted::Redirect(location) => Ok(HttpResponse::Found()
            .insert_header(("Location", location))
            .insert_header(("Cache-Control", "no-store"))
            .finish()),
        Granted::ShowCode(code) if code.is_empty() => {
            page(data, request, checked, csrf, View::Denied, StatusCode::OK)
        }
        Granted::ShowCode(code) => page(
            data,
            request,
            checked,
            csrf,
            View::Code(&code),
            StatusCode::OK,
        ),
    }
}

fn page(
    data: &Data,
    request: &AuthRequest,
    checked: &Checked,
    csrf: &str,
    view: View<'_>,
    status: StatusCode,
) -> Result<HttpResponse> {
    let mut hidden: Vec<(&str, String)> = vec![
        ("client_id", request.client_id.clone()),
        ("redirect_uri", request.redirect_for(&checked.app)),
        ("response_type", "code".into()),
        ("scope", checked.scopes.to_string()),
    ];
    for (name, value) in [
        ("state", &request.state),
        ("code_challenge", &request.code_challenge),
        ("code_challenge_method", &request.code_challenge_method),
    ] {
        if let Some(v) = value {
            hidden.push((name, v.clone()));
        }
    }
    let (error, code, denied) = match view {
        View::Form { error } => (error, None, false),
        View::Code(code) => (None, Some(code), false),
        View::Denied => (None, None, true),
    };
    let ctx = minijinja::context! {
        site => val(&Site::new(data)),
        meta => val(&Meta::new("Log in", format!("Allow {} to use this account", checked.app.name))),
        app_name => checked.app.name.clone(),
        app_website => checked.app.website.clone().filter(|w| w.starts_with("https://") || w.starts_with("http://")),
        scopes => checked.scopes.list().iter().map(|s| describe(s)).collect::<Vec<_>>(),
        hidden,
        csrf,
        username => data.local.actor.username.clone(),
        action => format!("{}/oauth/authorize", data.urls.base()),
        error,
        code,
        denied,
    };
    html_with_csp(
        status,
        "login.html",
        ctx,
        &csp_for(&request.redirect_for(&checked.app)),
    )
}

/// The page's policy: the form may post here, and the answer may redirect to the app (browsers
/// apply `form-action` to the redirect that follows a form, too).
fn csp_for(redirect: &str) -> String {
    let target = match url::Url::parse(redirect) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => u.origin().ascii_serialization(),
        Ok(u) => format!("{}:", u.scheme()),
        Err(_) => String::new(),
    };
    let form_action = if target.is_empty() || target == "null" {
        "form-action 'self'".to_owned()
    } else {
        format!("form-action 'self' {target}")
    };
    CSP.replace("form-action 'self'", &form_action)
}

fn csrf_cookie(data: &Data, token: &str) -> Cookie<'static> {
    Cookie::build(CSRF_COOKIE, token.to_owned())
        .path("/oauth")
        .http_only(true)
        .same_site(SameSite::Strict)
        // Plain http is only allowed in debug mode; everywhere else the cookie is https-only.
        .secure(!data.settings.federation.debug)
        .finish()
}

/// What a scope lets an app do, in words.
fn describe(scope: &str) -> String {
    let what = match scope {
        "read" => "read your posts, comments, notifications and account",
        "write" => "post, edit and delete, upload images, and moderate comments",
        "follow" => "follow, unfollow and block accounts",
        "push" => "receive push notifications",
        "profile" => "see your profile",
        other => return other.to_owned(),
    };
    format!("{what} ({scope})")
}
