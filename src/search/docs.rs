//! The documents of the index, taken from the resolved site: articles, editions, other
//! pages and author profiles, as the settings choose, each with the fields the search page
//! shows and filters by. Held-back documents (drafts, scheduled, expired) are not in the
//! site unless the build asked for them (`--drafts`), so they never reach the index.

use crate::config::Search;
use crate::site::{Byline, Site};
use crate::text::dates::month_name;

/// What a document is, as the search page's type filter names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Article,
    Edition,
    Page,
    Author,
}

impl Kind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Article => "article",
            Kind::Edition => "edition",
            Kind::Page => "page",
            Kind::Author => "author",
        }
    }
}

/// Where a document comes from in the site, with the fingerprint of everything the index
/// takes from it (a changed fingerprint makes it read again).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Source {
    Page(usize),
    Author(usize),
}

/// One document of the index.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    pub(crate) source: Source,
    /// The source file's name, the key of its cache entry.
    pub(crate) name: String,
    pub(crate) kind: Kind,
    pub(crate) url: String,
    pub(crate) title: String,
    /// `2007-11-06`, empty without a date.
    pub(crate) iso_date: String,
    /// As a reader reads it, `6. November 2007`.
    pub(crate) date: String,
    pub(crate) authors: Vec<String>,
    pub(crate) region: Option<String>,
    pub(crate) tags: Vec<String>,
}

/// The documents to index, oldest first (undated ones, the profiles, before them), each
/// group in URL order: new articles come last, so the ids of the others stay as they were.
pub(crate) fn collect(site: &Site, search: &Search) -> Vec<Doc> {
    let mut docs = Vec::new();
    let lang = site.config.language.as_str();
    for (i, p) in site.pages.iter().enumerate() {
        let kind = if p.is_edition() {
            Kind::Edition
        } else if p.date.is_some() {
            Kind::Article
        } else {
            Kind::Page
        };
        let wanted = match kind {
            Kind::Article => "articles",
            Kind::Edition => "editions",
            _ => "pages",
        };
        let section = &site.sections[p.section].dir;
        let excluded = search
            .exclude_sections
            .iter()
            .any(|s| section == s || section.starts_with(&format!("{s}/")));
        if !search.indexes(wanted) || excluded {
            continue;
        }
        let (iso_date, date) = p.date.as_ref().map_or_else(Default::default, |z| {
            let d = z.date();
            (d.to_string(), display_date(d, lang))
        });
        docs.push(Doc {
            source: Source::Page(i),
            name: p.source.name.clone(),
            kind,
            url: p.path.clone(),
            title: p.front.title.clone().unwrap_or_default(),
            iso_date,
            date,
            authors: p.bylines.iter().map(|b| byline_name(site, b)).collect(),
            region: p.front.region.clone(),
            tags: p.front.tags.clone(),
        });
    }
    if search.indexes("authors") {
        for (i, a) in site.authors.iter().enumerate() {
            docs.push(Doc {
                source: Source::Author(i),
                name: a.source.name.clone(),
                kind: Kind::Author,
                url: a.path.clone(),
                title: a.title.clone(),
                iso_date: String::new(),
                date: String::new(),
                authors: Vec::new(),
                region: a.front.region.clone(),
                tags: Vec::new(),
            });
        }
    }
    docs.sort_by(|a, b| (&a.iso_date, &a.url).cmp(&(&b.iso_date, &b.url)));
    docs
}

fn byline_name(site: &Site, b: &Byline) -> String {
    match b {
        Byline::Profile(a) => site.authors[*a].title.clone(),
        Byline::Guest(g) => g.name.clone(),
    }
}

/// `6. November 2007` (German), `November 6, 2007` (English).
fn display_date(d: jiff::civil::Date, lang: &str) -> String {
    let month = month_name(d.month(), lang);
    if lang == "en" {
        format!("{month} {}, {}", d.day(), d.year())
    } else {
        format!("{}. {month} {}", d.day(), d.year())
    }
}
