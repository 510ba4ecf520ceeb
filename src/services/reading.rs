//! The author's reading state in their apps: where they stopped in a timeline (markers) and
//! which notifications they dismissed.

use crate::{
    db::{models::DbMarker, queries},
    error::Result,
    state::AppState,
};

/// Moves the markers given as `(timeline, last read id)`; returns them as saved.
pub async fn save_markers(state: &AppState, given: Vec<(String, String)>) -> Result<Vec<DbMarker>> {
    state
        .db
        .run_write(move |c| {
            given
                .into_iter()
                .map(|(timeline, id)| queries::markers::save(c, timeline, id))
                .collect()
        })
        .await
}

/// Dismisses notification `id`, or all of them.
pub async fn dismiss(state: &AppState, id: Option<i64>) -> Result<()> {
    state
        .db
        .run_write(move |c| queries::notifications::dismiss(c, id))
        .await
}
