//! Looking after the database: `perch backup` (a consistent copy) and `perch check` (its
//! integrity and the actor's key pair), through `services::maintenance`, on the database file
//! alone (no instance is opened).

use perch::{
    config::Settings,
    db::Db,
    error::{Error, Result},
    services,
};
use std::path::PathBuf;

pub fn backup(settings: &Settings, file: PathBuf) -> Result<()> {
    let db = Db::open(&settings.database_path(), 1)?;
    let bytes = services::maintenance::backup(&db, &file)?;
    println!("backed up to {} ({bytes} bytes)", file.display());
    Ok(())
}

/// Prints each check; fails (exit code 1) if any did.
pub fn check(settings: &Settings) -> Result<()> {
    let db = Db::open(&settings.database_path(), 1)?;
    let (report, ok) = services::maintenance::check(&db)?;
    for line in report {
        println!("{line}");
    }
    if ok {
        Ok(())
    } else {
        Err(Error::internal("some checks failed"))
    }
}
