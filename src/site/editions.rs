//! Newsletter editions: a file in the editions folder (`content/ausgaben/2007-11.md`) with a
//! number, a date, an editorial in its body and its articles, either listed as `@/…`
//! references or picked by a date range with optional tag and region filters.
//!
//! An edition is a page of the site (its web page, its place in the archive, `@/` links to
//! it); this module resolves what it is made of once the pages are in their final order.
//! Turning it into an e-mail is rendering's work ([`crate::edition`]).

use std::collections::{HashMap, HashSet};

use super::{Page, order::sort_pages};
use crate::content::front_matter::EditionFront;
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::source::Span;
use crate::text::slug::slugify;

/// What an edition is made of, once its references are resolved.
#[derive(Debug, Clone)]
pub struct Edition {
    /// Its running number.
    pub number: i64,
    /// Indexes of its articles in [`crate::site::Site::pages`], in the edition's order.
    pub articles: Vec<usize>,
}

/// The output files of an edition whose web page is at `path` (`/ausgaben/2007-11/`).
pub(crate) fn files(path: &str) -> [String; 3] {
    let dir = path.trim_start_matches('/');
    [
        format!("{dir}email.html"),
        format!("{dir}email.txt"),
        format!("{dir}edition.eml"),
    ]
}

/// Resolves every edition's articles and sets the articles' back-links. Pages must be in
/// their final order. `held` holds the `@/` names of drafts and scheduled pages, which an
/// edition cannot list (the error says why instead of "unknown").
pub(super) fn resolve(pages: &mut [Page], held: &HashSet<String>, diags: &mut Diagnostics) {
    let editions: Vec<usize> = (0..pages.len())
        .filter(|&i| pages[i].is_edition())
        .collect();
    if editions.is_empty() {
        return;
    }
    let names = Names {
        by_name: pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.content_path(), i))
            .collect(),
        articles: pages
            .iter()
            .filter(|p| !p.is_edition())
            .map(|p| p.content_path())
            .collect(),
        held,
    };
    let mut resolved: Vec<(usize, Edition)> = Vec::new();
    let mut numbers: HashMap<i64, usize> = HashMap::new();
    for &e in &editions {
        let page = &pages[e];
        let Some(front) = page.front.edition.as_deref() else {
            continue;
        };
        let number = number_of(pages, e, front, &mut numbers, diags);
        if page.date.is_none() {
            diags.push(
                Diagnostic::error("edition-date", "edition has no date")
                    .at(
                        &page.source,
                        page.front.span.clone(),
                        "no `date` in this front matter",
                    )
                    .help("add the day it goes out, e.g. `date: 2007-11-30`"),
            );
        }
        let articles = articles_of(pages, page, front, &names, diags);
        resolved.push((e, Edition { number, articles }));
    }
    link_back(pages, resolved);
}

/// How editions name their articles: by content path.
struct Names<'a> {
    /// Content path → page index.
    by_name: HashMap<&'a str, usize>,
    /// The content paths of the articles (not editions), for "did you mean".
    articles: Vec<&'a str>,
    /// The `@/` names of held-back pages.
    held: &'a HashSet<String>,
}

/// The edition's number; a missing or repeated number is an error. `numbers`: the numbers
/// of the editions before it.
fn number_of(
    pages: &[Page],
    e: usize,
    front: &EditionFront,
    numbers: &mut HashMap<i64, usize>,
    diags: &mut Diagnostics,
) -> i64 {
    let page = &pages[e];
    let Some(n) = &front.number else {
        diags.push(
            Diagnostic::error("edition-number", "edition has no number")
                .at(
                    &page.source,
                    page.front.span.clone(),
                    "no `number` in this front matter",
                )
                .help("add e.g. `number: 1` (the editions count up from 1)"),
        );
        return 0;
    };
    if let Some(&other) = numbers.get(&n.value) {
        diags.push(
            Diagnostic::error(
                "edition-number",
                format!("edition number {} is used twice", n.value),
            )
            .at(
                &page.source,
                n.span.clone(),
                "also the number of another edition",
            )
            .help(format!(
                "{} has this number already; give each edition its own",
                pages[other].source.name
            )),
        );
    }
    numbers.insert(n.value, e);
    n.value
}

/// The edition's articles: its list, or else the articles its date range picks.
fn articles_of(
    pages: &[Page],
    page: &Page,
    front: &EditionFront,
    names: &Names,
    diags: &mut Diagnostics,
) -> Vec<usize> {
    let source = &page.source;
    let range = front.from.is_some() || front.to.is_some();
    // Where a problem with the range is shown: its first bound, else the front matter.
    let range_span = front
        .from
        .as_ref()
        .or(front.to.as_ref())
        .map_or(page.front.span.clone(), |d| d.span.clone());
    if !front.articles.is_empty() {
        if range {
            diags.push(
                Diagnostic::error(
                    "edition-articles",
                    "edition has both an article list and a date range",
                )
                .at(source, range_span, "the range would be ignored")
                .help("keep either `articles:` or `from:`/`to:`"),
            );
        }
        return listed(pages, page, front, names, diags);
    }
    if !range {
        diags.push(
            Diagnostic::error("edition-articles", "edition lists no articles")
                .at(source, page.front.span.clone(), "no `articles` and no `from`")
                .help("list them as `articles: [\"@/artikel/….md\"]` or pick them by date with `from: 2007-11-01` and `to: 2007-11-30`"),
        );
        return Vec::new();
    }
    let articles = in_range(pages, front, page.date.as_ref());
    if articles.is_empty() {
        diags.push(
            Diagnostic::warning("edition-empty", "no article matches this edition's range")
                .at(source, range_span, "from here")
                .help("check `from`, `to` and the tag and region filters"),
        );
    }
    articles
}

/// The articles of an edition's `articles:` list, each an `@/` reference to an article.
fn listed(
    pages: &[Page],
    page: &Page,
    front: &EditionFront,
    names: &Names,
    diags: &mut Diagnostics,
) -> Vec<usize> {
    let mut articles = Vec::new();
    for item in &front.articles {
        let name = item.value.trim();
        let Some(target) = name.strip_prefix("@/") else {
            diags.push(
                Diagnostic::error(
                    "edition-article",
                    format!("`{name}` is not an `@/` reference"),
                )
                .at(&page.source, item.span.clone(), "expected @/folder/file.md")
                .help("name the article's file below content/, e.g. \"@/artikel/2007-11-06-regionalgruppe-rheinland.md\""),
            );
            continue;
        };
        let target = target.split('#').next().unwrap_or(target);
        match names.by_name.get(target) {
            Some(&i) if pages[i].is_edition() => diags.push(
                Diagnostic::error(
                    "edition-article",
                    format!("`{name}` is an edition, not an article"),
                )
                .at(
                    &page.source,
                    item.span.clone(),
                    "editions cannot contain editions",
                )
                .help("list the articles themselves"),
            ),
            Some(&i) if articles.contains(&i) => diags.push(
                Diagnostic::error("edition-article", format!("`{name}` is listed twice"))
                    .at(&page.source, item.span.clone(), "second mention")
                    .help("remove one of the two lines"),
            ),
            Some(&i) => articles.push(i),
            None => diags.push(not_a_page(page, name, target, &item.span, names)),
        }
    }
    articles
}

/// The error for a listed `@/` reference that names no page: a held-back one, or an unknown one.
fn not_a_page(page: &Page, name: &str, target: &str, span: &Span, names: &Names) -> Diagnostic {
    if names.held.contains(target) {
        return Diagnostic::error(
            "edition-article",
            format!("`{name}` is a draft or not yet published"),
        )
        .at(&page.source, span.clone(), "not part of the site at this edition's build")
        .help("publish the article first (remove `draft`, or move `publish_date`), or leave it out of this edition");
    }
    let help = match did_you_mean(target, names.articles.iter().copied()) {
        Some(s) => format!("did you mean `@/{s}`?"),
        None => "name a Markdown file below content/, e.g. @/artikel/2007-11-06-regionalgruppe-rheinland.md".to_string(),
    };
    Diagnostic::error("edition-article", format!("unknown article `{name}`"))
        .at(&page.source, span.clone(), "no such file in content/")
        .help(help)
}

/// Gives each edition its articles, and each article its editions, oldest first (the order
/// they went out in).
fn link_back(pages: &mut [Page], resolved: Vec<(usize, Edition)>) {
    for (e, edition) in resolved {
        for &a in &edition.articles {
            pages[a].editions.push(e);
        }
        pages[e].edition = Some(edition);
    }
    for page in pages.iter_mut() {
        if page.editions.len() > 1 {
            let mut list = std::mem::take(&mut page.editions);
            list.sort();
            page.editions = list;
        }
    }
}

/// The articles a date range picks: dated from the start of `from`'s day to the end of
/// `to`'s day (or the edition's own date), of the given tags and regions when there are
/// filters, newest first as the site lists them.
fn in_range(
    pages: &[Page],
    front: &EditionFront,
    date: Option<&jiff::ZonedDateTime>,
) -> Vec<usize> {
    let start = front.from.as_ref().map(|d| d.value.timestamp());
    let end = front.to.as_ref().map(|d| &d.value).or(date).map(end_of_day);
    let wanted = |names: &[String]| -> Vec<String> { names.iter().map(|n| slugify(n)).collect() };
    let (tags, regions) = (wanted(&front.tags), wanted(&front.regions));
    let mut picked: Vec<usize> = (0..pages.len())
        .filter(|&i| {
            let p = &pages[i];
            let Some(date) = &p.date else { return false };
            if p.is_edition() {
                return false;
            }
            let t = date.timestamp();
            start.is_none_or(|s| t >= s)
                && end.is_none_or(|e| t < e)
                && (tags.is_empty() || p.front.tags.iter().any(|x| tags.contains(&slugify(x))))
                && (regions.is_empty()
                    || p.front
                        .region
                        .as_ref()
                        .is_some_and(|r| regions.contains(&slugify(r))))
        })
        .collect();
    sort_pages(pages, &mut picked, "date");
    picked
}

/// The first instant after the range: the next midnight when `date` was written as a bare
/// day, so `to: 2007-11-30` includes that whole day; else the instant just after `date`.
fn end_of_day(date: &jiff::ZonedDateTime) -> jiff::Timestamp {
    let next = if date.time() == jiff::civil::Time::midnight() {
        date.tomorrow().ok()
    } else {
        date.checked_add(jiff::SignedDuration::from_nanos(1)).ok()
    };
    next.map_or(date.timestamp(), |d| d.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::dates::parse_date;
    use jiff::tz::TimeZone;

    #[test]
    fn a_bare_day_ends_at_the_next_midnight() {
        let tz = TimeZone::UTC;
        let day = parse_date("2007-11-30", &tz).unwrap();
        let next = parse_date("2007-12-01", &tz).unwrap();
        assert_eq!(end_of_day(&day), next.timestamp());
        let noon = parse_date("2007-11-30 12:00", &tz).unwrap();
        let just_after = noon.timestamp() + jiff::SignedDuration::from_nanos(1);
        assert_eq!(end_of_day(&noon), just_after);
    }
}
