//! `Idempotency-Key` on `POST /api/v1/statuses`: an app that retries a post (a flaky phone
//! network) with the same key gets the first status back instead of a second post. Keyed posts
//! are made one at a time, so two concurrent retries cannot both publish; the key is written in
//! the transaction that writes the post (`services::publish`).

use crate::{
    db::{models::DbObject, queries},
    error::Result,
    state::Data,
};
use actix_web::HttpRequest;
use tokio::sync::{Mutex, MutexGuard};

/// Held from the lookup of a key until it is remembered.
static POSTING: Mutex<()> = Mutex::const_new(());

/// The request's key, if it has a usable one.
pub fn key(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get("Idempotency-Key")
        .and_then(|v| v.to_str().ok())
        .map(|k| k.trim().to_owned())
        .filter(|k| !k.is_empty() && k.len() <= 200)
}

/// Waits for any other keyed post to finish.
pub async fn serialise() -> MutexGuard<'static, ()> {
    POSTING.lock().await
}

/// The live status posted earlier with `key`.
pub async fn earlier(data: &Data, key: String) -> Result<Option<DbObject>> {
    data.db
        .run(move |c| queries::idempotency::earlier(c, &key))
        .await
}
