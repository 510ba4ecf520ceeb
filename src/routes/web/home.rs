//! `GET /`: the profile header and the latest posts, paged with `?page=N`. The profile page
//! (`/@username`) is the same page at its own address.

use super::{
    html, respond,
    templates::val,
    view::{Meta, Pager, PostView, Site},
    PageQuery, PAGE_SIZE,
};
use crate::{
    db::{
        models::{Direction, FollowState},
        queries::{follows, pages, posts as read},
    },
    domain::text::plain_to_html,
    error::{Error, Result},
    state::Data,
};
use actix_web::{http::StatusCode, web, HttpResponse};
use serde::Serialize;

pub async fn get(query: web::Query<PageQuery>, data: Data) -> HttpResponse {
    respond(&data, page(&data, &query, Address::Home).await)
}

/// Where the page is being shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Address {
    Home,
    Profile,
}

/// The header of the home and profile pages.
#[derive(Debug, Serialize)]
struct Profile {
    name: String,
    handle: String,
    summary_html: String,
    avatar: Option<String>,
    posts: i64,
    followers: i64,
    links: Vec<Link>,
}

#[derive(Debug, Serialize)]
struct Link {
    url: String,
    label: String,
}

impl Link {
    /// Shown without the scheme and trailing slash, as people say addresses.
    fn new(url: &str) -> Link {
        let label = url
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/');
        Link {
            url: url.to_owned(),
            label: label.to_owned(),
        }
    }
}

pub async fn page(data: &Data, query: &PageQuery, address: Address) -> Result<HttpResponse> {
    let (number, offset) = query.offset()?;
    let (rows, posts, followers) = data
        .db
        .run(move |c| {
            let rows = pages::listed_posts(c, offset, PAGE_SIZE + 1)?;
            let rows = read::load(c, rows, None)?;
            let posts = pages::count_listed(c)?;
            let followers = follows::count(c, Direction::Incoming, FollowState::Accepted)?;
            Ok((rows, posts, followers))
        })
        .await?;
    if rows.is_empty() && number > 1 {
        return Err(Error::NotFound);
    }
    let has_older = rows.len() as i64 > PAGE_SIZE;
    let list: Vec<PostView> = rows
        .iter()
        .take(PAGE_SIZE as usize)
        .map(|r| PostView::new(data, r))
        .collect();
    let site = Site::new(data);
    let current = data.profile();
    let profile = Profile {
        name: current.display_name.clone(),
        handle: site.handle.clone(),
        summary_html: plain_to_html(&current.summary),
        avatar: current
            .avatar
            .as_ref()
            .map(|f| data.urls.media(f).to_string()),
        posts,
        followers,
        links: current.links().map(Link::new).collect(),
    };
    let own_url = match address {
        Address::Home => site.home.clone(),
        Address::Profile => site.profile.clone(),
    };
    let description = match current.summary.trim() {
        "" => format!("Notes and articles by {}", profile.name),
        summary => crate::domain::text::cut(summary, 200),
    };
    let mut meta = Meta::new(profile.name.clone(), description);
    meta.url = Some(match number {
        1 => own_url.clone(),
        n => format!("{own_url}?page={n}"),
    });
    meta.og_type = match address {
        Address::Home => "website",
        Address::Profile => "profile",
    };
    meta.activity_json = Some(data.urls.actor().to_string());
    meta.section = if address == Address::Home { "home" } else { "" };
    meta.image = profile.avatar.clone().map(|url| super::view::ImageView {
        url,
        alt: profile.name.clone(),
        width: None,
        height: None,
    });
    let pager = Pager::new(&own_url, number, has_older);
    let ctx = minijinja::context! {
        site => val(&site), meta => val(&meta), profile => val(&profile),
        posts => val(&list), pager => val(&pager),
    };
    html(StatusCode::OK, "home.html", ctx)
}
