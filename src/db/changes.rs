//! Whether the data may have changed since a moment ago, for readers that keep what they
//! rendered (the page cache): a count of the write transactions this process committed on the
//! database, and on SQLite the file's own `data_version`, which moves when any other
//! connection — another pool connection, a CLI command, a second process — commits. PostgreSQL
//! has no such cheap signal for other processes' writes: there a [`Stamp`] is only good for a
//! second.

use diesel::{connection::SimpleConnection, Connection, RunQueryDsl, SqliteConnection};
use std::{
    cell::Cell,
    path::PathBuf,
    sync::{
        atomic::{AtomicU64, Ordering},
        Mutex,
    },
    time::Duration,
};

thread_local! {
    /// Whether a write transaction committed on this thread since the last look: work on
    /// the database runs on one blocking thread, so [`super::Db::run`] can tell which database
    /// the commit was on (tests run many in one process).
    static WROTE: Cell<bool> = const { Cell::new(false) };
}

/// A write transaction committed (on this thread).
pub(super) fn committed() {
    WROTE.with(|w| w.set(true));
}

/// Whether one committed on this thread since the last call.
pub(super) fn take_committed() -> bool {
    WROTE.with(|w| w.replace(false))
}

/// Changes to what readers see made outside the database (the live profile).
static LIVE: AtomicU64 = AtomicU64::new(0);

/// Something readers see changed outside the database: called after the change.
pub fn changed() {
    LIVE.fetch_add(1, Ordering::SeqCst);
}

/// What the data looked like at one moment: equal stamps, the same data (within `good_for`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    writes: u64,
    live: u64,
    version: i64,
    /// How long a reader may trust the stamp for other processes' writes.
    pub good_for: Duration,
}

/// Reads `PRAGMA data_version` on a connection of its own (opened at the first look, never
/// used to write: the pragma counts the commits of every other connection).
pub(super) struct Watch {
    path: Option<PathBuf>,
    conn: Mutex<Option<SqliteConnection>>,
    /// Write transactions committed on this database through [`super::Db::run`]. Only
    /// PostgreSQL stamps read it: SQLite's `data_version` already counts them, and counts
    /// only those that wrote something (the delivery worker's idle look at the queue does not).
    writes: AtomicU64,
}

#[derive(diesel::QueryableByName)]
struct DataVersion {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    data_version: i64,
}

/// How long a stamp stands for writes it cannot see: on SQLite, those it sees are all of them,
/// and this only bounds what time alone changes on a page; on PostgreSQL, other processes.
const SQLITE_GOOD_FOR: Duration = Duration::from_secs(30);
const POSTGRES_GOOD_FOR: Duration = Duration::from_secs(1);

impl Watch {
    /// A watch on the SQLite file at `path`, or (None) on a database without one.
    pub(super) fn new(path: Option<PathBuf>) -> Watch {
        Watch {
            path,
            conn: Mutex::new(None),
            writes: AtomicU64::new(0),
        }
    }

    /// A write transaction committed on this database.
    pub(super) fn wrote(&self) {
        self.writes.fetch_add(1, Ordering::SeqCst);
    }

    /// The stamp now; None when the file cannot be read (then nothing should be kept).
    pub(super) fn stamp(&self) -> Option<Stamp> {
        // Read before the version: a write that lands in between makes the stamp older than
        // the data, never newer.
        let live = LIVE.load(Ordering::SeqCst);
        let Some(path) = &self.path else {
            return Some(Stamp {
                writes: self.writes.load(Ordering::SeqCst),
                live,
                version: 0,
                good_for: POSTGRES_GOOD_FOR,
            });
        };
        let mut guard = self.conn.lock().ok()?;
        if guard.is_none() {
            let mut c = SqliteConnection::establish(&path.to_string_lossy()).ok()?;
            // Never wait: a look that cannot be made at once is a miss.
            c.batch_execute("PRAGMA busy_timeout = 0; PRAGMA query_only = ON;")
                .ok()?;
            *guard = Some(c);
        }
        let conn = guard.as_mut()?;
        match diesel::sql_query("PRAGMA data_version").get_result::<DataVersion>(conn) {
            Ok(v) => Some(Stamp {
                writes: 0,
                live,
                version: v.data_version,
                good_for: SQLITE_GOOD_FOR,
            }),
            Err(e) => {
                tracing::debug!(error = %e, "cannot read the database's data_version");
                *guard = None;
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_connections_commit_changes_the_stamp_and_a_read_does_not() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("perch.db");
        let db = crate::db::Db::open(&path, 2).expect("open");
        let first = db.stamp().expect("stamp");
        assert_eq!(db.stamp(), Some(first), "nothing happened");
        // Another process, as far as the counter of this one knows: a connection of its own.
        let mut other = SqliteConnection::establish(&path.to_string_lossy()).expect("other");
        diesel::sql_query("SELECT count(*) FROM objects")
            .execute(&mut other)
            .expect("read");
        assert_eq!(db.stamp(), Some(first), "a read is no change");
        other
            .batch_execute("CREATE TABLE scratch (x INTEGER); INSERT INTO scratch VALUES (1);")
            .expect("write");
        let second = db.stamp().expect("stamp");
        assert_ne!(second, first, "another connection's commit");
        crate::db::write(&mut db.conn().expect("conn"), |_| Ok(())).expect("empty write");
        assert_eq!(
            db.stamp(),
            Some(second),
            "a write transaction that wrote nothing"
        );
        crate::db::write(&mut db.conn().expect("conn"), |c| {
            c.batch_execute("INSERT INTO scratch VALUES (2)")?;
            Ok(())
        })
        .expect("write");
        let third = db.stamp().expect("stamp");
        assert_ne!(
            third, second,
            "this process's own write, on a pool connection"
        );
        changed();
        assert_ne!(db.stamp(), Some(third), "a change outside the database");
    }
}
