//! `@user@host` handles as people type them.

use std::fmt;

/// A fediverse handle: `user@host` (a leading `@` and an `acct:` prefix are accepted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acct {
    pub user: String,
    pub host: String,
}

impl Acct {
    pub fn parse(input: &str) -> Option<Acct> {
        let s = input.trim();
        let s = s.strip_prefix("acct:").unwrap_or(s);
        let s = s.strip_prefix('@').unwrap_or(s);
        let (user, host) = s.split_once('@')?;
        let valid_user = !user.is_empty()
            && user
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
        let valid_host = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        (valid_user && valid_host).then(|| Acct {
            user: user.to_owned(),
            host: host.to_ascii_lowercase(),
        })
    }
}

impl fmt::Display for Acct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.user, self.host)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_parse_in_the_forms_people_type() {
        for s in [
            "@bob@example.com",
            "bob@example.com",
            "acct:bob@Example.com",
        ] {
            let a = Acct::parse(s).expect(s);
            assert_eq!(a.to_string(), "bob@example.com");
        }
        assert_eq!(
            Acct::parse("@me@localhost:8080").map(|a| a.host),
            Some("localhost:8080".into())
        );
        for s in ["bob", "@bob", "bob@", "b ob@x", "bob@x/y"] {
            assert!(Acct::parse(s).is_none(), "{s}");
        }
    }
}
