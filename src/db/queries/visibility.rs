//! The visibility rule of `domain::visibility` as the database applies it: [`Viewer`] is who
//! asks, [`audience`], [`readable_by`] and [`listed_publicly`] are the SQL filters for lists
//! of objects, and
//! [`DbObject::readable_by`] / [`DbObject::in_audience`] are the same rule for one row. Every
//! surface goes through these; a new case is added in `domain::visibility` and here, together.

use crate::db::Backend;
use crate::db::{
    models::*,
    queries::follows,
    schema::{mentions, objects},
    Conn,
};
pub use crate::domain::visibility::Reader;
use crate::domain::visibility::{in_audience, Moderation};
use crate::domain::Visibility;
use crate::error::Result;
use diesel::{expression::BoxableExpression, prelude::*, sql_types::Bool};

/// Who asks, for a whole list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    Anonymous,
    /// A verified remote actor, and whether it is an accepted follower of the author.
    Remote {
        actor: i64,
        follower: bool,
    },
    Author,
}

impl Viewer {
    /// A Mastodon API caller: the author (a token that reads), or anyone.
    pub fn author_if(author: bool) -> Viewer {
        if author {
            Viewer::Author
        } else {
            Viewer::Anonymous
        }
    }

    /// The signer of a GET, as the rule sees them (an accepted follower or not).
    pub fn remote(c: &mut Conn, actor: &DbActor) -> Result<Viewer> {
        let follower = follows::get(c, actor.id, Direction::Incoming)?
            .is_some_and(|f| f.state == FollowState::Accepted);
        Ok(Viewer::Remote {
            actor: actor.id,
            follower,
        })
    }

    /// This viewer as the reader of `row` (for a remote actor: whether `row` mentions it).
    pub fn reader_of(self, c: &mut Conn, row: &DbObject) -> Result<Reader> {
        Ok(match self {
            Viewer::Anonymous => Reader::Anonymous,
            Viewer::Author => Reader::Author,
            Viewer::Remote { actor, follower } => Reader::Remote {
                follower,
                addressed: diesel::select(diesel::dsl::exists(
                    mentions::table
                        .filter(mentions::object_id.eq(row.id))
                        .filter(mentions::actor_id.eq(actor)),
                ))
                .get_result(c)?,
            },
        })
    }
}

type Filter = Box<dyn BoxableExpression<objects::table, Backend, SqlType = Bool>>;

/// Rows whose audience includes `viewer`, deleted or not (see `domain::visibility`).
pub fn audience(viewer: Viewer) -> Filter {
    use objects::{id, moderation, visibility};
    let cleared = moderation.is_null().or(moderation
        .assume_not_null()
        .eq(Moderation::Visible.as_str()));
    let everyone = visibility.eq_any([Visibility::Public.as_str(), Visibility::Unlisted.as_str()]);
    match viewer {
        Viewer::Author => Box::new(
            moderation
                .is_null()
                .or(moderation.assume_not_null().ne(Moderation::Hidden.as_str())),
        ),
        Viewer::Anonymous => Box::new(cleared.and(everyone)),
        Viewer::Remote { actor, follower } => {
            let addressed = id.eq_any(
                mentions::table
                    .filter(mentions::actor_id.eq(actor))
                    .select(mentions::object_id),
            );
            let private = visibility.eq(Visibility::Private.as_str());
            let direct = visibility.eq(Visibility::Direct.as_str());
            // A boolean literal both SQLite and PostgreSQL read.
            let followers = private.and(diesel::dsl::sql::<Bool>(if follower {
                "TRUE"
            } else {
                "FALSE"
            }));
            Box::new(cleared.and(everyone.or(followers).or(private.or(direct).and(addressed))))
        }
    }
}

/// Live rows `viewer` may read: [`audience`], not deleted.
pub fn readable_by(viewer: Viewer) -> Filter {
    Box::new(objects::deleted_at.is_null().and(audience(viewer)))
}

/// Rows listed in public places — the public and hashtag timelines, tag pages: public ones,
/// not unlisted (those are for anyone who has the link, and the author's own pages).
pub fn listed_publicly() -> Filter {
    Box::new(objects::visibility.eq(Visibility::Public.as_str()))
}

impl DbObject {
    /// Whether `reader` is in this row's audience, deleted or not.
    pub fn in_audience(&self, reader: Reader) -> bool {
        in_audience(
            Visibility::parse(&self.visibility),
            self.moderation.as_deref().map(Moderation::parse),
            reader,
        )
    }

    /// Whether `reader` may read this row now: in its audience and not deleted.
    pub fn readable_by(&self, reader: Reader) -> bool {
        !self.is_deleted() && self.in_audience(reader)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::db::{queries::objects as rows, Db};

    /// The SQL filter and the row rule agree, row by row, for every viewer.
    #[test]
    fn the_sql_filter_is_the_row_rule() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("v.db"), 1).unwrap();
        let mut c = db.conn().unwrap();
        let actor = crate::db::queries::actors::upsert(
            &mut c,
            &NewActor {
                ap_id: "https://remote.example/u/a".into(),
                local: false,
                kind: "Person".into(),
                username: "a".into(),
                domain: "remote.example".into(),
                name: None,
                summary: None,
                inbox: "https://remote.example/u/a/inbox".into(),
                shared_inbox: None,
                outbox: None,
                followers_url: None,
                url: None,
                icon: None,
                public_key_id: "https://remote.example/u/a#main-key".into(),
                public_key_pem: String::new(),
                private_key_pem: None,
                manually_approves_followers: false,
                published: None,
                fetched_at: crate::db::now(),
            },
        )
        .unwrap();
        let mut n = 0;
        for vis in ["public", "unlisted", "private", "direct", "limited"] {
            for moderation in [None, Some("visible"), Some("pending"), Some("hidden")] {
                for deleted in [false, true] {
                    n += 1;
                    let row = rows::insert_remote(
                        &mut c,
                        &NewObject {
                            ap_id: format!("https://remote.example/o/{n}"),
                            kind: "Note".into(),
                            actor_id: actor.id,
                            content: String::new(),
                            visibility: vis.into(),
                            moderation: moderation.map(Into::into),
                            published: crate::db::now(),
                            created_at: crate::db::now(),
                            tags: "[]".into(),
                            ..Default::default()
                        },
                    )
                    .unwrap()
                    .unwrap();
                    if deleted {
                        diesel::update(objects::table.find(row.id))
                            .set(objects::deleted_at.eq(Some(crate::db::now())))
                            .execute(&mut c)
                            .unwrap();
                    }
                    if n % 3 == 0 {
                        diesel::insert_into(mentions::table)
                            .values((
                                mentions::object_id.eq(row.id),
                                mentions::actor_id.eq(actor.id),
                            ))
                            .execute(&mut c)
                            .unwrap();
                    }
                }
            }
        }
        let all: Vec<DbObject> = objects::table
            .select(DbObject::as_select())
            .load(&mut c)
            .unwrap();
        assert_eq!(all.len(), n);
        for viewer in [
            Viewer::Anonymous,
            Viewer::Author,
            Viewer::Remote {
                actor: actor.id,
                follower: false,
            },
            Viewer::Remote {
                actor: actor.id,
                follower: true,
            },
        ] {
            let by_sql: Vec<i64> = objects::table
                .filter(readable_by(viewer))
                .select(objects::id)
                .order(objects::id)
                .load(&mut c)
                .unwrap();
            let by_rule: Vec<i64> = all
                .iter()
                .filter(|o| o.readable_by(viewer.reader_of(&mut c, o).unwrap()))
                .map(|o| o.id)
                .collect();
            assert_eq!(by_sql, by_rule, "{viewer:?}");
            assert!(
                !by_rule.is_empty() || viewer == Viewer::Anonymous,
                "{viewer:?}"
            );
        }
    }
}
