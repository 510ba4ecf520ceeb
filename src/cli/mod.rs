//! The `perch` command line: the commands clap reads, and which file runs each. Every command
//! works through `app`, the services and `db::queries`; none writes to the database itself.

mod deliveries;
mod follow;
mod import;
mod maintenance;
mod moderation;
mod publish;
mod setup;
mod token;

use clap::{Parser, Subcommand};
use perch::{
    app::{self, Instance},
    config::{LogFormat, Settings},
    delivery::worker,
    error::Result,
};
use std::{path::PathBuf, time::Duration};

#[derive(Parser)]
#[command(
    name = "perch",
    version,
    about = "A single-user ActivityPub server: your blog and microblog on the fediverse"
)]
pub struct Cli {
    /// A TOML file overriding config/default.toml (environment: PERCH__SECTION__KEY overrides both)
    #[arg(long, global = true, env = "PERCH_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default with no command)
    Serve,
    /// Create the database, the local actor and its RSA-2048 key pair (safe to run again)
    Init,
    /// Set the author's login password, read from standard input
    Passwd,
    /// Access tokens for the client API
    Token {
        #[command(subcommand)]
        action: token::TokenAction,
    },
    /// Apply pending database migrations (start-up does this too)
    Migrate,
    /// Publish a note or an article to your followers
    Post {
        #[command(subcommand)]
        what: publish::PostCommand,
    },
    /// Replace a post's text (a note's text, or an article's Markdown file) and send the edit
    Edit {
        /// The post: its id, its URL or its slug
        post: String,
        /// The new text of a note
        text: Option<String>,
        /// The new Markdown of an article (or of a Markdown note)
        #[arg(long, conflicts_with = "text")]
        file: Option<PathBuf>,
        /// The note's text is Markdown
        #[arg(long)]
        markdown: bool,
    },
    /// Delete a post: followers are told, and its URL answers 410 Gone
    Delete {
        /// The post: its id, its URL or its slug
        post: String,
    },
    /// Follow a remote account, e.g. `perch follow @alice@example.social`
    Follow { handle: String },
    /// Stop following a remote account
    Unfollow { handle: String },
    /// List followers and pending requests, or answer a request
    Followers {
        #[command(subcommand)]
        action: Option<follow::FollowersCommand>,
    },
    /// Show the delivery queue per inbox (pending, retrying, delivered, dead, or held while
    /// its server is unreachable), the servers that are failing or unreachable, and the
    /// signature format each server is sent (with the evidence for it)
    Deliveries,
    /// Write a consistent copy of the database to FILE (safe while perch serve runs)
    Backup { file: PathBuf },
    /// Check the database's integrity and the actor's key pair
    Check,
    /// Database tools: `perch db copy --from URL --to URL`
    Db {
        #[command(subcommand)]
        action: maintenance::DbCommand,
    },
    /// Import past posts, keeping their dates: a folder of Markdown files with front matter,
    /// an Atom or RSS feed file, or a Mastodon account archive (its folder or its .zip).
    /// Nothing is sent to followers unless --announce; importing again skips what is there.
    Import {
        path: PathBuf,
        /// Deliver every imported post to followers as if it were new
        #[arg(long)]
        announce: bool,
    },
    /// List comments (replies from the fediverse), or approve, hide, unhide or delete one
    Comments {
        /// Only the comments waiting for approval
        #[arg(long)]
        pending: bool,
        #[command(subcommand)]
        action: Option<moderation::CommentCommand>,
    },
    /// Block an account (@user@host) or a whole domain: their activities are refused and
    /// their comments hidden
    Block { target: String },
    /// Lift a block on an account (its actor URL) or a domain
    Unblock { target: String },
}

/// Runs the command (`serve` when none is given) with the settings it names.
pub async fn run(cli: Cli) -> Result<()> {
    let settings = Settings::load(cli.config.as_deref(), std::env::vars())?;
    logging(settings.log.format);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => app::run(settings).await,
        Command::Init => setup::init(settings).await,
        Command::Passwd => setup::passwd(settings).await,
        Command::Token { action } => token::run(settings, action).await,
        Command::Migrate => setup::migrate(&settings),
        Command::Post { what } => publish::post(settings, what).await,
        Command::Edit {
            post,
            text,
            file,
            markdown,
        } => publish::edit(settings, post, text, file, markdown).await,
        Command::Delete { post } => publish::delete(settings, post).await,
        Command::Follow { handle } => follow::follow(settings, handle).await,
        Command::Unfollow { handle } => follow::unfollow(settings, handle).await,
        Command::Followers { action } => follow::followers(settings, action).await,
        Command::Import { path, announce } => import::import(settings, path, announce).await,
        Command::Comments { pending, action } => {
            moderation::comments(settings, pending, action).await
        }
        Command::Block { target } => moderation::block(settings, target).await,
        Command::Unblock { target } => moderation::unblock(settings, target).await,
        Command::Backup { file } => maintenance::backup(&settings, file),
        Command::Check => maintenance::check(&settings),
        Command::Db { action } => maintenance::db(action),
        Command::Deliveries => deliveries::show(settings).await,
    }
}

/// Log lines on stderr, as `log.format` says; which ones, as `RUST_LOG` says.
fn logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,actix_server=warn"));
    let lines = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => lines.json().init(),
        LogFormat::Text => lines
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init(),
    }
}

/// Sends what a CLI command just queued (the newest activity), without waiting on a server.
async fn deliver_queued(instance: &Instance) {
    let state = instance.state();
    let newest = state
        .db
        .run(perch::db::queries::activities::newest_local)
        .await;
    if let Ok(Some(activity)) = newest {
        worker::deliver_now(state, activity, Duration::from_secs(30)).await;
    }
}
