//! Keeping the data safe: a consistent copy of the live database (`perch backup`), and a
//! check of the database and the actor's keys (`perch check`).

use crate::{
    apub::signatures::{self, RequestSigner, SignatureHeader},
    db::{
        copy,
        queries::{actors, integrity},
        Conn, Db, Location,
    },
    error::{Error, Result},
};
use std::path::Path;

/// Writes a consistent copy of the database to `target` while perch keeps running. SQLite's
/// `VACUUM INTO` reads one snapshot inside a transaction, as the backup API does, and writes a
/// compact file (`db::queries::integrity`).
pub fn backup(db: &Db, target: &Path) -> Result<u64> {
    if db.is_postgres() {
        return Err(Error::BadRequest(
            "perch backup copies a SQLite database; back PostgreSQL up with pg_dump \
             (the README's self-hosting section), or copy it to a SQLite file with `perch db copy`"
                .into(),
        ));
    }
    if target.exists() {
        return Err(Error::BadRequest(format!(
            "{} exists already; give a new file",
            target.display()
        )));
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut conn = db.conn()?;
    integrity::vacuum_into(&mut conn, target)?;
    Ok(std::fs::metadata(target)?.len())
}

/// What `perch db copy` did: the rows per table, each counted again in the target.
pub struct Copied {
    pub tables: Vec<(&'static str, usize)>,
}

/// Copies everything in `from` into `to` (both migrated first; `to` must be empty), then
/// checks that every table of the target has as many rows as the source's.
pub fn copy_database(from: Location, to: Location) -> Result<Copied> {
    if from == to {
        return Err(Error::BadRequest(
            "--from and --to are the same database".into(),
        ));
    }
    let source = Db::open(from, 1)?;
    let target = Db::open(to, 1)?;
    let (mut src, mut dst) = (source.conn()?, target.conn()?);
    let tables = copy::copy(&mut src, &mut dst)?;
    let (before, after) = (copy::counts(&mut src)?, copy::counts(&mut dst)?);
    if let Some(((table, n), (_, m))) = before.iter().zip(&after).find(|(a, b)| a.1 != b.1) {
        return Err(Error::internal(format!(
            "{table}: {n} rows in the source but {m} in the copy (written to it meanwhile?)"
        )));
    }
    Ok(Copied { tables })
}

/// What `perch check` found: one line per check, and whether all passed.
pub fn check(db: &Db) -> Result<(Vec<String>, bool)> {
    let mut conn = db.conn()?;
    let mut report = Vec::new();
    let mut ok = true;
    if db.is_postgres() {
        // PostgreSQL keeps its pages checksummed and its foreign keys enforced on every write;
        // what is left to see here is that it answers.
        let version = integrity::postgres_version(&mut conn)?;
        report.push(format!("database: PostgreSQL {version} answers"));
    } else {
        sqlite_checks(&mut conn, &mut report, &mut ok)?;
    }
    match actors::find_local(&mut conn)? {
        None => {
            ok = false;
            report.push("local actor: missing (run `perch init`)".to_owned());
        }
        Some(actor) => {
            let verdict = key_pair_works(
                &actor.public_key_id,
                actor.private_key_pem.as_deref(),
                &actor.public_key_pem,
            );
            ok &= verdict.is_ok();
            report.push(match verdict {
                Ok(()) => format!("actor keys: ok ({})", actor.ap_id),
                Err(e) => format!("actor keys: {e}"),
            });
        }
    }
    Ok((report, ok))
}

/// SQLite's `integrity_check` and `foreign_key_check`, each as a line of the report.
fn sqlite_checks(conn: &mut Conn, report: &mut Vec<String>, ok: &mut bool) -> Result<()> {
    let checked = integrity::integrity(conn)?;
    if checked == ["ok"] {
        report.push("database integrity: ok".to_owned());
    } else {
        *ok = false;
        report.push(format!("database integrity: {}", checked.join("; ")));
    }
    let dangling = integrity::dangling_rows(conn)?;
    if dangling.is_empty() {
        report.push("foreign keys: ok".to_owned());
    } else {
        *ok = false;
        report.push(format!(
            "foreign keys: {} dangling rows ({})",
            dangling.len(),
            dangling.join(", ")
        ));
    }
    Ok(())
}

/// Signs a request with the private key and verifies it with the public one.
fn key_pair_works(
    key_id: &str,
    private: Option<&str>,
    public: &str,
) -> std::result::Result<(), String> {
    let private = private.ok_or("no private key")?;
    let signer = RequestSigner::from_pem(key_id, private).map_err(|e| e.to_string())?;
    let url = url::Url::parse("https://check.invalid/inbox").map_err(|e| e.to_string())?;
    let headers = signer.sign_post(&url, b"{}", "application/activity+json", chrono::Utc::now());
    let value = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    };
    let sig = SignatureHeader::parse(&value("signature").unwrap_or_default())
        .map_err(|e| e.to_string())?;
    signatures::verify(
        &sig,
        &signatures::REQUIRED_FOR_POST,
        "POST",
        "/inbox",
        value,
        public,
    )
    .map_err(|e| format!("the public key does not match the private key: {e}"))
}
