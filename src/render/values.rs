//! Template values: each page, section, author and term becomes a `tera::Value` once, and
//! every context that shows it shares that value (strings, lists and maps inside a
//! `tera::Value` are reference-counted, so a clone is a pointer copy).

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use tera::Value;

use super::fields::{self, Build, Parts};
use crate::config::Config;
use crate::markdown::TocEntry;
use crate::site::{Page, Site};

/// Every value the templates of one build see.
pub(crate) struct Values {
    pub(crate) site: Value,
    pub(crate) authors: Vec<Value>,
    pub(crate) pages: Vec<Value>,
    pub(crate) sections: Vec<Value>,
    /// Per taxonomy: `{name, title, path, permalink}`.
    pub(crate) taxonomies: Vec<Value>,
    /// Per taxonomy, per term: `{name, slug, path, permalink, count, feed}`.
    pub(crate) terms: Vec<Vec<Value>>,
}

impl Values {
    /// Builds the values of `site`. A page value whose fingerprint is in `cache` is taken
    /// from there; `cache` is left holding exactly this build's page values. `html` is
    /// empty, or per page its Markdown HTML taken out of the page (dropped as soon as the
    /// page's value holds it).
    pub(crate) fn new(
        site: &Site,
        page_fps: &[u64],
        cache: &mut HashMap<String, (u64, Value)>,
        html: Vec<Option<String>>,
    ) -> Values {
        let config = &site.config;
        let taxonomies = taxonomy_values(site);
        // What a page shows of its terms: no counts, so a page is not rendered again when
        // another page joins one of its terms.
        let term_refs = term_refs(site);
        let terms = term_values(site, &term_refs);
        let authors: Vec<Value> = site
            .authors
            .iter()
            .map(|a| {
                let mut b = Build::default();
                fields::author(&mut b, a, &config.images);
                b.finish()
            })
            .collect();
        let parts = Parts {
            site,
            authors: &authors,
            author_fps: &[],
            term_refs: &term_refs,
        };
        let pages = page_values(site, page_fps, cache, html, &parts);
        let sections = site
            .sections
            .iter()
            .map(|s| {
                let mut b = Build::default();
                fields::section(&mut b, s, &site.sections, &pages, &[]);
                b.finish()
            })
            .collect();
        Values {
            site: site_value(
                config,
                &taxonomies,
                site.pages.iter().any(Page::is_edition),
                &site.menus,
            ),
            authors,
            pages,
            sections,
            taxonomies,
            terms,
        }
    }
}

/// Per taxonomy: `{name, title, path, permalink}`.
fn taxonomy_values(site: &Site) -> Vec<Value> {
    site.taxonomies
        .iter()
        .map(|t| {
            map([
                ("name", Value::from(t.config.name.as_str())),
                ("title", Value::from(t.config.title())),
                ("path", Value::from(t.path.as_str())),
                ("permalink", Value::from(t.permalink.as_str())),
            ])
        })
        .collect()
}

/// Per taxonomy, per term: what a page shows of it, `{name, slug, path, permalink}`.
fn term_refs(site: &Site) -> Vec<Vec<Value>> {
    site.taxonomies
        .iter()
        .map(|t| {
            t.terms
                .iter()
                .map(|term| {
                    map([
                        ("name", Value::from(term.name.as_str())),
                        ("slug", Value::from(term.slug.as_str())),
                        ("path", Value::from(term.path.as_str())),
                        ("permalink", Value::from(term.permalink.as_str())),
                    ])
                })
                .collect()
        })
        .collect()
}

/// What term lists and term pages show: the term's reference, with the count and the feed.
fn term_values(site: &Site, term_refs: &[Vec<Value>]) -> Vec<Vec<Value>> {
    site.taxonomies
        .iter()
        .zip(term_refs)
        .map(|(t, refs)| {
            t.terms
                .iter()
                .zip(refs)
                .map(|(term, r)| {
                    let feed = t.config.feed.then(|| format!("{}atom.xml", term.permalink));
                    let mut m = r.as_map().cloned().unwrap_or_default();
                    m.insert("count".into(), Value::from(term.pages.len()));
                    m.insert("feed".into(), opt(feed.as_deref()));
                    Value::from(m)
                })
                .collect()
        })
        .collect()
}

/// Every page's value: from `cache` when its fingerprint is unchanged, else built (in
/// parallel). `cache` is left holding exactly these values.
fn page_values(
    site: &Site,
    page_fps: &[u64],
    cache: &mut HashMap<String, (u64, Value)>,
    mut html: Vec<Option<String>>,
    parts: &Parts,
) -> Vec<Value> {
    html.resize(site.pages.len(), None);
    let mut fresh: Vec<(Value, bool)> = site
        .pages
        .par_iter()
        .zip(page_fps)
        .zip(html)
        .map(|((p, fp), html)| match cache.get(&p.source.name) {
            Some((old, value)) if old == fp => (value.clone(), false),
            _ => {
                let html = html.as_deref().unwrap_or(&p.content.html);
                let mut b = Build::default();
                fields::page(&mut b, p, html, parts);
                (b.finish(), true)
            }
        })
        .collect();
    add_edition_values(site, &mut fresh);
    // Only new values are stored; pages that went away are dropped.
    let mut pages = Vec::with_capacity(fresh.len());
    for ((p, fp), (value, is_new)) in site.pages.iter().zip(page_fps).zip(fresh) {
        if is_new {
            cache.insert(p.source.name.clone(), (*fp, value.clone()));
        }
        pages.push(value);
    }
    if cache.len() != site.pages.len() {
        let names: HashSet<&str> = site.pages.iter().map(|p| p.source.name.as_str()).collect();
        cache.retain(|k, _| names.contains(k.as_str()));
    }
    pages
}

/// An edition shows its articles: their values are added to each new edition value once
/// all pages have one.
fn add_edition_values(site: &Site, fresh: &mut [(Value, bool)]) {
    for (i, p) in site.pages.iter().enumerate() {
        if let Some(edition) = &p.edition
            && fresh[i].1
        {
            let articles: Vec<Value> = edition
                .articles
                .iter()
                .map(|&a| fresh[a].0.clone())
                .collect();
            // The editorial as the page value holds it (a build moves it out of the page).
            let html = fresh[i]
                .0
                .get_from_path("content")
                .and_then(|c| c.as_str())
                .unwrap_or_default()
                .to_string();
            let mut b = Build::default();
            fields::edition(&mut b, p, &html, edition, &articles, &[], &site.config);
            let mut m = fresh[i].0.as_map().cloned().unwrap_or_default();
            m.insert("edition".into(), b.finish());
            fresh[i].0 = Value::from(m);
        }
    }
}

/// A map value from `(key, value)` pairs, in that order.
pub(crate) fn map<const N: usize>(pairs: [(&'static str, Value); N]) -> Value {
    let mut m = tera::Map::new();
    for (k, v) in pairs {
        m.insert(k.into(), v);
    }
    Value::from(m)
}

/// The `site` object. `editions` is set when there is an archive to link to: `[editions]`
/// in `site.toml` and at least one edition.
fn site_value(
    config: &Config,
    taxonomies: &[Value],
    has_editions: bool,
    menus: &crate::site::menus::Menus,
) -> Value {
    let feed = |on: bool, file: &str| on.then(|| config.permalink(&format!("/{file}")));
    let editions = if config.editions_configured && has_editions {
        let path = format!("/{}/", config.editions.section);
        map([
            ("permalink", Value::from(config.permalink(&path))),
            ("path", Value::from(path)),
        ])
    } else {
        Value::none()
    };
    let mut m = tera::Map::new();
    for (k, v) in super::publishing::site_fields(config, menus) {
        m.insert(k.into(), v);
    }
    let fields = map([
        ("title", Value::from(config.title.as_str())),
        ("editions", editions),
        ("description", Value::from(config.description.as_str())),
        ("base_url", Value::from(config.base_url.as_str())),
        ("language", Value::from(config.language.as_str())),
        (
            "feeds",
            map([
                ("atom", opt(feed(config.feeds.atom, "atom.xml").as_deref())),
                ("rss", opt(feed(config.feeds.rss, "rss.xml").as_deref())),
            ]),
        ),
        ("taxonomies", Value::from(taxonomies.to_vec())),
        ("search", search_value(config)),
        (
            "extra",
            Value::try_from_serializable(&config.extra).unwrap_or_else(|_| Value::none()),
        ),
    ]);
    if let Some(f) = fields.as_map() {
        for (k, v) in f {
            m.insert(k.clone(), v.clone());
        }
    }
    Value::from(m)
}

/// `site.search`: where the search page and the index are, when the site has search.
fn search_value(config: &Config) -> Value {
    config.search.as_ref().map_or_else(Value::none, |s| {
        let index = format!("/{}/", crate::search::DIR);
        map([
            ("permalink", Value::from(config.permalink(&s.page_path()))),
            ("path", Value::from(s.page_path())),
            ("index", Value::from(config.permalink(&index))),
        ])
    })
}

/// The site value alone, for the template environment's global context before a build.
pub(crate) fn bare_site_value(config: &Config) -> Value {
    site_value(config, &[], false, &Default::default())
}

pub(crate) fn opt(v: Option<&str>) -> Value {
    v.map_or_else(Value::none, Value::from)
}

/// A date as RFC 3339 with the offset it has in the site's time zone.
pub(crate) fn rfc3339(z: Option<&jiff::ZonedDateTime>) -> Value {
    z.map_or_else(Value::none, |z| {
        Value::from(z.timestamp().display_with_offset(z.offset()).to_string())
    })
}

pub(super) fn toc_value(toc: &[TocEntry]) -> Value {
    Value::try_from_serializable(toc).unwrap_or_else(|_| Value::from(Vec::<Value>::new()))
}

/// Plain text of a bit of HTML, for meta descriptions.
pub(crate) fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A page's plain-text description: `description`, else `summary`, else its summary's text.
pub(crate) fn description(p: &Page) -> String {
    let f = &p.front;
    f.description
        .clone()
        .or_else(|| f.summary.clone())
        .unwrap_or_else(|| {
            p.summary_html
                .as_deref()
                .map(strip_tags)
                .unwrap_or_default()
        })
}

/// The first words of an edition for a mail client to show after the subject: its
/// `preheader`, its description, or the start of its editorial.
pub(super) fn preheader(p: &Page, html: &str) -> String {
    let ed = p.front.edition.as_deref();
    ed.and_then(|e| e.preheader.clone())
        .or_else(|| p.front.description.clone())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| {
            let text = strip_tags(html);
            match text.char_indices().nth(150) {
                Some((cut, _)) => {
                    let cut = text[..cut].rfind(' ').unwrap_or(cut);
                    format!("{} …", &text[..cut])
                }
                None => text,
            }
        })
}

/// An edition as an article that it contains shows it: title, number, link, date.
pub(super) fn edition_ref(e: &Page) -> Value {
    map([
        ("title", opt(e.front.title.as_deref())),
        (
            "number",
            e.edition
                .as_ref()
                .map_or_else(Value::none, |x| Value::from(x.number)),
        ),
        ("path", Value::from(e.path.as_str())),
        ("permalink", Value::from(e.permalink.as_str())),
        ("date", rfc3339(e.date.as_ref())),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_tags_gives_plain_text() {
        assert_eq!(
            strip_tags("<p>Ein <em>kurzer</em>\nText</p>\n"),
            "Ein kurzer Text"
        );
    }
}
