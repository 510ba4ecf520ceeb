//! `actors`: a person or service on the fediverse, perch's own author among them (the
//! one `local` row, with its private key), as their actor document last said.

use crate::db::schema::actors;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Insertable)]
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
