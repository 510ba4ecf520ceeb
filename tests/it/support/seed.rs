//! Passages from ../shared/seed/blog-export.txt, one person's real microblog and blog.

/// A note from the microblog stream (mention and emoji).
pub const NOTE_MENTION: &str = "Hey, I’ve contributed something (minor) to @apachekafka!";
/// A note that comments on comments.
pub const NOTE_COMMENTS: &str = "I’ve been thinking about migrating my (insignificant) blog to a platform that doesn’t support comments, but just now got a useful comment. 🤔";

/// The opening of the article "Notes from the First Kafka Summit", as Markdown.
pub const ARTICLE: &str = "# Notes from the First Kafka Summit

I learned a lot at the first Kafka Summit, organized by Confluent, and I’d love to try to share some of what I learned.

## High-level summary

- There’s a shit-ton of work going on right now in streaming data, at pretty much every level
- Kafka is working really well for lots of companies
- But:
  - it still has some rough edges: deployment, operations, management, durability (with default settings)
  - they tend to be larger companies that can invest substantially in infrastructure, tooling, and operations
- Heroku is stepping into that gap with a hosted Kafka service.
";
