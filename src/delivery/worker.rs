//! The delivery worker: claim due rows → sign and POST ([`super::sign`]) → record the outcome.
//!
//! Retries with exponential backoff on network errors, 5xx, 408 and 429 (honouring
//! `Retry-After`); any other 4xx is final, and so is any failure of an inbox on a server
//! that hosts no actor we know. A failing server gets one delivery at a time
//! ([`reachability::claim`]). A server failing for the whole retry horizon
//! (`give_up_after_hours`) is marked unreachable and its rows are parked until it answers
//! ([`reachability`]); a row still failing that long while its server answers is marked dead.
//! Rows are leased while in flight, so a crash leaves them to be claimed again: a delivery
//! may be repeated, never dropped (receivers dedup by activity id).

use crate::{
    config::Delivery as DeliverySettings,
    db::{
        self,
        models::*,
        queries::{self, deliveries, deliveries::Outcome},
        Conn,
    },
    delivery::reachability,
    error::Result,
    state::AppState,
};
use chrono::{Duration, NaiveDateTime, Utc};
use std::sync::Arc;
use tokio::sync::{watch, Semaphore};
use url::Url;

/// Runs until `stop` turns true. In-flight sends are abandoned then and their leases freed,
/// so that their rows go out at once when this process starts again, or from another one on
/// the same database. A process that dies leaves its leases to expire ([`lease_until`]).
pub async fn run(state: AppState, mut stop: watch::Receiver<bool>) {
    let settings = state.settings.delivery.clone();
    let slots = Arc::new(Semaphore::new(settings.concurrency));
    let _running = state.queue.running();
    loop {
        state.queue.beat();
        if *stop.borrow() {
            // Each abandoned send frees its lease and then its slot: wait for them (briefly).
            let all = u32::try_from(settings.concurrency).unwrap_or(u32::MAX);
            let _ = tokio::time::timeout(STOP_GRACE, slots.acquire_many(all)).await;
            return;
        }
        let Ok(first) = slots.clone().acquire_owned().await else {
            return;
        };
        if *stop.borrow() {
            // Stopped while every slot was busy: claim nothing more.
            drop(first);
            continue;
        }
        let free = slots.available_permits() + 1;
        let lease = lease_until(&settings);
        let claim_settings = settings.clone();
        let batch = state
            .db
            .run(move |c| {
                db::write_bookkeeping(c, |c| reachability::claim(c, free, lease, &claim_settings))
            })
            .await;
        let batch = match batch {
            Ok(b) => b,
            Err(e) => {
                tracing::error!(error = %e, "cannot claim deliveries");
                Vec::new()
            }
        };
        if batch.is_empty() {
            drop(first);
            let wait = idle_wait(&state, &settings).await;
            tokio::select! {
                _ = state.queue.rung() => {}
                _ = tokio::time::sleep(wait) => {}
                _ = stop.changed() => {}
            }
            continue;
        }
        let mut permit = Some(first);
        for (row, activity) in batch {
            let permit = match permit.take() {
                Some(p) => p,
                None => match slots.clone().acquire_owned().await {
                    Ok(p) => p,
                    Err(_) => return,
                },
            };
            let state = state.clone();
            let mut stop = stop.clone();
            tokio::spawn(async move {
                let id = row.id;
                let abandoned = tokio::select! {
                    _ = deliver(&state, row, activity) => false,
                    _ = stop.wait_for(|s| *s) => true,
                };
                if abandoned {
                    if let Err(e) = state.db.run(move |c| deliveries::release(c, id)).await {
                        tracing::warn!(error = %e, delivery = id, "cannot free the lease of an abandoned send");
                    }
                }
                drop(permit);
            });
        }
    }
}

/// How long to sleep when nothing is due: until the next row falls due, at most a poll.
async fn idle_wait(state: &AppState, settings: &DeliverySettings) -> std::time::Duration {
    let poll = settings.poll_interval();
    match state.db.run(deliveries::next_due).await {
        Ok(Some(at)) => (at - db::now())
            .to_std()
            .unwrap_or(std::time::Duration::ZERO)
            .min(poll),
        _ => poll,
    }
}

/// How long a stopping worker waits for its abandoned sends to free their leases.
pub const STOP_GRACE: std::time::Duration = std::time::Duration::from_secs(2);

/// How long a claimed row stays leased: longer than an attempt can take (the request's
/// timeout, signing, recording), short enough that the rows of a process that died go to
/// the others (or to it, restarted) soon after.
fn lease_until(settings: &DeliverySettings) -> NaiveDateTime {
    db::now() + Duration::seconds(settings.timeout_seconds as i64 * 2 + 5)
}

/// What one attempt came to.
#[derive(Debug)]
enum Attempt {
    Delivered(u16),
    Retry {
        status: Option<u16>,
        error: String,
        retry_after: Option<std::time::Duration>,
    },
    Final {
        status: Option<u16>,
        error: String,
    },
}

async fn deliver(state: &AppState, row: DbDelivery, activity: DbActivity) {
    let attempt = attempt(state, &row.inbox, activity.data.into_bytes()).await;
    state.metrics.delivery(match attempt {
        Attempt::Delivered(_) => "delivered",
        Attempt::Retry { .. } => "retry",
        Attempt::Final { .. } => "final",
    });
    let settings = state.settings.delivery.clone();
    let id = row.id;
    if let Err(e) = state
        .db
        .run(move |c| {
            db::write_bookkeeping(c, |c| record(c, &row, &activity.ap_id, attempt, &settings))
        })
        .await
    {
        tracing::error!(error = %e, delivery = id, "cannot record a delivery attempt");
    }
}

/// Records what an attempt came to, and what it tells of the inbox's server.
fn record(
    c: &mut Conn,
    row: &DbDelivery,
    activity: &str,
    attempt: Attempt,
    settings: &DeliverySettings,
) -> Result<()> {
    let now = db::now();
    let server = reachability::server_of(&row.inbox);
    let outcome = match attempt {
        Attempt::Delivered(status) => {
            tracing::debug!(inbox = %row.inbox, activity, status, "delivered");
            reachability::answered(c, &server)?;
            Outcome {
                new_state: DeliveryState::Delivered,
                status: Some(i32::from(status)),
                error: None,
                next_attempt: now,
            }
        }
        Attempt::Final { status, error } => {
            tracing::warn!(inbox = %row.inbox, activity, %error, "delivery refused; not retrying");
            if status.is_some() {
                reachability::answered(c, &server)?;
            }
            Outcome {
                new_state: DeliveryState::Dead,
                status: status.map(i32::from),
                error: Some(error),
                next_attempt: now,
            }
        }
        Attempt::Retry { status, error, .. } if !queries::actors::any_on_host(c, &server)? => {
            // An inbox is any URL an actor document names: retrying one on a server that
            // hosts no actor we know would make each request to our inbox many POSTs to it.
            tracing::warn!(inbox = %row.inbox, activity, %error, "delivery failed; no known actor on its server, not retrying");
            Outcome {
                new_state: DeliveryState::Dead,
                status: status.map(i32::from),
                error: Some(format!("{error}; not retried: no actor known on {server}")),
                next_attempt: now,
            }
        }
        Attempt::Retry {
            status,
            error,
            retry_after,
        } => {
            let next = now + backoff(settings, row.attempts + 1, retry_after);
            let server_failed = status.is_none_or(|s| s >= 500);
            let new_state = reachability::failed(c, row, next, &error, server_failed, settings)?;
            tracing::info!(inbox = %row.inbox, activity, %error, attempts = row.attempts + 1, new_state = new_state.as_str(), "delivery failed");
            Outcome {
                new_state,
                status: status.map(i32::from),
                error: Some(error),
                next_attempt: next,
            }
        }
    };
    deliveries::record_attempt(c, row.id, outcome)
}

/// The wait before attempt `n + 1`: base × 2^(n-1), capped, but never shorter than the
/// server's `Retry-After`.
pub fn backoff(
    settings: &DeliverySettings,
    failed_attempts: i32,
    retry_after: Option<std::time::Duration>,
) -> Duration {
    let exp = f64::from(failed_attempts.clamp(1, 40) - 1);
    let secs = (settings.retry_base_seconds * 2f64.powf(exp)).min(settings.retry_max_seconds);
    let mut wait = Duration::milliseconds((secs * 1000.0) as i64);
    if let Some(ra) = retry_after.and_then(|d| Duration::from_std(d).ok()) {
        wait = wait.max(ra);
    }
    wait
}

async fn attempt(state: &AppState, inbox: &str, body: Vec<u8>) -> Attempt {
    let url = match Url::parse(inbox) {
        Ok(u)
            if u.scheme() == "https"
                || (u.scheme() == "http" && state.settings.federation.debug) =>
        {
            u
        }
        Ok(u) => {
            return Attempt::Final {
                status: None,
                error: format!("inbox scheme {} not allowed", u.scheme()),
            }
        }
        Err(e) => {
            return Attempt::Final {
                status: None,
                error: format!("inbox is not a URL: {e}"),
            }
        }
    };
    if !state.settings.federation.debug {
        if let Err(error) = crate::net::check_literal(&url) {
            return Attempt::Final {
                status: None,
                error,
            };
        }
    }
    match super::sign::post(state, &url, body).await {
        Ok(res) => classify(res),
        Err(e) => Attempt::Retry {
            status: None,
            error: network_error(&e),
            retry_after: None,
        },
    }
}

fn classify(res: reqwest::Response) -> Attempt {
    let status = res.status();
    let code = status.as_u16();
    if status.is_success() {
        return Attempt::Delivered(code);
    }
    let error = format!("HTTP {code}");
    if status.is_server_error() || code == 408 || code == 429 {
        Attempt::Retry {
            status: Some(code),
            error,
            retry_after: retry_after(&res),
        }
    } else {
        Attempt::Final {
            status: Some(code),
            error,
        }
    }
}

fn retry_after(res: &reqwest::Response) -> Option<std::time::Duration> {
    let raw = res.headers().get("retry-after")?.to_str().ok()?.trim();
    if let Ok(secs) = raw.parse::<u64>() {
        return Some(std::time::Duration::from_secs(secs.min(86_400)));
    }
    let at = chrono::DateTime::parse_from_rfc2822(raw)
        .ok()?
        .with_timezone(&Utc);
    (at - Utc::now()).to_std().ok()
}

fn network_error(e: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Runs a worker until every row of `activity` has had its first attempt, or `max_wait`
/// passes: lets `perch post` deliver at once even when no server is running. Rows that need
/// a retry stay queued for `perch serve`.
pub async fn deliver_now(state: &AppState, activity: i64, max_wait: std::time::Duration) {
    let (stop, stop_rx) = watch::channel(false);
    let worker = tokio::spawn(run(state.clone(), stop_rx));
    let deadline = tokio::time::Instant::now() + max_wait;
    while tokio::time::Instant::now() < deadline {
        let rows = state
            .db
            .run(move |c| deliveries::for_activity(c, activity))
            .await
            .unwrap_or_default();
        if rows
            .iter()
            .all(|r| r.attempts > 0 || r.state != DeliveryState::Pending)
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let _ = stop.send(true);
    let _ = worker.await;
}
