//! Locks that keep several perch processes on one database out of each other's way. Writes
//! queue on one lock ([`super::write`]); a scheduled job runs in one process at a time
//! ([`Db::try_job_lock`]). SQLite has the file's own lock for the first, and needs nothing for
//! the second (its jobs are idempotent writes, and one process per file is the rule there).

use super::{AnyConnection, Db};
use crate::error::{Error, Result};
use diesel::{sql_types::BigInt, QueryableByName, RunQueryDsl};

/// The PostgreSQL advisory lock that write transactions take.
pub(super) const WRITE_LOCK: i64 = 0x7065_7263_6800;

/// Scheduled jobs, each with its advisory lock.
#[derive(Clone, Copy, Debug)]
pub enum Job {
    /// The hourly sweep (`services::housekeeping`).
    Sweep,
}

impl Job {
    fn key(self) -> i64 {
        match self {
            Job::Sweep => 0x7065_7263_6801,
        }
    }
}

/// Held while a job runs. On PostgreSQL it is a session-level advisory lock on a connection
/// of its own, outside the pool: dropping the guard closes that connection, and so does a
/// process that dies, which frees the job for the others.
pub struct JobLock {
    _holder: Option<AnyConnection>,
}

#[derive(QueryableByName)]
struct Taken {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    taken: bool,
}

impl Db {
    /// The lock of `job`, or `None` while another process holds it. Blocking.
    pub fn try_job_lock(&self, job: Job) -> Result<Option<JobLock>> {
        if !self.is_postgres() {
            return Ok(Some(JobLock { _holder: None }));
        }
        let mut conn = self
            .location()
            .establish()
            .map_err(|e| Error::Connect(e.to_string()))?;
        let AnyConnection::Pg(pg) = &mut conn else {
            return Err(Error::internal(
                "a PostgreSQL location opened something else",
            ));
        };
        let got: Taken = diesel::sql_query("SELECT pg_try_advisory_lock($1) AS taken")
            .bind::<BigInt, _>(job.key())
            .get_result(pg)?;
        Ok(got.taken.then_some(JobLock {
            _holder: Some(conn),
        }))
    }
}
