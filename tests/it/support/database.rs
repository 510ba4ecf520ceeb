//! The database a test's instance keeps its data in: a SQLite file in the test's directory, or,
//! when `PERCH_TEST_POSTGRES_URL` names a PostgreSQL server (tests/run.sh starts one), a new
//! database of its own there. A directory keeps its database: everything a test starts on
//! one directory (a restart, a CLI command, a second process) opens the same one.

use diesel::{Connection, PgConnection, RunQueryDsl};
use std::path::Path;

/// Whether this run's instances keep their data in PostgreSQL.
pub fn on_postgres() -> bool {
    server().is_some()
}

/// The PostgreSQL server `PERCH_TEST_POSTGRES_URL` names, if any.
pub fn server() -> Option<String> {
    std::env::var("PERCH_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
}

/// `[database] url` for an instance on `dir`: `None` for its SQLite file.
pub fn url_for(dir: &Path) -> Option<String> {
    let server = server()?;
    let remembered = dir.join("postgres-url");
    if let Ok(url) = std::fs::read_to_string(&remembered) {
        return Some(url);
    }
    let url = create(&server);
    std::fs::write(&remembered, &url).expect("remember the test database");
    Some(url)
}

/// Where an instance on `dir` keeps its data, for opening it beside the instance.
pub fn location(dir: &Path) -> perch::db::Location {
    match url_for(dir) {
        Some(url) => perch::db::Location::Postgres(url),
        None => perch::db::Location::Sqlite(dir.join("perch.db")),
    }
}

/// A new, empty database on `server`'s PostgreSQL; its URL.
pub fn create(server: &str) -> String {
    let name = format!("perch_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::establish(server).expect("PERCH_TEST_POSTGRES_URL answers");
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .expect("create a test database");
    with_database(server, &name)
}

/// `url` naming database `name` instead of its own (the query string is kept).
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_at = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[authority_at..]
        .find('/')
        .map_or(base.len(), |i| authority_at + i);
    let mut out = format!("{}/{name}", &base[..host_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// The test settings on `dir` (`Settings::loopback` with its database).
pub fn loopback(dir: &Path, extra: &[(&str, toml::Value)]) -> perch::config::Settings {
    let mut all: Vec<(&str, toml::Value)> = extra.to_vec();
    let url = url_for(dir);
    if let Some(url) = &url {
        all.push(("database.url", url.clone().into()));
    }
    perch::config::Settings::loopback(dir, &all).expect("test settings")
}

#[test]
fn a_url_names_another_database() {
    assert_eq!(
        with_database(
            "postgres://perch:pw@localhost:5432/perch?sslmode=disable",
            "t1"
        ),
        "postgres://perch:pw@localhost:5432/t1?sslmode=disable"
    );
    assert_eq!(
        with_database("postgres://perch@%2Ftmp%2Fpg/postgres", "t2"),
        "postgres://perch@%2Ftmp%2Fpg/t2"
    );
    assert_eq!(
        with_database("postgres://localhost", "t3"),
        "postgres://localhost/t3"
    );
}
