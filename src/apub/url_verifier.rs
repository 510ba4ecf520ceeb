//! The federation crate's hook on every URL it is about to fetch (a redirect's target
//! included): hosts under a domain block are never fetched, so a reply from an allowed server
//! cannot bring a blocked server's post or actor in as its parent.

use crate::db::{queries::blocks, Db};
use activitypub_federation::{config::UrlVerifier, error::Error as FedError};
use url::Url;

#[derive(Clone)]
pub struct BlockedHosts {
    pub db: Db,
}

#[async_trait::async_trait]
impl UrlVerifier for BlockedHosts {
    async fn verify(&self, url: &Url) -> Result<(), FedError> {
        let host = crate::domain::Host::name_of(url);
        let blocked = self
            .db
            .run(move |c| blocks::is_blocked(c, "", &host))
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, "cannot read the blocks; not fetching");
                FedError::UrlVerificationError("the blocks cannot be read")
            })?;
        if blocked {
            tracing::debug!(%url, "not fetched: its server is blocked");
            return Err(FedError::UrlVerificationError("its server is blocked here"));
        }
        Ok(())
    }
}
