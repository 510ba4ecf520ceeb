//! The `perch` command line: serve, set up, publish, import, follow and look at the queue.

use clap::{Parser, Subcommand};
use perch::{
    app::{self, Instance},
    config::Settings,
    db::{models, queries},
    delivery::worker,
    domain::Visibility,
    error::{Error, Result},
    services::{self, compose::Source, moderation::Action, publish::NewPost},
};
use std::{io::Read, path::PathBuf, process::ExitCode, time::Duration};

#[derive(Parser)]
#[command(
    name = "perch",
    version,
    about = "A single-user ActivityPub server: your blog and microblog on the fediverse"
)]
struct Cli {
    /// A TOML file overriding config/default.toml (environment: PERCH__SECTION__KEY overrides both)
    #[arg(long, global = true, env = "PERCH_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum TokenAction {
    /// Prints a new token for scripts (send it as `Authorization: Bearer TOKEN`)
    Create {
        /// Space-separated scopes (read, write, follow, push, or sub-scopes like write:statuses)
        #[arg(long, default_value = "read write follow push")]
        scopes: String,
    },
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
        action: TokenAction,
    },
    /// Apply pending database migrations (start-up does this too)
    Migrate,
    /// Publish a note or an article to your followers
    Post {
        #[command(subcommand)]
        what: PostCommand,
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
        action: Option<FollowersCommand>,
    },
    /// Show the delivery queue per inbox (pending, retrying, delivered, dead, or held while
    /// its server is unreachable), the servers that are failing or unreachable, and the
    /// signature format each server is sent (with the evidence for it)
    Deliveries,
    /// Write a consistent copy of the database to FILE (safe while perch serve runs)
    Backup { file: PathBuf },
    /// Check the database's integrity and the actor's key pair
    Check,
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
        action: Option<CommentCommand>,
    },
    /// Block an account (@user@host) or a whole domain: their activities are refused and
    /// their comments hidden
    Block { target: String },
    /// Lift a block on an account (its actor URL) or a domain
    Unblock { target: String },
}

#[derive(Subcommand)]
enum PostCommand {
    /// A short post: links, #hashtags and @user@host mentions are linked (and mentioned
    /// accounts are sent the post)
    Note {
        text: String,
        /// public, unlisted, private (followers only) or direct (mentioned accounts only)
        #[arg(long, default_value = "public")]
        visibility: String,
        /// The text is Markdown
        #[arg(long)]
        markdown: bool,
        /// A content warning shown before the text
        #[arg(long)]
        cw: Option<String>,
        /// Answer this post or comment (its URL, or the id or slug of one of your posts)
        #[arg(long)]
        reply_to: Option<String>,
        /// Attach an image (JPEG, PNG, GIF or WebP; location and camera data are removed);
        /// repeat for several
        #[arg(long)]
        image: Vec<PathBuf>,
        /// Alt text for each --image, in the same order
        #[arg(long)]
        alt: Vec<String>,
    },
    /// A long-form article from a Markdown file whose first line is `# Title`
    Article {
        file: PathBuf,
        #[arg(long, default_value = "public")]
        visibility: String,
    },
}

#[derive(Subcommand)]
enum CommentCommand {
    /// Show a comment held for approval
    Approve { id: i64 },
    /// Hide a comment from the site and from the thread other servers see
    Hide { id: i64 },
    /// Show a hidden comment again
    Unhide { id: i64 },
    /// Delete a comment (a placeholder stays where it had answers)
    Delete { id: i64 },
}

#[derive(Subcommand)]
enum FollowersCommand {
    /// Accept a pending follow request
    Approve { handle: String },
    /// Refuse a pending follow request
    Reject { handle: String },
}

fn main() -> ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,actix_server=warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("perch: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("perch: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<()> {
    let settings = Settings::load(cli.config.as_deref(), std::env::vars())?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => app::run(settings).await,
        Command::Init => {
            let path = settings.database_path();
            let instance = Instance::open(settings).await?;
            println!(
                "ready: {} in {}",
                instance.state().urls.actor(),
                path.display()
            );
            Ok(())
        }
        Command::Passwd => {
            let mut input = String::new();
            std::io::stdin().read_to_string(&mut input)?;
            let password = input.trim_end_matches(['\r', '\n']);
            let instance = Instance::open(settings).await?;
            services::setup::set_password(&instance.state().db, password)?;
            println!("password set");
            Ok(())
        }
        Command::Token {
            action: TokenAction::Create { scopes },
        } => {
            let scopes = perch::domain::scopes::Scopes::parse(&scopes)?;
            let instance = Instance::open(settings).await?;
            let (_, token) =
                perch::services::auth::grants::token(instance.state(), None, scopes, true).await?;
            println!("{token}");
            Ok(())
        }
        Command::Migrate => {
            let db = perch::db::Db::connect(&settings.database_path(), 1)?;
            println!(
                "database at {} is up to date ({} applied now)",
                settings.database_path().display(),
                db.migrate()?
            );
            Ok(())
        }
        Command::Post { what } => {
            let instance = Instance::open(settings).await?;
            let state = instance.state();
            let new = match what {
                PostCommand::Note {
                    text,
                    visibility,
                    markdown,
                    cw,
                    reply_to,
                    image,
                    alt,
                } => {
                    if alt.len() > image.len() {
                        return Err(Error::BadRequest(
                            "more --alt texts than --image files".into(),
                        ));
                    }
                    let mut new = NewPost::note(&text, visibility_arg(&visibility)?);
                    new.source = Source::Note { text, markdown };
                    new.content_warning = cw;
                    new.in_reply_to = reply_to;
                    for (n, path) in image.iter().enumerate() {
                        let bytes = std::fs::read(path)?;
                        let upload = services::media::upload(state, bytes, alt.get(n).cloned())
                            .await
                            .map_err(|e| Error::BadRequest(format!("{}: {e}", path.display())))?;
                        new.media_ids.push(upload.id);
                    }
                    new
                }
                PostCommand::Article { file, visibility } => {
                    let markdown = std::fs::read_to_string(&file)?;
                    NewPost::article(&markdown, visibility_arg(&visibility)?)
                }
            };
            let published = services::publish::publish(&instance.data(), new).await?;
            worker::deliver_now(state, published.activity.id, Duration::from_secs(30)).await;
            let rows = state
                .db
                .run(move |c| queries::deliveries::for_activity(c, published.activity.id))
                .await?;
            let done = rows.iter().filter(|r| r.state == models::DELIVERED).count();
            println!("published {}", published.post.ap_id);
            println!(
                "delivered to {done} of {} inboxes; the rest stay queued for `perch serve`",
                rows.len()
            );
            Ok(())
        }
        Command::Edit {
            post,
            text,
            file,
            markdown,
        } => {
            let instance = Instance::open(settings).await?;
            let text = match (text, file) {
                (Some(t), _) => t,
                (None, Some(f)) => std::fs::read_to_string(f)?,
                (None, None) => {
                    return Err(Error::BadRequest(
                        "give the new text, or --file FILE".into(),
                    ))
                }
            };
            let edited = services::edit::edit(&instance.data(), &post, &text, markdown).await?;
            deliver_queued(&instance).await;
            println!("edited {}", edited.ap_id);
            Ok(())
        }
        Command::Delete { post } => {
            let instance = Instance::open(settings).await?;
            let deleted = services::edit::delete(&instance.data(), &post).await?;
            deliver_queued(&instance).await;
            println!("deleted {}", deleted.ap_id);
            Ok(())
        }
        Command::Follow { handle } => {
            let instance = Instance::open(settings).await?;
            let (actor, state) = services::follow::follow(&instance.data(), &handle).await?;
            deliver_queued(&instance).await;
            println!("{:?}: {}", state, actor.ap_id);
            Ok(())
        }
        Command::Unfollow { handle } => {
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
        Command::Followers { action } => {
            let instance = Instance::open(settings).await?;
            let state = instance.state();
            match action {
                None => {
                    for (label, wanted) in
                        [("follower", models::ACCEPTED), ("pending", models::PENDING)]
                    {
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
        Command::Import { path, announce } => {
            let instance = Instance::open(settings).await?;
            let summary = services::import::import(&instance.data(), &path, announce).await?;
            print!("{summary}");
            if summary.deliveries > 0 {
                deliver_queued(&instance).await;
                println!("what could not be delivered yet stays queued for `perch serve`");
            }
            Ok(())
        }
        Command::Comments { pending, action } => {
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
        Command::Block { target } => {
            let instance = Instance::open(settings).await?;
            let blocked = services::moderation::block(&instance.data(), &target).await?;
            println!("blocked {blocked}");
            Ok(())
        }
        Command::Unblock { target } => {
            let instance = Instance::open(settings).await?;
            let done =
                perch::services::moderation::unblock(instance.state(), target.clone()).await?;
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
        Command::Backup { file } => {
            let db = perch::db::Db::open(&settings.database_path(), 1)?;
            let bytes = services::maintenance::backup(&db, &file)?;
            println!("backed up to {} ({bytes} bytes)", file.display());
            Ok(())
        }
        Command::Check => {
            let db = perch::db::Db::open(&settings.database_path(), 1)?;
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
        Command::Deliveries => {
            let instance = Instance::open(settings).await?;
            let rows = instance
                .state()
                .db
                .run(queries::deliveries::summary)
                .await?;
            println!(
                "{:<11} {:>6} {:>9}  {:<50} last error",
                "state", "rows", "attempts", "inbox"
            );
            for (inbox, state, n, attempts, error) in rows {
                println!(
                    "{state:<11} {n:>6} {attempts:>9}  {inbox:<50} {}",
                    error.unwrap_or_default()
                );
            }
            let servers = instance.state().db.run(queries::hosts::all).await?;
            for h in servers {
                let at = |t: Option<chrono::NaiveDateTime>| {
                    t.map_or("-".to_owned(), |t| {
                        t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
                    })
                };
                match h.unreachable_since {
                    Some(since) => println!(
                        "server {} unreachable since {}, failing since {}, next probe {}: {}",
                        h.host,
                        at(Some(since)),
                        at(h.failing_since),
                        at(h.next_probe_at),
                        h.last_error.unwrap_or_default()
                    ),
                    None => println!(
                        "server {} failing since {}: {}",
                        h.host,
                        at(h.failing_since),
                        h.last_error.unwrap_or_default()
                    ),
                }
            }
            let formats = instance
                .state()
                .db
                .run(queries::signature_formats::all)
                .await?;
            for k in formats {
                println!(
                    "signatures to {}: {} ({} {})",
                    k.host,
                    k.format,
                    k.evidence,
                    k.checked_at.format("%Y-%m-%d %H:%M:%S UTC")
                );
            }
            println!("signatures to every other server: cavage");
            Ok(())
        }
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

fn visibility_arg(s: &str) -> Result<Visibility> {
    Visibility::parse(s).ok_or_else(|| {
        Error::BadRequest(format!(
            "visibility `{s}` is not public, unlisted, private or direct"
        ))
    })
}
