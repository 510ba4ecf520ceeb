//! Storage: the SQLite pool, embedded migrations, row types and queries. No actix, no
//! ActivityPub here: callers hand in plain values and get rows back.

pub mod models;
pub mod paging;
pub mod queries;
pub mod schema;

use crate::error::{Error, Result};
use diesel::{
    connection::SimpleConnection,
    r2d2::{ConnectionManager, CustomizeConnection, Pool},
    SqliteConnection,
};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::{path::Path, time::Duration};

/// A connection to whichever database the configuration names.
#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Sqlite(SqliteConnection),
}

pub type Conn = AnyConnection;

/// The SQLite connection inside `conn`, for the statements diesel's `MultiConnection` cannot
/// build: upserts (`ON CONFLICT`) and `RETURNING` a selectable row. When PostgreSQL joins,
/// each caller of this gets a PostgreSQL arm.
pub fn sqlite(conn: &mut Conn) -> &mut SqliteConnection {
    match conn {
        AnyConnection::Sqlite(c) => c,
    }
}
/// The backend `Conn` speaks, for the few types that name one (boxed queries and filters):
/// one alias to change when PostgreSQL joins.
pub type Backend = <AnyConnection as diesel::Connection>::Backend;
const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// The connection pool. Cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: Pool<ConnectionManager<Conn>>,
}

#[derive(Debug)]
struct SqlitePragmas;

impl CustomizeConnection<Conn, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut Conn) -> Result<(), diesel::r2d2::Error> {
        // WAL lets readers run beside the one writer; the busy timeout makes writers queue
        // instead of failing while another one holds the lock.
        conn.batch_execute(
            "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; \
             PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
        )
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

impl Db {
    /// Opens (creating if needed) the SQLite file and applies pending migrations.
    pub fn open(path: &Path, pool_size: u32) -> Result<Db> {
        let db = Db::connect(path, pool_size)?;
        db.migrate()?;
        Ok(db)
    }

    /// Opens the SQLite file without migrating it (`perch migrate`).
    pub fn connect(path: &Path, pool_size: u32) -> Result<Db> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let manager = ConnectionManager::<Conn>::new(path.to_string_lossy());
        let pool = Pool::builder()
            .max_size(pool_size)
            .connection_timeout(Duration::from_secs(30))
            .connection_customizer(Box::new(SqlitePragmas))
            .build(manager)
            .map_err(|e| Error::internal(format!("cannot open {}: {e}", path.display())))?;
        Ok(Db { pool })
    }

    /// Applies the embedded migrations that have not run yet; returns how many ran. A
    /// database that a newer perch has migrated is refused as it is: this binary does not
    /// know its tables (a downgrade goes back through the backup taken before the upgrade).
    pub fn migrate(&self) -> Result<usize> {
        let mut conn = self.pool.get()?;
        refuse_newer(&mut conn)?;
        let done = conn
            .run_pending_migrations(MIGRATIONS)
            .map_err(|e| Error::Migration(e.to_string()))?;
        Ok(done.len())
    }

    /// Runs blocking database work off the async executor.
    pub async fn run<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Conn) -> Result<T> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
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

    /// The pool's open and idle connections.
    pub fn pool_state(&self) -> (u32, u32) {
        let s = self.pool.state();
        (s.connections, s.idle_connections)
    }

    /// A connection for synchronous callers (CLI commands, start-up).
    pub fn conn(&self) -> Result<diesel::r2d2::PooledConnection<ConnectionManager<Conn>>> {
        Ok(self.pool.get()?)
    }
}

/// Fails when the database has migrations this binary does not carry.
fn refuse_newer(conn: &mut Conn) -> Result<()> {
    use diesel::migration::MigrationSource;
    let known: Vec<String> = MigrationSource::<diesel::sqlite::Sqlite>::migrations(&MIGRATIONS)
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

/// Runs `f` in a write transaction that takes the write lock up front (`BEGIN IMMEDIATE`),
/// so that two writers queue on the busy timeout instead of deadlocking on lock upgrade.
pub fn write<T>(conn: &mut Conn, f: impl FnOnce(&mut Conn) -> Result<T>) -> Result<T> {
    use diesel::connection::{AnsiTransactionManager, Connection, TransactionManager};
    match conn {
        AnyConnection::Sqlite(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?
        }
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
                tracing::error!(error = %rollback, "cannot roll back a write transaction");
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
