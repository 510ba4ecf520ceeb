//! How perch is doing, for `GET /healthz` and `GET /metrics`: the database answers, the
//! delivery worker goes round, and how far behind the queue is. What went wrong is logged,
//! never handed to the caller.

use crate::{
    db::{models::DeliveryState, queries::deliveries},
    metrics::{resident_bytes, Snapshot},
    state::AppState,
};
use serde::Serialize;

/// The worker counts as stalled when its last round is older than this many poll intervals
/// plus delivery timeouts (a round waits for a free slot, and a slot for a send).
const STALL_ROUNDS: u32 = 3;

#[derive(Debug, Serialize)]
pub struct Health {
    /// `ok`, or `unhealthy` when the database does not answer or the worker is stopped or stalled.
    pub status: &'static str,
    /// `ok` or `unreachable`.
    pub database: &'static str,
    pub queue: QueueHealth,
}

#[derive(Debug, Serialize)]
pub struct QueueHealth {
    /// `running`, `stalled` (no round for a long while) or `stopped`.
    pub worker: &'static str,
    /// Seconds since the worker's last round.
    pub last_round_seconds: Option<i64>,
    /// Pending deliveries whose time has come, and how long the oldest has waited past it.
    pub due: Option<i64>,
    pub oldest_due_seconds: Option<f64>,
}

impl Health {
    pub fn ok(&self) -> bool {
        self.status == "ok"
    }
}

/// Asks the database and the worker.
pub async fn check(state: &AppState) -> Health {
    let due = state
        .db
        .run(|c| deliveries::due_at(c, crate::db::now()))
        .await;
    let (database, due, oldest) = match due {
        Ok((n, oldest)) => ("ok", Some(n), Some(waited(oldest))),
        Err(e) => {
            tracing::error!(error = %e, "health check: the database does not answer");
            ("unreachable", None, None)
        }
    };
    let (running, beat) = state.queue.pulse();
    let since = beat.map(|b| (chrono::Utc::now() - b).num_seconds());
    let settings = &state.settings.delivery;
    let stall = STALL_ROUNDS as i64
        * (settings.poll_interval().as_secs() as i64 + settings.timeout_seconds as i64 + 1);
    let worker = match (running, since) {
        (false, _) => "stopped",
        (true, Some(s)) if s > stall => "stalled",
        (true, _) => "running",
    };
    Health {
        status: if database == "ok" && worker == "running" {
            "ok"
        } else {
            "unhealthy"
        },
        database,
        queue: QueueHealth {
            worker,
            last_round_seconds: since,
            due,
            oldest_due_seconds: oldest,
        },
    }
}

/// What the scrape reports beside the counters: the queue by state, how far behind it is,
/// the pool and the memory.
pub async fn snapshot(state: &AppState) -> crate::error::Result<Snapshot> {
    let (by_state, (due, oldest)) = state
        .db
        .run(|c| {
            Ok((
                deliveries::count_by_state(c)?,
                deliveries::due_at(c, crate::db::now())?,
            ))
        })
        .await?;
    let (connections, idle) = state.db.pool_state();
    // Every state, so that a state with no rows reads 0 rather than vanishing.
    let deliveries = DeliveryState::ALL
        .iter()
        .map(|&s| {
            let n = by_state
                .iter()
                .find(|(t, _)| *t == s)
                .map_or(0, |(_, n)| *n);
            (s.as_str(), n)
        })
        .collect();
    Ok(Snapshot {
        deliveries,
        due,
        oldest_due_seconds: waited(oldest),
        pool_connections: i64::from(connections),
        pool_idle: i64::from(idle),
        resident_bytes: resident_bytes(),
    })
}

/// Seconds since `since` (0 for none).
fn waited(since: Option<chrono::NaiveDateTime>) -> f64 {
    since.map_or(0.0, |t| {
        ((crate::db::now() - t).num_milliseconds().max(0) as f64) / 1000.0
    })
}
