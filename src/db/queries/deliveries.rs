//! The persistent delivery queue: a row per (activity, inbox), claimed with a lease so that a
//! crashed worker's rows come back, never lost.

use crate::db::{
    models::*, now, schema::activities, schema::deliveries::dsl::*, AnyConnection, Conn,
};
use crate::error::Result;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Queues `activity` for each inbox (an inbox already queued for it is left as it is).
pub fn enqueue(conn: &mut Conn, activity: i64, inboxes: &[String]) -> Result<usize> {
    let t = now();
    let rows: Vec<_> = inboxes
        .iter()
        .map(|i| {
            (
                activity_id.eq(activity),
                inbox.eq(i),
                state.eq(DeliveryState::Pending),
                attempts.eq(0),
                next_attempt_at.eq(t),
                created_at.eq(t),
                updated_at.eq(t),
            )
        })
        .collect();
    let mut n = 0;
    for chunk in rows.chunks(200) {
        n += crate::db::native!(conn, |c| diesel::insert_into(deliveries)
            .values(chunk)
            .on_conflict((activity_id, inbox))
            .do_nothing()
            .execute(c))?;
    }
    Ok(n)
}

/// Up to `limit` pending rows that are due and not leased, oldest due first: (id, inbox).
/// On PostgreSQL the rows are locked until the claim commits, and rows another transaction
/// has locked are passed over (`FOR UPDATE SKIP LOCKED`): a claim never waits on a row that
/// another process is changing, and never takes it.
pub fn due(conn: &mut Conn, limit: i64) -> Result<Vec<(i64, String)>> {
    let t = now();
    let query = deliveries
        .filter(state.eq(DeliveryState::Pending))
        .filter(next_attempt_at.le(t))
        .filter(locked_until.is_null().or(locked_until.lt(t)))
        .order((next_attempt_at.asc(), id.asc()))
        .limit(limit)
        .select((id, inbox));
    Ok(match conn {
        AnyConnection::Sqlite(c) => query.load(c)?,
        AnyConnection::Pg(c) => query.for_update().skip_locked().load(c)?,
    })
}

/// Leases the rows `ids` until `lease_until` and returns them with their activities.
pub fn lease(
    conn: &mut Conn,
    ids: &[i64],
    lease_until: NaiveDateTime,
) -> Result<Vec<(DbDelivery, DbActivity)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(deliveries.filter(id.eq_any(ids)))
        .set(locked_until.eq(Some(lease_until)))
        .execute(conn)?;
    Ok(deliveries
        .inner_join(activities::table)
        .filter(id.eq_any(ids))
        .select((DbDelivery::as_select(), DbActivity::as_select()))
        .load(conn)?)
}

/// Holds the rows `ids` back, untried, while their server is unreachable.
pub fn park(conn: &mut Conn, ids: &[i64]) -> Result<usize> {
    Ok(diesel::update(deliveries.filter(id.eq_any(ids)))
        .set((
            state.eq(DeliveryState::Parked),
            locked_until.eq(None::<NaiveDateTime>),
            updated_at.eq(now()),
        ))
        .execute(conn)?)
}

/// Every parked row: (id, inbox).
pub fn parked(conn: &mut Conn) -> Result<Vec<(i64, String)>> {
    Ok(deliveries
        .filter(state.eq(DeliveryState::Parked))
        .order(id.asc())
        .select((id, inbox))
        .load(conn)?)
}

/// Puts parked rows back in the queue, due at once, with a fresh retry horizon.
pub fn unpark(conn: &mut Conn, ids: &[i64]) -> Result<usize> {
    let t = now();
    let mut n = 0;
    for chunk in ids.chunks(500) {
        n += diesel::update(
            deliveries
                .filter(id.eq_any(chunk))
                .filter(state.eq(DeliveryState::Parked)),
        )
        .set((
            state.eq(DeliveryState::Pending),
            next_attempt_at.eq(t),
            retry_since.eq(Some(t)),
            updated_at.eq(t),
        ))
        .execute(conn)?;
    }
    Ok(n)
}

/// Frees the lease on `delivery`: its send was abandoned before it could be recorded.
pub fn release(conn: &mut Conn, delivery: i64) -> Result<usize> {
    Ok(diesel::update(deliveries.find(delivery))
        .set(locked_until.eq(None::<NaiveDateTime>))
        .execute(conn)?)
}

/// The outcome of one attempt.
pub struct Outcome {
    pub new_state: DeliveryState,
    pub status: Option<i32>,
    pub error: Option<String>,
    pub next_attempt: NaiveDateTime,
}

pub fn record_attempt(conn: &mut Conn, delivery: i64, outcome: Outcome) -> Result<()> {
    diesel::update(deliveries.find(delivery))
        .set((
            state.eq(outcome.new_state),
            attempts.eq(attempts + 1),
            last_status.eq(outcome.status),
            last_error.eq(outcome.error),
            next_attempt_at.eq(outcome.next_attempt),
            locked_until.eq(None::<NaiveDateTime>),
            updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// How many rows are in each state.
pub fn count_by_state(conn: &mut Conn) -> Result<Vec<(DeliveryState, i64)>> {
    Ok(deliveries
        .group_by(state)
        .select((state, diesel::dsl::count_star()))
        .load(conn)?)
}

/// How many pending rows are due at `t`, and when the oldest of them fell due.
pub fn due_at(conn: &mut Conn, t: NaiveDateTime) -> Result<(i64, Option<NaiveDateTime>)> {
    Ok(deliveries
        .filter(state.eq(DeliveryState::Pending))
        .filter(next_attempt_at.le(t))
        .select((diesel::dsl::count_star(), diesel::dsl::min(next_attempt_at)))
        .first(conn)?)
}

/// When the next row falls due, if any is pending.
pub fn next_due(conn: &mut Conn) -> Result<Option<NaiveDateTime>> {
    Ok(deliveries
        .filter(state.eq(DeliveryState::Pending))
        .select(diesel::dsl::min(next_attempt_at))
        .first(conn)?)
}

/// Per inbox: (inbox, state, rows, attempts, last error).
pub type InboxSummary = (String, String, i64, i64, Option<String>);

pub fn summary(conn: &mut Conn) -> Result<Vec<InboxSummary>> {
    let rows: Vec<DbDelivery> = deliveries
        .order((inbox.asc(), id.asc()))
        .select(DbDelivery::as_select())
        .load(conn)?;
    let mut out: Vec<InboxSummary> = Vec::new();
    for row in rows {
        let shown_state = match row.state {
            DeliveryState::Pending if row.attempts > 0 => "retrying".to_owned(),
            DeliveryState::Parked => "unreachable".to_owned(),
            other => other.as_str().to_owned(),
        };
        match out
            .iter_mut()
            .find(|s| s.0 == row.inbox && s.1 == shown_state)
        {
            Some(s) => {
                s.2 += 1;
                s.3 += i64::from(row.attempts);
                if row.last_error.is_some() {
                    s.4 = row.last_error;
                }
            }
            None => out.push((
                row.inbox,
                shown_state,
                1,
                i64::from(row.attempts),
                row.last_error,
            )),
        }
    }
    Ok(out)
}

/// All rows for one activity (tests and `perch deliveries`).
pub fn for_activity(conn: &mut Conn, activity: i64) -> Result<Vec<DbDelivery>> {
    Ok(deliveries
        .filter(activity_id.eq(activity))
        .order(id.asc())
        .select(DbDelivery::as_select())
        .load(conn)?)
}

/// Deletes the rows that went through or were given up on before `before`. Returns how many.
pub fn delete_finished(conn: &mut Conn, before: NaiveDateTime) -> Result<usize> {
    Ok(diesel::delete(
        deliveries.filter(
            state
                .eq_any([DeliveryState::Delivered, DeliveryState::Dead])
                .and(updated_at.lt(before)),
        ),
    )
    .execute(conn)?)
}

/// The `LIKE` patterns of the inboxes on `server` (host[:port], as `reachability::server_of`
/// names it): over http and https, its host written with or without the DNS root's dot.
fn on_server(server: &str) -> [String; 4] {
    let escaped: String = server
        .chars()
        .flat_map(|c| match c {
            '\\' | '%' | '_' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    // `[::1]:8080` splits at its last `:` after the `]`; a bare host has no port.
    let (host, port) = match escaped.rfind(':') {
        Some(i) if !escaped[i..].contains(']') => escaped.split_at(i),
        _ => (escaped.as_str(), ""),
    };
    // An address literal (`[::1]`) has no DNS root to spell out.
    let dotted = if host.starts_with('[') {
        escaped.clone()
    } else {
        format!("{host}.{port}")
    };
    [
        format!("http://{escaped}/%"),
        format!("https://{escaped}/%"),
        format!("http://{dotted}/%"),
        format!("https://{dotted}/%"),
    ]
}

diesel::define_sql_function! {
    /// SQL's `lower`: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// Rows whose inbox is on `server` ([`on_server`]), whatever the case it was written in.
fn inbox_on(
    server: &str,
) -> Box<dyn BoxableExpression<deliveries, crate::db::Backend, SqlType = diesel::sql_types::Bool>> {
    let [a, b, c, d] = on_server(&server.to_ascii_lowercase());
    Box::new(
        lower(inbox)
            .like(a)
            .escape('\\')
            .or(lower(inbox).like(b).escape('\\'))
            .or(lower(inbox).like(c).escape('\\'))
            .or(lower(inbox).like(d).escape('\\')),
    )
}

/// Makes the pending, unleased rows of `server` due no sooner than `until`: while a server
/// fails, its rows wait for its next retry, not each for its own.
pub fn defer_server(conn: &mut Conn, server: &str, until: NaiveDateTime) -> Result<usize> {
    let t = now();
    Ok(diesel::update(
        deliveries
            .filter(state.eq(DeliveryState::Pending))
            .filter(next_attempt_at.lt(until))
            .filter(locked_until.is_null().or(locked_until.lt(t)))
            .filter(inbox_on(server)),
    )
    .set((next_attempt_at.eq(until), updated_at.eq(t)))
    .execute(conn)?)
}

/// Makes every pending row of `server` due at once (it answers again).
pub fn due_now_for_server(conn: &mut Conn, server: &str) -> Result<usize> {
    let t = now();
    Ok(diesel::update(
        deliveries
            .filter(state.eq(DeliveryState::Pending))
            .filter(next_attempt_at.gt(t))
            .filter(inbox_on(server)),
    )
    .set((next_attempt_at.eq(t), updated_at.eq(t)))
    .execute(conn)?)
}

/// Holds the rows `ids` back until `until`, untried.
pub fn hold(conn: &mut Conn, ids: &[i64], until: NaiveDateTime) -> Result<usize> {
    Ok(diesel::update(deliveries.filter(id.eq_any(ids)))
        .set((next_attempt_at.eq(until), updated_at.eq(now())))
        .execute(conn)?)
}

/// Every row still waiting to go (pending or parked), oldest first: (id, inbox).
pub fn waiting(conn: &mut Conn) -> Result<Vec<(i64, String)>> {
    Ok(deliveries
        .filter(state.eq_any([DeliveryState::Pending, DeliveryState::Parked]))
        .order(id.asc())
        .select((id, inbox))
        .load(conn)?)
}

/// Gives the rows `ids` up (dead), with `why` as their last error.
pub fn give_up(conn: &mut Conn, ids: &[i64], why: &str) -> Result<usize> {
    let t = now();
    let mut n = 0;
    for chunk in ids.chunks(500) {
        n += diesel::update(deliveries.filter(id.eq_any(chunk)))
            .set((
                state.eq(DeliveryState::Dead),
                last_error.eq(Some(why)),
                locked_until.eq(None::<NaiveDateTime>),
                updated_at.eq(t),
            ))
            .execute(conn)?;
    }
    Ok(n)
}

/// The inboxes of the rows in flight now.
pub fn leased_inboxes(conn: &mut Conn) -> Result<Vec<String>> {
    Ok(deliveries
        .filter(locked_until.gt(now()))
        .select(inbox)
        .load(conn)?)
}

#[cfg(test)]
mod tests {
    use super::on_server;

    #[test]
    fn a_servers_inboxes_match_with_and_without_the_root_dot() {
        assert_eq!(
            on_server("x_y.example"),
            [
                "http://x\\_y.example/%",
                "https://x\\_y.example/%",
                "http://x\\_y.example./%",
                "https://x\\_y.example./%",
            ]
        );
        assert_eq!(on_server("localhost:8080")[3], "https://localhost.:8080/%");
        assert_eq!(on_server("[::1]:8080")[2], "http://[::1]:8080/%");
        assert_eq!(on_server("[::1]")[0], "http://[::1]/%");
    }
}
