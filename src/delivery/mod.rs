//! The persistent delivery queue. Services store an outgoing activity and its inboxes in one
//! transaction ([`enqueue`]); the [`worker`] claims due rows, signs, sends, and reschedules
//! with backoff until the inbox takes it or the row is marked dead; [`reachability`] parks the
//! rows of servers that stopped answering. Rows live in the database, so nothing queued is
//! lost to a restart.

pub mod reachability;
pub mod sign;
pub mod worker;

use crate::{
    db::{self, models::*, queries, Conn},
    error::Result,
};
use serde_json::Value;
use std::sync::Arc;
use tokio::sync::Notify;
use url::Url;

/// An activity perch sends: the JSON as it will go over the wire, plus what the activity
/// table records of it (built by `apub::send`).
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub public_id: String,
    pub id: Url,
    pub kind: &'static str,
    pub object: Option<String>,
    /// Listed in the outbox and readable by anyone.
    pub public: bool,
    pub json: Value,
}

/// The worker's doorbell: rung after a commit that queued something.
#[derive(Clone, Default)]
pub struct Queue {
    wake: Arc<Notify>,
}

impl Queue {
    pub fn wake(&self) {
        self.wake.notify_one();
    }
    pub(crate) async fn rung(&self) {
        self.wake.notified().await
    }
}

/// Records `activity` as sent by us and queues it for each inbox, in the caller's transaction.
pub fn enqueue(conn: &mut Conn, activity: &Outgoing, inboxes: &[String]) -> Result<DbActivity> {
    let row = queries::activities::insert(
        conn,
        &NewActivity {
            ap_id: activity.id.to_string(),
            public_id: Some(activity.public_id.clone()),
            local: true,
            kind: activity.kind.to_owned(),
            actor_ap_id: activity.json["actor"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            object_ap_id: activity.object.clone(),
            public: activity.public,
            data: serde_json::to_string(&activity.json)?,
            created_at: db::now(),
        },
    )?;
    queries::deliveries::enqueue(conn, row.id, inboxes)?;
    Ok(row)
}
