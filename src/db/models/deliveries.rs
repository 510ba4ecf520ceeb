//! `deliveries`: the persistent delivery queue, one row per (activity, inbox), with its
//! attempts and when it is next tried.

use super::DeliveryState;
use crate::db::schema::deliveries;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = deliveries)]
pub struct DbDelivery {
    pub id: i64,
    pub activity_id: i64,
    pub inbox: String,
    pub state: DeliveryState,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub retry_since: Option<NaiveDateTime>,
}

impl DbDelivery {
    /// Where this delivery's retry horizon starts: its queueing, or its server's return.
    pub fn retry_since(&self) -> NaiveDateTime {
        self.retry_since.unwrap_or(self.created_at)
    }
}
