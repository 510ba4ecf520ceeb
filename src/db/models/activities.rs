//! `activities`: an activity perch sent or received, with its JSON as it went over the wire.

use crate::db::schema::activities;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = activities)]
pub struct DbActivity {
    pub id: i64,
    pub ap_id: String,
    pub public_id: Option<String>,
    pub local: bool,
    pub kind: String,
    pub actor_ap_id: String,
    pub object_ap_id: Option<String>,
    pub public: bool,
    pub data: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = activities)]
pub struct NewActivity {
    pub ap_id: String,
    pub public_id: Option<String>,
    pub local: bool,
    pub kind: String,
    pub actor_ap_id: String,
    pub object_ap_id: Option<String>,
    pub public: bool,
    pub data: String,
    pub created_at: NaiveDateTime,
}
