//! Moderating from the command line: `perch comments` (list them, or approve, hide, unhide or
//! delete one), `perch block` and `perch unblock`, through `services::moderation`.

use clap::Subcommand;
use perch::{
    app::Instance,
    config::Settings,
    error::Result,
    services::{self, moderation::Action},
};

#[derive(Subcommand)]
pub enum CommentCommand {
    /// Show a comment held for approval
    Approve { id: i64 },
    /// Hide a comment from the site and from the thread other servers see
    Hide { id: i64 },
    /// Show a hidden comment again
    Unhide { id: i64 },
    /// Delete a comment (a placeholder stays where it had answers)
    Delete { id: i64 },
}

/// Lists the comments (only the held ones with `pending`), or acts on one.
pub async fn comments(
    settings: Settings,
    pending: bool,
    action: Option<CommentCommand>,
) -> Result<()> {
    let instance = Instance::open(settings).await?;
    let state = instance.state();
    let (id, act) = match action {
        None => {
            for (comment, author) in services::moderation::list(state, pending).await? {
                let excerpt: String = perch::domain::text::html_to_plain(&comment.content)
                    .chars()
                    .take(70)
                    .collect();
                println!(
                    "{}\t{}\t@{}\t{}\t{}",
                    comment.id,
                    comment.moderation.as_deref().unwrap_or("-"),
                    author.acct(),
                    comment.ap_id,
                    excerpt
                );
            }
            return Ok(());
        }
        Some(CommentCommand::Approve { id }) => (id, Action::Approve),
        Some(CommentCommand::Hide { id }) => (id, Action::Hide),
        Some(CommentCommand::Unhide { id }) => (id, Action::Unhide),
        Some(CommentCommand::Delete { id }) => (id, Action::Delete),
    };
    services::moderation::moderate(state, id, act).await?;
    println!("{act:?}: comment {id}");
    Ok(())
}

pub async fn block(settings: Settings, target: String) -> Result<()> {
    let instance = Instance::open(settings).await?;
    let blocked = services::moderation::block(&instance.data(), &target).await?;
    println!("blocked {blocked}");
    Ok(())
}

pub async fn unblock(settings: Settings, target: String) -> Result<()> {
    let instance = Instance::open(settings).await?;
    let done = services::moderation::unblock(instance.state(), target.clone()).await?;
    println!(
        "{}",
        if done {
            format!("unblocked {target}")
        } else {
            format!("{target} was not blocked")
        }
    );
    Ok(())
}
