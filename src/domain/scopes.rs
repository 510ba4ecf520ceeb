//! OAuth scopes as Mastodon has them: `read`, `write`, `follow`, `push`, `profile`, and the
//! sub-scopes `read:x` / `write:x` that a top-level scope includes.

use crate::error::Error;

/// Every scope perch knows (also listed in the server metadata).
#[rustfmt::skip]
pub const ALL: &[&str] = &[
    "read", "write", "follow", "push", "profile",
    "read:accounts", "read:blocks", "read:bookmarks", "read:favourites", "read:filters",
    "read:follows", "read:lists", "read:mutes", "read:notifications", "read:search",
    "read:statuses", "write:accounts", "write:blocks", "write:bookmarks",
    "write:conversations", "write:favourites", "write:filters", "write:follows",
    "write:lists", "write:media", "write:mutes", "write:notifications", "write:reports",
    "write:statuses",
];
/// What the legacy `follow` scope stands for.
const FOLLOW: &[&str] = &[
    "read:follows",
    "write:follows",
    "read:blocks",
    "write:blocks",
    "read:mutes",
    "write:mutes",
];

/// A set of granted or requested scopes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scopes(Vec<String>);

impl Scopes {
    /// Parses a space- (or `+`-) separated list; empty means `read`, as in Mastodon.
    pub fn parse(text: &str) -> Result<Scopes, Error> {
        let mut scopes: Vec<String> = Vec::new();
        for scope in text.split([' ', '+', ',']).filter(|s| !s.is_empty()) {
            if !known(scope) {
                return Err(Error::BadRequest(format!("unknown scope `{scope}`")));
            }
            if !scopes.iter().any(|s| s == scope) {
                scopes.push(scope.to_owned());
            }
        }
        if scopes.is_empty() {
            scopes.push("read".into());
        }
        Ok(Scopes(scopes))
    }

    /// Whether these scopes allow an action that needs `required` (say `write:statuses`).
    pub fn allows(&self, required: &str) -> bool {
        self.0.iter().any(|granted| covers(granted, required))
    }

    /// Whether every scope of `self` is allowed by `other`.
    pub fn within(&self, other: &Scopes) -> bool {
        self.0.iter().all(|s| other.allows(s))
    }

    pub fn list(&self) -> &[String] {
        &self.0
    }
}

impl std::fmt::Display for Scopes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join(" "))
    }
}

fn known(scope: &str) -> bool {
    ALL.contains(&scope)
}

fn covers(granted: &str, required: &str) -> bool {
    granted == required
        || required
            .split_once(':')
            .is_some_and(|(top, _)| top == granted)
        || (granted == "follow" && FOLLOW.contains(&required))
        // Reading one's own profile needs only `profile` since Mastodon 4.3.
        || (granted == "profile" && required == "profile")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_top_level_scope_includes_its_sub_scopes() {
        let s = Scopes::parse("read write:media").expect("valid");
        assert!(s.allows("read:statuses"));
        assert!(s.allows("write:media"));
        assert!(!s.allows("write:statuses"));
        assert!(!s.allows("write"));
    }

    #[test]
    fn follow_stands_for_the_follow_and_block_scopes() {
        let s = Scopes::parse("follow").expect("valid");
        assert!(s.allows("write:follows") && s.allows("write:blocks"));
        assert!(!s.allows("write:statuses"));
    }

    #[test]
    fn unknown_scopes_are_refused_and_subsets_are_checked() {
        assert!(Scopes::parse("read admin:write").is_err());
        let app = Scopes::parse("read write follow push").expect("valid");
        assert!(Scopes::parse("read:accounts write")
            .expect("valid")
            .within(&app));
        assert!(!app.within(&Scopes::parse("read").expect("valid")));
        assert_eq!(Scopes::parse("").expect("valid").to_string(), "read");
    }
}
