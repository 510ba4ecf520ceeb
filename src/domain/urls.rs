//! Every id perch mints. One place, so that routes and objects always agree.

use url::Url;

/// Builds perch's URLs from the configured domain and username.
#[derive(Debug, Clone)]
pub struct Urls {
    base: String,
    username: String,
}

impl Urls {
    /// `debug` selects http:// ids (tests, local trial); production ids are https.
    pub fn new(domain: &str, username: &str, debug: bool) -> Urls {
        let scheme = if debug { "http" } else { "https" };
        Urls {
            base: format!("{scheme}://{domain}"),
            username: username.to_owned(),
        }
    }

    fn url(&self, path: &str) -> Url {
        // The base was validated as a host[:port] at start-up and paths are ours.
        Url::parse(&format!("{}{path}", self.base)).unwrap_or_else(|_| {
            Url::parse("http://invalid.invalid/").expect("a constant URL parses")
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }
    pub fn home(&self) -> Url {
        self.url("/")
    }
    pub fn actor(&self) -> Url {
        self.url(&format!("/users/{}", self.username))
    }
    pub fn key_id(&self) -> Url {
        self.url(&format!("/users/{}#main-key", self.username))
    }
    pub fn inbox(&self) -> Url {
        self.url(&format!("/users/{}/inbox", self.username))
    }
    pub fn shared_inbox(&self) -> Url {
        self.url("/inbox")
    }
    pub fn outbox(&self) -> Url {
        self.url(&format!("/users/{}/outbox", self.username))
    }
    pub fn followers(&self) -> Url {
        self.url(&format!("/users/{}/followers", self.username))
    }
    pub fn following(&self) -> Url {
        self.url(&format!("/users/{}/following", self.username))
    }
    pub fn profile(&self) -> Url {
        self.url(&format!("/@{}", self.username))
    }
    pub fn post(&self, public_id: &str) -> Url {
        self.url(&format!("/posts/{public_id}"))
    }
    pub fn activity(&self, public_id: &str) -> Url {
        self.url(&format!("/activities/{public_id}"))
    }
    /// A stored media file, by its file name.
    pub fn media(&self, file_name: &str) -> Url {
        self.url(&format!("/media/{file_name}"))
    }
    /// A hashtag's page.
    pub fn tag(&self, name: &str) -> Url {
        self.url(&format!("/tags/{name}"))
    }
    /// A fresh id for a new local object or activity.
    pub fn new_public_id() -> String {
        uuid::Uuid::now_v7().simple().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_mastodon_layout() {
        let u = Urls::new("blog.example", "me", false);
        assert_eq!(u.actor().as_str(), "https://blog.example/users/me");
        assert_eq!(
            u.key_id().as_str(),
            "https://blog.example/users/me#main-key"
        );
        assert_eq!(u.shared_inbox().as_str(), "https://blog.example/inbox");
        let d = Urls::new("localhost:8080", "me", true);
        assert_eq!(d.post("abc").as_str(), "http://localhost:8080/posts/abc");
    }
}
