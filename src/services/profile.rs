//! Editing the author's profile from an app: name, bio, locked, fields, avatar and header.
//! The edits are stored (over the config's values), the local actor's row follows, the live
//! copy in the app state is replaced, and followers are sent `Update(Person)` so their servers
//! show the new profile.

use crate::{
    apub::{objects::actor::local_person, send},
    db::{
        self,
        models::*,
        queries::{self, follows},
        Conn,
    },
    delivery,
    domain::{
        profile::{Field, Profile, MAX_FIELDS},
        text::plain_to_html,
    },
    error::{Error, Result},
    services,
    state::Data,
};

/// What an edit changes (`None`: unchanged).
#[derive(Debug, Default)]
pub struct ProfileEdit {
    pub display_name: Option<String>,
    pub summary: Option<String>,
    pub locked: Option<bool>,
    pub fields: Option<Vec<Field>>,
    pub avatar: Option<Vec<u8>>,
    pub header: Option<Vec<u8>>,
}

/// The profile: the config's values with the stored edits over them.
pub fn load(c: &mut Conn, settings: &crate::config::Settings) -> Result<Profile> {
    let mut profile = Profile::from_config(&settings.actor);
    let row = queries::profile::get(c)?;
    if let Some(row) = row {
        if let Some(v) = row.display_name {
            profile.display_name = v;
        }
        if let Some(v) = row.summary {
            profile.summary = v;
        }
        if let Some(v) = row.locked {
            profile.locked = v;
        }
        if let Some(v) = row.fields.and_then(|f| serde_json::from_str(&f).ok()) {
            profile.fields = v;
        }
        profile.avatar = row.avatar;
        profile.header = row.header;
    }
    Ok(profile)
}

fn check(edit: &ProfileEdit) -> Result<()> {
    let too_long = |what: &str, text: &Option<String>, max: usize| match text {
        Some(t) if t.chars().count() > max => Err(Error::Unprocessable(format!(
            "Validation failed: {what} is too long (at most {max} characters)"
        ))),
        _ => Ok(()),
    };
    too_long("Display name", &edit.display_name, 30)?;
    too_long("Note", &edit.summary, 500)?;
    if let Some(fields) = &edit.fields {
        if fields.len() > MAX_FIELDS {
            return Err(Error::Unprocessable(format!(
                "Validation failed: at most {MAX_FIELDS} fields"
            )));
        }
        for f in fields {
            too_long("Field name", &Some(f.name.clone()), 255)?;
            too_long("Field value", &Some(f.value.clone()), 255)?;
        }
    }
    Ok(())
}

/// Applies `edit`; returns the new profile.
pub async fn update(data: &Data, edit: ProfileEdit) -> Result<Profile> {
    check(&edit)?;
    let state = data.app_data().clone();
    // Images go through the same checks and stripping as any upload.
    let avatar = match edit.avatar {
        Some(bytes) => {
            services::media::upload(&state, bytes, None)
                .await?
                .file_name
        }
        None => None,
    };
    let header = match edit.header {
        Some(bytes) => {
            services::media::upload(&state, bytes, None)
                .await?
                .file_name
        }
        None => None,
    };
    let settings = state.settings.clone();
    let (fields, display_name, summary, locked) =
        (edit.fields, edit.display_name, edit.summary, edit.locked);
    let profile = data
        .db
        .run_write(move |c| {
            let mut row = queries::profile::get(c)?.unwrap_or(DbProfile {
                id: 1,
                ..DbProfile::default()
            });
            row.display_name = display_name.or(row.display_name);
            row.summary = summary.or(row.summary);
            row.locked = locked.or(row.locked);
            if let Some(f) = fields {
                row.fields = Some(serde_json::to_string(&f)?);
            }
            row.avatar = avatar.or(row.avatar);
            row.header = header.or(row.header);
            row.updated_at = db::now();
            queries::profile::put(c, &row)?;
            let profile = load(c, &settings)?;
            sync_actor(c, &state, &profile)?;
            Ok(profile)
        })
        .await?;
    match data.profile.write() {
        Ok(mut live) => *live = profile.clone(),
        Err(poisoned) => *poisoned.into_inner() = profile.clone(),
    }
    db::changes::changed();
    announce(data, &profile).await?;
    Ok(profile)
}

/// Keeps the local actor's row (what entities and pages read of it) in step.
fn sync_actor(c: &mut Conn, state: &crate::state::AppState, profile: &Profile) -> Result<()> {
    queries::actors::set_profile(
        c,
        state.local.actor.id,
        &profile.display_name,
        &profile.summary,
        profile
            .avatar
            .as_ref()
            .map(|f| state.urls.media(f).to_string()),
        profile.locked,
    )
}

/// Sends `Update(Person)` to every follower.
async fn announce(data: &Data, profile: &Profile) -> Result<()> {
    let state = data.app_data().clone();
    let person = local_person(&state.local.actor, &state, profile);
    data.db
        .run_write(move |c| {
            let inboxes = follows::follower_inboxes(c)?;
            let activity = send::update_actor(&state, serde_json::to_value(&person)?);
            delivery::enqueue(c, &activity, &inboxes)?;
            Ok(())
        })
        .await?;
    data.queue.wake();
    Ok(())
}

/// The bio as HTML.
pub fn summary_html(profile: &Profile) -> String {
    plain_to_html(&profile.summary)
}
