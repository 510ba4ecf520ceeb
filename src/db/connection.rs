//! Which database a connection talks to: the configured location (a SQLite file or a
//! PostgreSQL URL), the pool's connection manager that opens it, and the one seam where a
//! statement diesel cannot write for both databases at once runs on the real connection.

use diesel::{
    connection::SimpleConnection,
    r2d2::{ManageConnection, R2D2Connection},
    Connection, ConnectionError, PgConnection, SqliteConnection,
};
use std::{
    path::{Path, PathBuf},
    sync::atomic::{AtomicUsize, Ordering},
};

/// A connection to whichever database the configuration names.
#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

/// Where the data lives, read from `[database] url`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file (created with its directory if missing).
    Sqlite(PathBuf),
    /// A PostgreSQL server and database: `postgres://` or `postgresql://` URL.
    Postgres(String),
}

impl Location {
    /// `url` as the configuration gives it: a `postgres://` URL, or a SQLite path (with or
    /// without `sqlite://`); empty means `<default_file>`.
    pub fn parse(url: &str, default_file: &Path) -> Location {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Location::Postgres(url.to_owned())
        } else if url.is_empty() {
            Location::Sqlite(default_file.to_owned())
        } else {
            Location::Sqlite(PathBuf::from(url.strip_prefix("sqlite://").unwrap_or(url)))
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Location::Postgres(_))
    }

    /// The location as logs and messages show it: a URL without its password.
    pub fn shown(&self) -> String {
        match self {
            Location::Sqlite(path) => path.display().to_string(),
            Location::Postgres(url) => match url::Url::parse(url) {
                Ok(mut u) if u.password().is_some() => {
                    let _ = u.set_password(Some("***"));
                    u.to_string()
                }
                Ok(u) => u.to_string(),
                Err(_) => "postgres://(unparsable URL)".into(),
            },
        }
    }

    /// Opens one connection, with the server's own words when it cannot: "connection
    /// refused", "password authentication failed for user …". A PostgreSQL URL without a
    /// `connect_timeout` gets one of 5 s, so that a server that does not answer fails too.
    pub fn establish(&self) -> Result<AnyConnection, ConnectionError> {
        match self {
            Location::Sqlite(path) => {
                let mut c = SqliteConnection::establish(&path.to_string_lossy())?;
                // The busy timeout first, so that what follows waits for a lock another
                // connection holds (a closing one's checkpoint) instead of failing; WAL lets
                // readers run beside the one writer, and writers queue on that timeout.
                c.batch_execute(
                    "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                )
                .map_err(|e| ConnectionError::BadConnection(e.to_string()))?;
                Ok(AnyConnection::Sqlite(c))
            }
            Location::Postgres(url) => {
                let mut c = PgConnection::establish(&with_defaults(url))?;
                // Times are stored without a zone, as UTC; nothing here reads the session's.
                c.batch_execute("SET TIME ZONE 'UTC'")
                    .map_err(|e| ConnectionError::BadConnection(e.to_string()))?;
                Ok(AnyConnection::Pg(c))
            }
        }
    }
}

impl From<&Path> for Location {
    fn from(path: &Path) -> Location {
        Location::Sqlite(path.to_owned())
    }
}

impl From<&PathBuf> for Location {
    fn from(path: &PathBuf) -> Location {
        Location::Sqlite(path.clone())
    }
}

impl From<&Location> for Location {
    fn from(at: &Location) -> Location {
        at.clone()
    }
}

/// `url` with `connect_timeout=5` and `application_name=perch` unless it names its own.
fn with_defaults(url: &str) -> String {
    let mut out = url.to_owned();
    for (key, value) in [("connect_timeout", "5"), ("application_name", "perch")] {
        if !url.contains(&format!("{key}=")) {
            out.push(if out.contains('?') { '&' } else { '?' });
            out.push_str(&format!("{key}={value}"));
        }
    }
    out
}

/// Connections being opened on the pool's own threads right now.
static CONNECTING: AtomicUsize = AtomicUsize::new(0);

/// Waits (at most `limit`) until no pool thread is opening a connection. r2d2 opens
/// connections on threads of its own and may still be opening one that nobody waits for any
/// more; a process that exits meanwhile runs OpenSSL's clean-up under libpq's SCRAM handshake
/// and crashes (SIGSEGV). `main` calls this before it returns.
pub fn settle(limit: std::time::Duration) {
    let until = std::time::Instant::now() + limit;
    while CONNECTING.load(Ordering::SeqCst) > 0 && std::time::Instant::now() < until {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// The pool's manager: opens connections to one [`Location`], chosen by its scheme (diesel's
/// derived `establish` tries each database in turn and keeps none of their errors).
#[derive(Debug)]
pub struct Manager(pub Location);

impl ManageConnection for Manager {
    type Connection = AnyConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<AnyConnection, Self::Error> {
        CONNECTING.fetch_add(1, Ordering::SeqCst);
        let conn = self.0.establish();
        CONNECTING.fetch_sub(1, Ordering::SeqCst);
        conn.map_err(diesel::r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), Self::Error> {
        conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut AnyConnection) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

/// Runs a statement that diesel builds for each database but not for [`AnyConnection`]
/// (upserts with `ON CONFLICT`, `RETURNING` a selectable row) on the connection inside,
/// written once: `native!(conn, |c| insert_into(t).values(v).on_conflict_do_nothing().execute(c))`.
/// The statement is built in each arm, for that arm's database.
macro_rules! native {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::AnyConnection::Sqlite($c) => $body,
            $crate::db::AnyConnection::Pg($c) => $body,
        }
    };
}
pub(crate) use native;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_picks_the_database() {
        let default = Path::new("data/perch.db");
        assert_eq!(
            Location::parse("", default),
            Location::Sqlite(default.into())
        );
        assert_eq!(
            Location::parse("sqlite:///var/lib/perch/p.db", default),
            Location::Sqlite("/var/lib/perch/p.db".into())
        );
        assert!(Location::parse("postgres://perch@localhost/perch", default).is_postgres());
        assert!(Location::parse("postgresql://localhost/perch", default).is_postgres());
    }

    #[test]
    fn a_shown_url_hides_its_password() {
        let at = Location::Postgres("postgres://perch:s3cret@db.example/perch".into());
        assert!(!at.shown().contains("s3cret"), "{}", at.shown());
        assert!(at.shown().contains("db.example/perch"));
    }

    #[test]
    fn a_url_gets_a_connect_timeout_unless_it_has_one() {
        assert_eq!(
            with_defaults("postgres://h/db"),
            "postgres://h/db?connect_timeout=5&application_name=perch"
        );
        assert_eq!(
            with_defaults("postgres://h/db?connect_timeout=2"),
            "postgres://h/db?connect_timeout=2&application_name=perch"
        );
    }
}
