//! Activities on the wire, one struct per type.

use super::Note;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Follow {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Url,
    /// An id, or the actor embedded (as Fedify-based servers may send it): only its id is read.
    #[serde(deserialize_with = "super::lenient::id")]
    pub actor: Url,
    pub object: Url,
}

/// `Accept` and `Reject` of a follow. The Follow may come embedded or as a bare id.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FollowResponse {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Url,
    /// An id, or the actor embedded (as Fedify-based servers may send it): only its id is read.
    #[serde(deserialize_with = "super::lenient::id")]
    pub actor: Url,
    pub object: Value,
}

/// `Undo`; what is undone comes embedded or as a bare id.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Undo {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Url,
    /// An id, or the actor embedded (as Fedify-based servers may send it): only its id is read.
    #[serde(deserialize_with = "super::lenient::id")]
    pub actor: Url,
    pub object: Value,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Create {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Url,
    /// An id, or the actor embedded (as Fedify-based servers may send it): only its id is read.
    #[serde(deserialize_with = "super::lenient::id")]
    pub actor: Url,
    pub object: Note,
    #[serde(default, deserialize_with = "super::lenient::urls")]
    pub to: Vec<Url>,
    #[serde(default, deserialize_with = "super::lenient::urls")]
    pub cc: Vec<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<DateTime<Utc>>,
}

/// Any other activity: read just enough to log it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Unknown {
    #[serde(rename = "type")]
    pub kind: Value,
    pub id: Url,
    /// An id, or the actor embedded (as Fedify-based servers may send it): only its id is read.
    #[serde(deserialize_with = "super::lenient::id")]
    pub actor: Url,
}

/// `Update` of an object or of the actor itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Update {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Url,
    /// An id, or the actor embedded (as Fedify-based servers may send it): only its id is read.
    #[serde(deserialize_with = "super::lenient::id")]
    pub actor: Url,
    pub object: Value,
}

/// `Delete` of an object (an id or a Tombstone) or of the actor itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Delete {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Url,
    /// An id, or the actor embedded (as Fedify-based servers may send it): only its id is read.
    #[serde(deserialize_with = "super::lenient::id")]
    pub actor: Url,
    pub object: Value,
}

/// `Like` and `Announce` (a boost) of an object.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reaction {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Url,
    /// An id, or the actor embedded (as Fedify-based servers may send it): only its id is read.
    #[serde(deserialize_with = "super::lenient::id")]
    pub actor: Url,
    pub object: Value,
}
