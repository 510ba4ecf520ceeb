//! `Idempotency-Key` on `POST /api/v1/statuses`: an app that retries a post (a flaky phone
//! network) with the same key gets the first status back instead of a second post. Keyed posts
//! are made one at a time, so two concurrent retries cannot both publish.

use crate::{
    db::{self, models::DbObject, queries::objects, schema},
    error::Result,
    state::Data,
};
use actix_web::HttpRequest;
use diesel::prelude::*;
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
        .run(move |c| {
            use schema::idempotency_keys::dsl as k;
            let id: Option<i64> = k::idempotency_keys
                .filter(k::key.eq(key))
                .select(k::object_id)
                .first(c)
                .optional()?;
            match id {
                Some(id) => Ok(objects::by_id(c, id)?.filter(|o| !o.is_deleted())),
                None => Ok(None),
            }
        })
        .await
}

/// Remembers that `key` posted status `id`.
pub async fn remember(data: &Data, key: String, id: i64) -> Result<()> {
    data.db
        .run(move |c| {
            db::write(c, |c| {
                use schema::idempotency_keys::dsl as k;
                diesel::replace_into(k::idempotency_keys)
                    .values((
                        k::key.eq(key),
                        k::object_id.eq(id),
                        k::created_at.eq(db::now()),
                    ))
                    .execute(c)?;
                Ok(())
            })
        })
        .await
}
