//! Actors and posts on the wire.

use activitypub_federation::protocol::helpers::{deserialize_one_or_many, deserialize_skip_error};
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
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub url: Option<Url>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub manually_approves_followers: Option<bool>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub discoverable: Option<bool>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub published: Option<DateTime<Utc>>,
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
    #[serde(default, deserialize_with = "deserialize_one_or_many")]
    pub to: Vec<Url>,
    #[serde(default, deserialize_with = "deserialize_one_or_many")]
    pub cc: Vec<Url>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub sensitive: Option<bool>,
    #[serde(default, deserialize_with = "deserialize_values")]
    pub tag: Vec<serde_json::Value>,
    #[serde(
        default,
        deserialize_with = "deserialize_values",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub attachment: Vec<serde_json::Value>,
}

/// A list of JSON values that may come as one value or as an array. Not
/// `deserialize_one_or_many`: with JSON values it takes a whole array for the one value, so
/// Mastodon's `"tag": [a, b]` became `[[a, b]]` and `"attachment": []` one attachment.
fn deserialize_values<'de, D>(d: D) -> Result<Vec<serde_json::Value>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Array(items) => items,
        serde_json::Value::Null => Vec::new(),
        one => vec![one],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_attachments_are_read_as_mastodon_sends_them() {
        let note = |extra: &str| -> Note {
            let json = format!(
                r#"{{"type": "Note", "id": "https://m.example/s/1",
                    "attributedTo": "https://m.example/u/a", "content": "x"{extra}}}"#
            );
            serde_json::from_str(&json).expect("parses")
        };
        let n = note(r#", "tag": [], "attachment": []"#);
        assert!(n.tag.is_empty() && n.attachment.is_empty());
        let n = note(
            r##", "tag": [{"type": "Hashtag", "name": "#a"}, {"type": "Mention", "name": "@b"}],
                "attachment": {"type": "Document", "url": "https://m.example/f.jpg"}"##,
        );
        assert_eq!(n.tag.len(), 2);
        assert_eq!(n.tag[1]["type"], "Mention");
        assert_eq!(n.attachment.len(), 1);
        assert_eq!(n.attachment[0]["type"], "Document");
        assert!(note("").tag.is_empty());
    }
}
