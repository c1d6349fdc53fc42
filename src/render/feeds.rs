//! The feeds (the site's Atom and RSS feeds, a term's Atom feed): which pages they list
//! and the `feed` object their templates (`atom.xml`, `rss.xml`) see.

use tera::Value;

use super::values::{Values, map};
use crate::site::Site;

/// The pages a feed lists: the dated ones among `items`, at most `feeds.limit`.
pub(super) fn feed_items(site: &Site, items: &[usize]) -> Vec<usize> {
    items
        .iter()
        .copied()
        .filter(|&i| site.pages[i].date.is_some())
        .take(site.config.feeds.limit)
        .collect()
}

/// The `feed` object: title, its own URL, the page it belongs to, and its items.
pub(super) fn feed_value(
    site: &Site,
    v: &Values,
    title: String,
    url: String,
    alternate: &str,
    items: &[usize],
) -> Value {
    let dated = feed_items(site, items);
    map([
        ("title", Value::from(title)),
        ("url", Value::from(url)),
        ("alternate", Value::from(alternate)),
        ("updated", Value::from(newest(site, &dated))),
        (
            "items",
            Value::from(
                dated
                    .iter()
                    .map(|&i| v.pages[i].clone())
                    .collect::<Vec<_>>(),
            ),
        ),
    ])
}

/// The newest `updated` (or `date`) among pages, as RFC 3339; a fixed early date for none,
/// so an empty feed is still valid and the output deterministic.
fn newest(site: &Site, pages: &[usize]) -> String {
    site.newest_change(pages).map_or_else(
        || "1970-01-01T00:00:00+00:00".to_string(),
        |z| z.timestamp().display_with_offset(z.offset()).to_string(),
    )
}
