//! The one rule of who may read a post or a comment, written once: its visibility (public,
//! unlisted, followers-only, direct) and, for a comment, its moderation state (held for the
//! author's approval, or hidden by the author). Every surface — the web pages and feeds, the
//! ActivityPub objects and collections, the Mastodon API — asks [`in_audience`] (or the SQL
//! filter `db::queries::visibility` builds from the same cases), and none writes its own.
//!
//! Deletion is apart: a deleted row is read by no one, but a surface may still answer that it
//! was there (a 410, a tombstone in a thread).

/// Who may see a post, as Mastodon names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    Public,
    Unlisted,
    Private,
    Direct,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Unlisted => "unlisted",
            Visibility::Private => "private",
            Visibility::Direct => "direct",
        }
    }

    pub fn parse(s: &str) -> Option<Visibility> {
        Some(match s {
            "public" => Visibility::Public,
            "unlisted" => Visibility::Unlisted,
            "private" => Visibility::Private,
            "direct" => Visibility::Direct,
            _ => return None,
        })
    }

    /// Shown to readers who are not logged in (pages, feeds, outbox).
    pub fn is_public(self) -> bool {
        matches!(self, Visibility::Public | Visibility::Unlisted)
    }
}

/// A comment's moderation state, as stored (`None` for posts and the author's own replies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moderation {
    /// Shown under the post.
    Visible,
    /// Held for the author's approval: the author alone sees it, to approve it.
    Held,
    /// Hidden by the author (or deleted from an app): shown to no one, the author included.
    Hidden,
}

impl Moderation {
    pub const fn as_str(self) -> &'static str {
        match self {
            Moderation::Visible => "visible",
            Moderation::Held => "pending",
            Moderation::Hidden => "hidden",
        }
    }

    /// The stored state; an unknown word counts as held, so that it errs on the side of
    /// showing nothing to anyone but the author.
    pub fn parse(s: &str) -> Moderation {
        match s {
            "visible" => Moderation::Visible,
            "hidden" => Moderation::Hidden,
            _ => Moderation::Held,
        }
    }
}

/// Who is reading one row, as far as the rule cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// Not signed in: a browser, a feed reader, an unsigned fetch, an app without a token.
    Anonymous,
    /// A remote actor whose signature was verified: whether it is an accepted follower of
    /// the author, and whether this row addresses it (mentions it).
    Remote { follower: bool, addressed: bool },
    /// The author (an app token with the read scope).
    Author,
}

impl Reader {
    /// A Mastodon API caller: the author (a token that reads), or anyone.
    pub fn author_if(author: bool) -> Reader {
        if author {
            Reader::Author
        } else {
            Reader::Anonymous
        }
    }
}

/// Whether `reader` is in the audience of a row of this visibility and moderation state.
/// An unknown visibility is the author's alone.
pub fn in_audience(
    visibility: Option<Visibility>,
    moderation: Option<Moderation>,
    reader: Reader,
) -> bool {
    match moderation {
        Some(Moderation::Hidden) => return false,
        Some(Moderation::Held) => return reader == Reader::Author,
        Some(Moderation::Visible) | None => {}
    }
    match (visibility, reader) {
        (_, Reader::Author) => true,
        (Some(Visibility::Public | Visibility::Unlisted), _) => true,
        (
            Some(Visibility::Private),
            Reader::Remote {
                follower,
                addressed,
            },
        ) => follower || addressed,
        (Some(Visibility::Direct), Reader::Remote { addressed, .. }) => addressed,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reader_sees_what_mastodon_would_show_them() {
        use Moderation::*;
        use Visibility::*;
        let follower = Reader::Remote {
            follower: true,
            addressed: false,
        };
        let mentioned = Reader::Remote {
            follower: false,
            addressed: true,
        };
        let stranger = Reader::Remote {
            follower: false,
            addressed: false,
        };
        let readers = [
            Reader::Anonymous,
            stranger,
            follower,
            mentioned,
            Reader::Author,
        ];
        let cases: [(Option<Visibility>, Option<Moderation>, [bool; 5]); 9] = [
            (Some(Public), None, [true, true, true, true, true]),
            (Some(Unlisted), None, [true, true, true, true, true]),
            (Some(Private), None, [false, false, true, true, true]),
            (Some(Direct), None, [false, false, false, true, true]),
            (None, None, [false, false, false, false, true]),
            (Some(Public), Some(Visible), [true, true, true, true, true]),
            (Some(Public), Some(Held), [false, false, false, false, true]),
            (
                Some(Public),
                Some(Hidden),
                [false, false, false, false, false],
            ),
            (
                Some(Private),
                Some(Visible),
                [false, false, true, true, true],
            ),
        ];
        for (visibility, moderation, expected) in cases {
            for (reader, want) in readers.iter().zip(expected) {
                assert_eq!(
                    in_audience(visibility, moderation, *reader),
                    want,
                    "{visibility:?} {moderation:?} for {reader:?}"
                );
            }
        }
        assert_eq!(Moderation::parse("pending"), Held);
        assert_eq!(Moderation::parse(Hidden.as_str()), Hidden);
    }
}
