//! `notifications`: something the author is told about (a follow, a mention, a like...).

use crate::db::schema::notifications;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Something the author is told about.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = notifications)]
pub struct DbNotification {
    pub id: i64,
    pub kind: String,
    pub actor_id: i64,
    pub object_id: Option<i64>,
    pub dismissed: bool,
    pub created_at: NaiveDateTime,
}
