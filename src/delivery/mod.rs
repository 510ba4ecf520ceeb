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
use std::sync::{
    atomic::{AtomicBool, AtomicI64, Ordering},
    Arc,
};
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

/// The worker's doorbell (rung after a commit that queued something), and its pulse: whether
/// it runs and when it last went round its loop, for `/healthz`.
#[derive(Clone, Default)]
pub struct Queue {
    wake: Arc<Notify>,
    running: Arc<AtomicBool>,
    /// Unix seconds of the worker's last round.
    beat: Arc<AtomicI64>,
}

impl Queue {
    pub fn wake(&self) {
        self.wake.notify_one();
    }
    pub(crate) async fn rung(&self) {
        self.wake.notified().await
    }

    /// Whether the worker is running, and when it last went round its loop.
    pub fn pulse(&self) -> (bool, Option<chrono::DateTime<chrono::Utc>>) {
        let beat = self.beat.load(Ordering::Relaxed);
        (
            self.running.load(Ordering::Relaxed),
            (beat > 0)
                .then(|| chrono::DateTime::from_timestamp(beat, 0))
                .flatten(),
        )
    }

    pub(crate) fn beat(&self) {
        self.beat
            .store(chrono::Utc::now().timestamp(), Ordering::Relaxed);
    }

    /// Marks the worker as running until the returned guard is dropped (it returns or panics).
    pub(crate) fn running(&self) -> impl Drop {
        struct Running(Arc<AtomicBool>);
        impl Drop for Running {
            fn drop(&mut self) {
                self.0.store(false, Ordering::Relaxed);
            }
        }
        self.running.store(true, Ordering::Relaxed);
        self.beat();
        Running(self.running.clone())
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
