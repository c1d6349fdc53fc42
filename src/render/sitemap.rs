//! `sitemap.xml` (a sitemap index with numbered sitemaps above [`SITEMAP_CHUNK`] URLs) and
//! `robots.txt`, made without templates. The sitemap is kept by a fingerprint of the URLs
//! and dates it shows: an edit that changes neither reuses it.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::collect::{insert, insert_entry};
use super::paging::pagers;
use super::redirects::esc;
use super::values::rfc3339;
use crate::cache::Cache;
use crate::diagnostics::Diagnostics;
use crate::fingerprint::Fingerprint;
use crate::output::{Entry, Output};
use crate::site::Site;

/// The sitemap protocol allows 50,000 URLs per file; above this many, presswerk writes a
/// sitemap index and splits the URLs over numbered sitemaps.
pub(crate) const SITEMAP_CHUNK: usize = 30_000;

/// Adds the sitemap files to `output`, from `cache` when what they show is unchanged.
pub(super) fn add(site: &Site, cache: &mut Cache, output: &mut Output, diags: &mut Diagnostics) {
    let fp = fingerprint(site);
    if let Some((old, files)) = cache.files.get("sitemap")
        && *old == fp
    {
        for (name, bytes) in files.iter() {
            insert_entry(output, name.clone(), Entry::Bytes(Arc::clone(bytes)), diags);
        }
        return;
    }
    let mut made = Output::new();
    sitemap(site, &mut made, diags);
    let files: Vec<(String, Arc<[u8]>)> = made
        .iter()
        .filter_map(|(n, e)| match e {
            Entry::Bytes(b) => Some((n.clone(), Arc::clone(b))),
            Entry::Copy(_) | Entry::Written(_) | Entry::Known { .. } => None,
        })
        .collect();
    for (name, bytes) in &files {
        insert(output, name.clone(), bytes.to_vec(), diags);
    }
    cache.files.insert("sitemap", (fp, Arc::new(files)));
}

/// Adds `robots.txt`, pointing to the sitemap, unless the site has its own.
pub(super) fn add_robots(site: &Site, output: &mut Output, diags: &mut Diagnostics) {
    if !output.contains("robots.txt") {
        let robots = format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            site.config.permalink("/sitemap.xml")
        );
        insert(output, "robots.txt".into(), robots.into_bytes(), diags);
    }
}

/// The URLs and dates the sitemap shows.
fn fingerprint(site: &Site) -> u64 {
    let mut fp = Fingerprint::new("sitemap");
    fp.add(&site.config.base_url)
        .add(&site.config.author_paginate_by);
    for p in &site.pages {
        fp.add(&p.path)
            .add(&p.section)
            .add(&p.authors)
            .add(&p.terms);
        fp.add(&p.date.as_ref().map(|d| d.timestamp().as_second()));
        fp.add(&p.front.updated.as_ref().map(|d| d.timestamp().as_second()));
    }
    for s in &site.sections {
        fp.add(&s.path).add(&s.front.paginate_by);
    }
    for a in &site.authors {
        fp.add(&a.path);
    }
    for t in &site.taxonomies {
        fp.add(&t.path).add(&t.config.paginate_by);
        for term in &t.terms {
            fp.add(&term.path);
        }
    }
    fp.finish()
}

/// Every public HTML page with its last change: pages, lists (every page of them), profiles,
/// taxonomy and term pages. Redirects and the 404 page are not in it.
fn urls(site: &Site) -> BTreeMap<String, Option<String>> {
    let config = &site.config;
    let lastmod = |pages: &[usize]| -> Option<String> {
        rfc3339(site.newest_change(pages))
            .as_str()
            .map(str::to_string)
    };
    let mut urls: BTreeMap<String, Option<String>> = BTreeMap::new();
    let all_articles = site.latest();
    for (i, s) in site.sections.iter().enumerate() {
        // The home page shows the newest articles of the whole site.
        let m = if i == 0 {
            lastmod(&all_articles)
        } else {
            lastmod(&s.pages)
        };
        for p in pagers(s.pages.len(), s.front.paginate_by, &s.path) {
            urls.insert(config.permalink(&p.path), m.clone());
        }
    }
    for p in &site.pages {
        let m = p.front.updated.as_ref().or(p.date.as_ref());
        urls.insert(
            p.permalink.clone(),
            m.and_then(|z| rfc3339(Some(z)).as_str().map(str::to_string)),
        );
    }
    for a in &site.authors {
        let m = lastmod(&a.pages);
        for p in pagers(a.pages.len(), Some(config.author_paginate_by), &a.path) {
            urls.insert(config.permalink(&p.path), m.clone());
        }
    }
    for t in &site.taxonomies {
        let all: Vec<usize> = t
            .terms
            .iter()
            .flat_map(|term| term.pages.iter().copied())
            .collect();
        urls.insert(t.permalink.clone(), lastmod(&all));
        for term in &t.terms {
            let m = lastmod(&term.pages);
            for p in pagers(term.pages.len(), t.config.paginate_by, &term.path) {
                urls.insert(config.permalink(&p.path), m.clone());
            }
        }
    }
    // The Impressum and Datenschutz pages, made from `[publisher]`; they change with
    // site.toml, which has no date.
    if config.publisher.is_some() {
        for (_, path) in super::publishing::legal_pages(&config.language) {
            urls.insert(config.permalink(path), None);
        }
    }
    urls
}

/// One sitemap file of `entries`.
fn urlset(entries: &[(&String, &Option<String>)]) -> Vec<u8> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (loc, lastmod) in entries {
        xml.push_str("  <url>\n    <loc>");
        xml.push_str(&esc(loc));
        xml.push_str("</loc>\n");
        if let Some(m) = lastmod {
            xml.push_str("    <lastmod>");
            xml.push_str(m);
            xml.push_str("</lastmod>\n");
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml.into_bytes()
}

/// The sitemap files: one, or an index and numbered sitemaps.
fn sitemap(site: &Site, output: &mut Output, diags: &mut Diagnostics) {
    let urls = urls(site);
    let entries: Vec<(&String, &Option<String>)> = urls.iter().collect();
    if entries.len() <= SITEMAP_CHUNK {
        insert(output, "sitemap.xml".into(), urlset(&entries), diags);
        return;
    }
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, chunk) in entries.chunks(SITEMAP_CHUNK).enumerate() {
        let file = format!("sitemap{}.xml", n + 1);
        index.push_str("  <sitemap>\n    <loc>");
        index.push_str(&esc(&site.config.permalink(&format!("/{file}"))));
        index.push_str("</loc>\n");
        if let Some(m) = chunk.iter().filter_map(|(_, m)| m.as_deref()).max() {
            index.push_str("    <lastmod>");
            index.push_str(m);
            index.push_str("</lastmod>\n");
        }
        index.push_str("  </sitemap>\n");
        insert(output, file, urlset(chunk), diags);
    }
    index.push_str("</sitemapindex>\n");
    insert(output, "sitemap.xml".into(), index.into_bytes(), diags);
}
