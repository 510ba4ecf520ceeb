//! The page cache as readers see it: a page read again is answered from memory and is the
//! same page; a new post, or a write perch itself did not make (another process on the same
//! database), shows on the next read; and nothing that could be someone's own answer (signed,
//! with credentials or cookies, conditional, the login page) is ever answered from memory.

use crate::support::{counter, http, seed, spawn_app_with, TestApp};
use perch::{db::schema::objects, domain::Visibility, services::publish};

const HTML: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

async fn cached_app() -> (TestApp, String) {
    let app = spawn_app_with(&[("metrics.listen", "127.0.0.1:0".into())]).await;
    let port = app.app.metrics_port.expect("the metrics listener");
    (app, format!("http://127.0.0.1:{port}/metrics"))
}

/// `(hits, misses)` of the page cache, from `/metrics`.
async fn lookups(metrics: &str) -> (u64, u64) {
    let hit = r#"perch_page_cache_lookups_total{result="hit"}"#;
    let miss = r#"perch_page_cache_lookups_total{result="miss"}"#;
    (
        counter(metrics, None, hit).await,
        counter(metrics, None, miss).await,
    )
}

/// Reads `url` until a read of it is answered from memory (a write perch makes by itself, as
/// the sweep at start, may fall between two reads); each read is the page `expected`.
async fn until_a_hit(url: &str, metrics: &str, expected: &str) -> (u64, u64) {
    let before = lookups(metrics).await.0;
    crate::support::eventually("a read answered from memory", || async {
        assert_eq!(page(url).await, expected, "the same page");
        let now = lookups(metrics).await;
        (now.0 > before).then_some(now)
    })
    .await
}

async fn page(url: &str) -> String {
    let res = http().get(url).header("Accept", HTML).send().await.unwrap();
    assert_eq!(res.status(), 200, "{url}");
    res.text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_read_again_comes_from_memory_and_a_new_post_shows_at_once() {
    let (app, metrics) = cached_app().await;
    let data = app.app.data();
    publish::note(&data, "The first note.", Visibility::Public)
        .await
        .unwrap();
    let first = page(&app.url("/")).await;
    assert_eq!(lookups(&metrics).await, (0, 1));
    let (hits, misses) = until_a_hit(&app.url("/"), &metrics, &first).await;
    // Another query string is another answer, not this one.
    page(&app.url("/?page=1")).await;
    assert_eq!(lookups(&metrics).await, (hits, misses + 1));

    publish::note(&data, "A second note, just now.", Visibility::Public)
        .await
        .unwrap();
    let after = page(&app.url("/")).await;
    assert!(after.contains("A second note, just now."), "{after}");
    assert_eq!(
        lookups(&metrics).await.0,
        hits,
        "the new post made it a miss"
    );
    until_a_hit(&app.url("/"), &metrics, &after).await;
    // The headers of a kept answer are the handler's and the middleware's, as on a miss.
    let res = http()
        .get(app.url("/"))
        .header("Accept", HTML)
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-type"], "text/html; charset=utf-8");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert!(res.headers().contains_key("content-security-policy"));
    assert_eq!(res.text().await.unwrap(), after);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_perch_did_not_make_shows_on_the_next_read() {
    let (app, _metrics) = cached_app().await;
    let published = publish::article(&app.app.data(), seed::ARTICLE, Visibility::Public)
        .await
        .unwrap();
    let url = published.post.ap_id.clone();
    page(&url).await;
    page(&url).await;
    // Written beside perch, as another process on the same database would: on a connection
    // of its own, so that only the database can tell.
    let id = published.post.id;
    let mut elsewhere = crate::support::database::location(app.dir.path())
        .establish()
        .unwrap();
    {
        use diesel::prelude::*;
        diesel::update(objects::table.find(id))
            .set(objects::content.eq("<p>Rewritten elsewhere.</p>"))
            .execute(&mut elsewhere)
            .unwrap();
    }
    if app.app.state().db.is_postgres() {
        // PostgreSQL has no cheap signal for other processes' writes: a second at most.
        crate::support::eventually("the other write shows", || async {
            page(&url)
                .await
                .contains("Rewritten elsewhere.")
                .then_some(())
        })
        .await;
    } else {
        let shown = page(&url).await;
        assert!(shown.contains("Rewritten elsewhere."), "at once: {shown}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_that_could_be_someones_own_are_never_answered_from_memory() {
    let (app, metrics) = cached_app().await;
    let published = publish::note(&app.app.data(), "A public note.", Visibility::Public)
        .await
        .unwrap();
    let json = "application/activity+json";
    let url = published.post.ap_id.clone();
    let before = lookups(&metrics).await.0;
    crate::support::eventually("a read answered from memory", || async {
        assert_eq!(app.get_as(&url, json).await.status(), 200);
        (lookups(&metrics).await.0 > before).then_some(())
    })
    .await;
    let kept = lookups(&metrics).await;
    let personal = [
        ("authorization", "Bearer not-a-token"),
        ("cookie", "perch_session=x"),
        ("signature", "keyId=\"https://elsewhere.example/key\""),
        ("if-none-match", "\"abc\""),
    ];
    for (name, value) in personal {
        let res = http()
            .get(&url)
            .header("accept", json)
            .header(name, value)
            .send()
            .await
            .unwrap();
        // Whatever each is answered (a signature that does not verify is refused), it is
        // not the kept answer.
        let _ = res.status();
    }
    assert_eq!(lookups(&metrics).await, kept, "none of them looked");
    // The login page carries a form of its own each time: never kept.
    for _ in 0..2 {
        let res = app.get("/oauth/authorize").await;
        let _ = res.text().await.unwrap();
    }
    assert_eq!(lookups(&metrics).await, kept);
}
