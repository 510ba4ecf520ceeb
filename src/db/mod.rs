//! Storage: the pool (SQLite or PostgreSQL), embedded migrations, row types and queries. No actix, no
//! ActivityPub here: callers hand in plain values and get rows back.

pub mod models;
pub mod paging;
pub mod queries;
pub mod schema;

use crate::error::{Error, Result};
use diesel::r2d2::Pool;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::time::Duration;

pub mod changes;
mod connection;
pub mod copy;
mod locks;
pub(crate) use connection::native;
pub use connection::{settle, AnyConnection, Location, Manager};
pub use locks::{Job, JobLock};

pub type Conn = AnyConnection;

/// The backend `Conn` speaks, for the few types that name one (boxed queries and filters).
pub type Backend = <AnyConnection as diesel::Connection>::Backend;

/// The twin migration trees: the same names, each database's own SQL.
const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// The connection pool. Cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: Pool<Manager>,
    at: Location,
    watch: std::sync::Arc<changes::Watch>,
}

impl Db {
    /// Opens the database (creating a SQLite file if needed) and applies pending migrations.
    pub fn open(at: impl Into<Location>, pool_size: u32) -> Result<Db> {
        let db = Db::connect(at, pool_size)?;
        db.migrate()?;
        Ok(db)
    }

    /// Opens the database without migrating it (`perch migrate`). One connection is made
    /// first, so that a wrong URL fails at once with the server's own error (the pool would
    /// retry it for its whole timeout and then report only that it timed out).
    pub fn connect(at: impl Into<Location>, pool_size: u32) -> Result<Db> {
        let at = at.into();
        if let Location::Sqlite(path) = &at {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
        }
        drop(
            at.establish()
                .map_err(|e| Error::Connect(format!("cannot open {}: {e}", at.shown())))?,
        );
        let shown = at.shown();
        // Connections are opened when a caller waits for one and kept until the pool goes,
        // never by the pool's own threads in the background: libpq's TLS and SCRAM run on
        // OpenSSL, and a connection being opened or closed there while the process exits
        // races OpenSSL's exit-time clean-up (seen: a CLI command crashing as it ended).
        let pool = Pool::builder()
            .max_size(pool_size)
            .min_idle(Some(0))
            .idle_timeout(None)
            .max_lifetime(None)
            .connection_timeout(Duration::from_secs(30))
            .build(Manager(at.clone()))
            .map_err(|e| Error::Connect(format!("cannot open {shown}: {e}")))?;
        let watch = std::sync::Arc::new(changes::Watch::new(match &at {
            Location::Sqlite(path) => Some(path.clone()),
            Location::Postgres(_) => None,
        }));
        Ok(Db { pool, at, watch })
    }

    pub fn is_postgres(&self) -> bool {
        self.at.is_postgres()
    }

    /// Where this database lives.
    pub fn location(&self) -> &Location {
        &self.at
    }

    /// Applies the embedded migrations that have not run yet; returns how many ran. A
    /// database that a newer perch has migrated is refused as it is: this binary does not
    /// know its tables (a downgrade goes back through the backup taken before the upgrade).
    pub fn migrate(&self) -> Result<usize> {
        let mut conn = self.pool.get()?;
        let migrations = if self.is_postgres() {
            POSTGRES_MIGRATIONS
        } else {
            SQLITE_MIGRATIONS
        };
        refuse_newer(&mut conn, &migrations)?;
        let done = conn
            .run_pending_migrations(migrations)
            .map_err(|e| Error::Migration(e.to_string()))?;
        Ok(done.len())
    }

    /// Runs blocking database work off the async executor.
    pub async fn run<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Conn) -> Result<T> + Send + 'static,
    {
        let (pool, watch) = (self.pool.clone(), self.watch.clone());
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            changes::take_committed();
            let done = f(&mut conn);
            if changes::take_committed() {
                watch.wrote();
            }
            done
        })
        .await?
    }

    /// Runs `f` in one write transaction ([`write`]) off the async executor.
    pub async fn run_write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Conn) -> Result<T> + Send + 'static,
    {
        self.run(move |c| write(c, f)).await
    }

    /// What the data looks like now ([`changes`]); None when that cannot be told.
    pub fn stamp(&self) -> Option<changes::Stamp> {
        self.watch.stamp()
    }

    /// The pool's open and idle connections.
    pub fn pool_state(&self) -> (u32, u32) {
        let s = self.pool.state();
        (s.connections, s.idle_connections)
    }

    /// A connection for synchronous callers (CLI commands, start-up).
    pub fn conn(&self) -> Result<diesel::r2d2::PooledConnection<Manager>> {
        Ok(self.pool.get()?)
    }
}

/// Fails when the database has migrations this binary does not carry.
fn refuse_newer(conn: &mut Conn, migrations: &EmbeddedMigrations) -> Result<()> {
    use diesel::migration::MigrationSource;
    let known: Vec<String> = MigrationSource::<Backend>::migrations(migrations)
        .map_err(|e| Error::Migration(e.to_string()))?
        .iter()
        .map(|m| m.name().version().to_string())
        .collect();
    let applied = conn
        .applied_migrations()
        .map_err(|e| Error::Migration(e.to_string()))?;
    let unknown: Vec<String> = applied
        .iter()
        .map(ToString::to_string)
        .filter(|v| !known.contains(v))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(Error::Migration(format!(
        "this database was migrated by a newer perch (migration {} is unknown to perch {}); \
         run that newer version, or restore the backup taken before the upgrade",
        unknown.join(", "),
        env!("CARGO_PKG_VERSION")
    )))
}

/// Runs `f` in a write transaction that takes the write lock up front (SQLite's `BEGIN
/// IMMEDIATE`; on PostgreSQL a transaction-scoped advisory lock), so that two writers queue
/// instead of deadlocking on lock upgrade or deciding on what the other is changing.
pub fn write<T>(conn: &mut Conn, f: impl FnOnce(&mut Conn) -> Result<T>) -> Result<T> {
    write_bookkeeping(conn, f).inspect(|_| changes::committed())
}

/// [`write`] for the delivery queue's own bookkeeping (claims, leases, attempts), which no
/// page or document shows: not counted as a change ([`changes`]), so that a worker looking at
/// the queue does not empty the page cache on PostgreSQL at every poll.
pub fn write_bookkeeping<T>(conn: &mut Conn, f: impl FnOnce(&mut Conn) -> Result<T>) -> Result<T> {
    use diesel::RunQueryDsl;
    let begin = match conn {
        AnyConnection::Sqlite(_) => "BEGIN IMMEDIATE",
        AnyConnection::Pg(_) => "BEGIN",
    };
    transaction(conn, begin, |conn| {
        if let AnyConnection::Pg(c) = conn {
            // The same one-writer-at-a-time as SQLite's, across every process on the
            // database: writers read what the last one committed before they decide.
            diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
                .bind::<diesel::sql_types::BigInt, _>(locks::WRITE_LOCK)
                .execute(c)?;
        }
        f(conn)
    })
}

/// Runs `f` in a transaction opened by the statement `begin` (on the connection inside, so
/// that it can say what diesel's own `BEGIN` does not), committed if `f` succeeds and rolled
/// back if it fails.
fn transaction<T>(
    conn: &mut Conn,
    begin: &str,
    f: impl FnOnce(&mut Conn) -> Result<T>,
) -> Result<T> {
    use diesel::connection::{AnsiTransactionManager, Connection, TransactionManager};
    match conn {
        AnyConnection::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, begin)?,
        AnyConnection::Pg(c) => AnsiTransactionManager::begin_transaction_sql(c, begin)?,
    }
    match f(conn) {
        Ok(v) => {
            <Conn as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(v)
        }
        Err(e) => {
            if let Err(rollback) =
                <Conn as Connection>::TransactionManager::rollback_transaction(conn)
            {
                tracing::error!(error = %rollback, "cannot roll back a transaction");
            }
            Err(e)
        }
    }
}

/// Now, in UTC, as stored: to the microsecond, the finest time PostgreSQL keeps, so that a
/// time written and read back is the same on either database.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::SubsecRound;
    chrono::Utc::now().naive_utc().trunc_subsecs(6)
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::RunQueryDsl;

    #[test]
    fn a_database_from_a_newer_perch_is_refused_as_it_is() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("perch.db");
        let db = Db::open(&path, 1).expect("open");
        diesel::sql_query(
            "INSERT INTO __diesel_schema_migrations (version) VALUES ('29991231000000')",
        )
        .execute(&mut *db.conn().expect("conn"))
        .expect("a migration from the future");
        drop(db);
        let Err(err) = Db::open(&path, 1) else {
            panic!("a downgrade opened the database");
        };
        let text = err.to_string();
        assert!(text.contains("newer perch"), "{text}");
        assert!(text.contains("29991231000000"), "{text}");
        // Nothing was touched: the newer binary still finds its migration.
        let db = Db::connect(&path, 1).expect("connect");
        let applied = db
            .conn()
            .expect("conn")
            .applied_migrations()
            .expect("applied");
        assert!(applied.iter().any(|v| v.to_string() == "29991231000000"));
    }
}
