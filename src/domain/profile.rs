//! The author's profile: name, bio, whether follows need approval, the fields (Mastodon's
//! name/value pairs; the config's `links` become fields named after their host), avatar and
//! header. The config file gives the starting values; edits from an app win over them.

use serde::{Deserialize, Serialize};

/// Mastodon allows four fields.
pub const MAX_FIELDS: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    pub value: String,
}

impl Field {
    /// The value as a link, if it is one.
    pub fn url(&self) -> Option<&str> {
        let v = self.value.trim();
        (v.starts_with("https://") || v.starts_with("http://")).then_some(v)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub display_name: String,
    /// Plain text (paragraphs by blank lines).
    pub summary: String,
    pub locked: bool,
    pub fields: Vec<Field>,
    /// File names under the media directory.
    pub avatar: Option<String>,
    pub header: Option<String>,
}

impl Profile {
    pub fn from_config(actor: &crate::config::ActorSettings) -> Profile {
        Profile {
            display_name: actor.display_name.clone(),
            summary: actor.summary.clone(),
            locked: actor.locked,
            fields: actor
                .links
                .iter()
                .map(|link| Field {
                    name: url::Url::parse(link)
                        .ok()
                        .and_then(|u| u.host_str().map(str::to_owned))
                        .unwrap_or_else(|| "Link".into()),
                    value: link.clone(),
                })
                .collect(),
            avatar: None,
            header: None,
        }
    }

    /// The fields whose values are links (shown as `rel="me"` links on the profile page).
    pub fn links(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().filter_map(Field::url)
    }
}
