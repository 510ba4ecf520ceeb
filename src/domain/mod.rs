//! Pure types with no I/O: account handles, visibility, and the builders for every URL that
//! perch mints as an ActivityPub id.

mod acct;
pub mod frontmatter;
pub mod profile;
pub mod scopes;
pub mod text;
mod urls;

pub use acct::Acct;
pub use urls::Urls;

/// The Mastodon version whose client API perch speaks: what apps enable features by (the
/// instance's `version`, NodeInfo's `metadata.upstream`).
pub const MASTODON_API_VERSION: &str = "4.3.0";

/// Who may see a post, as Mastodon names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    Public,
    Unlisted,
    Private,
    Direct,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Unlisted => "unlisted",
            Visibility::Private => "private",
            Visibility::Direct => "direct",
        }
    }

    pub fn parse(s: &str) -> Option<Visibility> {
        Some(match s {
            "public" => Visibility::Public,
            "unlisted" => Visibility::Unlisted,
            "private" => Visibility::Private,
            "direct" => Visibility::Direct,
            _ => return None,
        })
    }

    /// Shown to readers who are not logged in (pages, feeds, outbox).
    pub fn is_public(self) -> bool {
        matches!(self, Visibility::Public | Visibility::Unlisted)
    }
}

/// The ActivityStreams public collection.
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";
