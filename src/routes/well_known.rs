//! Discovery: WebFinger (RFC 7033), host-meta (RFC 6415) and NodeInfo 2.0/2.1.

use crate::{
    db::queries::objects,
    domain::Acct,
    error::{Error, Result},
    routes::cache::shared,
    state::Data,
};
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/.well-known/webfinger", web::get().to(webfinger))
        .route("/.well-known/host-meta", web::get().to(host_meta))
        .route("/.well-known/nodeinfo", web::get().to(nodeinfo_links))
        .route("/nodeinfo/{version}", web::get().to(nodeinfo));
}

#[derive(Deserialize)]
struct WebfingerQuery {
    resource: Option<String>,
}

/// `GET /.well-known/webfinger?resource=acct:user@domain` (or the actor's URL).
async fn webfinger(query: web::Query<WebfingerQuery>, data: Data) -> Result<HttpResponse> {
    let resource = query
        .resource
        .as_deref()
        .ok_or_else(|| Error::BadRequest("the `resource` parameter is required".into()))?;
    let urls = &data.urls;
    let settings = &data.settings;
    let ours = match Acct::parse(resource) {
        Some(acct) if resource.trim_start().starts_with("acct:") || !resource.contains("://") => {
            acct.user.eq_ignore_ascii_case(&settings.actor.username)
                && acct.host == settings.server.domain.to_ascii_lowercase()
        }
        _ => [urls.actor(), urls.profile()]
            .iter()
            .any(|u| u.as_str() == resource),
    };
    if !ours {
        return Err(Error::NotFound);
    }
    let body = json!({
        "subject": format!("acct:{}@{}", settings.actor.username, settings.server.domain),
        "aliases": [urls.actor(), urls.profile()],
        "links": [
            { "rel": "self", "type": crate::apub::ACTIVITY_JSON, "href": urls.actor() },
            { "rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": urls.profile() },
        ]
    });
    Ok(shared(
        HttpResponse::Ok()
            .content_type("application/jrd+json; charset=utf-8")
            .insert_header(("Access-Control-Allow-Origin", "*"))
            .json(body),
    ))
}

/// `GET /.well-known/host-meta`: where WebFinger lives, for older software.
async fn host_meta(data: Data) -> HttpResponse {
    let base = data.urls.base();
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n  \
         <Link rel=\"lrdd\" template=\"{base}/.well-known/webfinger?resource={{uri}}\"/>\n\
         </XRD>\n"
    );
    HttpResponse::Ok()
        .content_type("application/xrd+xml; charset=utf-8")
        .body(xml)
}

/// `GET /.well-known/nodeinfo`: links to the schemas served.
async fn nodeinfo_links(data: Data) -> HttpResponse {
    let base = data.urls.base();
    HttpResponse::Ok().json(json!({
        "links": [
            { "rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": format!("{base}/nodeinfo/2.0") },
            { "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": format!("{base}/nodeinfo/2.1") },
        ]
    }))
}

/// `GET /nodeinfo/2.0` and `/nodeinfo/2.1`.
async fn nodeinfo(version: web::Path<String>, data: Data) -> Result<HttpResponse> {
    let version = version.into_inner();
    if version != "2.0" && version != "2.1" {
        return Err(Error::NotFound);
    }
    let posts = data.db.run(objects::count_local).await?;
    let mut software = json!({ "name": "perch", "version": env!("CARGO_PKG_VERSION") });
    if version == "2.1" && !env!("CARGO_PKG_REPOSITORY").is_empty() {
        software["repository"] = json!(env!("CARGO_PKG_REPOSITORY"));
    }
    let body = json!({
        "version": version,
        "software": software,
        "protocols": ["activitypub"],
        "services": { "inbound": [], "outbound": [] },
        "openRegistrations": false,
        "usage": {
            "users": { "total": 1, "activeMonth": 1, "activeHalfyear": 1 },
            "localPosts": posts,
        },
        // `software.name` stays perch; `upstream` is how forks and kin say whose client API
        // they speak, and what app detectors (megalodon's `detector()`) read for a name they
        // do not know.
        "metadata": {
            "nodeName": data.profile().display_name,
            "upstream": { "name": "mastodon", "version": crate::domain::MASTODON_API_VERSION },
        },
    });
    let schema = format!("http://nodeinfo.diaspora.software/ns/schema/{version}#");
    Ok(shared(
        HttpResponse::Ok()
            .content_type(format!(
                "application/json; profile=\"{schema}\"; charset=utf-8"
            ))
            .json(body),
    ))
}
