//! `oauth_tokens`: an access token, the author's or an app's own, kept as its hash.

use crate::db::schema::oauth_tokens;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// An access token (stored as its hash).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = oauth_tokens)]
pub struct DbToken {
    pub id: i64,
    pub token_hash: String,
    pub app_id: Option<i64>,
    pub scopes: String,
    /// The author's token; `false` for an app's own (client_credentials).
    pub user_token: bool,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = oauth_tokens)]
pub struct NewToken {
    pub token_hash: String,
    pub app_id: Option<i64>,
    pub scopes: String,
    pub user_token: bool,
    pub created_at: NaiveDateTime,
}
