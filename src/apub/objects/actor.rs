//! Actors: the local `Person` we serve, and remote actors fetched and kept up to date.

use super::{handle, keys};
use crate::{
    apub::{
        protocol::{capabilities, Endpoints, Image, Person, PublicKey},
        urls::{self, Link},
    },
    db::{
        self,
        models::*,
        queries::{actors, signature_formats},
    },
    domain::profile::Profile,
    error::Error,
    state::{AppState, Data},
};
use activitypub_federation::traits;
use chrono::{DateTime, Utc};
use url::Url;

#[async_trait::async_trait]
impl traits::Object for DbActor {
    type DataType = AppState;
    type Kind = Person;
    type Error = Error;

    fn last_refreshed_at(&self) -> Option<DateTime<Utc>> {
        (!self.local).then(|| self.fetched_at.and_utc())
    }

    async fn read_from_id(id: Url, data: &Data) -> Result<Option<Self>, Error> {
        data.db.run(move |c| actors::by_ap_id(c, id.as_str())).await
    }

    async fn into_json(self, data: &Data) -> Result<Person, Error> {
        Ok(local_person(&self, data, &data.profile()))
    }

    async fn verify(json: &Person, expected_domain: &Url, _data: &Data) -> Result<(), Error> {
        if !crate::domain::Host::same(&json.id, expected_domain) {
            return Err(Error::BadRequest(
                "the actor document is not from its own server".into(),
            ));
        }
        keys::of(json)?;
        let own = |u: &Url| urls::check(u.as_str(), &json.id).and_then(Link::own);
        if own(&json.inbox).is_none() {
            return Err(Error::BadRequest(
                "the actor's inbox is not on the actor's own server".into(),
            ));
        }
        if let Some(shared) = json
            .endpoints
            .as_ref()
            .and_then(|e| e.shared_inbox.as_ref())
        {
            if own(shared).is_none() {
                return Err(Error::BadRequest(
                    "the actor's endpoints.sharedInbox is not on the actor's own server".into(),
                ));
            }
        }
        Ok(())
    }

    async fn from_json(json: Person, data: &Data) -> Result<Self, Error> {
        let advertises_rfc9421 = capabilities::implements_rfc9421(&json.generator);
        let username = match &json.preferred_username {
            Some(name) if !name.trim().is_empty() => name.clone(),
            _ => handle::username(&json.id, data).await,
        };
        let keys = keys::of(&json)?;
        let (new, link) = remote_actor_row(json, username, &keys)?;
        let other_keys = serde_json::to_string(keys.get(1..).unwrap_or_default())?;
        let actor = data
            .db
            .run_write(move |c| {
                let row = actors::upsert(c, &new)?;
                actors::set_remote_extras(c, row.id, &other_keys, link.as_deref())
            })
            .await?;
        if advertises_rfc9421 {
            let host = actor.domain.clone();
            crate::delivery::sign::evidence(data, host, signature_formats::why::ADVERTISED).await;
        }
        Ok(actor)
    }
}

impl traits::Actor for DbActor {
    fn id(&self) -> Url {
        Url::parse(&self.ap_id)
            .unwrap_or_else(|_| Url::parse("http://invalid.invalid/").expect("constant"))
    }
    fn public_key_pem(&self) -> &str {
        &self.public_key_pem
    }
    fn private_key_pem(&self) -> Option<String> {
        self.private_key_pem.clone()
    }
    fn inbox(&self) -> Url {
        Url::parse(&self.inbox).unwrap_or_else(|_| self.id())
    }
    fn shared_inbox(&self) -> Option<Url> {
        self.shared_inbox
            .as_deref()
            .and_then(|s| Url::parse(s).ok())
    }
}

/// The remote actor's row, from its document (its keys read and checked by [`keys::of`]),
/// and its `url` when that is on another server.
fn remote_actor_row(
    json: Person,
    username: String,
    keys: &[ActorKey],
) -> Result<(NewActor, Option<String>), Error> {
    let domain = crate::domain::Host::name_of(&json.id);
    if domain.is_empty() {
        return Err(Error::BadRequest("actor id has no host".into()));
    }
    let Some(key) = keys.first() else {
        return Err(Error::BadRequest("the actor has no key".into()));
    };
    let (url, link) = urls::web(json.url.as_ref(), &json.id);
    let row = NewActor {
        ap_id: json.id.to_string(),
        local: false,
        kind: json.kind,
        username,
        domain,
        name: json.name,
        summary: json.summary,
        inbox: json.inbox.to_string(),
        shared_inbox: json
            .endpoints
            .and_then(|e| e.shared_inbox)
            .map(|u| u.to_string()),
        outbox: json.outbox.map(|u| u.to_string()),
        followers_url: json.followers.map(|u| u.to_string()),
        url,
        icon: json
            .icon
            .and_then(|i| urls::media(i.url.as_str(), &json.id)),
        public_key_id: key.id.clone(),
        public_key_pem: key.pem.clone(),
        private_key_pem: None,
        manually_approves_followers: json.manually_approves_followers.unwrap_or(false),
        published: json.published.map(|p| p.naive_utc()),
        fetched_at: db::now(),
    };
    Ok((row, link))
}

/// The author's actor document, with the profile as it is now.
pub fn local_person(actor: &DbActor, data: &AppState, profile: &Profile) -> Person {
    let urls = &data.urls;
    let image = |file: &Option<String>| {
        file.as_ref().map(|f| Image {
            kind: "Image".into(),
            url: urls.media(f),
            media_type: crate::media::file_format(f).map(|m| m.media_type().to_owned()),
        })
    };
    let fields = profile
        .fields
        .iter()
        .map(|f| {
            let value = match f.url() {
                Some(u) => format!(
                    r#"<a href="{0}" rel="me nofollow noopener noreferrer" target="_blank">{0}</a>"#,
                    crate::domain::text::escape(u)
                ),
                None => crate::domain::text::escape(&f.value),
            };
            serde_json::json!({ "type": "PropertyValue", "name": f.name, "value": value })
        })
        .collect();
    Person {
        kind: "Person".into(),
        id: urls.actor(),
        preferred_username: Some(actor.username.clone()),
        name: Some(profile.display_name.clone()),
        summary: Some(crate::domain::text::plain_to_html(&profile.summary)),
        inbox: urls.inbox(),
        outbox: Some(urls.outbox()),
        followers: Some(urls.followers()),
        following: Some(urls.following()),
        endpoints: Some(Endpoints {
            shared_inbox: Some(urls.shared_inbox()),
        }),
        public_key: vec![PublicKey {
            id: urls.key_id().to_string(),
            owner: urls.actor(),
            public_key_pem: actor.public_key_pem.clone(),
        }],
        assertion_method: Vec::new(),
        icon: image(&profile.avatar),
        image: image(&profile.header),
        attachment: fields,
        url: Some(urls.profile()),
        manually_approves_followers: Some(profile.locked),
        discoverable: Some(true),
        published: actor.published.map(|p| p.and_utc()),
        generator: capabilities::generator(data.settings.federation.accept_rfc9421),
    }
}
