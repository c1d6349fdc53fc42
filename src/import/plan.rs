//! The new site, worked out before anything is written: presswerk's URL of every document
//! (made unique where two old files would meet), an alias for every old URL that changed and
//! is still free, the author profiles, `site.toml` and the theme, and the report.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_yaml::{Mapping, Value};

use super::links::Moves;
use super::urls::{file_of, normalize, presswerk_page, presswerk_section};
use super::{Contents, Doc, Old, Report, authors::Authors, document};
use crate::text::slug::slugify;

/// Everything to write, path relative to DEST → contents, and the report.
pub(super) struct Plan {
    pub(super) files: Vec<(String, Contents)>,
    pub(super) report: Report,
}

/// The default theme, as `presswerk init` writes it: embedded here too (the same generated
/// list, the same bytes), since `init` is a command beside this one, not below it.
const THEME_FILES: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/theme_files.rs"));

/// Output files → who has them, so an alias never takes a page's place.
type Claims = HashMap<String, String>;

pub(super) fn plan(mut old: Old) -> Plan {
    old.docs.sort_by(|a, b| a.src.cmp(&b.src));
    let mut claims: Claims = super::OWN_TOP_FILES
        .iter()
        .chain(&["robots.txt"])
        .map(|f| (f.to_string(), "presswerk".to_string()))
        .chain([(file_of("/"), "the home page".to_string())])
        .collect();
    let author_slugs = resolve_authors(&mut old.docs, &mut old.authors);
    claim_taxonomies(&old, &mut claims);
    for slug in old.authors.profiles.keys() {
        let url = presswerk_page(&old.site.authors_section, slug, None);
        claims.insert(file_of(&url), format!("the author profile {slug}"));
    }
    claims.insert(
        file_of(&presswerk_section(&old.site.authors_section)),
        "the authors section".into(),
    );
    for c in &old.copies {
        if let Some(rel) = c.to.strip_prefix("static/") {
            claims.insert(rel.to_string(), c.to.clone());
        }
    }
    let new_urls = place_documents(&mut old.docs, &mut claims, &mut old.report);
    let mut files = sort_undated_sections_by_weight(&mut old.docs, &mut old.report);
    let mut moves = Moves {
        pages: HashMap::new(),
        files: old
            .copies
            .iter()
            .filter_map(|c| c.to.strip_prefix("static"))
            .map(str::to_string)
            .collect(),
        sources: old
            .docs
            .iter()
            .map(|d| {
                let file = format!("{}.md", d.stem);
                let new = if d.dir.is_empty() {
                    file
                } else {
                    format!("{}/{file}", d.dir)
                };
                (d.src.clone(), new)
            })
            .collect(),
    };
    let mut aliases = Vec::with_capacity(old.docs.len());
    for (doc, new) in old.docs.iter().zip(&new_urls) {
        let a = aliases_of(doc, new, &mut claims, &mut old.report);
        for url in a.iter().chain(&doc.old_url) {
            moves.pages.insert(url.clone(), new.clone());
        }
        aliases.push(a);
    }
    for ((doc, aliases), authors) in old.docs.iter().zip(aliases).zip(&author_slugs) {
        let new = Written {
            authors,
            aliases,
            moves: &moves,
        };
        files.push(write_doc(doc, new, &old.site.taxonomies, &mut old.report));
    }
    finish(old, files)
}

/// A section none of whose pages has a date (a handbook, a Hugo site's pages) is sorted by
/// weight, as Hugo sorts them, so `check` does not ask each page for a date. Returns the
/// `_index.md` files to write for such sections that had none. An undated page among dated
/// ones is reported: Hugo lists it after them, a section sorted by date has no place for it.
fn sort_undated_sections_by_weight(
    docs: &mut [Doc],
    report: &mut Report,
) -> Vec<(String, Contents)> {
    let pages = |docs: &[Doc]| -> Vec<usize> {
        (0..docs.len())
            .filter(|&i| !docs[i].section && !docs[i].dir.is_empty())
            .collect()
    };
    let mut dated: BTreeMap<&str, bool> = BTreeMap::new();
    for i in pages(docs) {
        *dated.entry(docs[i].dir.as_str()).or_default() |= is_dated(&docs[i]);
    }
    for i in pages(docs) {
        let d = &docs[i];
        if !is_dated(d) && dated[d.dir.as_str()] && !d.front.keys.contains_key("draft") {
            report.note(
                d.src.clone(),
                0,
                "no date in a section of dated pages: `presswerk check` wants one; add `date:`",
            );
        }
    }
    let mut undated: BTreeSet<String> = dated
        .into_iter()
        .filter(|(_, dated)| !dated)
        .map(|(dir, _)| dir.to_string())
        .collect();
    for d in docs.iter_mut().filter(|d| d.section) {
        if undated.remove(&d.dir) && !d.front.keys.contains_key("sort_by") {
            d.front.keys.insert("sort_by".into(), "weight".into());
        }
    }
    let mut m = Mapping::new();
    m.insert("sort_by".into(), "weight".into());
    undated
        .into_iter()
        .map(|dir| {
            let path = format!("content/{dir}/_index.md");
            (path, Contents::Text(document(&m, "")))
        })
        .collect()
}

/// Whether a page has a date, from its front matter or its file name.
fn is_dated(doc: &Doc) -> bool {
    doc.front.date.is_some() || crate::text::dates::split_date_prefix(&doc.stem).0.is_some()
}

/// Every file but the documents: profiles, the authors section, copies, `site.toml`, the
/// theme and the report.
fn finish(mut old: Old, mut files: Vec<(String, Contents)>) -> Plan {
    let section = &old.site.authors_section;
    for (slug, p) in &old.authors.profiles {
        files.push((
            format!("content/{section}/{slug}.md"),
            Contents::Text(p.file()),
        ));
    }
    let index = format!("content/{section}/_index.md");
    // Written even without profiles: the theme links to the authors section.
    if !files.iter().any(|(p, _)| *p == index) {
        let title = if old.site.language == "de" {
            "Autorinnen und Autoren"
        } else {
            "Authors"
        };
        let mut m = Mapping::new();
        m.insert("title".into(), title.into());
        files.push((index, Contents::Text(document(&m, ""))));
    }
    old.report.pages = old.docs.iter().filter(|d| !d.section).count();
    old.report.sections = old.docs.len() - old.report.pages;
    old.report.authors = old.authors.profiles.len();
    old.report.copied = old.copies.len();
    for c in old.copies {
        files.push((c.to, Contents::Copy(c.from)));
    }
    let tool = old.report.tool;
    files.push((
        "site.toml".into(),
        Contents::Text(super::site_toml::site_toml(&old.site, tool)),
    ));
    let main = main_section(&old.docs);
    for (rel, bytes) in THEME_FILES {
        let text = String::from_utf8_lossy(bytes);
        let text = adapt_theme(rel, &text, &main, &old.site.authors_section);
        files.push((rel.to_string(), Contents::Text(text)));
    }
    if old.site.base_url.is_none() {
        old.report.note(
            old.site.config_name.clone(),
            0,
            format!(
                "no address of the site: base_url is {}; set the real one in site.toml",
                super::site_toml::PLACEHOLDER_URL
            ),
        );
    }
    old.report.finish();
    files.push((
        "import-report.txt".into(),
        Contents::Text(old.report.text("")),
    ));
    Plan {
        files,
        report: old.report,
    }
}

/// The section most dated pages are in: the theme's "articles" link points there.
fn main_section(docs: &[Doc]) -> String {
    let mut count: HashMap<&str, usize> = HashMap::new();
    for d in docs.iter().filter(|d| !d.section && !d.dir.is_empty()) {
        *count.entry(d.dir.as_str()).or_default() += usize::from(d.front.date.is_some()) * 2 + 1;
    }
    let mut best: Vec<(&str, usize)> = count.into_iter().collect();
    best.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    best.first()
        .map_or_else(String::new, |(d, _)| d.to_string())
}

/// The theme's templates link to the sections of a site made by `presswerk init`
/// (`artikel/`, `autoren/`); the imported site's own sections take their place.
fn adapt_theme(rel: &str, text: &str, main: &str, authors: &str) -> String {
    if !rel.starts_with("themes/kontor/templates/") || !rel.ends_with(".html") {
        return text.to_string();
    }
    let main = if main.is_empty() {
        String::new()
    } else {
        format!("{main}/")
    };
    text.replace("path=\"artikel/\"", &format!("path=\"{main}\""))
        .replace("\"/artikel/\"", &format!("\"/{main}\""))
        .replace("path=\"autoren/\"", &format!("path=\"{authors}/\""))
        .replace("\"/autoren/\"", &format!("\"/{authors}/\""))
}

/// Each document's author slugs; makes the profiles of names not seen before.
fn resolve_authors(docs: &mut [Doc], authors: &mut Authors) -> Vec<Vec<String>> {
    docs.iter()
        .map(|d| {
            let mut slugs: Vec<String> = Vec::new();
            for r in &d.front.authors {
                if let Some(s) = authors.resolve(r)
                    && !slugs.contains(&s)
                {
                    slugs.push(s);
                }
            }
            slugs
        })
        .collect()
}

/// The list and term pages of every taxonomy.
fn claim_taxonomies(old: &Old, claims: &mut Claims) {
    for t in &old.site.taxonomies {
        claims.insert(file_of(&format!("/{t}/")), format!("the taxonomy {t}"));
    }
    for d in &old.docs {
        for (t, terms) in &d.front.terms {
            for term in terms {
                let url = format!("/{t}/{}/", slugify(term));
                claims.insert(file_of(&url), format!("the {t} page of `{term}`"));
            }
        }
    }
}

/// presswerk's URL of every document. A page whose URL another file has already gets a
/// `slug:` with a number, and the report says so.
fn place_documents(docs: &mut [Doc], claims: &mut Claims, report: &mut Report) -> Vec<String> {
    let mut urls = Vec::with_capacity(docs.len());
    let mut next: HashMap<String, usize> = HashMap::new();
    for d in docs.iter_mut() {
        if d.section {
            let url = presswerk_section(&d.dir);
            claims.insert(file_of(&url), d.src.clone());
            urls.push(url);
            continue;
        }
        if let Some(s) = &d.front.slug
            && (s.contains(['/', '\\']) || s.contains("..") || slugify(s).is_empty())
        {
            report.note(
                d.src.clone(),
                0,
                format!("`slug: {s}` cannot be a presswerk slug: left out"),
            );
            d.front.slug = None;
        }
        if d.front.slug.is_none() && presswerk_page(&d.dir, &d.stem, None).ends_with("//") {
            d.front.slug = Some(slugify(&d.title))
                .filter(|s| !s.is_empty())
                .or(Some("seite".into()));
        }
        let mut url = presswerk_page(&d.dir, &d.stem, d.front.slug.as_deref());
        if let Some(other) = claims.get(&file_of(&url)) {
            let base = url
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("seite")
                .to_string();
            // Numbers already given for this base are not tried again: n files that meet
            // at one URL cost n tries, not n².
            let n = next.entry(format!("{}/{base}", d.dir)).or_insert(2);
            while claims.contains_key(&file_of(&presswerk_page(
                &d.dir,
                &format!("{base}-{n}"),
                None,
            ))) {
                *n += 1;
            }
            let n = *n;
            report.note(
                d.src.clone(),
                0,
                format!("{url} is taken by {other}: given `slug: {base}-{n}`"),
            );
            d.front.slug = Some(format!("{base}-{n}"));
            url = presswerk_page(&d.dir, &d.stem, d.front.slug.as_deref());
        }
        claims.insert(file_of(&url), d.src.clone());
        urls.push(url);
    }
    urls
}

/// The old URLs of `doc` that become aliases: those that differ from `new` and that no
/// page, profile, file or other alias of the new site has. Every changed URL is reported.
fn aliases_of(doc: &Doc, new: &str, claims: &mut Claims, report: &mut Report) -> Vec<String> {
    let mut candidates: Vec<String> = doc.old_url.iter().cloned().collect();
    if doc.old_url.is_some() {
        candidates.extend(doc.front.old_paths.iter().map(|p| site_path(p)));
    }
    let mut out: Vec<String> = Vec::new();
    for old in candidates {
        let file = file_of(&old);
        if file == file_of(new) || out.contains(&old) {
            continue;
        }
        let redirect = if doc.section {
            Err("presswerk redirects only to pages".to_string())
        } else if crate::text::url_path::check_path(&file).is_err() || old.contains("//") {
            Err("not a path presswerk can write".to_string())
        } else if let Some(owner) = claims.get(&file) {
            Err(format!("{owner} is there now"))
        } else {
            claims.insert(file, doc.src.clone());
            out.push(old.clone());
            Ok(())
        };
        report.changed.push(super::report::Changed {
            old,
            new: new.to_string(),
            redirect,
        });
    }
    out
}

/// A URL as written in front matter as a path of the site: `https://host/a/` → `/a/`,
/// `a/` → `/a/`.
fn site_path(url: &str) -> String {
    let url = url.trim();
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => url,
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    normalize(path)
}

/// What the new site gives one document: its authors' slugs, its old URLs as aliases, and
/// where every moved page went (for its links).
struct Written<'a> {
    authors: &'a [String],
    aliases: Vec<String>,
    moves: &'a Moves,
}

/// The file of one document: presswerk's keys in their order, then the body, its links
/// pointed at the new URLs.
fn write_doc(
    doc: &Doc,
    new: Written<'_>,
    taxonomies: &[String],
    report: &mut Report,
) -> (String, Contents) {
    let m = presswerk_front(doc, new.authors, new.aliases, taxonomies);
    note_problems(doc, report);
    let (body, kept) = super::body::convert(&doc.body);
    for (line, what) in kept {
        report.note(doc.src.clone(), doc.body_line + line, what);
    }
    let body = super::links::rebase(&body, doc.old_url.as_deref(), new.moves);
    let path = match doc.dir.as_str() {
        "" => format!("content/{}.md", doc.stem),
        dir => format!("content/{dir}/{}.md", doc.stem),
    };
    (path, Contents::Text(document(&m, &body)))
}

/// The front matter in presswerk's keys and order; the other taxonomies' terms and every
/// key presswerk does not know under `extra`.
fn presswerk_front(
    doc: &Doc,
    authors: &[String],
    aliases: Vec<String>,
    taxonomies: &[String],
) -> Mapping {
    let f = &doc.front;
    let mut m = Mapping::new();
    let get = |k: &str| f.keys.get(k).cloned();
    match get("title") {
        Some(t) => m.insert("title".into(), t),
        None if !doc.section => m.insert("title".into(), doc.title.clone().into()),
        None => None,
    };
    let dates = [
        "description",
        "date",
        "updated",
        "publish_date",
        "expiry_date",
        "draft",
    ];
    for k in dates {
        if let Some(v) = get(k) {
            m.insert(k.into(), v);
        }
    }
    if let Some(s) = &f.slug {
        m.insert("slug".into(), s.clone().into());
    }
    for k in ["summary", "weight", "sort_by"] {
        if let Some(v) = get(k) {
            m.insert(k.into(), v);
        }
    }
    let list = |v: &[String]| Value::Sequence(v.iter().map(|s| s.as_str().into()).collect());
    if !authors.is_empty() && !doc.section {
        m.insert("authors".into(), list(authors));
    }
    let mut extra = f.extra.clone();
    for (t, terms) in &f.terms {
        if t == "tags" {
            m.insert("tags".into(), list(terms));
        } else if taxonomies.contains(t) {
            extra.insert(t.as_str().into(), list(terms));
        }
    }
    if !aliases.is_empty() {
        m.insert("aliases".into(), list(&aliases));
    }
    if !extra.is_empty() {
        m.insert("extra".into(), Value::Mapping(extra));
    }
    m
}

/// What the conversion could not do.
fn note_problems(doc: &Doc, report: &mut Report) {
    let f = &doc.front;
    for p in &f.problems {
        report.note(doc.src.clone(), 0, p.clone());
    }
}
