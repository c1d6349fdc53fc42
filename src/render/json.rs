//! The JSON files for partner sites: `articles.json` (every article, newest first) and
//! `authors.json` (every profile, by slug).
//!
//! Each article is serialized on its own (pretty, indented as an array element) and kept by
//! fingerprint, so a rebuild after one edit serializes one article, not ten thousand. A
//! one-shot build keeps nothing: it serializes in parallel and streams the file into the
//! sink.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::collect::{insert, insert_entry};
use super::values::{description, rfc3339};
use crate::cache::Cache;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fingerprint::Fingerprint;
use crate::output::{Entry, Output, Sink};
use crate::site::{Byline, Site};

#[derive(Serialize)]
struct AuthorRef<'a> {
    slug: &'a str,
    name: &'a str,
    permalink: Option<&'a str>,
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

/// Adds `articles.json` and `authors.json` to `output`. `page_fps` are the pages'
/// fingerprints: an article's JSON is serialized again only when its own changed.
pub(super) fn add(
    site: &Site,
    page_fps: &[u64],
    cache: &mut Cache,
    output: &mut Output,
    diags: &mut Diagnostics,
    sink: &dyn Sink,
) {
    if sink.keeps_bytes() {
        articles_json(site, page_fps, cache, output, diags);
    } else {
        stream_articles(site, output, diags, sink);
    }
    authors_json(site, cache, output, diags);
}

fn date(z: Option<&jiff::ZonedDateTime>) -> Option<String> {
    rfc3339(z).as_str().map(str::to_string)
}

/// What `articles.json` says of page `i`.
fn article(site: &Site, i: usize) -> ArticleJson<'_> {
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
    // Guests have no profile page: their permalink is null.
    let authors = p.bylines.iter().map(|b| match b {
        Byline::Profile(a) => {
            let a = &site.authors[*a];
            AuthorRef {
                slug: &a.slug,
                name: &a.title,
                permalink: Some(&a.permalink),
            }
        }
        Byline::Guest(g) => AuthorRef {
            slug: &g.slug,
            name: &g.name,
            permalink: None,
        },
    });
    ArticleJson {
        title: p.front.title.as_deref().unwrap_or(""),
        permalink: &p.permalink,
        path: &p.path,
        date: date(p.date.as_ref()),
        updated: date(p.front.updated.as_ref()),
        summary: p.summary_html.as_deref(),
        description: description(p),
        authors: authors.collect(),
        region: p.front.region.as_deref(),
        tags: &p.front.tags,
        taxonomies,
    }
}

/// A one-off build: serialize in parallel, in pieces of many articles each, put the pieces
/// into the sink in order and keep nothing.
fn stream_articles(site: &Site, output: &mut Output, diags: &mut Diagnostics, sink: &dyn Sink) {
    let pieces: Result<Vec<Vec<u8>>, serde_json::Error> = site
        .latest
        .par_chunks(256)
        .enumerate()
        .map(|(c, chunk)| {
            let mut piece = Vec::with_capacity(chunk.len() * 2048);
            for (n, &i) in chunk.iter().enumerate() {
                let json = serde_json::to_vec_pretty(&article(site, i))?;
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
            let entry = sink.put_parts("articles.json", &pieces);
            insert_entry(output, "articles.json".to_string(), entry, diags);
        }
        Err(e) => diags.push(Diagnostic::error(
            "json",
            format!("cannot write articles.json: {e}"),
        )),
    }
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
fn articles_json(
    site: &Site,
    page_fps: &[u64],
    cache: &mut Cache,
    output: &mut Output,
    diags: &mut Diagnostics,
) {
    let latest = &site.latest;
    let mut fragments: Vec<(u64, Arc<[u8]>)> = Vec::with_capacity(latest.len());
    for &i in latest.iter() {
        match fragment(site, i, page_fps[i], cache) {
            Ok(f) => fragments.push(f),
            Err(e) => {
                diags.push(Diagnostic::error(
                    "json",
                    format!("cannot write articles.json: {e}"),
                ));
                return;
            }
        }
    }
    if cache.json.len() != latest.len() {
        let names: std::collections::HashSet<&str> = latest
            .iter()
            .map(|&i| site.pages[i].source.name.as_str())
            .collect();
        cache.json.retain(|k, _| names.contains(k.as_str()));
    }
    let bytes = articles_file(&fragments, cache);
    insert_entry(
        output,
        "articles.json".to_string(),
        Entry::Bytes(bytes),
        diags,
    );
}

/// The entry of page `i` in `articles.json` (indented), with the id of its bytes: from
/// `cache` when its fingerprint `fp` is unchanged, else serialized and kept there.
fn fragment(
    site: &Site,
    i: usize,
    fp: u64,
    cache: &mut Cache,
) -> Result<(u64, Arc<[u8]>), serde_json::Error> {
    let name = &site.pages[i].source.name;
    if let Some((old, id, bytes)) = cache.json.get(name)
        && *old == fp
    {
        return Ok((*id, Arc::clone(bytes)));
    }
    let json = serde_json::to_vec_pretty(&article(site, i))?;
    let mut indented = Vec::with_capacity(json.len() + 64);
    indent_into(&json, &mut indented);
    // An edit that leaves the article's JSON as it was keeps the old bytes, so the whole
    // file can be reused below.
    let (id, bytes): (u64, Arc<[u8]>) = match cache.json.get(name) {
        Some((_, id, old)) if **old == *indented => (*id, Arc::clone(old)),
        _ => {
            cache.json_ids += 1;
            (cache.json_ids, Arc::from(indented))
        }
    };
    cache
        .json
        .insert(name.clone(), (fp, id, Arc::clone(&bytes)));
    Ok((id, bytes))
}

/// The whole file from its fragments: the same fragments in the same order make the same
/// file, so it is kept in `cache` and reused.
fn articles_file(fragments: &[(u64, Arc<[u8]>)], cache: &mut Cache) -> Arc<[u8]> {
    let mut fp = Fingerprint::new("articles.json");
    for (id, _) in fragments {
        fp.add(id);
    }
    let fp = fp.finish();
    if let Some((old, files)) = cache.files.get("articles.json")
        && *old == fp
        && !files.is_empty()
    {
        return Arc::clone(&files[0].1);
    }
    let mut articles: Vec<u8> = Vec::new();
    articles.extend_from_slice(b"[");
    articles.reserve(fragments.iter().map(|(_, f)| f.len() + 2).sum::<usize>() + 4);
    for (n, (_, fragment)) in fragments.iter().enumerate() {
        articles.extend_from_slice(if n == 0 { b"\n" } else { b",\n" });
        articles.extend_from_slice(fragment);
    }
    articles.extend_from_slice(b"\n]\n");
    let shared: Arc<[u8]> = Arc::from(articles);
    let files = vec![("articles.json".to_string(), Arc::clone(&shared))];
    cache.files.insert("articles.json", (fp, Arc::new(files)));
    shared
}

/// `authors.json`: the profiles and their articles' URLs.
fn authors_json(site: &Site, cache: &mut Cache, output: &mut Output, diags: &mut Diagnostics) {
    let mut fp = Fingerprint::new("authors.json");
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
        insert_entry(output, name.clone(), Entry::Bytes(Arc::clone(bytes)), diags);
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
            let shared: Arc<[u8]> = Arc::from(bytes.clone());
            cache.files.insert(
                "authors.json",
                (fp, Arc::new(vec![("authors.json".to_string(), shared)])),
            );
            insert(output, "authors.json".into(), bytes, diags);
        }
        Err(e) => diags.push(Diagnostic::error(
            "json",
            format!("cannot write authors.json: {e}"),
        )),
    }
}
