//! The local actor: created with its RSA key pair on first start, kept in step with the
//! profile (the config, with the edits made from apps) after that; and the author's password.

use crate::{
    config::Settings,
    db::{
        self,
        models::*,
        queries::{account, actors},
        Db,
    },
    domain::Urls,
    error::{Error, Result},
};

/// Creates the local actor and its keys if missing (idempotent); refreshes its profile and
/// ids from the settings otherwise. Returns the row and whether it was created.
pub fn ensure_local_actor(
    db: &Db,
    settings: &Settings,
    urls: &Urls,
    profile: &crate::domain::profile::Profile,
) -> Result<(DbActor, bool)> {
    let mut conn = db.conn()?;
    let existing = actors::find_local(&mut conn)?;
    let (public_key_pem, private_key_pem, created) = match &existing {
        Some(a) => (
            a.public_key_pem.clone(),
            a.private_key_pem
                .clone()
                .ok_or_else(|| Error::Key("local actor has no private key".into()))?,
            false,
        ),
        None => {
            let pair = activitypub_federation::http_signatures::generate_actor_keypair()
                .map_err(|e| Error::Key(e.to_string()))?;
            (pair.public_key, pair.private_key, true)
        }
    };
    let now = db::now();
    let new = NewActor {
        ap_id: urls.actor().to_string(),
        local: true,
        kind: "Person".into(),
        username: settings.actor.username.clone(),
        domain: settings.server.domain.clone(),
        name: Some(profile.display_name.clone()),
        summary: Some(profile.summary.clone()),
        inbox: urls.inbox().to_string(),
        shared_inbox: Some(urls.shared_inbox().to_string()),
        outbox: Some(urls.outbox().to_string()),
        followers_url: Some(urls.followers().to_string()),
        url: Some(urls.profile().to_string()),
        icon: profile.avatar.as_ref().map(|f| urls.media(f).to_string()),
        public_key_id: urls.key_id().to_string(),
        public_key_pem,
        private_key_pem: Some(private_key_pem),
        manually_approves_followers: profile.locked,
        published: Some(existing.as_ref().and_then(|a| a.published).unwrap_or(now)),
        fetched_at: now,
    };
    let row = db::write(&mut conn, |c| {
        let row = match &existing {
            Some(old) => actors::replace(c, old.id, &new)?,
            None => actors::upsert(c, &new)?,
        };
        account::ensure(c, row.id)?;
        Ok(row)
    })?;
    Ok((row, created))
}

/// Stores the author's login password (argon2id).
pub fn set_password(db: &Db, password: &str) -> Result<()> {
    use argon2::{
        password_hash::{rand_core::OsRng, PasswordHasher, SaltString},
        Argon2,
    };
    if password.chars().count() < 8 {
        return Err(Error::BadRequest(
            "the password needs at least 8 characters".into(),
        ));
    }
    let salt = SaltString::generate(&mut OsRng);
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(Error::internal)?
        .to_string();
    let mut conn = db.conn()?;
    if !account::set_password_hash(&mut conn, hash)? {
        return Err(Error::internal("no account yet: run `perch init` first"));
    }
    Ok(())
}

/// Whether `password` is the author's.
pub fn check_password(db: &Db, password: &str) -> Result<bool> {
    use argon2::{password_hash::PasswordHash, Argon2, PasswordVerifier};
    let mut conn = db.conn()?;
    let Some(hash) = account::password_hash_of(&mut conn)? else {
        return Ok(false);
    };
    let parsed = PasswordHash::new(&hash).map_err(Error::internal)?;
    Ok(Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok())
}
