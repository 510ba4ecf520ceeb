//! `/api/v1/statuses`: posting (a note, or an article when the text opens with a `# Title`
//! line; Markdown notes with `content_type: text/markdown`), reading, editing with history and
//! source, deleting, thread context, favourites and boosts. On a comment, `DELETE` hides it
//! and favouriting a held one approves it: that is how the author moderates from an app.
//! Split by verb: `read` (a status, its source, history, context and who reacted), `write`
//! (create, edit, delete) and `actions` (favourite and boost); the lookups they share are here.

mod actions;
mod read;
mod write;

pub use actions::{favourite, reblog, unfavourite, unreblog};
pub use read::{context, favourited_by, get, history, reblogged_by, source};
pub use write::{create, delete, update};

use super::{
    entities::{status, Ctx},
    ApiError, ApiResult,
};
use crate::{
    db::{models::DbObject, queries::objects, Conn},
    domain::visibility::Reader,
    error::Error,
    state::Data,
};

/// Renders one stored object as a Status.
pub async fn render_one(data: &Data, object: DbObject) -> ApiResult<status::Status> {
    let state = data.app_data().clone();
    Ok(data
        .db
        .run(move |c| status::render(c, &mut Ctx::new(&state), &object))
        .await?)
}

/// The live object `id`, if the caller may read it.
pub fn find(c: &mut Conn, id: &str, author: bool) -> crate::error::Result<DbObject> {
    let id: i64 = id.parse().map_err(|_| Error::NotFound)?;
    objects::by_id(c, id)?
        .filter(|o| o.readable_by(Reader::author_if(author)))
        .ok_or(Error::NotFound)
}

async fn load(data: &Data, id: String, author: bool) -> ApiResult<DbObject> {
    Ok(data.db.run(move |c| find(c, &id, author)).await?)
}

/// The author's own live post `id`.
async fn own(data: &Data, id: String) -> ApiResult<DbObject> {
    let post = load(data, id, true).await?;
    if !post.local {
        return Err(ApiError::forbidden("This action is not allowed"));
    }
    Ok(post)
}
