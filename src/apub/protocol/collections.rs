//! Ordered collections and their pages (outbox, followers, following).

use serde::Serialize;
use url::Url;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderedCollection {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub id: Url,
    pub total_items: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first: Option<Url>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last: Option<Url>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderedCollectionPage<T> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub id: Url,
    pub part_of: Url,
    pub total_items: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<Url>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prev: Option<Url>,
    pub ordered_items: Vec<T>,
}
