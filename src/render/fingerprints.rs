//! Fingerprints of everything a template can show, computed from the resolved site alone:
//! an output is rendered again exactly when the fingerprint of what it shows changed, and
//! a page's template value is built again exactly when its own fingerprint changed.
//!
//! They hash the fields that [`super::values`] puts into the template values. The two lists
//! must agree, or `serve` shows stale pages; the tests at the end of this file fail when a
//! value gains a field that is not named here.

use rayon::prelude::*;

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
            Fingerprint::new("author")
                .add(&a.md_key)
                .add(&a.path)
                .add(&a.title)
                .finish()
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
    site.pages
        .par_iter()
        .map(|p| {
            let mut fp = Fingerprint::new("page");
            fp.add(&p.md_key)
                .add(&p.path)
                .add(&site.sections[p.section].dir);
            fp.add(&p.date.as_ref().map(|d| d.timestamp().as_second()));
            for &a in &p.authors {
                fp.add(&authors[a]);
            }
            for (t, idx) in p.terms.iter().enumerate() {
                for &k in idx {
                    // What a page shows of its terms: name and URL, not their counts.
                    let term = &site.taxonomies[t].terms[k];
                    fp.add(&term.name).add(&term.path);
                }
            }
            // The editions it appeared in (its back-links).
            for &e in &p.editions {
                let e = &site.pages[e];
                fp.add(&e.front.title)
                    .add(&e.path)
                    .add(&e.edition.as_ref().map(|x| x.number));
                fp.add(&e.date.as_ref().map(|d| d.timestamp().as_second()));
            }
            fp.finish()
        })
        .collect()
}

/// An edition shows its articles.
fn add_edition_articles(site: &Site, pages: &mut [u64]) {
    for (i, p) in site.pages.iter().enumerate() {
        if let Some(edition) = &p.edition {
            let mut fp = Fingerprint::new("edition");
            fp.add(&pages[i]).add(&edition.number);
            for &a in &edition.articles {
                fp.add(&pages[a]);
            }
            pages[i] = fp.finish();
        }
    }
}

fn section_fps(site: &Site, pages: &[u64]) -> Vec<u64> {
    site.sections
        .iter()
        .map(|s| {
            let mut fp = Fingerprint::new("section");
            fp.add(&s.md_key).add(&s.path).add(&s.title);
            for &sub in &s.subsections {
                fp.add(&site.sections[sub].title)
                    .add(&site.sections[sub].path);
            }
            // A paginated section's value carries no page list (the paginator does).
            if s.front.paginate_by.is_none() {
                for &p in &s.pages {
                    fp.add(&pages[p]);
                }
            }
            fp.finish()
        })
        .collect()
}
