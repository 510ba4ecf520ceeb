//! Who is calling: the `Authorization: Bearer` token, looked up by its hash. [`Auth`] requires
//! one (401 without); [`MaybeAuth`] lets anonymous readers through but still refuses a bad
//! token. Handlers then ask for the scope they need (403 outside it).

use crate::{
    db::models::DbToken, domain::scopes::Scopes, error::Error, routes::mastodon::ApiError,
    services::auth, state::Data,
};
use actix_web::{dev::Payload, http::header, FromRequest, HttpRequest};
use futures::future::LocalBoxFuture;

#[derive(Debug, Clone)]
pub struct Auth {
    pub token: DbToken,
    pub scopes: Scopes,
}

impl Auth {
    /// Allows the call if the token is the author's and grants `scope`.
    pub fn require(&self, scope: &str) -> Result<(), ApiError> {
        if !self.token.user_token {
            return Err(ApiError::unprocessable(
                "This method requires an authenticated user",
            ));
        }
        if !self.scopes.allows(scope) {
            return Err(ApiError::forbidden(
                "This action is outside the authorized scopes",
            ));
        }
        Ok(())
    }
}

/// The token the request carries, if any.
fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
        .filter(|t| !t.is_empty())
}

async fn lookup(req: HttpRequest) -> Result<Option<Auth>, ApiError> {
    let Some(token) = bearer(&req) else {
        return Ok(None);
    };
    let data = Data::extract(&req)
        .await
        .map_err(|e| ApiError(Error::internal(e.to_string())))?;
    let found = data.db.run(move |c| auth::token(c, &token)).await?;
    let token = found.ok_or_else(|| ApiError::unauthorized("The access token is invalid"))?;
    let scopes = Scopes::parse(&token.scopes)?;
    Ok(Some(Auth { token, scopes }))
}

impl FromRequest for Auth {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Auth, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            lookup(req)
                .await?
                .ok_or_else(|| ApiError::unauthorized("The access token is invalid"))
        })
    }
}

/// A token if the request has one; anonymous otherwise.
#[derive(Debug, Clone)]
pub struct MaybeAuth(pub Option<Auth>);

impl MaybeAuth {
    /// Whether the caller is the author with `scope` (who may see non-public posts).
    pub fn is_author(&self, scope: &str) -> bool {
        self.0.as_ref().is_some_and(|a| a.require(scope).is_ok())
    }
}

impl FromRequest for MaybeAuth {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<MaybeAuth, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Ok(MaybeAuth(lookup(req).await?)) })
    }
}
