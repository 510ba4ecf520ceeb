//! `oauth_apps`: an OAuth client an app registered (its secret kept as a hash).

use crate::db::schema::oauth_apps;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// An OAuth client registered by an app.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = oauth_apps)]
pub struct DbApp {
    pub id: i64,
    pub client_id: String,
    pub secret_hash: String,
    pub name: String,
    pub website: Option<String>,
    /// One redirect URI a line.
    pub redirect_uris: String,
    /// Space-separated scopes.
    pub scopes: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = oauth_apps)]
pub struct NewApp {
    pub client_id: String,
    pub secret_hash: String,
    pub name: String,
    pub website: Option<String>,
    pub redirect_uris: String,
    pub scopes: String,
    pub created_at: NaiveDateTime,
}
