//! Every URL a remote document brings in is checked here, once, where it comes in: an actor's
//! or a post's `url`, its attachments, avatar and header, its tags' and mentions' `href`.
//!
//! Only `http` and `https` are taken. A link counts as the document's own only on the same
//! host and port as the document's id; one elsewhere is kept as an unverified link, shown
//! but never used to find anything. Media may live on any host (servers put files on CDNs),
//! so for media the scheme is the whole rule, as for Mastodon.

use url::Url;

/// A checked URL from a remote document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// On the document's own server: the document vouches for it.
    Own(Url),
    /// On another server: only a link to show, never a key to look things up by.
    Foreign(Url),
}

/// `raw`, found in the document whose id is `owner`: `None` unless it is an `http(s)` URL
/// with a host and without credentials.
pub fn check(raw: &str, owner: &Url) -> Option<Link> {
    let url = Url::parse(raw.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https")
        || url.host_str().is_none_or(str::is_empty)
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return None;
    }
    Some(if crate::domain::Host::same(&url, owner) {
        Link::Own(url)
    } else {
        Link::Foreign(url)
    })
}

impl Link {
    /// The URL when it is the document's own.
    pub fn own(self) -> Option<Url> {
        match self {
            Link::Own(u) => Some(u),
            Link::Foreign(_) => None,
        }
    }
    /// The URL when it is on another server.
    pub fn foreign(self) -> Option<Url> {
        match self {
            Link::Own(_) => None,
            Link::Foreign(u) => Some(u),
        }
    }
    /// The URL wherever it is (media: any host will do).
    pub fn any(self) -> Url {
        match self {
            Link::Own(u) | Link::Foreign(u) => u,
        }
    }
}

/// A media URL (attachment, avatar, header) of the document `owner`: any host, `http(s)` only.
pub fn media(raw: &str, owner: &Url) -> Option<String> {
    check(raw, owner).map(|l| l.any().to_string())
}

/// The `url` of a remote document split into the one perch may look it up by (its own
/// server's) and the unverified link kept only to be shown.
pub fn web(raw: Option<&Url>, owner: &Url) -> (Option<String>, Option<String>) {
    match raw.and_then(|u| check(u.as_str(), owner)) {
        Some(Link::Own(u)) => (Some(u.to_string()), None),
        Some(Link::Foreign(u)) => (None, Some(u.to_string())),
        None => (None, None),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{check, Link};
    use url::Url;

    #[test]
    fn only_http_links_on_the_documents_own_server_are_its_own() {
        let owner = Url::parse("https://a.example/users/x").unwrap();
        let own = |s: &str| check(s, &owner).and_then(Link::own).is_some();
        assert!(own("https://a.example/@x"));
        assert!(own("https://A.EXAMPLE/@x"));
        assert!(!own("https://a.example:8443/@x"));
        assert!(!own("https://b.example/@x"));
        assert_eq!(
            check("https://cdn.example/x.png", &owner),
            Some(Link::Foreign(
                Url::parse("https://cdn.example/x.png").unwrap()
            ))
        );
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,x",
            "ftp://a.example/x",
            "https://user:pw@a.example/x",
            "/relative",
            "",
        ] {
            assert_eq!(check(bad, &owner), None, "{bad}");
        }
    }
}
