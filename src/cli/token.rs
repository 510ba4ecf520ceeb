//! `perch token create`: an access token for scripts, granted by `services::auth` as an app's
//! would be.

use clap::Subcommand;
use perch::{app::Instance, config::Settings, domain::scopes::Scopes, error::Result, services};

#[derive(Subcommand)]
pub enum TokenAction {
    /// Prints a new token for scripts (send it as `Authorization: Bearer TOKEN`)
    Create {
        /// Space-separated scopes (read, write, follow, push, or sub-scopes like write:statuses)
        #[arg(long, default_value = "read write follow push")]
        scopes: String,
    },
}

pub async fn run(settings: Settings, action: TokenAction) -> Result<()> {
    match action {
        TokenAction::Create { scopes } => {
            let scopes = Scopes::parse(&scopes)?;
            let instance = Instance::open(settings).await?;
            let (_, token) =
                services::auth::grants::token(instance.state(), None, scopes, true).await?;
            println!("{token}");
            Ok(())
        }
    }
}
