//! perch's side of authorized fetch, both ways.
//!
//! Out: every GET perch makes through activitypub_federation (objects, actors, WebFinger) is
//! signed with the local actor's key — draft-cavage over `(request-target) host date`, which
//! every server reads — by a middleware on the federation client, so that servers requiring
//! signed fetches (Mastodon's secure mode, GoToSocial) answer. Outside debug mode the same
//! middleware refuses address literals that are not public; names are checked after
//! resolution by [`crate::net`].
//!
//! In: with `[federation] authorized_fetch`, [`require_signed_fetch`]
//! lets a GET through only when it is signed (either format) by an actor who is not blocked.

use crate::{
    apub::{
        inbox::{addressed_to_us, refuse_blocked, verified_actor},
        signatures::{host_of, off_thread, IncomingRequest, IncomingSignature, RequestSigner},
    },
    db::{models::DbActor, queries::actors},
    error::{Error, Result},
    state::Data,
};
use chrono::Utc;
use reqwest_middleware::{ClientWithMiddleware, Middleware, Next};
use url::Url;

/// The federation client: perch's guarded client, with GETs signed.
pub fn client(http: reqwest::Client, signer: RequestSigner, debug: bool) -> ClientWithMiddleware {
    reqwest_middleware::ClientBuilder::new(http)
        .with(SignGets { signer, debug })
        .build()
}

struct SignGets {
    signer: RequestSigner,
    debug: bool,
}

#[async_trait::async_trait]
impl Middleware for SignGets {
    async fn handle(
        &self,
        mut req: reqwest::Request,
        extensions: &mut http::Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        if !self.debug {
            crate::net::check_literal(req.url())
                .map_err(|e| reqwest_middleware::Error::Middleware(anyhow::anyhow!(e)))?;
        }
        if req.method() == reqwest::Method::GET && !req.headers().contains_key("signature") {
            let (signer, url) = (self.signer.clone(), req.url().clone());
            let headers = off_thread(move || signer.sign_get(&url, Utc::now())).await;
            for (name, value) in headers {
                // reqwest derives Host from the URL.
                if name == "host" {
                    continue;
                }
                let value = reqwest::header::HeaderValue::from_str(&value)
                    .map_err(|e| reqwest_middleware::Error::Middleware(e.into()))?;
                req.headers_mut().insert(name, value);
            }
        }
        let res = next.run(req, extensions).await?;
        let status = res.status();
        if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            // Its body is an error page, not an object; and the caller may want to say
            // "try again later" rather than "no such thing".
            return Err(reqwest_middleware::Error::Middleware(anyhow::Error::new(
                Unavailable(status.as_u16()),
            )));
        }
        Ok(res)
    }
}

/// A fetch answered 5xx or 429: the other server is in trouble for now.
#[derive(Debug, thiserror::Error)]
#[error("the server answered {0}")]
pub struct Unavailable(pub u16);

/// Whether a failed fetch may work later: a timeout, no connection, or a 5xx/429 answer.
pub fn is_transient(e: &Error) -> bool {
    use activitypub_federation::error::Error as Fed;
    let Error::Federation(e) = e else {
        return false;
    };
    match &**e {
        Fed::Reqwest(e) | Fed::ReqwestMiddleware(reqwest_middleware::Error::Reqwest(e)) => {
            e.is_timeout() || (e.is_connect() && !is_name_failure(e))
        }
        Fed::ReqwestMiddleware(reqwest_middleware::Error::Middleware(e)) => {
            e.downcast_ref::<Unavailable>().is_some()
        }
        _ => false,
    }
}

/// A connection that failed at the name, not the network: no such name, or one our resolver
/// refuses (not a public address). Neither works later.
fn is_name_failure(e: &reqwest::Error) -> bool {
    let mut cause: Option<&dyn std::error::Error> = Some(e);
    while let Some(c) = cause {
        let text = c.to_string();
        if text.contains("no public address") || text.contains("dns error") {
            return true;
        }
        cause = c.source();
    }
    false
}

fn unauthorized(e: impl std::fmt::Display) -> Error {
    Error::Unauthorized(e.to_string())
}

/// Authorized fetch: `Ok(None)` when it is off; the signer when the GET is signed by an actor
/// who is not blocked; 401 for an unsigned or badly signed request, 403 for a blocked actor or
/// server.
pub async fn require_signed_fetch(
    request: &IncomingRequest,
    client: &str,
    data: &Data,
) -> Result<Option<DbActor>> {
    if !data.settings.federation.authorized_fetch {
        return Ok(None);
    }
    signer(request, client, data).await.map(Some)
}

/// Who signed this GET, if it is signed at all (checked as for authorized fetch): what a
/// followers-only or direct post needs to be shown to the follower or the mentioned actor.
pub async fn optional_signer(
    request: &IncomingRequest,
    client: &str,
    data: &Data,
) -> Result<Option<DbActor>> {
    if request.header("signature").is_none() && request.header("signature-input").is_none() {
        return Ok(None);
    }
    signer(request, client, data).await.map(Some)
}

/// The checks of the inbox, for a GET: the client's allowance first (verifying may cost a
/// fetch in the author's name), then the signature's form and date and our `Host`, then a
/// key id that could be an actor's key at all.
async fn signer(request: &IncomingRequest, client: &str, data: &Data) -> Result<DbActor> {
    crate::apub::throttle::before_verification(client, data)?;
    let settings = &data.settings.federation;
    let signature = IncomingSignature::read(request, None, settings.accept_rfc9421, Utc::now())
        .map_err(unauthorized)?;
    addressed_to_us(request, data)?;
    let key = Url::parse(signature.key_id())
        .ok()
        .filter(|k| {
            matches!(k.scheme(), "https" | "http")
                && k.query().is_none()
                && k.username().is_empty()
                && k.password().is_none()
        })
        .ok_or_else(|| unauthorized("the signature's key id is not an actor's key URL"))?;
    // A known key names its actor; otherwise the key's document is the actor's (Mastodon's
    // `actor#main-key`) or leads to it (GoToSocial's `actor/main-key`).
    let known = {
        let key = key.to_string();
        data.db
            .run(move |c| actors::by_public_key_id(c, &key))
            .await?
    };
    let actor_id = match known {
        // Only an actor on the key's own server can own it.
        Some(actor) if actor.domain.eq_ignore_ascii_case(&host_of(&key)) => {
            Url::parse(&actor.ap_id).map_err(Error::internal)?
        }
        _ => {
            let mut id = key.clone();
            id.set_fragment(None);
            id
        }
    };
    refuse_blocked(&actor_id, data).await?;
    let actor = verified_actor(request, &signature, &actor_id, data).await?;
    let actor_id = Url::parse(&actor.ap_id).map_err(Error::internal)?;
    refuse_blocked(&actor_id, data).await?;
    Ok(actor)
}
