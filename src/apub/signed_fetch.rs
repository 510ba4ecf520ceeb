//! Authorized fetch, incoming: who signed a GET (the signing side of perch's own GETs is
//! `apub::fetch_client`). With `[federation] authorized_fetch`, [`require_signed_fetch`]
//! lets a GET through only when it is signed (either format) by an actor who is not blocked.

use crate::{
    apub::{
        inbox::{addressed_to_us, refuse_blocked, verified_actor},
        signatures::{IncomingRequest, IncomingSignature},
    },
    db::{models::DbActor, queries::actors},
    error::{Error, Result},
    state::Data,
};
use chrono::Utc;
use url::Url;

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
        Some(actor) if crate::domain::Host::of(&key).is_some_and(|h| h.is(&actor.domain)) => {
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
