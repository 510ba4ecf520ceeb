//! Looking after the database: `perch backup` (a consistent copy), `perch check` (its
//! integrity and the actor's key pair) and `perch db copy` (everything, from one database to
//! another), through `services::maintenance`, on the database alone (no instance is opened).

use perch::{
    config::Settings,
    db::{Db, Location},
    error::{Error, Result},
    services,
};
use std::path::PathBuf;

pub fn backup(settings: &Settings, file: PathBuf) -> Result<()> {
    let db = Db::open(settings.database(), 1)?;
    let bytes = services::maintenance::backup(&db, &file)?;
    println!("backed up to {} ({bytes} bytes)", file.display());
    Ok(())
}

/// Prints each check; fails (exit code 1) if any did.
pub fn check(settings: &Settings) -> Result<()> {
    let db = Db::open(settings.database(), 1)?;
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

#[derive(clap::Subcommand)]
pub enum DbCommand {
    /// Copy everything (actor and keys, posts and their versions, comments, followers and
    /// follows, notifications, tokens, the delivery queue, media references) from one
    /// database to another, in one transaction; the target must be empty. Each of --from and
    /// --to is a SQLite file or a postgres:// URL. Stop perch serve first, then point
    /// `[database] url` at the target.
    Copy {
        /// The database to copy: a SQLite file, or postgres://user:password@host/database
        #[arg(long)]
        from: String,
        /// The database to copy into (a new SQLite file is made)
        #[arg(long)]
        to: String,
    },
}

pub fn db(action: DbCommand) -> Result<()> {
    match action {
        DbCommand::Copy { from, to } => {
            let (from, to) = (location(&from)?, location(&to)?);
            let shown = (from.shown(), to.shown());
            let copied = services::maintenance::copy_database(from, to)?;
            for (table, rows) in &copied.tables {
                println!("{table:<20} {rows:>8} rows");
            }
            let total: usize = copied.tables.iter().map(|(_, n)| n).sum();
            println!(
                "copied {total} rows from {} to {}; every table's count checked",
                shown.0, shown.1
            );
            Ok(())
        }
    }
}

fn location(given: &str) -> Result<Location> {
    if given.trim().is_empty() {
        return Err(Error::BadRequest(
            "a database is a SQLite file or a postgres:// URL".into(),
        ));
    }
    Ok(Location::parse(given, std::path::Path::new("")))
}
