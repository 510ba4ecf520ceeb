//! The author's reading state in their apps: where they stopped in a timeline (markers) and
//! which notifications they dismissed.

use crate::{
    db::{self, models::DbMarker, queries},
    error::Result,
    state::AppState,
};

/// Moves the markers given as `(timeline, last read id)`; returns them as saved.
pub async fn save_markers(state: &AppState, given: Vec<(String, String)>) -> Result<Vec<DbMarker>> {
    state
        .db
        .run(move |c| {
            db::write(c, |c| {
                given
                    .into_iter()
                    .map(|(timeline, id)| queries::markers::save(c, timeline, id))
                    .collect()
            })
        })
        .await
}

/// Dismisses notification `id`, or all of them.
pub async fn dismiss(state: &AppState, id: Option<i64>) -> Result<()> {
    state
        .db
        .run(move |c| db::write(c, |c| queries::notifications::dismiss(c, id)))
        .await
}

/// Notifications the author has not read: newer than the `notifications` marker.
pub fn unread(c: &mut db::Conn) -> Result<i64> {
    let read = queries::markers::last_read(c, "notifications")?;
    let after = read.and_then(|r| r.parse::<i64>().ok()).unwrap_or(0);
    queries::notifications::count_after(c, after)
}
