//! `perch import`: past posts from a Markdown folder, a feed file or a Mastodon archive,
//! through `services::import`; sent to followers only with `--announce`.

use super::deliver_queued;
use perch::{app::Instance, config::Settings, error::Result, services};
use std::path::PathBuf;

pub async fn import(settings: Settings, path: PathBuf, announce: bool) -> Result<()> {
    let instance = Instance::open(settings).await?;
    let summary = services::import::import(&instance.data(), &path, announce).await?;
    print!("{summary}");
    if summary.deliveries > 0 {
        deliver_queued(&instance).await;
        println!("what could not be delivered yet stays queued for `perch serve`");
    }
    Ok(())
}
