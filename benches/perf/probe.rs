//! What the harness reads off the perch process and its database: resident memory (from
//! /proc, all of it and its anonymous part, now and at its peak over a stretch) and the bytes the database holds in use.

use diesel::{sql_types::BigInt, Connection, QueryableByName, RunQueryDsl};
use std::{
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc,
    },
    time::Duration,
};

/// Resident memory of process `pid` in MiB (VmRSS).
pub fn rss_mib(pid: u32) -> f64 {
    status_mib(pid, "VmRSS:")
}

/// The anonymous part of it (RssAnon): the heap and stacks, not the mapped text of the
/// binary and its libraries (clean pages of files, which the kernel may drop and read again).
pub fn anon_mib(pid: u32) -> f64 {
    status_mib(pid, "RssAnon:")
}

fn status_mib(pid: u32, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

/// The highest resident memory of `pid` seen while it runs, sampled every 20 ms.
pub struct Peak {
    kib: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl Peak {
    pub fn watch(pid: u32) -> Peak {
        let kib = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (k, s) = (kib.clone(), stop.clone());
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                k.fetch_max((rss_mib(pid) * 1024.0) as u64, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        Peak { kib, stop }
    }

    /// The peak so far, in MiB; sampling stops.
    pub fn finish(self) -> f64 {
        self.stop.store(true, Ordering::Relaxed);
        self.kib.load(Ordering::Relaxed) as f64 / 1024.0
    }
}

#[derive(QueryableByName)]
struct Bytes {
    #[diesel(sql_type = BigInt)]
    bytes: i64,
}

/// Bytes the database of `location` holds in use: SQLite's pages less its free list (WAL
/// included, as a reader sees it), or PostgreSQL's size of the database.
pub fn database_bytes(location: &perch::db::Location) -> i64 {
    let query = |sql: &str| diesel::sql_query(sql.to_owned());
    let bytes: Bytes = match location {
        perch::db::Location::Sqlite(path) => {
            let mut c = diesel::SqliteConnection::establish(&path.to_string_lossy())
                .expect("open the SQLite file");
            query(
                "SELECT (page_count - freelist_count) * page_size AS bytes \
                 FROM pragma_page_count, pragma_freelist_count, pragma_page_size",
            )
            .get_result(&mut c)
            .expect("page counts")
        }
        perch::db::Location::Postgres(url) => {
            let mut c = diesel::PgConnection::establish(url).expect("open PostgreSQL");
            query("SELECT pg_database_size(current_database()) AS bytes")
                .get_result(&mut c)
                .expect("database size")
        }
    };
    bytes.bytes
}
