//! Incoming activities, one file per type: each checks what it may claim (`verify`) and then
//! acts on it (`receive`), through activitypub_federation's `ActivityHandler` trait.

/// The part of activitypub_federation's `ActivityHandler` that every activity shares (its
/// `id` and `actor` fields, our state and error type); `verify` and `receive` are the type's
/// own `check` and `act`.
macro_rules! handler {
    ($t:ty) => {
        #[async_trait::async_trait]
        impl activitypub_federation::traits::ActivityHandler for $t {
            type DataType = crate::state::AppState;
            type Error = crate::error::Error;

            fn id(&self) -> &url::Url {
                &self.id
            }
            fn actor(&self) -> &url::Url {
                &self.actor
            }
            async fn verify(&self, data: &crate::state::Data) -> crate::error::Result<()> {
                self.check(data).await
            }
            async fn receive(self, data: &crate::state::Data) -> crate::error::Result<()> {
                self.act(data).await
            }
        }
    };
}
pub(crate) use handler;

pub mod accept;
pub mod create;
pub mod delete;
pub mod follow;
pub mod reaction;
pub mod undo;
pub mod unknown;
pub mod update;

use crate::{db::models::DbActor, error::Error, state::Data};
use activitypub_federation::fetch::object_id::ObjectId;
use url::Url;

/// The sending actor, from our store (the inbox fetched it before verifying the signature).
pub(crate) async fn sender(actor: &Url, data: &Data) -> Result<DbActor, Error> {
    ObjectId::<DbActor>::from(actor.clone())
        .dereference(data)
        .await
}

/// Whether `url` is the author's actor id.
pub(crate) fn is_us(url: &Url, data: &Data) -> bool {
    url.as_str() == data.urls.actor().as_str()
}
