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

/// Writes the inbox's activities once, as `Variant(Type) = "type"`: the enum, reading one by
/// its `type`, its name for the log, and activitypub_federation's `ActivityHandler` handing
/// `id`, `actor`, `verify` and `receive` to the type's own (`apub::activities`).
macro_rules! inbox_activities {
    ($($variant:ident($ty:ty) = $kind:literal,)*) => {
        /// Every activity the inbox accepts. Anything else is `Unknown`: acknowledged (202)
        /// and logged, so that senders do not retry what perch does not act on.
        #[derive(Debug)]
        pub enum InboxActivity {
            $($variant($ty),)*
            Unknown(Unknown),
        }

        impl InboxActivity {
            fn read(kind: &str, value: Value) -> serde_json::Result<InboxActivity> {
                Ok(match kind {
                    $($kind => InboxActivity::$variant(serde_json::from_value(value)?),)*
                    _ => InboxActivity::Unknown(serde_json::from_value(value)?),
                })
            }

            /// The name of an activity type perch reads, or `other` (for metrics: a fixed set).
            fn label(kind: &str) -> &'static str {
                match kind {
                    $($kind => $kind,)*
                    _ => "other",
                }
            }

            fn kind(&self) -> &str {
                match self {
                    $(InboxActivity::$variant(_) => $kind,)*
                    InboxActivity::Unknown(_) => activities::NOT_ACTED_ON,
                }
            }
        }

        #[async_trait::async_trait]
        impl ActivityHandler for InboxActivity {
            type DataType = AppState;
            type Error = Error;

            fn id(&self) -> &Url {
                match self {
                    $(InboxActivity::$variant(a) => a.id(),)*
                    InboxActivity::Unknown(a) => a.id(),
                }
            }
            fn actor(&self) -> &Url {
                match self {
                    $(InboxActivity::$variant(a) => a.actor(),)*
                    InboxActivity::Unknown(a) => a.actor(),
                }
            }
            async fn verify(&self, data: &Data) -> Result<()> {
                match self {
                    $(InboxActivity::$variant(a) => a.verify(data).await,)*
                    InboxActivity::Unknown(a) => a.verify(data).await,
                }
            }
            async fn receive(self, data: &Data) -> Result<()> {
                match self {
                    $(InboxActivity::$variant(a) => a.receive(data).await,)*
                    InboxActivity::Unknown(a) => a.receive(data).await,
                }
            }
        }
    };
}

inbox_activities! {
    Follow(Follow) = "Follow",
    Accept(FollowResponse) = "Accept",
    Reject(FollowResponse) = "Reject",
    Undo(Undo) = "Undo",
    Create(Box<Create>) = "Create",
    Update(Update) = "Update",
    Delete(Delete) = "Delete",
    Like(Reaction) = "Like",
    Announce(Reaction) = "Announce",
}

impl InboxActivity {
    /// Reads the activity named by `type`, with an error naming what is missing. A `Create`
    /// of anything but a post (a `Question` vote, a `ChatMessage`) is not acted on.
    pub fn parse(value: Value) -> Result<InboxActivity> {
        let kind = value
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let read_as = if kind == "Create" && !protocol::is_content(&value["object"]) {
            ""
        } else {
            kind.as_str()
        };
        InboxActivity::read(read_as, value)
            .map_err(|e| Error::BadRequest(format!("malformed {kind}: {e}")))
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
    // Until the body is read as JSON, its type is not known.
    let mut kind = "unread";
    let result = receive_checked(request, client, body, data, &mut kind).await;
    let outcome = match &result {
        Ok(()) => "accepted",
        Err(e) => e.label(),
    };
    data.metrics.inbox(kind, outcome);
    result
}

async fn receive_checked(
    request: IncomingRequest,
    client: &str,
    body: &[u8],
    data: &Data,
    kind: &mut &'static str,
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
    *kind = InboxActivity::label(value.get("type").and_then(Value::as_str).unwrap_or(""));
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

/// Whether a `Host` value names the authority of `base` (our `scheme://host[:port]`): one
/// [`Host`](crate::domain::Host) when read as a URL (IDN as punycode, any case, a trailing
/// dot, the scheme's default port), and nothing but an authority.
fn same_authority(host: &str, base: &str) -> bool {
    let Ok(ours) = Url::parse(base) else {
        return false;
    };
    let Ok(theirs) = Url::parse(&format!("{}://{}", ours.scheme(), host.trim())) else {
        return false;
    };
    theirs.path() == "/"
        && theirs.username().is_empty()
        && crate::domain::Host::same(&theirs, &ours)
}

/// The signing key is on the actor's own server: a key elsewhere cannot be the actor's, and
/// fetching it would make us fetch whatever a stranger names.
fn key_on_actors_server(signature: &IncomingSignature, actor_id: &Url) -> Result<()> {
    let key = Url::parse(signature.key_id())
        .map_err(|_| unauthorized("the signature's key id is not a URL"))?;
    if !crate::domain::Host::same(&key, actor_id) || key.scheme() != actor_id.scheme() {
        return Err(unauthorized("the signing key is not on the actor's server"));
    }
    Ok(())
}

/// 403 when the actor or its server is blocked.
pub(crate) async fn refuse_blocked(actor: &Url, data: &Data) -> Result<()> {
    let (id, host) = (actor.to_string(), crate::domain::Host::name_of(actor));
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
        let host = crate::domain::Host::name_of(actor_id);
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
