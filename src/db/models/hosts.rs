//! `hosts`: a server deliveries go to, and whether it answers.

use crate::db::schema::hosts;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A server deliveries go to, by the host[:port] of its inboxes, and whether it answers.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = hosts, primary_key(host))]
pub struct DbHost {
    pub host: String,
    pub failing_since: Option<NaiveDateTime>,
    pub unreachable_since: Option<NaiveDateTime>,
    pub next_probe_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub updated_at: NaiveDateTime,
}
