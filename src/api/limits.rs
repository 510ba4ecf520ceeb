//! The client API's rate limits: login attempts and app registrations per client address
//! (`[api]` in the config: that many at once, given back evenly over the window). Past the
//! limit: 429 with `Retry-After`.

use crate::{error::Error, ratelimit::Limiter, state::AppState};
use actix_web::HttpRequest;
use std::time::Duration;

/// The limiters of one instance.
pub struct Limits {
    login: Limiter,
    apps: Limiter,
}

impl Limits {
    pub fn new(settings: &crate::config::Api) -> Limits {
        let window = Duration::from_secs(settings.limit_window_seconds.max(1));
        Limits {
            login: Limiter::new(settings.login_attempts, window),
            apps: Limiter::new(settings.app_registrations, window),
        }
    }
}

/// The client's address: the peer, or, when the peer is a reverse proxy on this host, the
/// address that proxy appended to `X-Forwarded-For` (the last entry: the ones before it are
/// whatever the client claimed). `Forwarded` is not read: proxies pass it through unchanged.
pub fn client_address(req: &HttpRequest) -> String {
    let peer = req.peer_addr().map(|a| a.ip());
    match peer {
        Some(ip) if !ip.is_loopback() => ip.to_string(),
        _ => req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .last()
            .map(str::to_owned)
            .or_else(|| peer.map(|ip| ip.to_string()))
            .unwrap_or_else(|| "unknown".into()),
    }
}

fn check(limiter: &Limiter, req: &HttpRequest) -> Result<(), Error> {
    limiter
        .check(&client_address(req))
        .map_err(|wait| Error::TooManyRequests(crate::ratelimit::retry_after_secs(wait)))
}

/// Counts a login attempt (the login page or the password grant).
pub fn login(state: &AppState, req: &HttpRequest) -> Result<(), Error> {
    check(&state.limits.login, req)
}

/// Counts an app registration.
pub fn register_app(state: &AppState, req: &HttpRequest) -> Result<(), Error> {
    check(&state.limits.apps, req)
}
