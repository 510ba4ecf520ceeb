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

pub type Conn = SqliteConnection;
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

    /// Applies the embedded migrations that have not run yet; returns how many ran.
    pub fn migrate(&self) -> Result<usize> {
        let mut conn = self.pool.get()?;
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

    /// A connection for synchronous callers (CLI commands, start-up).
    pub fn conn(&self) -> Result<diesel::r2d2::PooledConnection<ConnectionManager<Conn>>> {
        Ok(self.pool.get()?)
    }
}

/// Runs `f` in a write transaction that takes the write lock up front (`BEGIN IMMEDIATE`),
/// so that two writers queue on the busy timeout instead of deadlocking on lock upgrade.
pub fn write<T>(conn: &mut Conn, f: impl FnOnce(&mut Conn) -> Result<T>) -> Result<T> {
    conn.immediate_transaction(f)
}

/// Now, in UTC, as stored.
pub fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}
