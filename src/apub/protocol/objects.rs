//! Actors and posts on the wire.

use super::lenient::{self, values};
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
    /// Missing at some servers: the handle then comes from WebFinger or the id.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub preferred_username: Option<String>,
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
    /// One key, or several (the one a signature names is used).
    #[serde(
        default,
        deserialize_with = "lenient::each",
        serialize_with = "lenient::one_or_many"
    )]
    pub public_key: Vec<PublicKey>,
    /// FEP-521a keys (`Multikey` with `publicKeyMultibase`); perch verifies the RSA ones.
    #[serde(
        default,
        deserialize_with = "values",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub assertion_method: Vec<serde_json::Value>,
    #[serde(default, deserialize_with = "lenient::picture")]
    pub icon: Option<Image>,
    /// The header picture.
    #[serde(
        default,
        deserialize_with = "lenient::picture",
        skip_serializing_if = "Option::is_none"
    )]
    pub image: Option<Image>,
    /// Profile fields (`PropertyValue`s).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachment: Vec<serde_json::Value>,
    #[serde(default, deserialize_with = "lenient::page_url")]
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

/// A `Note` or an `Article` (and, read leniently, any of [`lenient::CONTENT_TYPES`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    /// The first content type when `type` is a list (`["Note","Article"]`).
    #[serde(rename = "type", deserialize_with = "lenient::kind")]
    pub kind: String,
    pub id: Url,
    /// Its actors, people first; perch's own posts have one.
    #[serde(
        deserialize_with = "lenient::attribution",
        serialize_with = "lenient::one_or_many"
    )]
    pub attributed_to: Vec<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub summary: Option<String>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub content: String,
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub content_map: Option<std::collections::BTreeMap<String, String>>,
    #[serde(default, deserialize_with = "lenient::page_url")]
    pub url: Option<Url>,
    /// What it answers: the first of these that perch knows (an id, a `Link` or an embedded
    /// object, whose content is never read).
    #[serde(
        default,
        deserialize_with = "lenient::reply_targets",
        serialize_with = "lenient::one_or_many"
    )]
    pub in_reply_to: Vec<Url>,
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
    /// A `Question`'s options, one choice or several.
    #[serde(
        default,
        deserialize_with = "values",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub one_of: Vec<serde_json::Value>,
    #[serde(
        default,
        deserialize_with = "values",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub any_of: Vec<serde_json::Value>,
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub voters_count: Option<i64>,
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_time: Option<DateTime<Utc>>,
}

use lenient::urls;

impl Note {
    /// Its author: the first person it is attributed to.
    pub fn author(&self) -> crate::error::Result<&Url> {
        self.attributed_to
            .first()
            .ok_or_else(|| crate::error::Error::BadRequest("attributedTo names no actor".into()))
    }

    /// Whether `actor` is among those it is attributed to.
    pub fn is_by(&self, actor: &Url) -> bool {
        self.attributed_to.contains(actor)
    }

    /// The HTML to show: `content`, else the first `contentMap` entry, else the `name`.
    pub fn body(&self) -> String {
        if !self.content.trim().is_empty() {
            return self.content.clone();
        }
        if let Some(text) = self
            .content_map
            .as_ref()
            .and_then(|m| m.values().find(|t| !t.trim().is_empty()))
        {
            return text.clone();
        }
        match &self.name {
            Some(name) => format!("<p>{}</p>", crate::domain::text::escape(name)),
            None => String::new(),
        }
    }

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
#[allow(clippy::unwrap_used)]
mod tests {
    use serde_json::json;

    #[test]
    fn objects_are_read_in_the_shapes_servers_send() {
        let note: super::Note = serde_json::from_value(json!({
            "type": ["Note", "Article"],
            "id": "https://a.example/v/1",
            "attributedTo": [
                {"type": "Group", "id": "https://a.example/c/channel"},
                {"type": "Person", "id": "https://a.example/a/alice"}
            ],
            "inReplyTo": [{"type": "Link", "href": "https://b.example/1"},
                          {"type": "Note", "id": "https://b.example/2", "content": "x"}],
            "url": [{"type": "Link", "mediaType": "video/mp4", "href": "https://a.example/v/1.mp4"},
                    {"type": "Link", "mediaType": "text/html", "href": "https://a.example/w/1"}],
            "contentMap": {"en": "<p>hi</p>"},
            "to": "https://www.w3.org/ns/activitystreams#Public"
        }))
        .unwrap();
        assert_eq!(note.kind, "Note");
        assert_eq!(note.author().unwrap().as_str(), "https://a.example/a/alice");
        assert!(note.is_by(&"https://a.example/c/channel".parse().unwrap()));
        let targets: Vec<&str> = note.in_reply_to.iter().map(|u| u.as_str()).collect();
        assert_eq!(targets, ["https://b.example/1", "https://b.example/2"]);
        assert_eq!(note.url.as_ref().unwrap().as_str(), "https://a.example/w/1");
        assert_eq!(note.body(), "<p>hi</p>");
        assert_eq!(note.to.len(), 1);

        let create: super::super::Create = serde_json::from_value(json!({
            "type": "Create", "id": "https://a.example/c/1",
            "actor": {"type": "Person", "id": "https://a.example/a/alice"},
            "object": {"type": "Note", "id": "https://a.example/1", "attributedTo": "https://a.example/a/alice"}
        }))
        .unwrap();
        assert_eq!(create.actor.as_str(), "https://a.example/a/alice");

        let none = serde_json::from_value::<super::Note>(json!({
            "type": "Note", "id": "https://a.example/1", "attributedTo": []
        }));
        assert!(none.unwrap_err().to_string().contains("attributedTo"));
    }

    #[test]
    fn actors_may_have_several_keys_and_pictures_in_any_shape() {
        let person: super::Person = serde_json::from_value(json!({
            "type": "Person",
            "id": "https://a.example/u",
            "inbox": "https://a.example/u/inbox",
            "publicKey": [{"id": "https://a.example/u#k1", "owner": "https://a.example/u", "publicKeyPem": "a"},
                          {"id": "https://a.example/u#k2", "owner": "https://a.example/u", "publicKeyPem": "b"},
                          "https://a.example/u#k3"],
            "icon": ["https://a.example/small.png", {"type": "Image", "url": "https://a.example/big.png"}],
            "image": {"type": "Image", "url": {"type": "Link", "href": "https://a.example/h.png"}},
            "url": {"type": "Link", "href": "https://a.example/@u"}
        }))
        .unwrap();
        assert_eq!(person.preferred_username, None);
        assert_eq!(person.public_key.len(), 2);
        assert_eq!(
            person.icon.unwrap().url.as_str(),
            "https://a.example/small.png"
        );
        assert_eq!(
            person.image.unwrap().url.as_str(),
            "https://a.example/h.png"
        );
        assert_eq!(person.url.unwrap().as_str(), "https://a.example/@u");
    }

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
