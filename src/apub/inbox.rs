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
    matches!(
        object.get("type").and_then(Value::as_str),
        Some("Note" | "Article" | "Page" | "Question")
    )
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

/// Receives one POST to an inbox. `Ok` means it was accepted (also a replay: a no-op).
pub async fn receive(request: IncomingRequest, body: &[u8], data: &Data) -> Result<()> {
    crate::apub::throttle::check(&request, data)?;
    let signature = IncomingSignature::read(
        &request,
        Some(body),
        data.settings.federation.accept_rfc9421,
        Utc::now(),
    )
    .map_err(unauthorized)?;

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

    let blocked = {
        let (actor, host) = (actor_id.to_string(), signatures::host_of(&actor_id));
        data.db
            .run(move |c| crate::db::queries::blocks::is_blocked(c, &actor, &host))
            .await?
    };
    if blocked {
        return Err(Error::Forbidden(
            "this actor or its server is blocked here".into(),
        ));
    }
    if is_self_delete_of_stranger(&value, &actor_id, data).await? {
        return Ok(());
    }
    let actor = verified_actor(&request, &signature, &actor_id, data).await?;
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
/// once a minute per actor.
pub(crate) async fn verified_actor(
    request: &IncomingRequest,
    signature: &IncomingSignature,
    actor_id: &Url,
    data: &Data,
) -> Result<DbActor> {
    let object_id = ObjectId::<DbActor>::from(actor_id.clone());
    let actor = object_id.dereference(data).await.map_err(|e| {
        unauthorized(format!(
            "cannot fetch the actor {actor_id} to check its key: {e}"
        ))
    })?;
    let check = |actor: &DbActor| -> Result<(), signatures::SignatureError> {
        if signature.key_id() != actor.public_key_id {
            return Err(signatures::SignatureError::Invalid);
        }
        signature.verify(request, data.urls.base(), &actor.public_key_pem)
    };
    match check(&actor) {
        Ok(()) => Ok(actor),
        Err(first) => {
            let stale = db::now() - actor.fetched_at > chrono::Duration::minutes(1);
            if !stale {
                return Err(key_error(first, signature, &actor));
            }
            let fresh = object_id
                .dereference_forced(data)
                .await
                .map_err(|e| unauthorized(format!("cannot refetch the actor {actor_id}: {e}")))?;
            check(&fresh).map_err(|e| key_error(e, signature, &fresh))?;
            Ok(fresh)
        }
    }
}

fn key_error(e: signatures::SignatureError, sig: &IncomingSignature, actor: &DbActor) -> Error {
    if sig.key_id() != actor.public_key_id {
        unauthorized(format!(
            "the signing key {} is not the key of the actor {}",
            sig.key_id(),
            actor.ap_id
        ))
    } else {
        unauthorized(e)
    }
}
