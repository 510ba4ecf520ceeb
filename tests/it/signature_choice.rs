//! Which signature format a delivery is signed with. Every server gets draft-cavage, which all
//! of them verify, unless it has shown that it verifies RFC 9421: it signed to us that way,
//! its actor advertises it, it asked with `Accept-Signature`, or the config names it. A 2xx
//! answer proves nothing (servers that verify later answer 202 to anything); a refusal of RFC
//! 9421 gets the same POST again, signed draft-cavage.

use crate::support::{
    eventually, follow_state, following, remote::Remote, spawn_app, spawn_app_with, TestApp,
};
use perch::{
    db::queries::signature_formats,
    domain::{Host, Visibility},
    services::publish,
};

async fn format_for(app: &TestApp, host: String) -> Option<(String, String)> {
    app.query(move |c| signature_formats::get(c, &host))
        .await
        .map(|k| (k.format, k.evidence))
}

async fn remembered(app: &TestApp, host: String, format: &str, why: &str) {
    eventually("the server's signature format is remembered", || {
        let host = host.clone();
        async move {
            (format_for(app, host).await == Some((format.into(), why.into()))).then_some(())
        }
    })
    .await;
}

fn host(remote: &Remote) -> String {
    Host::name_of(&url::Url::parse(&remote.actor_id).unwrap())
}

/// (RFC 9421?, status) of each POST of this activity type that reached `remote`.
fn knocks(remote: &Remote, kind: &str) -> Vec<(bool, u16)> {
    remote
        .received()
        .iter()
        .filter(|r| r.body["type"] == kind)
        .map(|r| (r.signature_input.is_some(), r.status))
        .collect()
}

/// `remote` follows `author` and waits for the `n`th POST of the Accept.
async fn follow_and_wait_for_accept(remote: &Remote, author: &TestApp, n: usize) {
    let res = remote
        .post_signed(&author.url("/inbox"), &remote.follow(&author.actor_url()))
        .await;
    assert_eq!(res.status(), 202);
    eventually("the Accept arrives", || async {
        (knocks(remote, "Accept").len() >= n).then_some(())
    })
    .await;
}

async fn publish_and_wait(author: &TestApp, remote: &Remote, text: &str, n: usize) {
    publish::note(&author.app.data(), text, Visibility::Public)
        .await
        .unwrap();
    eventually("the note arrives", || async {
        (knocks(remote, "Create").len() >= n).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_answers_202_and_verifies_later_can_verify_every_accept_and_post() {
    let author = spawn_app().await;
    // Answers 202 to anything, as snac2 and Pixelfed do, and checks the signature afterwards
    // with a draft-cavage-only verifier.
    let lazy = Remote::start("lazy").await;
    follow_and_wait_for_accept(&lazy, &author, 1).await;
    for n in 1..=3 {
        publish_and_wait(&author, &lazy, &format!("note {n}"), n).await;
    }
    let key = author.app.data().local.actor.public_key_pem.clone();
    let posts: Vec<_> = lazy
        .received()
        .into_iter()
        .filter(|r| r.body["type"] == "Accept" || r.body["type"] == "Create")
        .collect();
    assert_eq!(posts.len(), 4, "one Accept and three notes, each sent once");
    for r in &posts {
        assert!(r.signature_input.is_none(), "signed draft-cavage");
        assert!(
            r.verifies(&key, &lazy.base, false),
            "a draft-cavage verifier verifies the {}",
            r.body["type"]
        );
    }
    assert_eq!(
        format_for(&author, host(&lazy)).await,
        None,
        "202 answers taught nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_perch_servers_advertise_rfc_9421_and_talk_it() {
    let author = spawn_app().await;
    let reader = spawn_app().await;
    let actor: serde_json::Value = crate::support::get_json(&author.actor_url()).await.1;
    assert_eq!(
        actor["generator"]["implements"][0]["href"],
        "https://datatracker.ietf.org/doc/html/rfc9421",
        "FEP-844e"
    );
    following(&reader, &author).await;
    // The reader read the author's actor (it advertises RFC 9421) and signed its Follow so; the
    // author verified that, and signed the Accept the same way.
    remembered(&reader, author.domain(), "rfc9421", "advertised").await;
    let evidence = format_for(&author, reader.domain()).await;
    assert!(
        matches!(&evidence, Some((f, _)) if f == "rfc9421"),
        "{evidence:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_reads_only_draft_cavage_gets_it_after_one_refusal_and_keeps_it() {
    let author = spawn_app().await;
    // Reads only draft-cavage (so it does not advertise RFC 9421), but signs RFC 9421 to a
    // server that advertises it: its Follow is the author's evidence, and the Accept is refused.
    let older = spawn_app_with(&[("federation.accept_rfc9421", false.into())]).await;
    following(&older, &author).await;
    remembered(&older, author.domain(), "rfc9421", "advertised").await;
    remembered(&author, older.domain(), "cavage", "refused").await;

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
    // More RFC 9421 from the older server does not outweigh its refusal.
    perch::services::follow::unfollow(&older.app.data(), &author.handle())
        .await
        .unwrap();
    // The Undo is taken before the new Follow is sent: the two could otherwise reach the
    // author in either order (see the closing note of issue 13).
    let follower = older.actor_url();
    let author_ref = &author;
    eventually("the author has taken the Undo", || {
        let follower = follower.clone();
        async move {
            follow_state(
                author_ref,
                &follower,
                perch::db::models::Direction::Incoming,
            )
            .await
            .is_none()
            .then_some(())
        }
    })
    .await;
    following(older, &author).await;
    assert_eq!(
        format_for(&author, older.domain()).await,
        Some(("cavage".into(), "refused".into()))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_advertises_rfc_9421_but_refuses_it_gets_draft_cavage_after_one_knock() {
    let author = spawn_app().await;
    let remote = Remote::start("boaster").await;
    remote.advertise_rfc9421();
    remote.accept_only_cavage();
    follow_and_wait_for_accept(&remote, &author, 2).await;
    assert_eq!(
        knocks(&remote, "Accept"),
        [(true, 401), (false, 202)],
        "RFC 9421 refused, then draft-cavage taken"
    );
    remembered(&author, host(&remote), "cavage", "refused").await;
    publish_and_wait(&author, &remote, "one", 1).await;
    assert_eq!(
        knocks(&remote, "Create"),
        [(false, 202)],
        "straight to draft-cavage"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_asks_with_accept_signature_gets_rfc_9421() {
    let author = spawn_app().await;
    let remote = Remote::start("asker").await;
    remote.ask_for_rfc9421();
    follow_and_wait_for_accept(&remote, &author, 1).await;
    remembered(&author, host(&remote), "rfc9421", "asked").await;
    publish_and_wait(&author, &remote, "now in RFC 9421", 1).await;
    let key = author.app.data().local.actor.public_key_pem.clone();
    let create = remote
        .received()
        .into_iter()
        .find(|r| r.body["type"] == "Create")
        .unwrap();
    assert!(create.signature_input.is_some());
    assert!(create.verifies(&key, &remote.base, true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_named_in_the_config_gets_rfc_9421_from_the_start() {
    let remote = Remote::start("configured").await;
    let author = spawn_app_with(&[(
        "federation.rfc9421_hosts",
        toml::Value::Array(vec![host(&remote).into()]),
    )])
    .await;
    follow_and_wait_for_accept(&remote, &author, 1).await;
    assert_eq!(knocks(&remote, "Accept"), [(true, 202)]);
}
