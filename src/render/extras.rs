//! Files made without templates: redirect pages (aliases and `page/1/`), `sitemap.xml`,
//! `robots.txt`, and the JSON files for partner sites.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::escape_html;

use super::file_of;
use super::values::{Values, pagers, rfc3339};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{Entry, Output, Staging};
use crate::site::Site;

/// The sitemap protocol allows 50,000 URLs per file; above this many, presswerk writes a
/// sitemap index and splits the URLs over numbered sitemaps.
pub(crate) const SITEMAP_CHUNK: usize = 30_000;

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // escape_html writes into an io::Write; a Vec never fails.
    let mut buf = Vec::with_capacity(s.len());
    if escape_html(s, &mut buf).is_ok() {
        out.push_str(&String::from_utf8_lossy(&buf));
    }
    out
}

/// A page that sends the reader on to `url`: meta refresh, canonical link, and a plain link.
pub(crate) fn redirect_page(url: &str, language: &str) -> Vec<u8> {
    let url = esc(url);
    format!(
        "<!doctype html>\n<html lang=\"{language}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{url}</title>\n<link rel=\"canonical\" href=\"{url}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n<p><a href=\"{url}\">{url}</a></p>\n</body>\n</html>\n"
    )
    .into_bytes()
}

fn insert(output: &mut Output, file: String, bytes: Vec<u8>, diags: &mut Diagnostics) {
    if output.contains(&file) {
        diags.push(
            Diagnostic::error("duplicate-path", format!("two outputs would write /{file}"))
                .help("a redirect, feed or generated file collides with a page or static file"),
        );
        return;
    }
    if let Err(e) = output.insert(file, Entry::Bytes(bytes.into())) {
        diags.push(Diagnostic::error(
            "unsafe-path",
            format!("refusing to write `{}`", e.0),
        ));
    }
}

/// Adds redirects, sitemap, robots.txt and the JSON files to `output`. `page_fps` are the
/// pages' fingerprints: an article's JSON is serialized again only when its own changed.
pub(crate) fn add(
    site: &Site,
    v: &Values,
    page_fps: &[u64],
    cache: &mut crate::cache::Cache,
    output: &mut Output,
    diags: &mut Diagnostics,
    staging: Option<&Staging>,
) {
    let config = &site.config;
    let lang = config.language.as_str();

    // Aliases.
    for page in &site.pages {
        for alias in &page.aliases {
            insert(
                output,
                alias.clone(),
                redirect_page(&page.permalink, lang),
                diags,
            );
        }
    }
    // `page/1/` of every paginated list leads to the list's own URL.
    let mut lists: Vec<&str> = Vec::new();
    for s in &site.sections {
        if s.front.paginate_by.is_some() {
            lists.push(&s.path);
        }
    }
    for a in &site.authors {
        lists.push(&a.path);
    }
    for t in &site.taxonomies {
        if t.config.paginate_by.is_some() {
            lists.extend(t.terms.iter().map(|term| term.path.as_str()));
        }
    }
    for base in lists {
        insert(
            output,
            file_of(&format!("{base}page/1/")),
            redirect_page(&config.permalink(base), lang),
            diags,
        );
    }

    let timer = crate::timing::Timer::start();
    // The sitemap shows URLs and dates only: an edit that changes neither reuses it.
    let mut fp = crate::fingerprint::Fingerprint::new("sitemap");
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
    let fp = fp.finish();
    match cache.files.get("sitemap") {
        Some((old, files)) if *old == fp => {
            for (name, bytes) in files.iter() {
                if let Err(e) =
                    output.insert(name.clone(), Entry::Bytes(std::sync::Arc::clone(bytes)))
                {
                    diags.push(Diagnostic::error(
                        "unsafe-path",
                        format!("refusing to write `{}`", e.0),
                    ));
                }
            }
        }
        _ => {
            let mut made = Output::new();
            sitemap(site, &mut made, diags);
            let files: Vec<(String, std::sync::Arc<[u8]>)> = made
                .iter()
                .filter_map(|(n, e)| match e {
                    Entry::Bytes(b) => Some((n.clone(), std::sync::Arc::clone(b))),
                    Entry::Copy(_) | Entry::Written(_) => None,
                })
                .collect();
            for (name, bytes) in &files {
                insert(output, name.clone(), bytes.to_vec(), diags);
            }
            cache
                .files
                .insert("sitemap", (fp, std::sync::Arc::new(files)));
        }
    }
    timer.mark("    sitemap");
    if !output.contains("robots.txt") {
        let robots = format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            config.permalink("/sitemap.xml")
        );
        insert(output, "robots.txt".into(), robots.into_bytes(), diags);
    }
    timer.mark("    robots");
    json(site, v, page_fps, cache, output, diags, staging);
    timer.mark("    json");
}

/// Every public HTML page with its last change: pages, lists (every page of them), profiles,
/// taxonomy and term pages. Redirects and the 404 page are not in it.
fn sitemap(site: &Site, output: &mut Output, diags: &mut Diagnostics) {
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
    let urlset = |entries: &[(&String, &Option<String>)]| -> Vec<u8> {
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
    };
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
        index.push_str(&esc(&config.permalink(&format!("/{file}"))));
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

#[derive(Serialize)]
struct AuthorRef<'a> {
    slug: &'a str,
    name: &'a str,
    permalink: &'a str,
}

#[derive(Serialize)]
struct TermRef<'a> {
    name: &'a str,
    slug: &'a str,
    permalink: &'a str,
}

#[derive(Serialize)]
struct ArticleJson<'a> {
    title: &'a str,
    permalink: &'a str,
    path: &'a str,
    date: Option<String>,
    updated: Option<String>,
    summary: Option<&'a str>,
    description: String,
    authors: Vec<AuthorRef<'a>>,
    region: Option<&'a str>,
    tags: &'a [String],
    taxonomies: BTreeMap<&'a str, Vec<TermRef<'a>>>,
}

#[derive(Serialize)]
struct AuthorJson<'a> {
    slug: &'a str,
    name: &'a str,
    permalink: &'a str,
    first_name: Option<&'a str>,
    last_name: Option<&'a str>,
    company: Option<&'a str>,
    address: &'a crate::content::Address,
    homepage: Option<&'a str>,
    industry: Option<&'a str>,
    email: Option<&'a str>,
    articles: Vec<&'a str>,
}

/// `articles.json` (every article, newest first) and `authors.json` (every profile, by slug).
/// Each article is serialized on its own (pretty, indented as an array element) and kept by
/// fingerprint, so a rebuild after one edit serializes one article, not ten thousand.
fn json(
    site: &Site,
    _v: &Values,
    page_fps: &[u64],
    cache: &mut crate::cache::Cache,
    output: &mut Output,
    diags: &mut Diagnostics,
    staging: Option<&Staging>,
) {
    let date = |z: Option<&jiff::ZonedDateTime>| rfc3339(z).as_str().map(str::to_string);
    let article = |i: usize| -> ArticleJson {
        let p = &site.pages[i];
        let mut taxonomies = BTreeMap::new();
        for (t, tax) in site.taxonomies.iter().enumerate() {
            let terms = p.terms.get(t).map_or_else(Vec::new, |idx| {
                idx.iter()
                    .map(|&k| {
                        let term = &tax.terms[k];
                        TermRef {
                            name: &term.name,
                            slug: &term.slug,
                            permalink: &term.permalink,
                        }
                    })
                    .collect()
            });
            taxonomies.insert(tax.config.name.as_str(), terms);
        }
        ArticleJson {
            title: p.front.title.as_deref().unwrap_or(""),
            permalink: &p.permalink,
            path: &p.path,
            date: date(p.date.as_ref()),
            updated: date(p.front.updated.as_ref()),
            summary: p.summary_html.as_deref(),
            description: super::values::description(p),
            authors: p
                .authors
                .iter()
                .map(|&a| {
                    let a = &site.authors[a];
                    AuthorRef {
                        slug: &a.slug,
                        name: &a.title,
                        permalink: &a.permalink,
                    }
                })
                .collect(),
            region: p.front.region.as_deref(),
            tags: &p.front.tags,
            taxonomies,
        }
    };
    let latest = &site.latest;
    if let Some(staging) = staging {
        // A one-off build: serialize in parallel, in pieces of many articles each, write the
        // pieces in order and keep nothing.
        use rayon::prelude::*;
        let pieces: Result<Vec<Vec<u8>>, serde_json::Error> = latest
            .par_chunks(256)
            .enumerate()
            .map(|(c, chunk)| {
                let mut piece = Vec::with_capacity(chunk.len() * 2048);
                for (n, &i) in chunk.iter().enumerate() {
                    let json = serde_json::to_vec_pretty(&article(i))?;
                    piece.extend_from_slice(if c == 0 && n == 0 { b"\n" } else { b",\n" });
                    indent_into(&json, &mut piece);
                }
                Ok(piece)
            })
            .collect();
        match pieces {
            Ok(mut pieces) => {
                pieces.insert(0, b"[".to_vec());
                pieces.push(b"\n]\n".to_vec());
                let entry = staging.write_parts("articles.json", &pieces);
                if let Err(e) = output.insert("articles.json".to_string(), entry) {
                    diags.push(Diagnostic::error(
                        "unsafe-path",
                        format!("refusing to write `{}`", e.0),
                    ));
                }
            }
            Err(e) => diags.push(Diagnostic::error(
                "json",
                format!("cannot write articles.json: {e}"),
            )),
        }
    } else {
        articles_json(site, page_fps, cache, output, diags, &article);
    }
    authors_json(site, cache, output, diags);
}

/// Appends `json` indented by two spaces, as an element of an array.
fn indent_into(json: &[u8], out: &mut Vec<u8>) {
    for (k, line) in json.split(|b| *b == b'\n').enumerate() {
        if k > 0 {
            out.push(b'\n');
        }
        out.extend_from_slice(b"  ");
        out.extend_from_slice(line);
    }
}

/// `articles.json` from fragments kept by fingerprint in `cache`.
fn articles_json<'a>(
    site: &'a Site,
    page_fps: &[u64],
    cache: &mut crate::cache::Cache,
    output: &mut Output,
    diags: &mut Diagnostics,
    article: &dyn Fn(usize) -> ArticleJson<'a>,
) {
    let latest = &site.latest;
    let mut articles: Vec<u8> = Vec::new();
    articles.extend_from_slice(b"[");
    let mut fragments: Vec<(u64, std::sync::Arc<[u8]>)> = Vec::with_capacity(latest.len());
    for &i in latest.iter() {
        let name = &site.pages[i].source.name;
        let fragment = match cache.json.get(name) {
            Some((fp, id, bytes)) if *fp == page_fps[i] => (*id, std::sync::Arc::clone(bytes)),
            _ => match serde_json::to_vec_pretty(&article(i)) {
                Ok(json) => {
                    let mut indented = Vec::with_capacity(json.len() + 64);
                    indent_into(&json, &mut indented);
                    // An edit that leaves the article's JSON as it was keeps the old bytes,
                    // so the whole file can be reused below.
                    let (id, bytes): (u64, std::sync::Arc<[u8]>) = match cache.json.get(name) {
                        Some((_, id, old)) if **old == *indented => {
                            (*id, std::sync::Arc::clone(old))
                        }
                        _ => {
                            cache.json_ids += 1;
                            (cache.json_ids, std::sync::Arc::from(indented))
                        }
                    };
                    cache.json.insert(
                        name.clone(),
                        (page_fps[i], id, std::sync::Arc::clone(&bytes)),
                    );
                    (id, bytes)
                }
                Err(e) => {
                    diags.push(Diagnostic::error(
                        "json",
                        format!("cannot write articles.json: {e}"),
                    ));
                    return;
                }
            },
        };
        fragments.push(fragment);
    }
    if cache.json.len() != latest.len() {
        let names: std::collections::HashSet<&str> = latest
            .iter()
            .map(|&i| site.pages[i].source.name.as_str())
            .collect();
        cache.json.retain(|k, _| names.contains(k.as_str()));
    }
    // The same fragments in the same order make the same file: keep it.
    let mut fp = crate::fingerprint::Fingerprint::new("articles.json");
    for (id, _) in &fragments {
        fp.add(id);
    }
    let fp = fp.finish();
    let bytes = match cache.files.get("articles.json") {
        Some((old, files)) if *old == fp && !files.is_empty() => std::sync::Arc::clone(&files[0].1),
        _ => {
            articles.reserve(fragments.iter().map(|(_, f)| f.len() + 2).sum::<usize>() + 4);
            for (n, (_, fragment)) in fragments.iter().enumerate() {
                articles.extend_from_slice(if n == 0 { b"\n" } else { b",\n" });
                articles.extend_from_slice(fragment);
            }
            articles.extend_from_slice(b"\n]\n");
            let shared: std::sync::Arc<[u8]> = std::sync::Arc::from(std::mem::take(&mut articles));
            let files = vec![("articles.json".to_string(), std::sync::Arc::clone(&shared))];
            cache
                .files
                .insert("articles.json", (fp, std::sync::Arc::new(files)));
            shared
        }
    };
    if let Err(e) = output.insert("articles.json".to_string(), Entry::Bytes(bytes)) {
        diags.push(Diagnostic::error(
            "unsafe-path",
            format!("refusing to write `{}`", e.0),
        ));
    }
}

/// `authors.json`: the profiles and their articles' URLs.
fn authors_json(
    site: &Site,
    cache: &mut crate::cache::Cache,
    output: &mut Output,
    diags: &mut Diagnostics,
) {
    let mut fp = crate::fingerprint::Fingerprint::new("authors.json");
    for a in &site.authors {
        fp.add(&a.hash).add(&a.path);
        for &i in &a.pages {
            fp.add(&site.pages[i].permalink);
        }
    }
    let fp = fp.finish();
    if let Some((old, files)) = cache.files.get("authors.json")
        && *old == fp
        && let Some((name, bytes)) = files.first()
    {
        if let Err(e) = output.insert(name.clone(), Entry::Bytes(std::sync::Arc::clone(bytes))) {
            diags.push(Diagnostic::error(
                "unsafe-path",
                format!("refusing to write `{}`", e.0),
            ));
        }
        return;
    }
    let authors: Vec<AuthorJson> = site
        .authors
        .iter()
        .map(|a| AuthorJson {
            slug: &a.slug,
            name: &a.title,
            permalink: &a.permalink,
            first_name: a.front.first_name.as_deref(),
            last_name: a.front.last_name.as_deref(),
            company: a.front.company.as_deref(),
            address: &a.front.address,
            homepage: a.front.homepage.as_deref(),
            industry: a.front.industry.as_deref(),
            email: a.front.email.as_deref(),
            articles: a
                .pages
                .iter()
                .map(|&i| site.pages[i].permalink.as_str())
                .collect(),
        })
        .collect();
    match serde_json::to_vec_pretty(&authors) {
        Ok(mut bytes) => {
            bytes.push(b'\n');
            let shared: std::sync::Arc<[u8]> = std::sync::Arc::from(bytes.clone());
            cache.files.insert(
                "authors.json",
                (
                    fp,
                    std::sync::Arc::new(vec![("authors.json".to_string(), shared)]),
                ),
            );
            insert(output, "authors.json".into(), bytes, diags);
        }
        Err(e) => diags.push(Diagnostic::error(
            "json",
            format!("cannot write authors.json: {e}"),
        )),
    }
}
