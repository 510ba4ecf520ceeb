//! The client API's rate limits: login attempts and app registrations per client (its
//! address, an IPv6 one by its /64; `X-Forwarded-For` only from `web.trusted_proxies`), as
//! `[api]` in the config says: that many at once, given back evenly over the window. Past
//! the limit: 429 with `Retry-After`.

use super::Limiter;
use crate::{error::Error, net::IpRange};
use actix_web::HttpRequest;
use std::{net::IpAddr, time::Duration};

/// The limiters of one instance, and the proxies whose `X-Forwarded-For` they believe.
pub struct Limits {
    login: Limiter,
    apps: Limiter,
    proxies: Vec<IpRange>,
}

impl Limits {
    pub fn new(settings: &crate::config::Api, web: &crate::config::Web) -> Limits {
        let window = Duration::from_secs(settings.limit_window_seconds.max(1));
        Limits {
            login: Limiter::new(settings.login_attempts, window),
            apps: Limiter::new(settings.app_registrations, window),
            proxies: web.proxies(),
        }
    }

    /// The key a request is counted under: see [`client_ip`] and [`crate::net::client_key`].
    /// The inbox's limit before verification counts under the same key.
    pub fn key(&self, req: &HttpRequest) -> String {
        let forwarded: Vec<String> = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|v| v.trim().to_owned())
            .collect();
        match client_ip(req.peer_addr().map(|a| a.ip()), &forwarded, &self.proxies) {
            Some(ip) => crate::net::client_key(ip),
            None => "unknown".into(),
        }
    }
}

/// The client's address: the peer, unless the peer is a trusted proxy; then the rightmost
/// `X-Forwarded-For` entry that is not itself a trusted proxy (the ones before it are whatever
/// the client claimed). An entry that is not an address ends the walk at the proxy that
/// appended it. `Forwarded` is not read: proxies pass it through unchanged.
pub fn client_ip(
    peer: Option<IpAddr>,
    forwarded: &[String],
    proxies: &[IpRange],
) -> Option<IpAddr> {
    let trusted = |ip: IpAddr| proxies.iter().any(|p| p.contains(ip));
    let mut client = peer?;
    for entry in forwarded.iter().rev() {
        if !trusted(client) {
            break;
        }
        match entry
            .trim_matches(|c| c == '[' || c == ']')
            .parse::<IpAddr>()
        {
            Ok(ip) => client = ip,
            Err(_) => break,
        }
    }
    Some(client)
}

impl Limits {
    fn check(&self, limiter: &Limiter, req: &HttpRequest) -> Result<(), Error> {
        limiter
            .check(&self.key(req))
            .map_err(|wait| Error::TooManyRequests(super::retry_after_secs(wait)))
    }

    /// Counts a login attempt (the login page or the password grant).
    pub fn login(&self, req: &HttpRequest) -> Result<(), Error> {
        self.check(&self.login, req)
    }

    /// Counts an app registration.
    pub fn register_app(&self, req: &HttpRequest) -> Result<(), Error> {
        self.check(&self.apps, req)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect(s)
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let proxies: Vec<IpRange> = ["127.0.0.1", "::1", "172.16.0.0/12"]
            .iter()
            .map(|p| IpRange::parse(p).expect(p))
            .collect();
        let xff = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // Straight from the internet: the header is the client's own claim.
        assert_eq!(
            client_ip(Some(ip("203.0.113.9")), &xff(&["1.2.3.4"]), &proxies),
            Some(ip("203.0.113.9"))
        );
        // Through the Docker bridge's proxy: the address it appended.
        assert_eq!(
            client_ip(
                Some(ip("172.17.0.1")),
                &xff(&["6.6.6.6", "203.0.113.9"]),
                &proxies
            ),
            Some(ip("203.0.113.9"))
        );
        // Two trusted proxies in a row; a client-claimed trusted address is not skipped past
        // an untrusted one.
        assert_eq!(
            client_ip(
                Some(ip("127.0.0.1")),
                &xff(&["127.0.0.1", "203.0.113.9", "172.20.0.3"]),
                &proxies
            ),
            Some(ip("203.0.113.9"))
        );
        assert_eq!(
            client_ip(Some(ip("127.0.0.1")), &xff(&["junk"]), &proxies),
            Some(ip("127.0.0.1"))
        );
    }
}
