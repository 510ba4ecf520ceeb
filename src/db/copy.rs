//! Every row of one perch database written into another (`perch db copy`): SQLite to
//! PostgreSQL and back. The source is read in one snapshot, the target written in one
//! transaction, and a target that holds anything is refused. Rows keep their ids; foreign keys
//! are checked at commit, so the order rows arrive in does not matter.

use super::{models::*, schema, AnyConnection, Conn};
use crate::error::{Error, Result};
use diesel::{connection::SimpleConnection, prelude::*, Table};

/// The tables without a row type of their own elsewhere, whole.
mod rows {
    use super::schema::*;
    use chrono::NaiveDateTime;
    use diesel::prelude::*;

    #[derive(Debug, Queryable, Selectable, Insertable)]
    #[diesel(table_name = account)]
    pub struct Account {
        pub id: i64,
        pub actor_id: i64,
        pub password_hash: Option<String>,
        pub created_at: NaiveDateTime,
    }

    #[derive(Debug, Queryable, Selectable, Insertable)]
    #[diesel(table_name = hashtags)]
    pub struct Hashtag {
        pub object_id: i64,
        pub name: String,
    }

    #[derive(Debug, Queryable, Selectable, Insertable)]
    #[diesel(table_name = mentions)]
    pub struct Mention {
        pub object_id: i64,
        pub actor_id: i64,
    }

    #[derive(Debug, Queryable, Selectable, Insertable)]
    #[diesel(table_name = idempotency_keys)]
    pub struct IdempotencyKey {
        pub key: String,
        pub object_id: i64,
        pub created_at: NaiveDateTime,
    }

    #[derive(Debug, Queryable, Selectable, Insertable)]
    #[diesel(table_name = signature_formats)]
    pub struct SignatureFormat {
        pub host: String,
        pub format: String,
        pub checked_at: NaiveDateTime,
        pub evidence: String,
    }
}

/// Rows per INSERT: under both databases' limits on bound values (the widest table has 26
/// columns; SQLite takes 32,766 values, PostgreSQL 65,535).
const CHUNK: usize = 500;

/// Each table and its whole-row type: the one list `copy`, `counts` and `dump` share.
macro_rules! each_table {
    ($then:ident) => {
        $then!(
            actors: DbActor,
            account: rows::Account,
            profile: DbProfile,
            follows: DbFollow,
            objects: DbObject,
            object_versions: DbObjectVersion,
            hashtags: rows::Hashtag,
            mentions: rows::Mention,
            media: DbMedia,
            activities: DbActivity,
            deliveries: DbDelivery,
            reactions: DbReaction,
            blocks: DbBlock,
            notifications: DbNotification,
            oauth_apps: DbApp,
            oauth_tokens: DbToken,
            oauth_codes: DbCode,
            markers: DbMarker,
            idempotency_keys: rows::IdempotencyKey,
            hosts: DbHost,
            signature_formats: rows::SignatureFormat
        )
    };
}

/// The tables whose `id` PostgreSQL numbers from an identity sequence.
const NUMBERED: &[&str] = &[
    "actors",
    "follows",
    "objects",
    "object_versions",
    "media",
    "activities",
    "deliveries",
    "reactions",
    "blocks",
    "notifications",
    "oauth_apps",
    "oauth_tokens",
    "oauth_codes",
];

/// Rows in each table, by name.
pub fn counts(conn: &mut Conn) -> Result<Vec<(&'static str, i64)>> {
    macro_rules! count {
        ($($table:ident: $row:ty),*) => {
            vec![$((
                stringify!($table),
                schema::$table::table.count().get_result::<i64>(conn)?,
            )),*]
        };
    }
    Ok(each_table!(count))
}

/// Copies every row of `from` into `to`, which must be migrated and empty; returns the rows
/// copied per table. `to` is written in one transaction: on any error it is left empty.
pub fn copy(from: &mut Conn, to: &mut Conn) -> Result<Vec<(&'static str, usize)>> {
    snapshot(from, |from| {
        super::write(to, |to| {
            let filled: Vec<String> = counts(to)?
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .map(|(t, n)| format!("{t} ({n})"))
                .collect();
            if !filled.is_empty() {
                return Err(Error::BadRequest(format!(
                    "the target database is not empty: {}; copy into a new database",
                    filled.join(", ")
                )));
            }
            defer_foreign_keys(to)?;
            macro_rules! copy_each {
                ($($table:ident: $row:ty),*) => {
                    vec![$({
                        let rows: Vec<$row> = schema::$table::table
                            .select(<$row>::as_select())
                            .order(schema::$table::table.primary_key())
                            .load(from)?;
                        for chunk in rows.chunks(CHUNK) {
                            super::native!(to, |c| diesel::insert_into(schema::$table::table)
                                .values(chunk)
                                .execute(c))?;
                        }
                        (stringify!($table), rows.len())
                    }),*]
                };
            }
            let copied = each_table!(copy_each);
            renumber(to)?;
            Ok(copied)
        })
    })
}

/// Every row of every table, as text in key order: what two databases compare by.
pub fn dump(conn: &mut Conn) -> Result<Vec<(&'static str, Vec<String>)>> {
    macro_rules! dump_each {
        ($($table:ident: $row:ty),*) => {
            vec![$((
                stringify!($table),
                schema::$table::table
                    .select(<$row>::as_select())
                    .order(schema::$table::table.primary_key())
                    .load::<$row>(conn)?
                    .iter()
                    .map(|r| format!("{r:?}"))
                    .collect(),
            )),*]
        };
    }
    Ok(each_table!(dump_each))
}

/// Runs `f` in a read transaction that sees one state of the database throughout.
fn snapshot<T>(conn: &mut Conn, f: impl FnOnce(&mut Conn) -> Result<T>) -> Result<T> {
    let begin = match conn {
        // SQLite's deferred transaction reads one snapshot from its first read on (WAL).
        AnyConnection::Sqlite(_) => "BEGIN",
        AnyConnection::Pg(_) => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    };
    super::transaction(conn, begin, f)
}

/// Checks foreign keys at commit instead of row by row (a reply stored before its parent
/// points forward). PostgreSQL's foreign keys are declared `DEFERRABLE` for this.
fn defer_foreign_keys(conn: &mut Conn) -> Result<()> {
    match conn {
        AnyConnection::Sqlite(c) => c.batch_execute("PRAGMA defer_foreign_keys = ON")?,
        AnyConnection::Pg(c) => c.batch_execute("SET CONSTRAINTS ALL DEFERRED")?,
    }
    Ok(())
}

/// Moves PostgreSQL's identity sequences past the copied ids (SQLite does so itself).
fn renumber(conn: &mut Conn) -> Result<()> {
    if let AnyConnection::Pg(c) = conn {
        for table in NUMBERED {
            c.batch_execute(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            ))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The columns a `SELECT` names, as SQLite's query builder writes them.
    fn columns(sql: &str) -> BTreeSet<String> {
        let list = sql
            .trim_start_matches("SELECT ")
            .split(" FROM ")
            .next()
            .unwrap_or_default();
        list.split(", ").map(str::to_owned).collect()
    }

    #[test]
    fn each_table_is_copied_with_every_column() {
        use diesel::{debug_query, sqlite::Sqlite};
        let mut listed = 0;
        macro_rules! check {
            ($($table:ident: $row:ty),*) => {$(
                listed += 1;
                let whole = schema::$table::table.select(<$row>::as_select());
                let all = schema::$table::table.select(schema::$table::all_columns);
                assert_eq!(
                    columns(&debug_query::<Sqlite, _>(&whole).to_string()),
                    columns(&debug_query::<Sqlite, _>(&all).to_string()),
                    "{}'s row type leaves columns out",
                    stringify!($table)
                );
            )*};
        }
        each_table!(check);
        let in_schema = include_str!("schema.rs").matches("table! {").count();
        assert_eq!(listed, in_schema, "a table of schema.rs is not copied");
    }
}
