//! `oauth_codes`: an OAuth authorization code waiting to be exchanged for a token.

use crate::db::schema::oauth_codes;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// An authorization code waiting to be exchanged for a token.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = oauth_codes)]
pub struct DbCode {
    #[diesel(skip_insertion)]
    pub id: i64,
    pub code_hash: String,
    pub app_id: i64,
    pub redirect_uri: String,
    pub scopes: String,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub expires_at: NaiveDateTime,
}
