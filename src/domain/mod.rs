//! Pure types with no I/O: account handles, visibility and the one rule of who may read
//! what (`visibility`), and the builders for every URL that
//! perch mints as an ActivityPub id.

mod acct;
pub mod frontmatter;
mod host;
pub mod profile;
pub mod scopes;
pub mod text;
mod urls;
pub mod visibility;

pub use acct::Acct;
pub use host::Host;
pub use urls::Urls;
pub use visibility::Visibility;

/// The Mastodon version whose client API perch speaks: what apps enable features by (the
/// instance's `version`, NodeInfo's `metadata.upstream`).
pub const MASTODON_API_VERSION: &str = "4.3.0";

/// The ActivityStreams public collection.
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";
