//! The Markdown stage: every body rendered once, in parallel, with `@/` links resolved
//! against the [`links`](super::links) table, or taken from the last build when nothing it
//! depends on changed; then the `#anchors` of links checked, once every heading is known.
//!
//! It is a stage of its own, after the site's structure is complete, because a body's HTML
//! depends on every other document's URL; nothing before it needs the HTML. The body-only
//! rebuild of `serve` ([`body_only`]) renders through the same summary rule, so both paths
//! give the same bytes.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::{Author, Page, Section, Site, links, problem_diagnostic};
use crate::cache::{Cache, MarkdownEntry};
use crate::config::Config;
use crate::content::{Document, FrontMatter};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fingerprint::Fingerprint;
use crate::markdown::{self, Rendered, shortcodes::Shortcodes};
use crate::source::{SourceFile, Span};

/// The documents whose bodies the stage renders, and fills in.
pub(super) struct Documents<'a> {
    pub(super) pages: &'a mut [Page],
    pub(super) sections: &'a mut [Section],
    pub(super) authors: &'a mut [Author],
}

/// The Markdown options of a site.
fn options(config: &Config) -> markdown::Options {
    markdown::Options {
        german_quotes: config.language == "de",
        dashes: match config.language.as_str() {
            "de" => Some("de"),
            "en" => Some("en"),
            _ => None,
        },
    }
}

/// Renders every body in parallel; each one is independent of the others. `@/` links
/// resolve against every document's path; their `#anchors` are checked afterwards, when all
/// headings are known.
pub(super) fn render_markdown(
    config: &Config,
    shortcodes: Option<&dyn Shortcodes>,
    pictures: &super::pictures::Pictures,
    cache: &mut Cache,
    docs: &mut Documents,
    diags: &mut Diagnostics,
) {
    let opts = options(config);
    let index_names = links::index_names(docs.sections);
    let timer = crate::timing::Timer::start();
    let results = {
        let table = links::table(docs.pages, docs.sections, docs.authors, &index_names);
        render_all(
            opts,
            (&config.extra, pictures),
            &table,
            shortcodes,
            &cache.markdown,
            docs,
        )
    };
    timer.mark("    render");
    let mut found: Vec<Diagnostic> = Vec::new();
    store(results, docs, cache, &mut found);
    timer.mark("    collect");
    links::check_anchors(docs.pages, docs.sections, docs.authors, &mut found);
    diags.extend(found);
    timer.mark("    anchors");
}

/// A rendered body and whether it is new (else it is the last build's).
type Outcome = (MarkdownEntry, bool);

/// The stage's results, by document, in the documents' order.
struct Results {
    pages: Vec<Outcome>,
    sections: Vec<Option<Outcome>>,
    authors: Vec<Outcome>,
}

/// What rendering one body needs; shared by the parallel workers.
struct Renderer<'a> {
    opts: markdown::Options,
    ctx: markdown::Context<'a>,
    /// Fingerprints of the link targets and of the shortcode templates (with the site's
    /// `[extra]`, which Hugo's `param` reads).
    links_fp: u64,
    shortcodes_fp: u64,
    /// The site's `[extra]`, for Hugo's `param`.
    site_extra: &'a toml::Table,
    /// Link targets: content path → permalink.
    table: &'a BTreeMap<&'a str, &'a str>,
    /// The last build's entries, by source name.
    previous: &'a HashMap<String, MarkdownEntry>,
    pictures: &'a super::pictures::Pictures,
}

impl Renderer<'_> {
    /// Renders a document's body, or takes it from the last build when its key matches.
    /// Pages have a `summary:` key (`summary_key`); Hugo's `param` reads the front matter.
    fn body(
        &self,
        (source, path): (&Arc<SourceFile>, &str),
        hash: u64,
        depends: markdown::Depends,
        body: &Span,
        (front, summary_key): (&FrontMatter, bool),
    ) -> Outcome {
        let key = markdown_key(hash, depends, self.opts, self.links_fp, self.shortcodes_fp);
        // A body with images is rendered every time: its pictures' files may have changed
        // (their sizes are in the markup). Its key then covers the HTML made.
        if let Some(hit) = self
            .previous
            .get(&source.name)
            .filter(|e| e.key == key && !depends.images)
        {
            return (hit.clone(), false);
        }
        let text = &source.text[body.clone()];
        let params = |key: &str| param_value(&front.extra, self.site_extra, key);
        let folders = link_folders(&source.name);
        let links = |path: &str| {
            resolve_in(self.table, path).or_else(|| {
                let relative = folders.iter().filter(|_| !path.starts_with('/'));
                relative
                    .filter_map(|dir| resolve_in(self.table, &format!("{dir}/{path}")))
                    .next()
            })
        };
        let show =
            |image: &markdown::ImageRef| self.pictures.show(image, path, (source, body.start));
        let ctx = markdown::Context {
            params: &params,
            links: &links,
            images: Some(&show),
            ..self.ctx
        };
        let content = markdown::render_with(text, self.opts, ctx);
        let summary_key = front.summary.as_deref().filter(|_| summary_key);
        let summary = summary_html(text, summary_key, &content, self.opts, ctx);
        let key = if depends.images {
            Fingerprint::new("with images")
                .add(&key)
                .add(&content.html)
                .add(&summary)
                .finish()
        } else {
            key
        };
        let entry = MarkdownEntry {
            key,
            content: Arc::new(content),
            summary,
        };
        (entry, true)
    }
}

/// Hugo's `{{< param "key" >}}`: the document's front matter (`extra`, where unknown keys
/// land), else the site's `[extra]`; `a.b` reaches into tables. Only plain values (text,
/// numbers, booleans, dates) have a text to put into the page.
fn param_value(page: &serde_yaml::Mapping, site: &toml::Table, key: &str) -> Option<String> {
    let mut parts = key.split('.');
    let first = parts.next()?;
    let from_page = page
        .get(first)
        .and_then(|v| parts.clone().try_fold(v, |v, k| v.get(k)))
        .and_then(|v| match v {
            serde_yaml::Value::String(s) => Some(s.clone()),
            serde_yaml::Value::Number(n) => Some(n.to_string()),
            serde_yaml::Value::Bool(b) => Some(b.to_string()),
            _ => None,
        });
    from_page.or_else(|| {
        let v = parts.try_fold(site.get(first)?, |v, k| v.get(k))?;
        match v {
            toml::Value::String(s) => Some(s.clone()),
            toml::Value::Table(_) | toml::Value::Array(_) => None,
            other => Some(other.to_string()),
        }
    })
}

/// The folders an `@/` path may also count from when it is not found from `content/`, as
/// Hugo's `ref` looks beside the page first: the document's folder, and for a bundle's
/// `index.md` the folder above the bundle too.
fn link_folders(name: &str) -> Vec<&str> {
    let path = super::strip_content(name);
    let mut folders = Vec::new();
    let mut dir = path.rsplit_once('/').map(|(d, _)| d);
    for _ in 0..if path.ends_with("/index.md") { 2 } else { 1 } {
        let Some(d) = dir else { break };
        folders.push(d);
        dir = d.rsplit_once('/').map(|(p, _)| p);
    }
    folders
}

/// The permalink of an `@/` link's path: `artikel/x.md` as written; for links translated
/// from Hugo's `ref "artikel/x"`, which names a page without its file, also `x.md`, a
/// bundle's `x/index.md` and a section's `x/_index.md`.
fn resolve_in(table: &BTreeMap<&str, &str>, path: &str) -> Option<String> {
    let path = path.trim_start_matches('/');
    let get = |p: &str| table.get(p).map(|s| s.to_string());
    get(path).or_else(|| {
        let bare = path.trim_end_matches('/');
        [".md", "/index.md", "/_index.md"]
            .iter()
            .find_map(|suffix| get(&format!("{bare}{suffix}")))
    })
}

fn render_all(
    opts: markdown::Options,
    (site_extra, pictures): (&toml::Table, &super::pictures::Pictures),
    table: &BTreeMap<&str, &str>,
    shortcodes: Option<&dyn Shortcodes>,
    previous: &HashMap<String, MarkdownEntry>,
    docs: &Documents,
) -> Results {
    let resolve = |path: &str| resolve_in(table, path);
    let names = || table.keys().map(|k| k.to_string()).collect::<Vec<String>>();
    // What a document's HTML depends on besides its own text: the link targets (if it has
    // `@/` links) and the shortcode templates (if it calls any).
    let r = Renderer {
        opts,
        ctx: markdown::Context {
            links: &resolve,
            link_names: &names,
            shortcodes,
            params: &|_| None,
            images: None,
        },
        links_fp: Fingerprint::new("links").add(table).finish(),
        shortcodes_fp: Fingerprint::new("shortcodes")
            .add(&shortcodes.map_or(0, |s| s.fingerprint()))
            .add(&site_extra.to_string())
            .finish(),
        site_extra,
        table,
        previous,
        pictures,
    };
    let pages = docs
        .pages
        .par_iter()
        .map(|p| {
            r.body(
                (&p.source, &p.path),
                p.hash,
                p.depends,
                &p.body,
                (&p.front, true),
            )
        })
        .collect();
    let sections = docs
        .sections
        .par_iter()
        .map(|s| {
            let source = s.source.as_ref();
            source.map(|src| {
                r.body(
                    (src, &s.path),
                    s.hash,
                    s.depends,
                    &s.body,
                    (&s.front, false),
                )
            })
        })
        .collect();
    let authors = docs
        .authors
        .par_iter()
        .map(|a| {
            r.body(
                (&a.source, &a.path),
                a.hash,
                a.depends,
                &a.body,
                (&a.front, false),
            )
        })
        .collect();
    Results {
        pages,
        sections,
        authors,
    }
}

/// Gives every document its rendered body, keeps the new entries for the next build (and
/// drops those of documents that went away), and collects the bodies' problems.
fn store(results: Results, docs: &mut Documents, cache: &mut Cache, found: &mut Vec<Diagnostic>) {
    let mut stats = (0, 0);
    let mut current = 0;
    let markdown_cache = &mut cache.markdown;
    // Only new entries are stored (and allocate a key); reused ones are already there.
    let mut keep = |name: &str, entry: MarkdownEntry, fresh: bool| {
        current += 1;
        if fresh {
            stats.0 += 1;
            markdown_cache.insert(name.to_string(), entry);
        } else {
            stats.1 += 1;
        }
    };
    for (p, (entry, fresh)) in docs.pages.iter_mut().zip(results.pages) {
        p.content = Arc::clone(&entry.content);
        p.summary_html = entry.summary.clone();
        p.md_key = entry.key;
        found.extend(problems_of(&p.source, &p.body, &p.content));
        keep(&p.source.name, entry, fresh);
    }
    for (s, result) in docs.sections.iter_mut().zip(results.sections) {
        if let (Some((entry, fresh)), Some(src)) = (result, &s.source) {
            s.content = Arc::clone(&entry.content);
            s.md_key = entry.key;
            found.extend(problems_of(src, &s.body, &s.content));
            keep(&src.name, entry, fresh);
        }
    }
    for (a, (entry, fresh)) in docs.authors.iter_mut().zip(results.authors) {
        a.bio = Arc::clone(&entry.content);
        a.md_key = entry.key;
        found.extend(problems_of(&a.source, &a.body, &a.bio));
        keep(&a.source.name, entry, fresh);
    }
    if cache.markdown.len() != current {
        forget_removed(docs, cache);
    }
    cache.stats.markdown_rendered = stats.0;
    cache.stats.markdown_reused = stats.1;
}

/// Documents went away: drops what was kept for them.
fn forget_removed(docs: &Documents, cache: &mut Cache) {
    let names: HashSet<&str> = docs
        .pages
        .iter()
        .map(|p| p.source.name.as_str())
        .chain(docs.authors.iter().map(|a| a.source.name.as_str()))
        .chain(
            docs.sections
                .iter()
                .filter_map(|s| s.source.as_ref().map(|src| src.name.as_str())),
        )
        .collect();
    cache.markdown.retain(|k, _| names.contains(k.as_str()));
}

/// A document's summary: its `summary:` key rendered on its own, else the part before
/// `<!-- more -->` as the body's rendering found it, else (the marker inside a block) the
/// text before the marker rendered on its own. `None` without either.
fn summary_html(
    body: &str,
    summary_key: Option<&str>,
    content: &Rendered,
    opts: markdown::Options,
    ctx: markdown::Context<'_>,
) -> Option<String> {
    match (summary_key, &content.summary) {
        (Some(s), _) => Some(markdown::render(s, opts).html),
        (None, Some(summary)) => Some(summary.clone()),
        (None, None) => {
            markdown::summary_part(body).map(|part| markdown::render_with(part, opts, ctx).html)
        }
    }
}

/// The fingerprint of what a document's rendered Markdown depends on: its text, the
/// language's typography, and the link targets and shortcode templates if it uses them.
fn markdown_key(
    hash: u64,
    depends: markdown::Depends,
    opts: markdown::Options,
    links_fp: u64,
    shortcodes_fp: u64,
) -> u64 {
    let mut fp = Fingerprint::new("markdown");
    fp.add(&hash).add(&opts.german_quotes).add(&opts.dashes);
    if depends.links {
        fp.add(&links_fp);
    }
    if depends.shortcodes {
        fp.add(&shortcodes_fp);
    }
    fp.finish()
}

/// The problems of a rendered body as diagnostics in its file: errors, and warnings for what
/// still builds (foreign shortcodes removed, links without their unsafe href).
fn problems_of(source: &Arc<SourceFile>, body: &Span, r: &Rendered) -> Vec<Diagnostic> {
    r.problems
        .iter()
        .map(|p| {
            let d = problem_diagnostic(source, body.start, p);
            if p.warning {
                Diagnostic {
                    severity: crate::diagnostics::Severity::Warning,
                    ..d
                }
            } else {
                d
            }
        })
        .collect()
}

/// An article's new body after a save that changed only the body: see [`body_only`].
pub(crate) struct NewBody {
    /// Index of the page in [`Site::pages`].
    page: usize,
    /// The document as read again.
    doc: Document,
    /// Its rendered body, as kept in the cache.
    entry: MarkdownEntry,
}

impl NewBody {
    /// The source name, which the cache keeps the entry under.
    pub(crate) fn name(&self) -> &str {
        &self.doc.source.name
    }

    /// The rendered body, for the cache.
    pub(crate) fn entry(&self) -> &MarkdownEntry {
        &self.entry
    }

    /// Gives the page its new text and rendered body.
    pub(super) fn apply(self, pages: &mut [Page]) {
        let page = &mut pages[self.page];
        page.source = self.doc.source;
        page.body = self.doc.body;
        page.hash = self.doc.hash;
        page.depends = self.doc.depends;
        page.content = self.entry.content;
        page.summary_html = self.entry.summary;
        page.md_key = self.entry.key;
    }
}

/// Renders the new body of the page of `site` read from `path`, for the fast path of a save
/// whose front matter did not change. Such a body must stand alone: `None` (take the full
/// path) when it has `@/` links or shortcodes, links to an anchor, or a problem, or when
/// `site` has no page of that file.
pub(crate) fn body_only(site: &Site, path: &Path, doc: &Document) -> Option<NewBody> {
    if doc.depends.links || doc.depends.shortcodes || doc.depends.images {
        return None;
    }
    let opts = options(&site.config);
    let page = site.pages.iter().position(|p| p.source.path == *path)?;
    let text = &doc.source.text[doc.body.clone()];
    let content = markdown::render(text, opts);
    if !content.problems.is_empty() || !content.anchor_links.is_empty() {
        return None;
    }
    let summary_key = site.pages[page].front.summary.as_deref();
    let summary = summary_html(text, summary_key, &content, opts, markdown::Context::none());
    let entry = MarkdownEntry {
        key: markdown_key(doc.hash, doc.depends, opts, 0, 0),
        content: Arc::new(content),
        summary,
    };
    Some(NewBody {
        page,
        doc: doc.clone(),
        entry,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_come_from_the_page_then_the_site_and_reach_into_tables() {
        let page: serde_yaml::Mapping =
            serde_yaml::from_str("ort: Köln\nzahl: 3\nveranstaltung: {raum: A1}\nliste: [1]\n")
                .expect("yaml");
        let site: toml::Table =
            toml::from_str("ort = \"Bonn\"\nverein = \"Förderverein\"\n[kontakt]\ntel = 221\n")
                .expect("toml");
        let get = |k: &str| param_value(&page, &site, k);
        assert_eq!(get("ort").as_deref(), Some("Köln"));
        assert_eq!(get("zahl").as_deref(), Some("3"));
        assert_eq!(get("veranstaltung.raum").as_deref(), Some("A1"));
        assert_eq!(get("verein").as_deref(), Some("Förderverein"));
        assert_eq!(get("kontakt.tel").as_deref(), Some("221"));
        assert_eq!(get("liste"), None);
        assert_eq!(get("fehlt"), None);
    }

    #[test]
    fn links_find_pages_without_their_file_and_beside_the_page() {
        let table: BTreeMap<&str, &str> = [
            ("artikel/x.md", "/x/"),
            ("artikel/fest/index.md", "/fest/"),
            ("artikel/_index.md", "/artikel/"),
        ]
        .into_iter()
        .collect();
        let get = |p: &str| resolve_in(&table, p);
        assert_eq!(get("artikel/x.md").as_deref(), Some("/x/"));
        assert_eq!(get("/artikel/x").as_deref(), Some("/x/"));
        assert_eq!(get("artikel/fest").as_deref(), Some("/fest/"));
        assert_eq!(get("artikel/").as_deref(), Some("/artikel/"));
        assert_eq!(get("x.md"), None);
        assert_eq!(link_folders("content/artikel/a.md"), ["artikel"]);
        assert_eq!(
            link_folders("content/artikel/fest/index.md"),
            ["artikel/fest", "artikel"]
        );
        assert!(link_folders("content/a.md").is_empty());
    }
}
