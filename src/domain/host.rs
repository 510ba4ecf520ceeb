//! `Host`: "the server a URL belongs to", answered once — for checking that an object and its
//! author are on one server, for the key the delivery queue counts a dead server by, for
//! block lists and for the signature format each server gets.

use std::fmt;

/// A URL's server as `host[:port]`: its host lowercased and without the DNS root's trailing
/// dot, and its port when it is not the scheme's default (`example.com`, `localhost:8080`,
/// `[::1]:3000`). (The `Host` header a signature covers is the URL's authority as written:
/// `apub::signatures::signer`.)
///
/// `a.example:8443` and `a.example` are two servers, and so are two ports of one machine;
/// [`Host::same`] also tells `http://a.example` (port 80) from `https://a.example` (443).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Host(String);

impl Host {
    /// The server of `url`; `None` for URLs without a host (`data:`, `mailto:`).
    pub fn of(url: &url::Url) -> Option<Host> {
        // `example.com.` is `example.com` with the DNS root spelt out.
        let host = url.host_str()?.trim_end_matches('.').to_ascii_lowercase();
        if host.is_empty() {
            return None;
        }
        // `Url` drops a port equal to its scheme's default, so `port()` is the explicit one.
        Some(Host(match url.port() {
            Some(p) => format!("{host}:{p}"),
            None => host,
        }))
    }

    /// The server of the URL in `s`; `None` when `s` is not an absolute URL with a host.
    pub fn parse(s: &str) -> Option<Host> {
        url::Url::parse(s).ok().as_ref().and_then(Host::of)
    }

    /// Whether `a` and `b` are on one server, so that one may speak for the other: one
    /// [`Host`], and the same port once the scheme's default is filled in (both must have a
    /// host).
    pub fn same(a: &url::Url, b: &url::Url) -> bool {
        matches!((Host::of(a), Host::of(b)), (Some(x), Some(y)) if x == y)
            && a.port_or_known_default() == b.port_or_known_default()
    }

    /// `host[:port]` of `url` ("" when it has no host).
    pub fn name_of(url: &url::Url) -> String {
        Host::of(url).map(String::from).unwrap_or_default()
    }

    /// `host[:port]`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is the server named `name` (a stored actor's domain; case-insensitive).
    pub fn is(&self, name: &str) -> bool {
        self.0.eq_ignore_ascii_case(name)
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Host> for String {
    fn from(h: Host) -> String {
        h.0
    }
}

#[cfg(test)]
mod tests {
    use super::Host;

    fn host(s: &str) -> String {
        Host::parse(s).map(String::from).unwrap_or_default()
    }

    #[test]
    fn default_ports_and_case_are_one_server() {
        assert_eq!(host("https://Social.Example/users/a"), "social.example");
        assert_eq!(host("https://social.example:443/x"), "social.example");
        assert_eq!(host("http://social.example:80/x"), "social.example");
        assert_eq!(host("http://localhost:8080/inbox"), "localhost:8080");
        assert_eq!(host("https://social.example:8443/"), "social.example:8443");
        assert_eq!(host("http://[::1]:3000/a"), "[::1]:3000");
        assert_eq!(host("https://social.example./@a"), "social.example");
    }

    #[test]
    fn urls_without_a_server_have_none() {
        assert_eq!(Host::parse("not a url"), None);
        assert_eq!(Host::parse("mailto:a@b.example"), None);
        assert_eq!(Host::parse("data:text/plain,hi"), None);
        let data = url::Url::parse("data:text/plain,hi").expect("url");
        assert!(
            !Host::same(&data, &data),
            "two host-less URLs are not one server"
        );
    }

    #[test]
    fn two_ports_of_one_machine_are_two_servers() {
        let a = url::Url::parse("http://localhost:3001/users/a").expect("url");
        let b = url::Url::parse("http://LOCALHOST:3002/users/b").expect("url");
        let c = url::Url::parse("http://localhost:3001/notes/1").expect("url");
        assert!(!Host::same(&a, &b));
        assert!(Host::same(&a, &c));
        let plain = url::Url::parse("http://a.example/users/a").expect("url");
        let tls = url::Url::parse("https://A.example./notes/1").expect("url");
        let tls_too = url::Url::parse("https://a.example/users/a").expect("url");
        assert!(!Host::same(&plain, &tls), "port 80 is not port 443");
        assert!(
            Host::same(&tls, &tls_too),
            "case and the root's dot do not matter"
        );
        assert!(Host::of(&a).expect("host").is("Localhost:3001"));
    }
}
