//! Stand-in followers: accepted follows recorded as if their Follow had come in, with inboxes
//! on a counting sink. Shared by the integration tests and the benchmarks (which include this
//! file by path).

use super::sink::Sink;
use perch::{
    app::Instance,
    db::{self, models::*, queries, Conn},
    error::Result,
};

/// `n` followers of `here`, each with an inbox on `sink`; their inboxes' paths.
pub(crate) async fn followers_on(here: &Instance, sink: &Sink, n: usize) -> Vec<String> {
    let paths: Vec<String> = (0..n).map(|i| format!("/users/f{i}/inbox")).collect();
    let actors: Vec<(String, String)> = (0..n)
        .map(|i| (sink.url(&format!("/users/f{i}")), sink.url(&paths[i])))
        .collect();
    here.state()
        .db
        .run(move |c| {
            db::write(c, |c| {
                for (actor, inbox) in &actors {
                    add_follower(c, actor, inbox)?;
                }
                Ok(())
            })
        })
        .await
        .expect("the followers are stored");
    paths
}

/// Records an accepted follower `ap_id` whose inbox is `inbox` (no shared inbox), as if its
/// Follow had come in: for tests whose followers are stand-ins rather than servers.
pub fn add_follower(c: &mut Conn, ap_id: &str, inbox: &str) -> Result<DbActor> {
    add_follower_sharing(c, ap_id, inbox, None)
}

/// [`add_follower`] with a shared inbox, as followers on one Mastodon server have.
pub fn add_follower_sharing(
    c: &mut Conn,
    ap_id: &str,
    inbox: &str,
    shared_inbox: Option<&str>,
) -> Result<DbActor> {
    let url = url::Url::parse(ap_id).map_err(perch::error::Error::internal)?;
    let actor = queries::actors::upsert(
        c,
        &NewActor {
            ap_id: ap_id.to_owned(),
            local: false,
            kind: "Person".into(),
            username: url
                .path()
                .rsplit('/')
                .next()
                .unwrap_or("someone")
                .to_owned(),
            domain: perch::domain::Host::name_of(&url),
            name: None,
            summary: None,
            inbox: inbox.to_owned(),
            shared_inbox: shared_inbox.map(str::to_owned),
            outbox: None,
            followers_url: None,
            url: None,
            icon: None,
            public_key_id: format!("{ap_id}#main-key"),
            public_key_pem: String::new(),
            private_key_pem: None,
            manually_approves_followers: false,
            published: None,
            fetched_at: perch::db::now(),
        },
    )?;
    queries::follows::upsert(
        c,
        actor.id,
        Direction::Incoming,
        &format!("{ap_id}/follow"),
        FollowState::Accepted,
    )?;
    Ok(actor)
}
