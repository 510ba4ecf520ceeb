//! Import speed: a 1,000-post Mastodon-style `outbox.json` imported into a fresh instance,
//! in posts per second, set against how many INSERTs of an empty row SQLite makes per second
//! on this machine in one transaction (through diesel, as perch does), so that the figure
//! reads as a ratio and not only as a time.
//!
//! Run: `cargo bench --bench import` (release build; prints a few lines, asserts little).

use diesel::{connection::SimpleConnection, RunQueryDsl};
use perch::{app::Instance, config::Settings, db, services::import};
use serde_json::{json, Value};
use std::{path::Path, time::Instant};

const POSTS: usize = 1000;
const EMPTY_INSERTS: usize = 100_000;

diesel::table! {
    empty_rows (id) {
        id -> BigInt,
    }
}

/// An archive's outbox with `n` public notes, a tenth of them behind a content warning, each
/// with a hashtag, a minute apart.
fn outbox(n: usize) -> Value {
    let actor = "https://mastodon.example/users/ben";
    let start = chrono::DateTime::parse_from_rfc3339("2016-01-01T00:00:00Z").expect("date");
    let items: Vec<Value> = (0..n)
        .map(|i| {
            let id = format!("{actor}/statuses/{}", 96_000_000_000_000_000u64 + i as u64);
            let published = (start + chrono::Duration::minutes(i as i64)).to_rfc3339();
            let tag = format!("topic{}", i % 10);
            json!({
                "id": format!("{id}/activity"),
                "type": "Create",
                "actor": actor,
                "published": published,
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "cc": [format!("{actor}/followers")],
                "object": {
                    "id": id,
                    "type": "Note",
                    "summary": if i % 10 == 0 { json!("a content warning") } else { Value::Null },
                    "inReplyTo": null,
                    "published": published,
                    "url": format!("https://mastodon.example/@ben/{i}"),
                    "attributedTo": actor,
                    "to": ["https://www.w3.org/ns/activitystreams#Public"],
                    "cc": [format!("{actor}/followers")],
                    "sensitive": i % 10 == 0,
                    "content": format!(
                        "<p>Note number {i}: I’ve been thinking about migrating my (insignificant) \
                         blog to a platform that doesn’t support comments. \
                         <a href=\"https://mastodon.example/tags/{tag}\" class=\"mention hashtag\" \
                         rel=\"tag\">#<span>{tag}</span></a></p>"
                    ),
                    "attachment": [],
                    "tag": [{
                        "type": "Hashtag",
                        "href": format!("https://mastodon.example/tags/{tag}"),
                        "name": format!("#{tag}")
                    }]
                }
            })
        })
        .collect();
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": "outbox.json",
        "type": "OrderedCollection",
        "totalItems": n,
        "orderedItems": items
    })
}

/// Empty rows SQLite inserts per second in one transaction, with perch's pragmas.
fn empty_insert_rate(dir: &Path) -> f64 {
    let db = db::Db::connect(&dir.join("empty.sqlite3"), 1).expect("db");
    let mut conn = db.conn().expect("conn");
    conn.batch_execute("CREATE TABLE empty_rows (id INTEGER PRIMARY KEY)")
        .expect("table");
    let start = Instant::now();
    db::write(&mut conn, |c| {
        for _ in 0..EMPTY_INSERTS {
            diesel::insert_into(empty_rows::table)
                .default_values()
                .execute(c)?;
        }
        Ok(())
    })
    .expect("inserts");
    EMPTY_INSERTS as f64 / start.elapsed().as_secs_f64()
}

async fn import_rate(dir: &Path) -> (f64, f64) {
    let archive = dir.join("archive");
    std::fs::create_dir_all(&archive).expect("dir");
    let text = serde_json::to_string(&outbox(POSTS)).expect("json");
    std::fs::write(archive.join("outbox.json"), &text).expect("write");
    let settings = Settings::loopback(&dir.join("perch"), &[]).expect("settings");
    let instance = Instance::open(settings).await.expect("open");
    let data = instance.data();

    let start = Instant::now();
    let summary = import::import(&data, &archive, false)
        .await
        .expect("import");
    let first = start.elapsed().as_secs_f64();
    assert_eq!(summary.notes, POSTS, "{summary}");
    let start = Instant::now();
    let again = import::import(&data, &archive, false)
        .await
        .expect("import again");
    let second = start.elapsed().as_secs_f64();
    assert_eq!(again.already_imported, POSTS, "{again}");
    println!(
        "outbox.json: {} posts, {:.1} MiB",
        POSTS,
        text.len() as f64 / (1024.0 * 1024.0)
    );
    (POSTS as f64 / first, POSTS as f64 / second)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("tempdir");
    let (posts_per_s, skipped_per_s) = runtime.block_on(import_rate(dir.path()));
    let inserts_per_s = empty_insert_rate(dir.path());
    println!("import:            {posts_per_s:>10.0} posts/s (parse, compose, one transaction)");
    println!("import again:      {skipped_per_s:>10.0} posts/s (every post already there)");
    println!("SQLite baseline:   {inserts_per_s:>10.0} empty-row INSERTs/s in one transaction");
    println!(
        "ratio:             one imported post costs as much as {:.0} empty INSERTs",
        inserts_per_s / posts_per_s
    );
}
