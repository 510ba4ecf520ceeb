//! A page of rows by id, as Mastodon pages them: below `max_id` (older), above `since_id`
//! (newer, newest first) or just above `min_id` (oldest first), at most `limit`. The surface
//! reads the bounds from its request; queries apply them with [`paged!`](crate::paged).

#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub max_id: Option<i64>,
    pub since_id: Option<i64>,
    pub min_id: Option<i64>,
    pub limit: i64,
}

impl Page {
    /// The newest `limit` rows.
    pub fn first(limit: i64) -> Page {
        Page {
            max_id: None,
            since_id: None,
            min_id: None,
            limit,
        }
    }

    /// Ids must be above this.
    pub fn lower(&self) -> Option<i64> {
        self.min_id.or(self.since_id)
    }

    /// Ids must be below this.
    pub fn upper(&self) -> Option<i64> {
        self.max_id
    }

    /// With `min_id` the rows are fetched oldest first (and answered newest first).
    pub fn ascending(&self) -> bool {
        self.min_id.is_some()
    }

    /// Puts fetched rows newest first.
    pub fn finish<T>(&self, mut rows: Vec<T>) -> Vec<T> {
        if self.ascending() {
            rows.reverse();
        }
        rows
    }
}

/// Adds the bounds of `page` to a boxed diesel query over an id column, ordered for it.
#[macro_export]
macro_rules! paged {
    ($query:expr, $column:expr, $page:expr) => {{
        let page: &$crate::db::paging::Page = &$page;
        let mut query = $query;
        if let Some(lower) = page.lower() {
            query = query.filter($column.gt(lower));
        }
        if let Some(upper) = page.upper() {
            query = query.filter($column.lt(upper));
        }
        let query = if page.ascending() {
            query.order($column.asc())
        } else {
            query.order($column.desc())
        };
        query.limit(page.limit)
    }};
}
