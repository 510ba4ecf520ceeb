//! Two perch instances federating on loopback: following, accepting, publishing, unfollowing.

use crate::support::{eventually, seed, spawn_app, spawn_app_with, TestApp};
use perch::{
    db::{
        models::*,
        queries::{actors, deliveries, follows, objects},
    },
    domain::Visibility,
    services::{follow, followers, publish},
};

/// The state of `who`'s follow as seen from `at` (`direction` from `at`'s side).
async fn follow_state(at: &TestApp, who: &TestApp, direction: Direction) -> Option<FollowState> {
    crate::support::follow_state(at, &who.actor_url(), direction).await
}

async fn stored_object(at: &TestApp, ap_id: &str) -> Option<DbObject> {
    let id = ap_id.to_owned();
    at.query(move |c| objects::by_ap_id(c, &id)).await
}

async fn b_follows_a(a: &TestApp, b: &TestApp) {
    let (target, state) = follow::follow(&b.app.data(), &a.handle()).await.unwrap();
    assert_eq!(target.ap_id, a.actor_url());
    assert_eq!(state, follow::FollowOutcome::Requested);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follower_instance_receives_a_signed_note_until_it_unfollows() {
    let a = spawn_app().await;
    let b = spawn_app().await;
    b_follows_a(&a, &b).await;

    eventually("A stores B as an accepted follower", || async {
        (follow_state(&a, &b, Direction::Incoming).await == Some(FollowState::Accepted))
            .then_some(())
    })
    .await;
    eventually("B sees the Accept", || async {
        (follow_state(&b, &a, Direction::Outgoing).await == Some(FollowState::Accepted))
            .then_some(())
    })
    .await;

    let note = publish::note(&a.app.data(), seed::NOTE_MENTION, Visibility::Public)
        .await
        .unwrap();
    let stored = eventually("B stores A's note", || stored_object(&b, &note.post.ap_id)).await;
    assert_eq!(
        stored.content,
        "<p>Hey, I’ve contributed something (minor) to @apachekafka!</p>"
    );
    assert_eq!(stored.kind, "Note");
    assert_eq!(stored.visibility, "public");
    let author = b
        .query(move |c| actors::by_id(c, stored.actor_id))
        .await
        .unwrap();
    assert_eq!(author.ap_id, a.actor_url());

    // One delivery, signed by A, taken by B's inbox on the first attempt.
    let rows = a
        .query(move |c| deliveries::for_activity(c, note.activity.id))
        .await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].inbox,
        b.url("/inbox"),
        "delivered to B's shared inbox"
    );
    assert_eq!(
        (rows[0].state, rows[0].attempts, rows[0].last_status),
        (DeliveryState::Delivered, 1, Some(202))
    );

    // B unfollows: A forgets B, and A's next note is not sent to B.
    assert!(follow::unfollow(&b.app.data(), &a.handle()).await.unwrap());
    eventually("A removes B from its followers", || async {
        follow_state(&a, &b, Direction::Incoming)
            .await
            .is_none()
            .then_some(())
    })
    .await;
    let later = publish::note(&a.app.data(), seed::NOTE_COMMENTS, Visibility::Public)
        .await
        .unwrap();
    let rows = a
        .query(move |c| deliveries::for_activity(c, later.activity.id))
        .await;
    assert!(
        rows.is_empty(),
        "no delivery queued for a former follower: {rows:?}"
    );
    assert!(stored_object(&b, &later.post.ap_id).await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_account_holds_follows_until_the_author_approves() {
    let a = spawn_app_with(&[("actor.locked", true.into())]).await;
    let b = spawn_app().await;
    let c = spawn_app().await;
    b_follows_a(&a, &b).await;
    b_follows_a(&a, &c).await;
    eventually("A holds both requests", || async {
        let pending = a
            .query(|c| follows::count(c, Direction::Incoming, FollowState::Pending))
            .await;
        (pending == 2).then_some(())
    })
    .await;
    assert_eq!(
        follow_state(&b, &a, Direction::Outgoing).await,
        Some(FollowState::Pending)
    );

    // Nothing reaches a pending follower.
    let early = publish::note(&a.app.data(), "before approval", Visibility::Public)
        .await
        .unwrap();
    let rows = a
        .query(move |c| deliveries::for_activity(c, early.activity.id))
        .await;
    assert!(rows.is_empty());

    followers::answer(a.app.state(), &b.handle(), true)
        .await
        .unwrap();
    followers::answer(a.app.state(), &c.handle(), false)
        .await
        .unwrap();
    eventually("B sees the Accept", || async {
        (follow_state(&b, &a, Direction::Outgoing).await == Some(FollowState::Accepted))
            .then_some(())
    })
    .await;
    eventually("C sees the Reject", || async {
        (follow_state(&c, &a, Direction::Outgoing).await == Some(FollowState::Rejected))
            .then_some(())
    })
    .await;

    let note = publish::note(&a.app.data(), seed::NOTE_COMMENTS, Visibility::Public)
        .await
        .unwrap();
    eventually("B stores the note", || stored_object(&b, &note.post.ap_id)).await;
    let rows = a
        .query(move |c| deliveries::for_activity(c, note.activity.id))
        .await;
    assert_eq!(rows.len(), 1, "only the approved follower is sent the note");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_article_reaches_the_follower_with_its_title_and_summary() {
    let a = spawn_app().await;
    let b = spawn_app().await;
    b_follows_a(&a, &b).await;
    eventually("B sees the Accept", || async {
        (follow_state(&b, &a, Direction::Outgoing).await == Some(FollowState::Accepted))
            .then_some(())
    })
    .await;
    let article = publish::article(&a.app.data(), seed::ARTICLE, Visibility::Public)
        .await
        .unwrap();
    let stored = eventually("B stores the article", || {
        stored_object(&b, &article.post.ap_id)
    })
    .await;
    assert_eq!(stored.kind, "Article");
    assert_eq!(
        stored.name.as_deref(),
        Some("Notes from the First Kafka Summit")
    );
    assert!(stored
        .summary
        .unwrap()
        .starts_with("I learned a lot at the first Kafka Summit"));
    assert!(stored.content.contains("<h2>High-level summary</h2>"));
    assert!(
        stored.content.contains("<li>it still has some rough edges"),
        "nested list kept: {}",
        stored.content
    );
}
