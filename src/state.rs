//! What every handler, service and worker is handed: settings, the database, our URL
//! builder, the local actor with its signing key, the HTTP client, the queue's doorbell and
//! the inbox's rate limit.

use crate::{
    apub::signatures::RequestSigner, config::Settings, db::models::DbActor, db::Db,
    delivery::Queue, domain::Urls, ratelimit::Limiter,
};
use std::sync::{Arc, RwLock};

#[derive(Clone)]
pub struct AppState {
    pub settings: Arc<Settings>,
    pub db: Db,
    pub urls: Urls,
    pub local: Arc<LocalActor>,
    pub http: reqwest::Client,
    pub queue: Queue,
    /// The author's profile as it is now (the config, with the edits made from apps).
    pub profile: Arc<RwLock<crate::domain::profile::Profile>>,
    /// Rate limits of the client API.
    pub limits: Arc<crate::ratelimit::Limits>,
    /// Inbox POSTs per remote server (`federation.inbox_rate_per_minute`).
    pub inbox_limit: Arc<Limiter>,
    /// Inbox POSTs per client address, before verification
    /// (`federation.inbox_rate_per_address_per_minute`).
    pub inbox_address_limit: Arc<Limiter>,
    /// What `GET /metrics` reports.
    pub metrics: crate::metrics::Metrics,
}

/// The one local actor, loaded once at start.
pub struct LocalActor {
    pub actor: DbActor,
    pub signer: RequestSigner,
}

/// Per-request handle: app state plus activitypub_federation's fetch budget.
pub type Data = activitypub_federation::config::Data<AppState>;
pub type FederationConfig = activitypub_federation::config::FederationConfig<AppState>;

impl AppState {
    /// The author's profile as it is now.
    pub fn profile(&self) -> crate::domain::profile::Profile {
        match self.profile.read() {
            Ok(p) => p.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}
