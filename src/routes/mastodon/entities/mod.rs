//! Mastodon's JSON entities, built from perch's rows: Account, Status, MediaAttachment,
//! Notification, Relationship. Ids are our row ids, as strings; times are ISO 8601 with
//! milliseconds in UTC. Everything is rendered inside one database call ([`Ctx`] caches the
//! accounts a page repeats).

pub mod account;
pub mod media;
pub mod notification;
pub mod relationship;
pub mod status;

use crate::{db::Conn, error::Result, state::AppState};
use chrono::NaiveDateTime;
use std::collections::HashMap;

/// Mastodon's time format.
pub fn time(t: NaiveDateTime) -> String {
    t.and_utc().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// What rendering needs: the instance, and the accounts already rendered.
pub struct Ctx<'a> {
    pub state: &'a AppState,
    accounts: HashMap<i64, account::Account>,
}

impl<'a> Ctx<'a> {
    pub fn new(state: &'a AppState) -> Ctx<'a> {
        Ctx {
            state,
            accounts: HashMap::new(),
        }
    }

    /// The Account of actor `id` (cached for the rest of the render).
    pub fn account(&mut self, c: &mut Conn, id: i64) -> Result<account::Account> {
        if let Some(a) = self.accounts.get(&id) {
            return Ok(a.clone());
        }
        let actor =
            crate::db::queries::actors::by_id(c, id)?.ok_or(crate::error::Error::NotFound)?;
        let rendered = account::render(c, self.state, &actor)?;
        self.accounts.insert(id, rendered.clone());
        Ok(rendered)
    }
}
