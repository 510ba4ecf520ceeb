//! Deliveries are signed the RFC 9421 way first and the draft-cavage way when a server
//! refuses that; the format that worked is remembered per server.

use crate::support::{eventually, following, remote::Remote, spawn_app, spawn_app_with, TestApp};
use perch::{db::queries::signature_formats, domain::Visibility, services::publish};

async fn format_for(app: &TestApp, host: String) -> Option<String> {
    app.query(move |c| signature_formats::get(c, &host))
        .await
        .map(|(f, _)| f)
}

async fn remembered(app: &TestApp, host: String, expected: &str) {
    eventually("the server's signature format is remembered", || {
        let host = host.clone();
        async move { (format_for(app, host).await.as_deref() == Some(expected)).then_some(()) }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_perch_servers_talk_rfc_9421() {
    let author = spawn_app().await;
    let reader = spawn_app().await;
    following(&reader, &author).await;
    // The Follow went one way and the Accept the other, both signed the RFC 9421 way.
    remembered(&reader, author.domain(), "rfc9421").await;
    remembered(&author, reader.domain(), "rfc9421").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_reads_only_draft_cavage_gets_it_after_one_refusal() {
    let author = spawn_app().await;
    let older = spawn_app_with(&[("federation.accept_rfc9421", false.into())]).await;
    following(&older, &author).await;
    remembered(&author, older.domain(), "cavage").await;
    // The older server still sends RFC 9421 itself, which the author's server reads.
    remembered(&older, author.domain(), "rfc9421").await;

    let note = publish::note(
        &author.app.data(),
        "for an older server",
        Visibility::Public,
    )
    .await
    .unwrap();
    let id = note.post.ap_id.clone();
    let older = &older;
    eventually("the note reaches the older server", || {
        let id = id.clone();
        async move {
            older
                .query(move |c| perch::db::queries::objects::by_ap_id(c, &id))
                .await
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_knock_that_worked_is_the_one_used_next_time_until_a_reprobe() {
    let author = spawn_app().await;
    let remote = Remote::start("oldtimer").await;
    remote.accept_only_cavage();
    let res = remote
        .post_signed(&author.url("/inbox"), &remote.follow(&author.actor_url()))
        .await;
    assert_eq!(res.status(), 202);
    eventually("the Accept arrives", || async {
        remote
            .received()
            .iter()
            .any(|r| r.body["type"] == "Accept" && r.status == 202)
            .then_some(())
    })
    .await;
    let knocks = |kind: &str| -> Vec<(bool, u16)> {
        remote
            .received()
            .iter()
            .filter(|r| r.body["type"] == kind)
            .map(|r| (r.signature_input.is_some(), r.status))
            .collect()
    };
    assert_eq!(
        knocks("Accept"),
        [(true, 401), (false, 202)],
        "RFC 9421 refused, then draft-cavage taken"
    );
    let host = url::Url::parse(&remote.actor_id).unwrap();
    let host = perch::apub::signatures::host_of(&host);
    remembered(&author, host.clone(), "cavage").await;

    let data = author.app.data();
    publish::note(&data, "one", Visibility::Public)
        .await
        .unwrap();
    eventually("the note arrives", || async {
        (!knocks("Create").is_empty()).then_some(())
    })
    .await;
    assert_eq!(knocks("Create"), [(false, 202)], "straight to draft-cavage");

    // A week on, RFC 9421 is tried again (the server may have been upgraded).
    let stale = host.clone();
    author
        .query(move |c| {
            use diesel::prelude::*;
            diesel::sql_query(
                "UPDATE signature_formats SET checked_at = datetime('now', '-8 days') WHERE host = ?",
            )
            .bind::<diesel::sql_types::Text, _>(stale)
            .execute(c)?;
            Ok(())
        })
        .await;
    publish::note(&data, "two", Visibility::Public)
        .await
        .unwrap();
    eventually("the second note arrives", || async {
        (knocks("Create").len() == 3).then_some(())
    })
    .await;
    assert_eq!(
        knocks("Create")[1..],
        [(true, 401), (false, 202)],
        "probed with RFC 9421 again, then back to draft-cavage"
    );
    remembered(&author, host, "cavage").await;
}
