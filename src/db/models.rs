//! Row types (`DbX`) and insert forms (`NewX`), one pair per table.

use super::schema::*;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = actors)]
pub struct DbActor {
    pub id: i64,
    pub ap_id: String,
    pub local: bool,
    pub kind: String,
    pub username: String,
    pub domain: String,
    pub name: Option<String>,
    pub summary: Option<String>,
    pub inbox: String,
    pub shared_inbox: Option<String>,
    pub outbox: Option<String>,
    pub followers_url: Option<String>,
    pub url: Option<String>,
    pub icon: Option<String>,
    pub public_key_id: String,
    pub public_key_pem: String,
    pub private_key_pem: Option<String>,
    pub manually_approves_followers: bool,
    pub published: Option<NaiveDateTime>,
    pub fetched_at: NaiveDateTime,
    /// Keys after the first, JSON `[{"id", "pem"}]` (see [`DbActor::key_pem`]).
    pub other_keys: String,
    /// Its `url` when that is on another server: shown, never looked up by.
    pub link: Option<String>,
}

/// One of an actor's keys beyond the first, as `actors.other_keys` keeps them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ActorKey {
    pub id: String,
    pub pem: String,
}

impl DbActor {
    /// The PEM of the actor's key with this id, if the actor has published one.
    pub fn key_pem(&self, key_id: &str) -> Option<String> {
        if key_id == self.public_key_id {
            return Some(self.public_key_pem.clone());
        }
        serde_json::from_str::<Vec<ActorKey>>(&self.other_keys)
            .unwrap_or_default()
            .into_iter()
            .find(|k| k.id == key_id)
            .map(|k| k.pem)
    }
    /// `user@domain`, as people write it.
    pub fn acct(&self) -> String {
        format!("{}@{}", self.username, self.domain)
    }
    /// Where deliveries for this actor go: the shared inbox when there is one.
    pub fn delivery_inbox(&self) -> &str {
        self.shared_inbox.as_deref().unwrap_or(&self.inbox)
    }
}

#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = actors, treat_none_as_null = true)]
pub struct NewActor {
    pub ap_id: String,
    pub local: bool,
    pub kind: String,
    pub username: String,
    pub domain: String,
    pub name: Option<String>,
    pub summary: Option<String>,
    pub inbox: String,
    pub shared_inbox: Option<String>,
    pub outbox: Option<String>,
    pub followers_url: Option<String>,
    pub url: Option<String>,
    pub icon: Option<String>,
    pub public_key_id: String,
    pub public_key_pem: String,
    pub private_key_pem: Option<String>,
    pub manually_approves_followers: bool,
    pub published: Option<NaiveDateTime>,
    pub fetched_at: NaiveDateTime,
}

/// A follow in either direction.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = follows)]
pub struct DbFollow {
    pub id: i64,
    pub actor_id: i64,
    pub direction: String,
    pub follow_ap_id: String,
    pub state: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// They follow the author.
pub const INCOMING: &str = "in";
/// The author follows them.
pub const OUTGOING: &str = "out";
pub const PENDING: &str = "pending";
pub const ACCEPTED: &str = "accepted";
pub const REJECTED: &str = "rejected";

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = objects)]
pub struct DbObject {
    pub id: i64,
    pub ap_id: String,
    pub public_id: Option<String>,
    pub local: bool,
    pub kind: String,
    pub actor_id: i64,
    pub name: Option<String>,
    pub summary: Option<String>,
    pub content: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub in_reply_to: Option<String>,
    pub visibility: String,
    pub sensitive: bool,
    pub published: NaiveDateTime,
    pub updated: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub slug: Option<String>,
    pub deleted_at: Option<NaiveDateTime>,
    /// The ActivityStreams `tag` array (Hashtag, Mention), JSON.
    pub tags: String,
    pub source_key: Option<String>,
    /// For a comment: the perch post at the root of its thread.
    pub thread_root_id: Option<i64>,
    /// For a comment: the stored object it answers.
    pub parent_id: Option<i64>,
    /// For a comment: `visible`, `pending` or `hidden`.
    pub moderation: Option<String>,
    pub language: Option<String>,
    /// For a remote object, JSON: `link` (its `url` on another server) and `poll`.
    pub extras: Option<String>,
}

impl DbObject {
    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }
}

#[derive(Debug, Clone, Default, Insertable)]
#[diesel(table_name = objects)]
pub struct NewObject {
    pub ap_id: String,
    pub public_id: Option<String>,
    pub local: bool,
    pub kind: String,
    pub actor_id: i64,
    pub name: Option<String>,
    pub summary: Option<String>,
    pub content: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub in_reply_to: Option<String>,
    pub visibility: String,
    pub sensitive: bool,
    pub published: NaiveDateTime,
    pub updated: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub slug: Option<String>,
    pub tags: String,
    pub source_key: Option<String>,
    pub thread_root_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub moderation: Option<String>,
    pub language: Option<String>,
    pub extras: Option<String>,
}

/// An image (or other file) attached to a post.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = media)]
pub struct DbMedia {
    pub id: i64,
    pub public_id: String,
    pub object_id: Option<i64>,
    pub position: i32,
    pub file_name: Option<String>,
    pub remote_url: Option<String>,
    pub media_type: String,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub blurhash: Option<String>,
    pub description: Option<String>,
    pub size_bytes: i64,
    pub created_at: NaiveDateTime,
    /// The focal point, `"x,y"` with each in -1..1.
    pub focus: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = media)]
pub struct NewMedia {
    pub public_id: String,
    pub object_id: Option<i64>,
    pub position: i32,
    pub file_name: Option<String>,
    pub remote_url: Option<String>,
    pub media_type: String,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub blurhash: Option<String>,
    pub description: Option<String>,
    pub size_bytes: i64,
    pub created_at: NaiveDateTime,
    /// The focal point, `"x,y"` with each in -1..1.
    pub focus: Option<String>,
}

/// An earlier version of an edited post.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = object_versions)]
pub struct DbObjectVersion {
    #[diesel(skip_insertion)]
    pub id: i64,
    pub object_id: i64,
    pub name: Option<String>,
    pub summary: Option<String>,
    pub content: String,
    pub source: Option<String>,
    pub tags: String,
    pub sensitive: bool,
    pub valid_from: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = activities)]
pub struct DbActivity {
    pub id: i64,
    pub ap_id: String,
    pub public_id: Option<String>,
    pub local: bool,
    pub kind: String,
    pub actor_ap_id: String,
    pub object_ap_id: Option<String>,
    pub public: bool,
    pub data: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = activities)]
pub struct NewActivity {
    pub ap_id: String,
    pub public_id: Option<String>,
    pub local: bool,
    pub kind: String,
    pub actor_ap_id: String,
    pub object_ap_id: Option<String>,
    pub public: bool,
    pub data: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = deliveries)]
pub struct DbDelivery {
    pub id: i64,
    pub activity_id: i64,
    pub inbox: String,
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub retry_since: Option<NaiveDateTime>,
}

impl DbDelivery {
    /// Where this delivery's retry horizon starts: its queueing, or its server's return.
    pub fn retry_since(&self) -> NaiveDateTime {
        self.retry_since.unwrap_or(self.created_at)
    }
}

pub const DELIVERED: &str = "delivered";
pub const DEAD: &str = "dead";
/// Held back, not tried, while the inbox's server is marked unreachable (see [`DbHost`]).
pub const PARKED: &str = "parked";

/// A server deliveries go to, by the host[:port] of its inboxes, and whether it answers.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = hosts, primary_key(host))]
pub struct DbHost {
    pub host: String,
    pub failing_since: Option<NaiveDateTime>,
    pub unreachable_since: Option<NaiveDateTime>,
    pub next_probe_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub updated_at: NaiveDateTime,
}

/// Comment moderation states.
pub const VISIBLE: &str = "visible";
pub const HIDDEN: &str = "hidden";

/// A like or a boost of one of our posts.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = reactions)]
pub struct DbReaction {
    pub id: i64,
    pub object_id: i64,
    pub actor_id: i64,
    pub kind: String,
    pub activity_ap_id: String,
    pub created_at: NaiveDateTime,
}

pub const LIKE: &str = "like";
pub const ANNOUNCE: &str = "announce";

/// A blocked actor or domain.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = blocks)]
pub struct DbBlock {
    pub id: i64,
    pub actor_ap_id: Option<String>,
    pub domain: Option<String>,
    pub created_at: NaiveDateTime,
}

/// Something the author is told about.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = notifications)]
pub struct DbNotification {
    pub id: i64,
    pub kind: String,
    pub actor_id: i64,
    pub object_id: Option<i64>,
    pub dismissed: bool,
    pub created_at: NaiveDateTime,
}

/// An OAuth client registered by an app.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = oauth_apps)]
pub struct DbApp {
    pub id: i64,
    pub client_id: String,
    pub secret_hash: String,
    pub name: String,
    pub website: Option<String>,
    /// One redirect URI a line.
    pub redirect_uris: String,
    /// Space-separated scopes.
    pub scopes: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = oauth_apps)]
pub struct NewApp {
    pub client_id: String,
    pub secret_hash: String,
    pub name: String,
    pub website: Option<String>,
    pub redirect_uris: String,
    pub scopes: String,
    pub created_at: NaiveDateTime,
}

/// An access token (stored as its hash).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = oauth_tokens)]
pub struct DbToken {
    pub id: i64,
    pub token_hash: String,
    pub app_id: Option<i64>,
    pub scopes: String,
    /// The author's token; `false` for an app's own (client_credentials).
    pub user_token: bool,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = oauth_tokens)]
pub struct NewToken {
    pub token_hash: String,
    pub app_id: Option<i64>,
    pub scopes: String,
    pub user_token: bool,
    pub created_at: NaiveDateTime,
}

/// An authorization code waiting to be exchanged for a token.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = oauth_codes)]
pub struct DbCode {
    #[diesel(skip_insertion)]
    pub id: i64,
    pub code_hash: String,
    pub app_id: i64,
    pub redirect_uri: String,
    pub scopes: String,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub expires_at: NaiveDateTime,
}

/// Where the author stopped reading a timeline.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = markers)]
pub struct DbMarker {
    pub timeline: String,
    pub last_read_id: String,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

/// The author's profile edits (one row; `None` = as the config says).
#[derive(Debug, Clone, Default, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = profile, treat_none_as_null = true)]
pub struct DbProfile {
    pub id: i64,
    pub display_name: Option<String>,
    pub summary: Option<String>,
    pub locked: Option<bool>,
    pub fields: Option<String>,
    pub avatar: Option<String>,
    pub header: Option<String>,
    pub updated_at: NaiveDateTime,
}
