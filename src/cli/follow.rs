//! Following from the command line: `perch follow`, `perch unfollow`, and `perch followers`
//! (list them and the pending requests, or approve or reject one), through the follow services.

use super::deliver_queued;
use clap::Subcommand;
use perch::{app::Instance, config::Settings, db::models, error::Result, services};

#[derive(Subcommand)]
pub enum FollowersCommand {
    /// Accept a pending follow request
    Approve { handle: String },
    /// Refuse a pending follow request
    Reject { handle: String },
}

pub async fn follow(settings: Settings, handle: String) -> Result<()> {
    let instance = Instance::open(settings).await?;
    let (actor, state) = services::follow::follow(&instance.data(), &handle).await?;
    deliver_queued(&instance).await;
    println!("{:?}: {}", state, actor.ap_id);
    Ok(())
}

pub async fn unfollow(settings: Settings, handle: String) -> Result<()> {
    let instance = Instance::open(settings).await?;
    let done = services::follow::unfollow(&instance.data(), &handle).await?;
    deliver_queued(&instance).await;
    println!(
        "{}",
        if done {
            "unfollowed"
        } else {
            "you did not follow them"
        }
    );
    Ok(())
}

pub async fn followers(settings: Settings, action: Option<FollowersCommand>) -> Result<()> {
    let instance = Instance::open(settings).await?;
    let state = instance.state();
    match action {
        None => {
            for (label, wanted) in [("follower", models::ACCEPTED), ("pending", models::PENDING)] {
                for (_, actor) in services::followers::list(state, wanted).await? {
                    println!("{label}\t@{}\t{}", actor.acct(), actor.ap_id);
                }
            }
        }
        Some(FollowersCommand::Approve { handle }) => {
            services::followers::answer(state, &handle, true).await?;
            deliver_queued(&instance).await;
            println!("approved {handle}");
        }
        Some(FollowersCommand::Reject { handle }) => {
            services::followers::answer(state, &handle, false).await?;
            deliver_queued(&instance).await;
            println!("rejected {handle}");
        }
    }
    Ok(())
}
