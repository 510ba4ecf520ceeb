//! Which servers answer. A server whose deliveries have failed (no connection, or a 5xx) for
//! the whole retry horizon (`delivery.give_up_after_hours`) since it last answered is marked
//! unreachable, and its deliveries, queued or new, are parked: kept, but not tried. It is back
//! as soon as it answers: when it delivers a signed activity to us (Mastodon clears its marks
//! the same way), or when one of its parked deliveries, tried as a probe every
//! `delivery.unreachable_probe_hours`, goes through. Its parked deliveries are then due again,
//! each with a fresh retry horizon. Servers are told apart by the host[:port] of their inboxes.

use crate::{
    config::Delivery,
    db::{
        self,
        models::*,
        queries::{deliveries, hosts},
        Conn,
    },
    error::Result,
    state::AppState,
};
use chrono::{Duration, NaiveDateTime};
use std::collections::{HashMap, HashSet};

/// The server an inbox belongs to: its host[:port] ("" when the inbox is not a URL).
pub fn server_of(inbox: &str) -> String {
    crate::domain::Host::parse(inbox)
        .map(String::from)
        .unwrap_or_default()
}

pub(crate) fn hours(h: f64) -> Duration {
    Duration::milliseconds((h * 3_600_000.0) as i64)
}

fn probe_due(host: &DbHost, t: NaiveDateTime) -> bool {
    host.next_probe_at.is_none_or(|at| at <= t)
}

/// Takes up to `limit` due deliveries and leases them until `lease_until`. Those of
/// unreachable servers are parked instead, but for one per server whose probe is due; such a
/// server with nothing new queued has one parked delivery put back for the probe.
pub fn claim(
    conn: &mut Conn,
    limit: usize,
    lease_until: NaiveDateTime,
    settings: &Delivery,
) -> Result<Vec<(DbDelivery, DbActivity)>> {
    let t = db::now();
    let mut down: HashMap<String, DbHost> = hosts::unreachable(conn)?
        .into_iter()
        .map(|h| (h.host.clone(), h))
        .collect();
    if down.values().any(|h| probe_due(h, t)) {
        let mut chosen = HashSet::new();
        let probes: Vec<i64> = deliveries::parked(conn)?
            .into_iter()
            .filter(|(_, inbox)| {
                let server = server_of(inbox);
                down.get(&server).is_some_and(|h| probe_due(h, t)) && chosen.insert(server)
            })
            .map(|(id, _)| id)
            .collect();
        deliveries::unpark(conn, &probes)?;
    }
    let next_probe = t + hours(settings.unreachable_probe_hours);
    // A failing server gets one delivery at a time: its retries are the server's, not each
    // row's, however many rows wait for it.
    let failing: HashSet<String> = hosts::failing(conn)?.into_iter().collect();
    let mut busy: HashSet<String> = if failing.is_empty() {
        HashSet::new()
    } else {
        deliveries::leased_inboxes(conn)?
            .iter()
            .map(|i| server_of(i))
            .filter(|s| failing.contains(s))
            .collect()
    };
    let mut taken = Vec::new();
    while taken.len() < limit {
        let due = deliveries::due(conn, (limit - taken.len()) as i64)?;
        if due.is_empty() {
            break;
        }
        let (mut go, mut park, mut hold) = (Vec::new(), Vec::new(), Vec::new());
        for (id, inbox) in due {
            let server = server_of(&inbox);
            match down.get_mut(&server) {
                None if failing.contains(&server) => {
                    if busy.insert(server) {
                        go.push(id);
                    } else {
                        hold.push(id);
                    }
                }
                None => go.push(id),
                Some(host) if probe_due(host, t) => {
                    tracing::info!(%server, %inbox, "probing an unreachable server");
                    host.next_probe_at = Some(next_probe);
                    hosts::probe_later(conn, &server, next_probe)?;
                    go.push(id);
                }
                Some(_) => park.push(id),
            }
        }
        taken.extend(deliveries::lease(conn, &go, lease_until)?);
        // Until the one in flight has come back: it defers them further if it fails, and
        // makes them due at once if it goes through.
        deliveries::hold(conn, &hold, lease_until)?;
        if park.is_empty() && hold.is_empty() {
            break;
        }
        deliveries::park(conn, &park)?;
    }
    Ok(taken)
}

/// The state a failed delivery goes to, given when it would be tried next. `server_failed`:
/// no connection or a 5xx (a 408 or 429 means the server answers but is busy). Parked when
/// its server is unreachable, or has now failed for the whole horizon; dead when this
/// delivery alone has (its server answered meanwhile, e.g. an inbox that keeps failing on a
/// server that works); pending otherwise.
pub fn failed(
    conn: &mut Conn,
    row: &DbDelivery,
    next: NaiveDateTime,
    error: &str,
    server_failed: bool,
    settings: &Delivery,
) -> Result<DeliveryState> {
    let t = db::now();
    let horizon = hours(settings.give_up_after_hours);
    let server = server_of(&row.inbox);
    if server_failed {
        // Retries come at least every `retry_max_seconds` while the server is down.
        let gap = Duration::milliseconds((settings.retry_max_seconds * 2000.0) as i64);
        let host = hosts::failed(conn, &server, t, error, gap)?;
        if host.unreachable_since.is_some() {
            return Ok(DeliveryState::Parked);
        }
        let since = host.failing_since.unwrap_or(t);
        if next > since + horizon {
            tracing::warn!(%server, %since, "server unreachable; its deliveries are parked until it answers");
            let probe = t + hours(settings.unreachable_probe_hours);
            hosts::mark_unreachable(conn, &server, t, probe)?;
            return Ok(DeliveryState::Parked);
        }
        deliveries::defer_server(conn, &server, next)?;
        // The server's streak began within a retry of this row being queued: it is the server
        // that has failed all along, and its horizon, which ends a moment after the row's,
        // decides (the row is parked then). Only a row whose server answered meanwhile
        // outlives its horizon alone.
        if since <= row.retry_since() + gap {
            return Ok(DeliveryState::Pending);
        }
    } else {
        answered(conn, &server)?;
    }
    Ok(if next > row.retry_since() + horizon {
        DeliveryState::Dead
    } else {
        DeliveryState::Pending
    })
}

/// `server` answered: its failures are forgotten and, if it was unreachable, its parked
/// deliveries are due again. Returns how many.
pub fn answered(conn: &mut Conn, server: &str) -> Result<usize> {
    let Some(was) = hosts::answered(conn, server)? else {
        return Ok(0);
    };
    if was.unreachable_since.is_none() {
        // Its rows held back behind the failing one.
        return deliveries::due_now_for_server(conn, server);
    }
    let ids: Vec<i64> = deliveries::parked(conn)?
        .into_iter()
        .filter(|(_, inbox)| server_of(inbox) == server)
        .map(|(id, _)| id)
        .collect();
    let n = deliveries::unpark(conn, &ids)?;
    tracing::info!(%server, deliveries = n, "server answers again; its parked deliveries are due");
    Ok(n)
}

/// Gives up the newest rows of each server with more than `cap` waiting (pending or parked):
/// what other servers make perch send cannot pile up for one host. Returns how many.
pub fn trim_waiting(conn: &mut Conn, cap: u32) -> Result<usize> {
    let mut per_server: HashMap<String, usize> = HashMap::new();
    let excess: Vec<i64> = deliveries::waiting(conn)?
        .into_iter()
        .filter(|(_, inbox)| {
            let n = per_server.entry(server_of(inbox)).or_default();
            *n += 1;
            *n > cap as usize
        })
        .map(|(id, _)| id)
        .collect();
    if !excess.is_empty() {
        tracing::warn!(
            rows = excess.len(),
            cap,
            "deliveries over the per-server cap given up"
        );
    }
    deliveries::give_up(
        conn,
        &excess,
        &format!("more than {cap} deliveries were waiting for this server"),
    )
}

/// A verified activity came from `actor`: its server (by its inboxes, as deliveries know it)
/// answers. Costs one read unless the server was failing.
pub async fn heard_from(state: &AppState, actor: &DbActor) -> Result<()> {
    let mut servers: Vec<String> = [Some(actor.inbox.as_str()), actor.shared_inbox.as_deref()]
        .into_iter()
        .flatten()
        .map(server_of)
        .collect();
    servers.dedup();
    let woken = state
        .db
        .run(move |c| {
            let mut n = 0;
            for server in &servers {
                if hosts::get(c, server)?.is_some() {
                    n += db::write(c, |c| answered(c, server))?;
                }
            }
            Ok(n)
        })
        .await?;
    if woken > 0 {
        state.queue.wake();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{config::Settings, db::Db};
    use diesel::prelude::*;

    const INBOX: &str = "https://down.example/inbox";

    fn setup() -> (tempfile::TempDir, Db, Delivery) {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = Db::open(&dir.path().join("perch.db"), 1).expect("db");
        let settings = Settings::loopback(
            dir.path(),
            &[
                ("delivery.give_up_after_hours", 1.0.into()),
                ("delivery.retry_max_seconds", 600.0.into()),
            ],
        )
        .expect("settings");
        (dir, db, settings.delivery)
    }

    fn row(queued_minutes_ago: i64) -> DbDelivery {
        let at = db::now() - Duration::minutes(queued_minutes_ago);
        DbDelivery {
            id: 1,
            activity_id: 1,
            inbox: INBOX.into(),
            state: DeliveryState::Pending,
            attempts: 3,
            next_attempt_at: at,
            locked_until: None,
            last_status: None,
            last_error: None,
            created_at: at,
            updated_at: at,
            retry_since: None,
        }
    }

    /// What a failure comes to when the next try would be `in_minutes` from now.
    fn fail(c: &mut Conn, settings: &Delivery, row: &DbDelivery, in_minutes: i64) -> DeliveryState {
        let next = db::now() + Duration::minutes(in_minutes);
        failed(c, row, next, "HTTP 503", true, settings).expect("failed")
    }

    /// The server's row as if its failures began `minutes` ago and went on until `last` ago.
    fn failing_for(c: &mut Conn, minutes: i64, last: i64) {
        use crate::db::schema::hosts::dsl::*;
        diesel::update(hosts.find("down.example"))
            .set((
                failing_since.eq(Some(db::now() - Duration::minutes(minutes))),
                updated_at.eq(db::now() - Duration::minutes(last)),
            ))
            .execute(c)
            .expect("update");
    }

    #[test]
    fn a_server_failing_for_the_whole_horizon_is_parked_and_stays_so() {
        let (_dir, db, settings) = setup();
        let mut c = db.conn().expect("conn");
        let row = row(50);
        assert_eq!(
            fail(&mut c, &settings, &row, 5),
            DeliveryState::Pending,
            "first failure"
        );
        failing_for(&mut c, 50, 5);
        assert_eq!(
            fail(&mut c, &settings, &row, 5),
            DeliveryState::Pending,
            "55 min < 1 h"
        );
        assert_eq!(
            fail(&mut c, &settings, &row, 15),
            DeliveryState::Parked,
            "65 min > 1 h"
        );
        let host = hosts::get(&mut c, "down.example")
            .expect("get")
            .expect("row");
        assert!(host.unreachable_since.is_some() && host.next_probe_at.is_some());
        // A probe that fails, or a delivery in flight when the mark was set: parked again.
        assert_eq!(fail(&mut c, &settings, &row, 1), DeliveryState::Parked);
    }

    #[test]
    fn a_row_queued_just_before_its_server_failed_waits_for_the_servers_verdict() {
        let (_dir, db, settings) = setup();
        let mut c = db.conn().expect("conn");
        // The row's horizon (1 h) ended 5 min ago; its server has failed since 7 min after it
        // was queued (within one retry gap), so its own horizon is 2 min away.
        let row = row(65);
        hosts::failed(
            &mut c,
            "down.example",
            db::now(),
            "HTTP 503",
            Duration::minutes(20),
        )
        .expect("a failure");
        failing_for(&mut c, 58, 1);
        assert_eq!(fail(&mut c, &settings, &row, 1), DeliveryState::Pending);
        assert_eq!(fail(&mut c, &settings, &row, 5), DeliveryState::Parked);
        // Where the server answered in between (its streak is younger than the row's life by
        // more than a retry gap), the row is given up on its own horizon, as before.
        let (_dir, db, settings) = setup();
        let mut c = db.conn().expect("conn");
        assert_eq!(fail(&mut c, &settings, &row, 1), DeliveryState::Dead);
    }

    #[test]
    fn a_long_silence_restarts_the_failing_streak() {
        let (_dir, db, settings) = setup();
        let mut c = db.conn().expect("conn");
        let row = row(0);
        assert_eq!(fail(&mut c, &settings, &row, 1), DeliveryState::Pending);
        // It failed long ago, then nothing was sent for longer than two maximal retries.
        failing_for(&mut c, 300, 30);
        assert_eq!(fail(&mut c, &settings, &row, 15), DeliveryState::Pending);
        let host = hosts::get(&mut c, "down.example")
            .expect("get")
            .expect("row");
        assert!(db::now() - host.failing_since.expect("since") < Duration::minutes(1));
    }

    #[test]
    fn an_inbox_failing_alone_on_a_server_that_answers_is_dead() {
        let (_dir, db, settings) = setup();
        let mut c = db.conn().expect("conn");
        let row = row(50);
        let next = db::now() + Duration::minutes(15);
        let state = failed(&mut c, &row, next, "HTTP 429", false, &settings).expect("failed");
        assert_eq!(state, DeliveryState::Dead);
        assert!(hosts::get(&mut c, "down.example").expect("get").is_none());
    }
}
