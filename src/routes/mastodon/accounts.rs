//! `/api/v1/accounts`: the author's own account (verify_credentials), any known account,
//! lookup, relationships, followers and following, follow / unfollow of remote accounts,
//! blocks, and the follow requests a locked account holds.

use super::{
    auth::{Auth, MaybeAuth},
    entities::{account, relationship},
    paging,
    params::Params,
    ApiError, ApiResult,
};
use crate::{
    db::{
        models::*,
        queries::{actors, blocks, follows},
    },
    domain::profile::Field,
    error::{Error, Result},
    services::{
        follow, followers, moderation,
        profile::{self, ProfileEdit},
        resolve,
    },
    state::Data,
};
use actix_web::{web::Path, HttpRequest, HttpResponse};
use serde_json::json;

/// [`GET /api/v1/accounts/verify_credentials`](https://docs.joinmastodon.org/methods/accounts/#verify_credentials):
/// the author's account, with its source (the bio and fields as typed).
pub async fn verify_credentials(data: Data, auth: Auth) -> ApiResult<HttpResponse> {
    auth.require("profile")
        .or_else(|_| auth.require("read:accounts"))?;
    let state = data.app_data().clone();
    let me = data
        .db
        .run(move |c| account::author_with_source(c, &state))
        .await?;
    Ok(HttpResponse::Ok().json(me))
}

/// The known actor with row id `id`.
async fn actor(data: &Data, id: &str) -> ApiResult<DbActor> {
    let id: i64 = id.parse().map_err(|_| ApiError::not_found())?;
    data.db
        .run(move |c| actors::by_id(c, id))
        .await?
        .ok_or_else(ApiError::not_found)
}

async fn render(data: &Data, a: DbActor) -> ApiResult<account::Account> {
    let state = data.app_data().clone();
    Ok(data.db.run(move |c| account::render(c, &state, &a)).await?)
}

/// [`GET /api/v1/accounts/:id`](https://docs.joinmastodon.org/methods/accounts/#get): a known
/// account.
pub async fn get(data: Data, _auth: MaybeAuth, id: Path<String>) -> ApiResult<HttpResponse> {
    let a = actor(&data, &id).await?;
    Ok(HttpResponse::Ok().json(render(&data, a).await?))
}

/// [`GET /api/v1/accounts/lookup`](https://docs.joinmastodon.org/methods/accounts/#lookup): an
/// account by `acct=user` or `user@host` (WebFinger for unknown ones).
pub async fn lookup(data: Data, auth: MaybeAuth, params: Params) -> ApiResult<HttpResponse> {
    let acct = params.str("acct").unwrap_or_default();
    let acct = acct.trim().trim_start_matches('@');
    let found = if acct.contains('@') {
        let local = format!(
            "{}@{}",
            data.local.actor.username, data.settings.server.domain
        );
        if acct.eq_ignore_ascii_case(&local) {
            Some(data.local.actor.clone())
        } else {
            // Only the author makes perch ask other servers (as with search's `resolve`).
            resolve::account(&data, acct, auth.is_author("read:accounts")).await?
        }
    } else if acct.eq_ignore_ascii_case(&data.local.actor.username) {
        Some(data.local.actor.clone())
    } else {
        None
    };
    let found = found.ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(render(&data, found).await?))
}

/// [`GET /api/v1/accounts/relationships`](https://docs.joinmastodon.org/methods/accounts/#relationships):
/// how the author stands with each account `id[]`.
pub async fn relationships(data: Data, auth: Auth, params: Params) -> ApiResult<HttpResponse> {
    auth.require("read:follows")?;
    let ids = params.ids("id").unwrap_or_default();
    let body = data
        .db
        .run(move |c| {
            let mut out = Vec::new();
            for id in ids {
                if let Some(a) = actors::by_id(c, id)? {
                    out.push(relationship::render(c, &a)?);
                }
            }
            Ok(out)
        })
        .await?;
    Ok(HttpResponse::Ok().json(body))
}

async fn relationship_of(data: &Data, a: DbActor) -> ApiResult<HttpResponse> {
    let body = data.db.run(move |c| relationship::render(c, &a)).await?;
    Ok(HttpResponse::Ok().json(body))
}

/// A remote account, for actions that only make sense on one.
async fn remote(data: &Data, id: &str) -> ApiResult<DbActor> {
    let a = actor(data, id).await?;
    if a.local {
        return Err(ApiError::forbidden(
            "This action is not allowed on your own account",
        ));
    }
    Ok(a)
}

/// [`POST /api/v1/accounts/:id/follow`](https://docs.joinmastodon.org/methods/accounts/#follow):
/// follows a remote account.
pub async fn follow(data: Data, auth: Auth, id: Path<String>) -> ApiResult<HttpResponse> {
    auth.require("write:follows")?;
    let a = remote(&data, &id).await?;
    follow::follow(&data, &a.acct()).await?;
    relationship_of(&data, a).await
}

/// [`POST /api/v1/accounts/:id/unfollow`](https://docs.joinmastodon.org/methods/accounts/#unfollow):
/// stops following a remote account.
pub async fn unfollow(data: Data, auth: Auth, id: Path<String>) -> ApiResult<HttpResponse> {
    auth.require("write:follows")?;
    let a = remote(&data, &id).await?;
    follow::unfollow(&data, &a.acct()).await?;
    relationship_of(&data, a).await
}

/// [`POST /api/v1/accounts/:id/block`](https://docs.joinmastodon.org/methods/accounts/#block):
/// blocks a remote account (its activities are refused, its comments hidden).
pub async fn block(data: Data, auth: Auth, id: Path<String>) -> ApiResult<HttpResponse> {
    auth.require("write:blocks")?;
    let a = remote(&data, &id).await?;
    moderation::block(&data, &a.acct()).await?;
    relationship_of(&data, a).await
}

/// [`POST /api/v1/accounts/:id/unblock`](https://docs.joinmastodon.org/methods/accounts/#unblock):
/// lifts a block on a remote account.
pub async fn unblock(data: Data, auth: Auth, id: Path<String>) -> ApiResult<HttpResponse> {
    auth.require("write:blocks")?;
    let a = remote(&data, &id).await?;
    moderation::unblock(data.app_data(), a.ap_id.clone()).await?;
    relationship_of(&data, a).await
}

/// Followers (`in`) or followed accounts (`out`) of the author, paged by follow; other
/// accounts' lists are not perch's to tell (empty).
async fn follow_list(
    data: Data,
    req: HttpRequest,
    id: String,
    params: Params,
    direction: Direction,
    in_state: FollowState,
) -> ApiResult<HttpResponse> {
    let a = actor(&data, &id).await?;
    let page = paging::read(&params, 40, 80)?;
    let state = data.app_data().clone();
    let (accounts, ids) = data
        .db
        .run(move |c| -> Result<_> {
            if !a.local {
                return Ok((Vec::new(), Vec::new()));
            }
            let rows = follows::page(c, direction, in_state, page)?;
            let accounts = rows
                .iter()
                .map(|(_, a)| account::render(c, &state, a))
                .collect::<Result<Vec<_>>>()?;
            Ok((accounts, rows.iter().map(|(id, _)| *id).collect()))
        })
        .await?;
    Ok(paging::respond(&data, &req, &accounts, &ids))
}

/// [`GET /api/v1/accounts/:id/followers`](https://docs.joinmastodon.org/methods/accounts/#followers):
/// the author's followers (empty for other accounts).
pub async fn followers_of(
    data: Data,
    _auth: MaybeAuth,
    req: HttpRequest,
    id: Path<String>,
    params: Params,
) -> ApiResult<HttpResponse> {
    follow_list(
        data,
        req,
        id.into_inner(),
        params,
        Direction::Incoming,
        FollowState::Accepted,
    )
    .await
}

/// [`GET /api/v1/accounts/:id/following`](https://docs.joinmastodon.org/methods/accounts/#following):
/// the accounts the author follows (empty for other accounts).
pub async fn following_of(
    data: Data,
    _auth: MaybeAuth,
    req: HttpRequest,
    id: Path<String>,
    params: Params,
) -> ApiResult<HttpResponse> {
    follow_list(
        data,
        req,
        id.into_inner(),
        params,
        Direction::Outgoing,
        FollowState::Accepted,
    )
    .await
}

/// [`GET /api/v1/follow_requests`](https://docs.joinmastodon.org/methods/follow_requests/#get): who
/// asks to follow the locked account.
pub async fn follow_requests(
    data: Data,
    auth: Auth,
    req: HttpRequest,
    params: Params,
) -> ApiResult<HttpResponse> {
    auth.require("read:follows")?;
    let me = data.local.actor.id.to_string();
    follow_list(
        data,
        req,
        me,
        params,
        Direction::Incoming,
        FollowState::Pending,
    )
    .await
}

async fn answer_request(
    data: Data,
    auth: Auth,
    id: String,
    approve: bool,
) -> ApiResult<HttpResponse> {
    auth.require("write:follows")?;
    let a = remote(&data, &id).await?;
    followers::answer(data.app_data(), &a.acct(), approve)
        .await
        .map_err(|e| match e {
            Error::BadRequest(_) => ApiError::not_found(),
            e => ApiError(e),
        })?;
    relationship_of(&data, a).await
}

/// [`POST /api/v1/follow_requests/:id/authorize`](https://docs.joinmastodon.org/methods/follow_requests/#accept):
/// accepts a pending follow request.
pub async fn authorize_request(
    data: Data,
    auth: Auth,
    id: Path<String>,
) -> ApiResult<HttpResponse> {
    answer_request(data, auth, id.into_inner(), true).await
}

/// [`POST /api/v1/follow_requests/:id/reject`](https://docs.joinmastodon.org/methods/follow_requests/#reject):
/// refuses a pending follow request.
pub async fn reject_request(data: Data, auth: Auth, id: Path<String>) -> ApiResult<HttpResponse> {
    answer_request(data, auth, id.into_inner(), false).await
}

/// [`GET /api/v1/blocks`](https://docs.joinmastodon.org/methods/blocks/#get): the blocked accounts.
pub async fn blocked_accounts(data: Data, auth: Auth) -> ApiResult<HttpResponse> {
    auth.require("read:blocks")?;
    let state = data.app_data().clone();
    let accounts = data
        .db
        .run(move |c| {
            let mut out = Vec::new();
            for b in blocks::list(c)? {
                if let Some(a) = b.actor_ap_id.as_deref() {
                    if let Some(a) = actors::by_ap_id(c, a)? {
                        out.push(account::render(c, &state, &a)?);
                    }
                }
            }
            Ok(out)
        })
        .await?;
    Ok(HttpResponse::Ok().json(accounts))
}

/// [`GET /api/v1/domain_blocks`](https://docs.joinmastodon.org/methods/domain_blocks/#get): the
/// blocked domains.
pub async fn domain_blocks(data: Data, auth: Auth) -> ApiResult<HttpResponse> {
    auth.require("read:blocks")?;
    let domains: Vec<String> = data
        .db
        .run(|c| {
            Ok(blocks::list(c)?
                .into_iter()
                .filter_map(|b| b.domain)
                .collect())
        })
        .await?;
    Ok(HttpResponse::Ok().json(domains))
}

/// [`POST /api/v1/domain_blocks`](https://docs.joinmastodon.org/methods/domain_blocks/#block):
/// blocks a whole domain.
pub async fn block_domain(data: Data, auth: Auth, params: Params) -> ApiResult<HttpResponse> {
    auth.require("write:blocks")?;
    let domain = params.str("domain").unwrap_or_default();
    if domain.contains('@') || domain.trim().is_empty() {
        return Err(ApiError::unprocessable("domain must be a host name"));
    }
    moderation::block(&data, &domain).await?;
    Ok(HttpResponse::Ok().json(json!({})))
}

/// [`DELETE /api/v1/domain_blocks`](https://docs.joinmastodon.org/methods/domain_blocks/#unblock):
/// lifts a domain block.
pub async fn unblock_domain(data: Data, auth: Auth, params: Params) -> ApiResult<HttpResponse> {
    auth.require("write:blocks")?;
    let domain = params
        .str("domain")
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    moderation::unblock(data.app_data(), domain).await?;
    Ok(HttpResponse::Ok().json(json!({})))
}

/// [`PATCH /api/v1/accounts/update_credentials`](https://docs.joinmastodon.org/methods/accounts/#update_credentials):
/// display name, note, locked, fields (`fields_attributes[0][name]`… or JSON), avatar and header
/// (multipart files).
pub async fn update_credentials(
    data: Data,
    auth: Auth,
    mut params: Params,
) -> ApiResult<HttpResponse> {
    auth.require("write:accounts")?;
    let fields = fields_attributes(&params);
    let edit = ProfileEdit {
        display_name: params.str("display_name").map(|n| n.trim().to_owned()),
        summary: params.str("note"),
        locked: params.bool("locked")?,
        fields,
        avatar: params.take_file("avatar").map(|f| f.bytes),
        header: params.take_file("header").map(|f| f.bytes),
    };
    profile::update(&data, edit).await?;
    verify_credentials(data, auth).await
}

/// The fields an app sent, in either notation; `None` when it sent none.
fn fields_attributes(params: &Params) -> Option<Vec<Field>> {
    let mut fields = Vec::new();
    match params.value("fields_attributes") {
        Some(serde_json::Value::Array(items)) => {
            for item in items {
                fields.push((item["name"].as_str(), item["value"].as_str()));
            }
        }
        Some(serde_json::Value::Object(map)) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by_key(|k| k.parse::<u32>().unwrap_or(u32::MAX));
            for k in keys {
                fields.push((map[k]["name"].as_str(), map[k]["value"].as_str()));
            }
        }
        _ => {
            let mut found = false;
            let form: Vec<(Option<String>, Option<String>)> = (0..16)
                .map(|i| {
                    let name = params.str(&format!("fields_attributes[{i}][name]"));
                    let value = params.str(&format!("fields_attributes[{i}][value]"));
                    found |= name.is_some() || value.is_some();
                    (name, value)
                })
                .collect();
            if !found {
                return None;
            }
            return Some(
                form.into_iter()
                    .filter_map(|(n, v)| pair(n.as_deref(), v.as_deref()))
                    .collect(),
            );
        }
    }
    Some(fields.into_iter().filter_map(|(n, v)| pair(n, v)).collect())
}

/// A field worth keeping: both halves, not blank.
fn pair(name: Option<&str>, value: Option<&str>) -> Option<Field> {
    let (name, value) = (name?.trim(), value?.trim());
    (!name.is_empty() && !value.is_empty()).then(|| Field {
        name: name.to_owned(),
        value: value.to_owned(),
    })
}
