//! Publishing from the command line: `perch post note|article`, `perch edit` and
//! `perch delete`, through the publish and edit services; what they queue is sent at once.

use super::deliver_queued;
use clap::Subcommand;
use perch::{
    app::Instance,
    config::Settings,
    db::{models, queries},
    delivery::worker,
    domain::Visibility,
    error::{Error, Result},
    services::{self, compose::Source, publish::NewPost},
};
use std::{path::PathBuf, time::Duration};

#[derive(Subcommand)]
pub enum PostCommand {
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

/// Publishes a note or an article, delivers it (waiting up to 30 seconds) and says to how
/// many inboxes it went.
pub async fn post(settings: Settings, what: PostCommand) -> Result<()> {
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

/// Replaces a post's text with `text` or the contents of `file`, and sends the edit.
pub async fn edit(
    settings: Settings,
    post: String,
    text: Option<String>,
    file: Option<PathBuf>,
    markdown: bool,
) -> Result<()> {
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

pub async fn delete(settings: Settings, post: String) -> Result<()> {
    let instance = Instance::open(settings).await?;
    let deleted = services::edit::delete(&instance.data(), &post).await?;
    deliver_queued(&instance).await;
    println!("deleted {}", deleted.ap_id);
    Ok(())
}

fn visibility_arg(s: &str) -> Result<Visibility> {
    Visibility::parse(s).ok_or_else(|| {
        Error::BadRequest(format!(
            "visibility `{s}` is not public, unlisted, private or direct"
        ))
    })
}
