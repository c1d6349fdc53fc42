//! Fingerprints of everything a template can show, computed from the resolved site alone:
//! an output is rendered again exactly when the fingerprint of what it shows changed, and
//! a page's template value is built again exactly when its own fingerprint changed.
//!
//! Pages, sections and authors are hashed by the same field lists that build their values
//! ([`super::fields`]), so the fingerprint of a value cannot leave out one of its fields.
//! An edition adds its articles' fingerprints; terms are hashed by what their values show
//! (name, path, count).

use rayon::prelude::*;

use super::fields::{self, Hashing, Parts};
use super::paging::Pager;
use crate::fingerprint::Fingerprint;
use crate::site::Site;

/// Per page, section, author and term: the fingerprint of its template value.
pub(super) struct Fingerprints {
    pub(super) pages: Vec<u64>,
    pub(super) authors: Vec<u64>,
    pub(super) sections: Vec<u64>,
    /// Per taxonomy, per term (name, slug, path, count).
    pub(super) terms: Vec<Vec<u64>>,
    /// Everything at once, for templates that call the site functions.
    pub(super) site: u64,
}

impl Fingerprints {
    pub(super) fn new(site: &Site) -> Fingerprints {
        let authors = author_fps(site);
        let terms = term_fps(site);
        let mut pages = page_fps(site, &authors);
        add_edition_articles(site, &mut pages);
        let sections = section_fps(site, &pages);
        let mut all = Fingerprint::new("site");
        all.add(&pages).add(&authors).add(&sections).add(&terms);
        Fingerprints {
            site: all.finish(),
            pages,
            authors,
            sections,
            terms,
        }
    }

    /// What one page of a list shows: its items, its place and the list's size.
    pub(super) fn pager(
        &self,
        fp: &mut Fingerprint,
        items: &[usize],
        per_page: Option<usize>,
        pager: &Pager,
    ) {
        let per = per_page.unwrap_or(items.len().max(1));
        let from = (pager.number - 1) * per;
        for &i in items
            .get(from..(from + per).min(items.len()))
            .unwrap_or(&[])
        {
            fp.add(&self.pages[i]);
        }
        fp.add(&pager.number)
            .add(&pager.total)
            .add(&items.len())
            .add(&per_page);
    }
}

fn author_fps(site: &Site) -> Vec<u64> {
    site.authors
        .iter()
        .map(|a| {
            let mut h = Hashing::new("author", a.md_key);
            fields::author(&mut h, a, &site.config.images);
            h.finish()
        })
        .collect()
}

fn term_fps(site: &Site) -> Vec<Vec<u64>> {
    site.taxonomies
        .iter()
        .map(|t| {
            t.terms
                .iter()
                .map(|term| {
                    Fingerprint::new("term")
                        .add(&term.name)
                        .add(&term.path)
                        .add(&term.pages.len())
                        .finish()
                })
                .collect()
        })
        .collect()
}

fn page_fps(site: &Site, authors: &[u64]) -> Vec<u64> {
    let parts = Parts {
        site,
        authors: &[],
        author_fps: authors,
        term_refs: &[],
    };
    site.pages
        .par_iter()
        .map(|p| {
            let mut h = Hashing::new("page", p.md_key);
            fields::page(&mut h, p, "", &parts);
            h.finish()
        })
        .collect()
}

/// An edition shows its articles.
fn add_edition_articles(site: &Site, pages: &mut [u64]) {
    for (i, p) in site.pages.iter().enumerate() {
        if let Some(edition) = &p.edition {
            let articles: Vec<u64> = edition.articles.iter().map(|&a| pages[a]).collect();
            let mut h = Hashing::new("edition", pages[i]);
            fields::edition(&mut h, p, "", edition, &[], &articles, &site.config);
            pages[i] = h.finish();
        }
    }
}

fn section_fps(site: &Site, pages: &[u64]) -> Vec<u64> {
    site.sections
        .iter()
        .map(|s| {
            let mut h = Hashing::new("section", s.md_key);
            fields::section(&mut h, s, &site.sections, &[], pages);
            h.finish()
        })
        .collect()
}
