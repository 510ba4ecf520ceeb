//! Setting perch up: `perch init` (the database, the actor and its key pair), `perch migrate`,
//! and `perch passwd` (the author's login password, through `services::setup`).

use perch::{app::Instance, config::Settings, db::Db, error::Result, services};
use std::io::Read;

pub async fn init(settings: Settings) -> Result<()> {
    let at = settings.database().shown();
    let instance = Instance::open(settings).await?;
    println!("ready: {} in {at}", instance.state().urls.actor());
    Ok(())
}

pub async fn passwd(settings: Settings) -> Result<()> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let password = input.trim_end_matches(['\r', '\n']);
    let instance = Instance::open(settings).await?;
    services::setup::set_password(&instance.state().db, password)?;
    println!("password set");
    Ok(())
}

pub fn migrate(settings: &Settings) -> Result<()> {
    let db = Db::connect(settings.database(), 1)?;
    println!(
        "database at {} is up to date ({} applied now)",
        settings.database().shown(),
        db.migrate()?
    );
    Ok(())
}
