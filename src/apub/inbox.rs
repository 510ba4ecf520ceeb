//! The inbox path: rate limit per sending server → signature read (draft-cavage or RFC 9421:
//! coverage, date, digest) → JSON →
//! actor (fetched) → signature verified with the actor's key → replay check → `verify` →
//! `receive`.
//!
//! Nothing is stored before the signature has verified. Errors say what was wrong; none
//! panics. The HTTP route hands in an [`IncomingRequest`], so this path knows nothing of actix.

use crate::{
    apub::{
        protocol::{self, Create, Delete, Follow, FollowResponse, Reaction, Undo, Unknown, Update},
        signatures::{self, IncomingSignature},
    },
    db::{self, models::*, queries::activities},
    error::{Error, Result},
    state::{AppState, Data},
};
use activitypub_federation::{fetch::object_id::ObjectId, traits::ActivityHandler};
use chrono::Utc;
use serde_json::Value;
use url::Url;

/// Every activity the inbox accepts.
#[derive(Debug)]
pub enum InboxActivity {
    Follow(Follow),
    Accept(FollowResponse),
    Reject(FollowResponse),
    Undo(Undo),
    Create(Box<Create>),
    Update(Update),
    Delete(Delete),
    Like(Reaction),
    Announce(Reaction),
    /// Anything else is acknowledged (202) and logged, so that senders do not retry what
    /// perch does not act on.
    Unknown(Unknown),
}

impl InboxActivity {
    /// Reads the activity named by `type`, with an error naming what is missing.
    pub fn parse(value: Value) -> Result<InboxActivity> {
        let kind = value
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let bad = |e: serde_json::Error| Error::BadRequest(format!("malformed {kind}: {e}"));
        Ok(match kind.as_str() {
            "Follow" => InboxActivity::Follow(serde_json::from_value(value).map_err(bad)?),
            "Accept" => InboxActivity::Accept(serde_json::from_value(value).map_err(bad)?),
            "Reject" => InboxActivity::Reject(serde_json::from_value(value).map_err(bad)?),
            "Undo" => InboxActivity::Undo(serde_json::from_value(value).map_err(bad)?),
            "Create" if is_post(&value["object"]) => {
                InboxActivity::Create(Box::new(serde_json::from_value(value).map_err(bad)?))
            }
            "Update" => InboxActivity::Update(serde_json::from_value(value).map_err(bad)?),
            "Delete" => InboxActivity::Delete(serde_json::from_value(value).map_err(bad)?),
            "Like" => InboxActivity::Like(serde_json::from_value(value).map_err(bad)?),
            "Announce" => InboxActivity::Announce(serde_json::from_value(value).map_err(bad)?),
            _ => InboxActivity::Unknown(serde_json::from_value(value).map_err(bad)?),
        })
    }

    fn kind(&self) -> &str {
        match self {
            InboxActivity::Follow(_) => "Follow",
            InboxActivity::Accept(_) => "Accept",
            InboxActivity::Reject(_) => "Reject",
            InboxActivity::Undo(_) => "Undo",
            InboxActivity::Create(_) => "Create",
            InboxActivity::Update(_) => "Update",
            InboxActivity::Delete(_) => "Delete",
            InboxActivity::Like(_) => "Like",
            InboxActivity::Announce(_) => "Announce",
            InboxActivity::Unknown(_) => activities::NOT_ACTED_ON,
        }
    }
}

fn is_post(object: &Value) -> bool {
    protocol::is_content(object)
}

#[async_trait::async_trait]
impl ActivityHandler for InboxActivity {
    type DataType = AppState;
    type Error = Error;

    fn id(&self) -> &Url {
        match self {
            InboxActivity::Follow(a) => &a.id,
            InboxActivity::Accept(a) | InboxActivity::Reject(a) => &a.id,
            InboxActivity::Undo(a) => &a.id,
            InboxActivity::Create(a) => &a.id,
            InboxActivity::Update(a) => &a.id,
            InboxActivity::Delete(a) => &a.id,
            InboxActivity::Like(a) | InboxActivity::Announce(a) => &a.id,
            InboxActivity::Unknown(a) => &a.id,
        }
    }
    fn actor(&self) -> &Url {
        match self {
            InboxActivity::Follow(a) => &a.actor,
            InboxActivity::Accept(a) | InboxActivity::Reject(a) => &a.actor,
            InboxActivity::Undo(a) => &a.actor,
            InboxActivity::Create(a) => &a.actor,
            InboxActivity::Update(a) => &a.actor,
            InboxActivity::Delete(a) => &a.actor,
            InboxActivity::Like(a) | InboxActivity::Announce(a) => &a.actor,
            InboxActivity::Unknown(a) => &a.actor,
        }
    }
    async fn verify(&self, data: &Data) -> Result<()> {
        match self {
            InboxActivity::Follow(a) => a.verify(data).await,
            InboxActivity::Accept(a) | InboxActivity::Reject(a) => a.verify(data).await,
            InboxActivity::Undo(a) => a.verify(data).await,
            InboxActivity::Create(a) => a.verify(data).await,
            InboxActivity::Update(a) => a.verify(data).await,
            InboxActivity::Delete(a) => a.verify(data).await,
            InboxActivity::Like(a) | InboxActivity::Announce(a) => a.verify(data).await,
            InboxActivity::Unknown(_) => Ok(()),
        }
    }
    async fn receive(self, data: &Data) -> Result<()> {
        match self {
            InboxActivity::Follow(a) => a.receive(data).await,
            InboxActivity::Accept(a) | InboxActivity::Reject(a) => a.receive(data).await,
            InboxActivity::Undo(a) => a.receive(data).await,
            InboxActivity::Create(a) => (*a).receive(data).await,
            InboxActivity::Update(a) => a.receive(data).await,
            InboxActivity::Delete(a) => a.receive(data).await,
            InboxActivity::Like(a) | InboxActivity::Announce(a) => a.receive(data).await,
            InboxActivity::Unknown(a) => {
                tracing::info!(kind = %a.kind, id = %a.id, actor = %a.actor, "activity ignored");
                Ok(())
            }
        }
    }
}

pub use crate::apub::signatures::IncomingRequest;

fn unauthorized(e: impl std::fmt::Display) -> Error {
    Error::Unauthorized(e.to_string())
}

/// Receives one POST to an inbox from `client` (its address, for the rate limit before the
/// signature is verified). `Ok` means it was accepted (also a replay: a no-op).
///
/// Everything that costs nothing is checked before anything is fetched: the signature's
/// form, coverage, date and digest, the JSON, that the request was addressed to us, that the
/// key is on the actor's own server, and blocks. Only then is the actor fetched (a signed GET
/// in the author's name), and what comes back is never echoed in the answer.
pub async fn receive(
    request: IncomingRequest,
    client: &str,
    body: &[u8],
    data: &Data,
) -> Result<()> {
    crate::apub::throttle::before_verification(client, data)?;
    let signature = IncomingSignature::read(
        &request,
        Some(body),
        data.settings.federation.accept_rfc9421,
        Utc::now(),
    )
    .map_err(unauthorized)?;
    addressed_to_us(&request, data)?;

    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Error::BadRequest(format!("body is not JSON: {e}")))?;
    let id = value.get("id").and_then(protocol::id_of);
    let actor_id = value.get("actor").and_then(protocol::id_of);
    let (Some(id), Some(actor_id)) = (id, actor_id) else {
        return Err(Error::BadRequest(
            "an activity needs an `id` and an `actor`".into(),
        ));
    };
    crate::apub::same_origin_or(
        &id,
        &actor_id,
        Error::BadRequest("the activity's id is not on its actor's server".into()),
    )?;
    if actor_id.as_str() == data.urls.actor().as_str() {
        return Err(unauthorized(
            "activities by the local actor are not taken from the network",
        ));
    }
    if is_self_delete_of_stranger(&value, &actor_id, data).await? {
        return Ok(());
    }
    key_on_actors_server(&signature, &actor_id)?;
    // The verified actor must be this very id (below), so this is the check on the verified id.
    refuse_blocked(&actor_id, data).await?;
    let actor = verified_actor(&request, &signature, &actor_id, data).await?;
    if actor.ap_id != actor_id.as_str() {
        tracing::debug!(claimed = %actor_id, fetched = %actor.ap_id, "the actor document has another id");
        return Err(unauthorized(
            "the signing actor is not the activity's actor",
        ));
    }
    crate::apub::throttle::after_verification(&actor, data)?;
    if let Err(e) = crate::delivery::reachability::heard_from(data, &actor).await {
        tracing::warn!(error = %e, "cannot record that a server answers");
    }

    let seen = {
        let id = id.to_string();
        data.db.run(move |c| activities::by_ap_id(c, &id)).await?
    };
    if seen.is_some() {
        tracing::debug!(%id, "replayed activity ignored");
        return Ok(());
    }

    let activity = InboxActivity::parse(value.clone())?;
    let kind = activity.kind().to_owned();
    activity.verify(data).await?;
    activity.receive(data).await?;

    let record = NewActivity {
        ap_id: id.to_string(),
        public_id: None,
        local: false,
        kind,
        actor_ap_id: actor.ap_id,
        object_ap_id: value
            .get("object")
            .and_then(protocol::id_of)
            .map(|u| u.to_string()),
        public: false,
        data: serde_json::to_string(&value)?,
        created_at: db::now(),
    };
    data.db
        .run(move |c| activities::record_received(c, &record))
        .await?;
    Ok(())
}

/// The request was sent to us: its `Host` is our domain (a signature made for another
/// server's inbox is not one made for ours). RFC 9421 signatures cover `@target-uri`, which
/// is rebuilt from our own base URL, so a foreign one fails there too.
pub(crate) fn addressed_to_us(request: &IncomingRequest, data: &Data) -> Result<()> {
    match request.header("host") {
        Some(host) if same_authority(&host, data.urls.base()) => Ok(()),
        // HTTP/2 carries `:authority` instead; actix does not show it as a header, and a
        // draft-cavage signature over `host` then fails on its own.
        None => Ok(()),
        Some(other) => {
            tracing::debug!(host = %other, "a request addressed to another host");
            Err(unauthorized("the request is addressed to another host"))
        }
    }
}

/// Whether a `Host` value names the authority of `base` (our `scheme://host[:port]`): host
/// names compared as URLs compare them (IDN as punycode, any case, a trailing dot), ports
/// with the scheme's default filled in.
fn same_authority(host: &str, base: &str) -> bool {
    let Ok(ours) = Url::parse(base) else {
        return false;
    };
    let Ok(theirs) = Url::parse(&format!("{}://{}", ours.scheme(), host.trim())) else {
        return false;
    };
    let name = |u: &Url| {
        u.host_str()
            .map(|h| h.trim_end_matches('.').to_ascii_lowercase())
    };
    theirs.path() == "/"
        && theirs.username().is_empty()
        && name(&theirs) == name(&ours)
        && theirs.port_or_known_default() == ours.port_or_known_default()
}

/// The signing key is on the actor's own server: a key elsewhere cannot be the actor's, and
/// fetching it would make us fetch whatever a stranger names.
fn key_on_actors_server(signature: &IncomingSignature, actor_id: &Url) -> Result<()> {
    let key = Url::parse(signature.key_id())
        .map_err(|_| unauthorized("the signature's key id is not a URL"))?;
    if signatures::host_of(&key) != signatures::host_of(actor_id)
        || key.scheme() != actor_id.scheme()
    {
        return Err(unauthorized("the signing key is not on the actor's server"));
    }
    Ok(())
}

/// 403 when the actor or its server is blocked.
pub(crate) async fn refuse_blocked(actor: &Url, data: &Data) -> Result<()> {
    let (id, host) = (actor.to_string(), signatures::host_of(actor));
    let blocked = data
        .db
        .run(move |c| crate::db::queries::blocks::is_blocked(c, &id, &host))
        .await?;
    if blocked {
        return Err(Error::Forbidden(
            "this actor or its server is blocked here".into(),
        ));
    }
    Ok(())
}

/// Servers announce a deleted account to everyone they know with a `Delete` of the actor by
/// itself. Its key can no longer be fetched; when we never stored the actor there is nothing
/// to delete, so it is acknowledged without a fetch (as Mastodon does).
async fn is_self_delete_of_stranger(value: &Value, actor_id: &Url, data: &Data) -> Result<bool> {
    let self_delete = value.get("type").and_then(Value::as_str) == Some("Delete")
        && value.get("object").and_then(protocol::id_of).as_ref() == Some(actor_id);
    if !self_delete {
        return Ok(false);
    }
    let id = actor_id.to_string();
    let known = data
        .db
        .run(move |c| crate::db::queries::actors::by_ap_id(c, &id))
        .await?;
    Ok(known.is_none())
}

/// Fetches the actor and checks the signature against its key, which must be the actor's
/// own. A key that does not match (rotated since we stored it) costs one refetch, at most
/// once a minute per actor. A fetch that fails for now (timeout, 5xx) is a 503, so that the
/// sender tries again later; what the other server sent is logged, never answered.
pub(crate) async fn verified_actor(
    request: &IncomingRequest,
    signature: &IncomingSignature,
    actor_id: &Url,
    data: &Data,
) -> Result<DbActor> {
    let object_id = ObjectId::<DbActor>::from(actor_id.clone());
    let actor = object_id
        .dereference(data)
        .await
        .map_err(|e| fetch_error(e, actor_id))?;
    let check = |actor: &DbActor| -> Result<(), signatures::SignatureError> {
        let Some(pem) = actor.key_pem(signature.key_id()) else {
            return Err(signatures::SignatureError::Invalid);
        };
        signature.verify(request, data.urls.base(), &pem)
    };
    let actor = match check(&actor) {
        Ok(()) => actor,
        Err(first) => {
            let stale = db::now() - actor.fetched_at > chrono::Duration::minutes(1);
            if !stale {
                return Err(key_error(first, signature, &actor));
            }
            let fresh = object_id
                .dereference_forced(data)
                .await
                .map_err(|e| fetch_error(e, actor_id))?;
            check(&fresh).map_err(|e| key_error(e, signature, &fresh))?;
            fresh
        }
    };
    if let IncomingSignature::Rfc9421(_) = signature {
        // Positive evidence that the server verifies RFC 9421 too (delivery::sign).
        let host = signatures::host_of(actor_id);
        crate::delivery::sign::evidence(data, host, SIGNED_RFC9421).await;
    }
    Ok(actor)
}

const SIGNED_RFC9421: &str = crate::db::queries::signature_formats::why::SIGNED;

/// The answer to a failed actor fetch: fixed words, the detail in the log. Our own checks of
/// the document (`BadRequest`, fixed words naming the field) are passed on; nothing that came
/// from the other server is.
fn fetch_error(e: Error, actor_id: &Url) -> Error {
    tracing::debug!(actor = %actor_id, error = %e, "cannot fetch the signing actor");
    match e {
        Error::BadRequest(ours) => unauthorized(format!("the signing actor is unusable: {ours}")),
        e if crate::apub::fetch_client::is_transient(&e) => {
            Error::Unavailable("the signing actor's key cannot be fetched now")
        }
        _ => unauthorized("cannot fetch the signing actor's key"),
    }
}

fn key_error(e: signatures::SignatureError, sig: &IncomingSignature, actor: &DbActor) -> Error {
    if actor.key_pem(sig.key_id()).is_none() {
        unauthorized("the signing key is not the actor's key")
    } else {
        unauthorized(e)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_host_header_is_compared_as_an_authority() {
        let base = "https://blog.example";
        for yes in [
            "blog.example",
            "BLOG.example",
            "blog.example:443",
            "blog.example.",
        ] {
            assert!(super::same_authority(yes, base), "{yes}");
        }
        for no in [
            "other.example",
            "blog.example:8443",
            "blog.example/x",
            "a@blog.example",
            "",
        ] {
            assert!(!super::same_authority(no, base), "{no}");
        }
        assert!(super::same_authority(
            "localhost:8080",
            "http://localhost:8080"
        ));
        assert!(super::same_authority(
            "xn--bcher-kva.example",
            "https://bücher.example"
        ));
    }
}
