//! Actors and posts on the wire.

use activitypub_federation::protocol::helpers::deserialize_skip_error;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

/// An actor: `Person` for perch, but we read `Service`, `Application`, `Group`… too.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Url,
    pub preferred_username: String,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub summary: Option<String>,
    pub inbox: Url,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub outbox: Option<Url>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub followers: Option<Url>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub following: Option<Url>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub endpoints: Option<Endpoints>,
    pub public_key: PublicKey,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub icon: Option<Image>,
    /// The header picture.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub image: Option<Image>,
    /// Profile fields (`PropertyValue`s).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachment: Vec<serde_json::Value>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub url: Option<Url>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub manually_approves_followers: Option<bool>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub discoverable: Option<bool>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub published: Option<DateTime<Utc>>,
    /// The software behind the actor and what it implements (FEP-844e; see
    /// [`super::capabilities`]).
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub generator: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub shared_inbox: Option<Url>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicKey {
    pub id: String,
    pub owner: Url,
    pub public_key_pem: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    #[serde(rename = "type", default = "image_type")]
    pub kind: String,
    pub url: Url,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
}

fn image_type() -> String {
    "Image".into()
}

/// A `Note` or an `Article` (and, read leniently, a `Page` or a `Question`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Url,
    pub attributed_to: Url,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub summary: Option<String>,
    #[serde(default)]
    pub content: String,
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub content_map: Option<std::collections::BTreeMap<String, String>>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub url: Option<Url>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub in_reply_to: Option<Url>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub published: Option<DateTime<Utc>>,
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "urls")]
    pub to: Vec<Url>,
    #[serde(default, deserialize_with = "urls")]
    pub cc: Vec<Url>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub sensitive: Option<bool>,
    #[serde(default, deserialize_with = "values")]
    pub tag: Vec<serde_json::Value>,
    #[serde(
        default,
        deserialize_with = "values",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub attachment: Vec<serde_json::Value>,
}

/// A list of JSON objects that may come as one object, an array, or null.
/// (activitypub_federation's `deserialize_one_or_many` would keep a whole array as one `Value`.)
fn values<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<serde_json::Value>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Array(items) => items,
        serde_json::Value::Null => Vec::new(),
        one => vec![one],
    })
}

/// Recipients: one or many; an entry that is not a URL is skipped rather than failing the
/// whole object.
pub(crate) fn urls<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Url>, D::Error> {
    Ok(values(d)?
        .iter()
        .filter_map(crate::apub::protocol::id_of)
        .collect())
}

impl Note {
    /// The language of the content, from `contentMap` (`{"en": "…"}`).
    pub fn language(&self) -> Option<String> {
        self.content_map
            .as_ref()
            .and_then(|m| m.keys().next().cloned())
            .filter(|l| l.len() <= 16)
    }

    /// Whether the object names `actor` among its Mention tags or its recipients.
    pub fn mentions(&self, actor: &str) -> bool {
        self.tag
            .iter()
            .any(|t| t["type"] == "Mention" && t["href"] == actor)
            || self.to.iter().chain(&self.cc).any(|u| u.as_str() == actor)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tags_and_attachments_come_as_arrays_or_alone() {
        let note = |extra: &str| -> super::Note {
            serde_json::from_str(&format!(
                r#"{{"type":"Note","id":"https://a.example/1","attributedTo":"https://a.example/u"{extra}}}"#
            ))
            .expect("parses")
        };
        let two = note(
            r#","tag":[{"type":"Hashtag"},{"type":"Mention"}],"attachment":[{"url":"https://a.example/x.jpg"}]"#,
        );
        assert_eq!((two.tag.len(), two.attachment.len()), (2, 1));
        assert_eq!(two.attachment[0]["url"], "https://a.example/x.jpg");
        let one = note(r#","tag":{"type":"Hashtag"},"attachment":null"#);
        assert_eq!((one.tag.len(), one.attachment.len()), (1, 0));
    }
}
