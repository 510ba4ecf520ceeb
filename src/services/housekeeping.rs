//! The hourly sweep: uploads no post took, the bodies of old received activities,
//! deliveries finished long ago (`[retention]`), and the deliveries waiting for one server
//! beyond `delivery.max_waiting_per_host`. It only deletes and gives up; it never sends.

use crate::{
    db::{self, queries},
    error::Result,
    state::AppState,
};
use chrono::Duration;

/// What one sweep removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub uploads: usize,
    pub activity_bodies: usize,
    pub deliveries: usize,
    pub over_cap: usize,
}

/// Sweeps once.
pub async fn sweep(state: &AppState) -> Result<Swept> {
    let uploads = crate::services::media::sweep_abandoned(state).await?;
    let keep = &state.settings.retention;
    let bodies_before = db::now() - Duration::days(i64::from(keep.received_activity_days));
    let rows_before = db::now() - Duration::days(i64::from(keep.finished_delivery_days));
    let cap = state.settings.delivery.max_waiting_per_host;
    let (activity_bodies, deliveries, over_cap) = state
        .db
        .run_write(move |c| {
            Ok((
                queries::activities::expire_received_bodies(c, bodies_before)?,
                queries::deliveries::delete_finished(c, rows_before)?,
                crate::delivery::reachability::trim_waiting(c, cap)?,
            ))
        })
        .await?;
    Ok(Swept {
        uploads,
        activity_bodies,
        deliveries,
        over_cap,
    })
}

/// Sweeps once an hour until `stop`: of several processes on one database, the one that
/// holds the sweep's lock at the time.
pub async fn sweeper(state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        let db = state.db.clone();
        let lock = tokio::task::spawn_blocking(move || db.try_job_lock(db::Job::Sweep)).await;
        match lock
            .map_err(crate::error::Error::from)
            .and_then(|taken| taken)
        {
            Ok(Some(_held)) => match sweep(&state).await {
                Ok(swept) if swept == Swept::default() => {}
                Ok(swept) => tracing::info!(?swept, "swept"),
                Err(e) => tracing::warn!(error = %e, "the hourly sweep failed"),
            },
            Ok(None) => tracing::debug!("another process is sweeping"),
            Err(e) => tracing::warn!(error = %e, "cannot take the sweep's lock"),
        }
        tokio::select! {
            _ = tokio::time::sleep(std::time::Duration::from_secs(3600)) => {}
            _ = stop.changed() => {}
        }
        if *stop.borrow() {
            return;
        }
    }
}
