//! The inbox's rate limits. Before anything is verified, per client address
//! (`federation.inbox_rate_per_address_per_minute`): verifying may cost an actor fetch and an
//! RSA operation, and the address is the one thing a sender cannot choose freely (a `keyId`
//! can name any host, and random subdomains would each get a fresh allowance). After the
//! signature has verified, per sending server (`federation.inbox_rate_per_minute`), keyed on
//! the verified actor's host, so that no one can spend another server's allowance.
//! Over-limit senders get 429 with `Retry-After`; their queues retry later, nothing is lost.

use crate::{
    db::models::DbActor,
    error::{Error, Result},
    ratelimit::{retry_after_secs, Limiter},
    state::AppState,
};

/// Counts the request against its client address's allowance.
pub fn before_verification(client: &str, state: &AppState) -> Result<()> {
    if state.settings.federation.inbox_rate_per_address_per_minute == 0 {
        return Ok(());
    }
    take(&state.inbox_address_limit, client, "address")
}

/// Counts the verified request against its server's allowance.
pub fn after_verification(actor: &DbActor, state: &AppState) -> Result<()> {
    if state.settings.federation.inbox_rate_per_minute == 0 {
        return Ok(());
    }
    take(
        &state.inbox_limit,
        &actor.domain.to_ascii_lowercase(),
        "server",
    )
}

fn take(limiter: &Limiter, key: &str, what: &'static str) -> Result<()> {
    limiter.check(key).map_err(|wait| {
        tracing::info!(key, what, "inbox rate limit reached");
        Error::TooManyRequests(retry_after_secs(wait))
    })
}
