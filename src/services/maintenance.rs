//! Keeping the data safe: a consistent copy of the live database (`perch backup`), and a
//! check of the database and the actor's keys (`perch check`).

use crate::{
    apub::signatures::{self, RequestSigner, SignatureHeader},
    db::{
        queries::{actors, integrity},
        Db,
    },
    error::{Error, Result},
};
use std::path::Path;

/// Writes a consistent copy of the database to `target` while perch keeps running. SQLite's
/// `VACUUM INTO` reads one snapshot inside a transaction, as the backup API does, and writes a
/// compact file (`db::queries::integrity`).
pub fn backup(db: &Db, target: &Path) -> Result<u64> {
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

/// What `perch check` found: one line per check, and whether all passed.
pub fn check(db: &Db) -> Result<(Vec<String>, bool)> {
    let mut conn = db.conn()?;
    let mut report = Vec::new();
    let mut ok = true;
    let checked = integrity::integrity(&mut conn)?;
    if checked == ["ok"] {
        report.push("database integrity: ok".to_owned());
    } else {
        ok = false;
        report.push(format!("database integrity: {}", checked.join("; ")));
    }
    let dangling = integrity::dangling_rows(&mut conn)?;
    if dangling.is_empty() {
        report.push("foreign keys: ok".to_owned());
    } else {
        ok = false;
        report.push(format!(
            "foreign keys: {} dangling rows ({})",
            dangling.len(),
            dangling.join(", ")
        ));
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
