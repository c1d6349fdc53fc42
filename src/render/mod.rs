//! Render: the Tera environment (theme + site overrides), and the parallel rendering of
//! every page, list, term page and feed into an [`Output`].
//!
//! Each page, section and author is turned into a `tera::Value` once ([`values`]); those
//! values share their strings and lists through reference counts, so a section listing
//! 10,000 articles and the articles' own pages use the same data, and a per-page context is
//! a few pointers. Templates reach the rest of the site through functions (`get_page`, …)
//! over a [`Lookup`], never through a copy of the site in every context.

mod extras;
mod mail;
pub(crate) mod values;

use crate::text::UrlPath;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, RwLock};

use rayon::prelude::*;
use tera::{Context, Kwargs, State, Tera, TeraResult, Value};

use crate::config::Config;
use crate::content::walk_files;
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::markdown::shortcodes::{ArgValue, Shortcodes};
use crate::output::{Entry, Output};
use crate::site::Site;
use crate::source::{SourceFile, display_path};
pub use crate::text::dates::format_date;
use values::{Values, map, paginator};

/// Templates presswerk brings itself; a theme or site template of the same name wins.
const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("atom.xml", include_str!("builtin/atom.xml")),
    ("rss.xml", include_str!("builtin/rss.xml")),
];

/// What the template functions look up: filled by a build before its pages render.
#[derive(Default)]
pub struct Lookup {
    /// Content path (`artikel/x.md`) → permalink.
    links: HashMap<String, String>,
    /// Content path → page value.
    pages: HashMap<String, Value>,
    /// Content path of `_index.md` and folder (`artikel`) → section value.
    sections: HashMap<String, Value>,
    /// Author slug → author value.
    authors: HashMap<String, Value>,
    /// Taxonomy name → `{name, title, path, permalink, terms}`.
    taxonomies: HashMap<String, Value>,
}

/// The templates, labels and static files a site renders with.
pub struct Theme {
    tera: Tera,
    /// Template name → its file, for diagnostics.
    sources: HashMap<String, Arc<SourceFile>>,
    /// Static files, theme first, the site's own overriding by name.
    statics: BTreeMap<String, std::path::PathBuf>,
    /// Shared with the template functions.
    lookup: Arc<RwLock<Arc<Lookup>>>,
    /// Per template: a fingerprint of its text and of every template it extends or
    /// includes, so an output is rendered again exactly when one of its templates changed.
    template_fps: HashMap<String, u64>,
    /// Templates that (themselves or through what they extend or include) call the site
    /// functions: their outputs may show any page, so any change renders them again.
    site_wide: std::collections::HashSet<String>,
    /// Fingerprint of the shortcode templates.
    shortcodes_fp: u64,
    /// Whether any template calls `get_page` or `get_section`.
    wants_pages: bool,
    /// Whether any template passes an `@/` path to `get_url`.
    wants_links: bool,
    /// The labels (`t`), for outputs made without a template (an edition's plain text).
    labels: Value,
}

impl Theme {
    /// Whether a template of that name exists.
    pub fn has_template(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    fn set_lookup(&self, lookup: Lookup) {
        // A poisoned lock only means a template function panicked earlier; the data in it
        // is replaced whole, so it is safe to go on.
        let mut guard = self.lookup.write().unwrap_or_else(|e| e.into_inner());
        *guard = Arc::new(lookup);
    }

    /// Makes `@/` paths resolvable by `get_url` (shortcodes render before the site is done).
    pub fn set_links(&self, links: HashMap<String, String>) {
        self.set_lookup(Lookup {
            links,
            ..Lookup::default()
        });
    }
}

impl Shortcodes for Theme {
    fn fingerprint(&self) -> u64 {
        self.shortcodes_fp
    }

    fn exists(&self, name: &str) -> bool {
        self.tera
            .contains_template(&format!("shortcodes/{name}.html"))
    }

    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .tera
            .get_template_names()
            .filter_map(|n| {
                n.strip_prefix("shortcodes/")
                    .and_then(|n| n.strip_suffix(".html"))
            })
            .map(str::to_string)
            .collect();
        names.sort();
        names
    }

    fn render(
        &self,
        name: &str,
        args: &[(String, ArgValue)],
        body: Option<&str>,
    ) -> Result<String, String> {
        let mut ctx = Context::new();
        for (key, value) in args {
            let v = match value {
                ArgValue::Text(s) => Value::from(s.as_str()),
                ArgValue::Int(i) => Value::from(*i),
                ArgValue::Float(f) => Value::from(*f),
                ArgValue::Bool(b) => Value::from(*b),
            };
            ctx.insert_value(key.clone(), v);
        }
        if let Some(body) = body {
            ctx.insert_value("body", Value::safe_string(body));
        }
        let template = format!("shortcodes/{name}.html");
        self.tera
            .render(&template, &ctx)
            .map(|html| html.trim().to_string())
            .map_err(|e| match e.kind() {
                tera::ErrorKind::RenderingError(r) => {
                    let file = self
                        .sources
                        .get(r.filename())
                        .map_or(r.filename(), |s| s.name.as_str());
                    format!(
                        "{} ({file}:{}:{})",
                        r.message(),
                        r.span().start_line,
                        r.span().start_col + 1
                    )
                }
                _ => e.to_string(),
            })
    }
}

fn theme_dir(config: &Config) -> Option<std::path::PathBuf> {
    config
        .theme
        .as_ref()
        .map(|t| config.root.join("themes").join(t))
}

/// Loads templates (`themes/<theme>/templates/`, overridden file by file by `templates/`),
/// the labels of the site's language and the static files. Problems go to `diags`.
pub fn load_theme(config: &Config, diags: &mut Diagnostics) -> Option<Theme> {
    let root = &config.root;
    let theme = theme_dir(config);
    if let (Some(dir), Some(name)) = (&theme, &config.theme)
        && !dir.is_dir()
    {
        let span = config.source.text.find("theme").map_or(0..0, |i| i..i + 5);
        diags.push(
            Diagnostic::error("theme-missing", format!("theme `{name}` not found"))
                .at(&config.source, span, format!("no folder themes/{name}/"))
                .help("put the theme in themes/<name>/, or remove `theme` to use only templates/"),
        );
        return None;
    }

    // Templates: name → file; the site's own templates replace the theme's of the same name,
    // and both replace presswerk's built-in ones.
    let mut templates: BTreeMap<String, Arc<SourceFile>> = BTreeMap::new();
    for (name, text) in BUILTIN_TEMPLATES {
        let path = Path::new("(presswerk)").join(name);
        templates.insert(
            name.to_string(),
            Arc::new(SourceFile::new(Path::new(""), &path, text.to_string())),
        );
    }
    for dir in theme
        .iter()
        .map(|t| t.join("templates"))
        .chain([root.join("templates")])
    {
        for path in walk_files(root, &dir, diags) {
            let name = display_path(&dir, &path);
            match read_text(root, &path) {
                Ok(src) => {
                    templates.insert(name, src);
                }
                Err(d) => diags.push(*d),
            }
        }
    }

    let lookup: Arc<RwLock<Arc<Lookup>>> = Arc::default();
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    register(&mut tera, config, &lookup);
    tera.global_context()
        .insert_value("site", values::bare_site_value(config));
    tera.global_context().insert("lang", &config.language);
    let labels = labels(config, theme.as_deref(), diags);
    tera.global_context().insert_value("t", labels.clone());

    let batch: Vec<(&str, &str)> = templates
        .iter()
        .map(|(n, s)| (n.as_str(), s.text.as_str()))
        .collect();
    if let Err(e) = tera.add_raw_templates(batch) {
        let sources = templates_by_name(&templates);
        // Tera stops at the first template that does not parse: parse each alone to report
        // every syntax error. Only then does it check references (filters, includes,
        // blocks), all of them at once.
        let mut found = false;
        for (name, src) in &templates {
            let mut single = Tera::new();
            register(&mut single, config, &lookup);
            if let Err(e) = single.add_raw_template(name, &src.text)
                && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
            {
                diags.push(template_error(&e, &sources, None));
                found = true;
            }
        }
        if !found {
            match e.kind() {
                tera::ErrorKind::Msg(reports) => diags.extend(reference_errors(reports, &sources)),
                _ => diags.push(template_error(&e, &sources, None)),
            }
        }
        return None;
    }

    let mut statics = BTreeMap::new();
    for dir in theme
        .iter()
        .map(|t| t.join("static"))
        .chain([root.join("static")])
    {
        for path in walk_files(root, &dir, diags) {
            statics.insert(display_path(&dir, &path), path);
        }
    }
    let (template_fps, site_wide) = analyse_templates(&templates);
    Some(Theme {
        tera,
        sources: templates_by_name(&templates),
        statics,
        lookup,
        shortcodes_fp: {
            let mut sorted: Vec<(&String, &u64)> = template_fps
                .iter()
                .filter(|(n, _)| n.starts_with("shortcodes/"))
                .collect();
            sorted.sort();
            crate::fingerprint::Fingerprint::new("shortcodes")
                .add(&sorted)
                .finish()
        },
        template_fps,
        site_wide,
        wants_pages: templates
            .values()
            .any(|t| t.text.contains("get_page(") || t.text.contains("get_section(")),
        wants_links: templates.values().any(|t| t.text.contains("@/")),
        labels,
    })
}

/// The templates a template names in `{% extends "…" %}` and `{% include "…" %}`.
fn references(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("{%") {
        let rest = text[i + 2..].trim_start_matches(['-', ' ', '\t', '\n']);
        let rest = match rest
            .strip_prefix("extends")
            .or_else(|| rest.strip_prefix("include"))
        {
            Some(r) => r.trim_start(),
            None => continue,
        };
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        if let Some(end) = rest[1..].find(quote) {
            out.push(&rest[1..1 + end]);
        }
    }
    out
}

/// Fingerprints every template together with what it extends and includes, and finds the
/// templates that reach the site functions.
fn analyse_templates(
    templates: &BTreeMap<String, Arc<SourceFile>>,
) -> (HashMap<String, u64>, std::collections::HashSet<String>) {
    fn visit(
        name: &str,
        templates: &BTreeMap<String, Arc<SourceFile>>,
        fps: &mut HashMap<String, (u64, bool)>,
        stack: &mut Vec<String>,
    ) -> (u64, bool) {
        if let Some(done) = fps.get(name) {
            return *done;
        }
        let Some(src) = templates.get(name) else {
            return (0, false);
        };
        if stack.iter().any(|s| s == name) {
            return (0, false);
        }
        stack.push(name.to_string());
        let mut fp = crate::fingerprint::Fingerprint::new("template");
        fp.add(name).add(&src.text);
        let mut site_wide = ["get_page(", "get_section(", "get_taxonomy(", "get_author("]
            .iter()
            .any(|f| src.text.contains(f));
        for r in references(&src.text) {
            let (child, wide) = visit(r, templates, fps, stack);
            fp.add(r).add(&child);
            site_wide |= wide;
        }
        stack.pop();
        let result = (fp.finish(), site_wide);
        fps.insert(name.to_string(), result);
        result
    }
    let mut fps = HashMap::new();
    for name in templates.keys() {
        visit(name, templates, &mut fps, &mut Vec::new());
    }
    let site_wide = fps
        .iter()
        .filter(|(_, (_, w))| *w)
        .map(|(n, _)| n.clone())
        .collect();
    (
        fps.into_iter().map(|(n, (fp, _))| (n, fp)).collect(),
        site_wide,
    )
}

/// Registers presswerk's filter and functions. The functions read the [`Lookup`] a build
/// fills in; before that they find nothing.
fn register(tera: &mut Tera, config: &Config, lookup: &Arc<RwLock<Arc<Lookup>>>) {
    let language = config.language.clone();
    tera.register_filter(
        "format_date",
        move |value: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let format: Option<&str> = kwargs.get("format")?;
            format_date(value, format.unwrap_or("long"), &language).map_err(tera::Error::message)
        },
    );
    let read = |lookup: &Arc<RwLock<Arc<Lookup>>>| -> Arc<Lookup> {
        Arc::clone(&lookup.read().unwrap_or_else(|e| e.into_inner()))
    };
    let (base, l) = (config.base_url.clone(), Arc::clone(lookup));
    tera.register_function(
        "get_url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            if let Some(target) = path.strip_prefix("@/") {
                let (file, anchor) = target
                    .split_once('#')
                    .map_or((target, None), |(f, a)| (f, Some(a)));
                let found = read(&l).links.get(file).cloned();
                return match (found, anchor) {
                    (Some(url), Some(a)) => Ok(format!("{url}#{a}")),
                    (Some(url), None) => Ok(url),
                    (None, _) => Err(tera::Error::message(format!(
                        "get_url: no content file `{file}` for `{path}`"
                    ))),
                };
            }
            Ok(format!("{}/{}", base, path.trim_start_matches('/')))
        },
    );
    let l = Arc::clone(lookup);
    tera.register_function("get_page", move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
        let path: &str = kwargs.must_get("path")?;
        let path = path.trim_start_matches("@/");
        read(&l).pages.get(path).cloned().ok_or_else(|| tera::Error::message(format!("get_page: no page `{path}` (give its path below content/, e.g. artikel/datei.md)")))
    });
    let l = Arc::clone(lookup);
    tera.register_function(
        "get_section",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let path: &str = kwargs.must_get("path")?;
            let path = path.trim_start_matches("@/").trim_end_matches('/');
            read(&l).sections.get(path).cloned().ok_or_else(|| {
                tera::Error::message(format!(
                    "get_section: no section `{path}` (e.g. artikel/_index.md or artikel)"
                ))
            })
        },
    );
    let l = Arc::clone(lookup);
    tera.register_function(
        "get_author",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let slug: &str = kwargs.must_get("slug")?;
            read(&l)
                .authors
                .get(slug)
                .cloned()
                .ok_or_else(|| tera::Error::message(format!("get_author: no author `{slug}`")))
        },
    );
    let l = Arc::clone(lookup);
    tera.register_function(
        "get_taxonomy",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let kind: &str = kwargs.must_get("kind")?;
            read(&l).taxonomies.get(kind).cloned().ok_or_else(|| {
                tera::Error::message(format!("get_taxonomy: no taxonomy `{kind}` in site.toml"))
            })
        },
    );
}

fn templates_by_name(t: &BTreeMap<String, Arc<SourceFile>>) -> HashMap<String, Arc<SourceFile>> {
    t.iter().map(|(k, v)| (k.clone(), Arc::clone(v))).collect()
}

fn read_text(root: &Path, path: &Path) -> Result<Arc<SourceFile>, Box<Diagnostic>> {
    let bytes = std::fs::read(path).map_err(|e| {
        Box::new(
            Diagnostic::error("io", format!("cannot read file: {e}"))
                .in_file(display_path(root, path)),
        )
    })?;
    crate::text::utf8::decode_utf8(root, path, bytes).map(Arc::new)
}

/// The labels of `i18n/<language>.toml`: the theme's, overridden key by key by the site's.
fn labels(config: &Config, theme: Option<&Path>, diags: &mut Diagnostics) -> Value {
    let file = format!("{}.toml", config.language);
    let mut map = tera::Map::new();
    let mut found = false;
    for dir in theme
        .into_iter()
        .map(|t| t.join("i18n"))
        .chain([config.root.join("i18n")])
    {
        let path = dir.join(&file);
        if !path.is_file() {
            continue;
        }
        found = true;
        let src = match read_text(&config.root, &path) {
            Ok(s) => s,
            Err(d) => {
                diags.push(*d);
                continue;
            }
        };
        match toml::from_str::<BTreeMap<String, String>>(&src.text) {
            Ok(table) => {
                for (k, v) in table {
                    map.insert(k.into(), Value::from(v));
                }
            }
            Err(e) => diags.push(
                Diagnostic::error("i18n-syntax", "invalid label file")
                    .at(
                        &src,
                        e.span().unwrap_or(0..0),
                        e.message().trim().to_string(),
                    )
                    .help("a label file holds lines like `key = \"Text\"`"),
            ),
        }
    }
    if !found && theme.is_some() {
        diags.push(
            Diagnostic::error(
                "i18n-missing",
                format!("no labels for language `{}`", config.language),
            )
            .in_file(format!(
                "themes/{}/i18n/{file}",
                config.theme.as_deref().unwrap_or("")
            ))
            .help("add the file, or set `language` in site.toml to one the theme has"),
        );
    }
    Value::from(map)
}

/// Which feed.
#[derive(Clone, Copy)]
enum FeedKind {
    Atom,
    Rss,
}

/// One file to render with a template.
enum Job {
    /// Page `pager` (0-based) of section `i`.
    Section(usize, usize),
    Page(usize),
    /// Page `pager` of author `i`'s article list.
    Author(usize, usize),
    TaxonomyList(usize),
    /// Page `pager` of term `term` of taxonomy `t`.
    Term(usize, usize, usize),
    /// The site's feed.
    SiteFeed(FeedKind),
    /// A term's Atom feed.
    TermFeed(usize, usize),
    NotFound,
}

/// The output file of a URL path (the rule is [`UrlPath::output_file`]).
pub(crate) fn file_of(path: &str) -> String {
    UrlPath::new(path).output_file()
}

/// Fills the template functions' [`Lookup`] from a resolved site.
/// Only what the templates can ask for is filled in: page and section maps when a
/// template calls `get_page` or `get_section`, link targets when one passes `@/` to
/// `get_url`. Authors and taxonomies are few and always there.
fn fill_lookup(site: &Site, v: &Values, theme: &Theme) {
    let mut l = Lookup::default();
    let (pages, links) = (theme.wants_pages, theme.wants_links);
    for (p, value) in site.pages.iter().zip(&v.pages) {
        if links {
            l.links
                .insert(p.content_path().to_string(), p.permalink.clone());
        }
        if pages {
            l.pages.insert(p.content_path().to_string(), value.clone());
        }
    }
    for (s, value) in site.sections.iter().zip(&v.sections) {
        let index = if s.dir.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{}/_index.md", s.dir)
        };
        if links {
            l.links.insert(index.clone(), s.permalink.clone());
        }
        if pages {
            l.sections.insert(index, value.clone());
            l.sections.insert(s.dir.clone(), value.clone());
        }
    }
    for (a, value) in site.authors.iter().zip(&v.authors) {
        let path = a
            .source
            .name
            .strip_prefix("content/")
            .unwrap_or(&a.source.name);
        if links {
            l.links.insert(path.to_string(), a.permalink.clone());
        }
        l.authors.insert(a.slug.clone(), value.clone());
    }
    for (t, tax) in site.taxonomies.iter().enumerate() {
        let mut m = v.taxonomies[t].as_map().cloned().unwrap_or_default();
        m.insert("terms".into(), Value::from(v.terms[t].clone()));
        l.taxonomies.insert(tax.config.name.clone(), Value::from(m));
    }
    theme.set_lookup(l);
}

/// The newest `updated` (or `date`) among pages, as RFC 3339; a fixed early date for none,
/// so an empty feed is still valid and the output deterministic.
fn newest(site: &Site, pages: &[usize]) -> String {
    site.newest_change(pages).map_or_else(
        || "1970-01-01T00:00:00+00:00".to_string(),
        |z| z.timestamp().display_with_offset(z.offset()).to_string(),
    )
}

/// Fingerprints of everything a template can show, computed from the resolved site alone.
struct Fingerprints {
    pages: Vec<u64>,
    authors: Vec<u64>,
    sections: Vec<u64>,
    /// Per taxonomy, per term (name, slug, path, count).
    terms: Vec<Vec<u64>>,
    /// Everything at once, for templates that call the site functions.
    site: u64,
}

impl Fingerprints {
    fn new(site: &Site) -> Fingerprints {
        use crate::fingerprint::Fingerprint;
        let authors: Vec<u64> = site
            .authors
            .iter()
            .map(|a| {
                Fingerprint::new("author")
                    .add(&a.md_key)
                    .add(&a.path)
                    .add(&a.title)
                    .finish()
            })
            .collect();
        let terms: Vec<Vec<u64>> = site
            .taxonomies
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
            .collect();
        let pages: Vec<u64> = site
            .pages
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
            .collect();
        // An edition shows its articles.
        let mut pages = pages;
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
        let sections: Vec<u64> = site
            .sections
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
            .collect();
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
    fn pager(
        &self,
        fp: &mut crate::fingerprint::Fingerprint,
        items: &[usize],
        per_page: Option<usize>,
        pager: &values::Pager,
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

/// Renders the whole site into an [`Output`], reusing from `cache` every output whose
/// fingerprint did not change. Problems go to `diags`.
pub fn render(
    site: &Site,
    theme: &Theme,
    cache: &mut crate::cache::Cache,
    diags: &mut Diagnostics,
) -> Output {
    render_impl(site, theme, cache, diags, None, Vec::new())
}

/// Renders the whole site once, for `presswerk build`, holding as little as possible:
/// - every page is written into `staging` as soon as it is rendered, from the rendering
///   threads, and only its size is kept ([`Entry::Written`]); files made at the end
///   (redirects, sitemap, JSON) and copied files stay in the result, for
///   [`crate::output::Staging::commit`];
/// - the pages' Markdown HTML moves into their template values (`page.content`) instead of
///   being copied, so afterwards `site.pages[i].content.html` is empty;
/// - nothing is kept in `cache` for a next build (it is left empty of outputs and HTML).
pub fn render_into(
    site: &mut Site,
    theme: &Theme,
    cache: &mut crate::cache::Cache,
    diags: &mut Diagnostics,
    staging: &crate::output::Staging,
) -> Output {
    // The cache shares each page's rendered Markdown; without it each page owns its own.
    cache.markdown.clear();
    let html = site
        .pages
        .iter_mut()
        .map(|p| Arc::get_mut(&mut p.content).map(|r| std::mem::take(&mut r.html)))
        .collect();
    render_impl(site, theme, cache, diags, Some(staging), html)
}

/// `html`: per page, its Markdown HTML when it was taken out of the page (else the page's
/// own is used).
fn render_impl(
    site: &Site,
    theme: &Theme,
    cache: &mut crate::cache::Cache,
    diags: &mut Diagnostics,
    staging: Option<&crate::output::Staging>,
    html: Vec<Option<String>>,
) -> Output {
    use crate::fingerprint::Fingerprint;
    let timer = crate::timing::Timer::start();
    let config = &site.config;
    let fps = Fingerprints::new(site);
    let has_editions = site.pages.iter().any(crate::site::Page::is_edition);
    timer.mark("  fingerprints");
    let v = Values::new(site, &fps.pages, &mut cache.values, html);
    timer.mark("  values");
    fill_lookup(site, &v, theme);
    timer.mark("  lookup");
    let latest: Vec<usize> = site.latest();
    let home_latest: Vec<usize> = latest.iter().copied().take(config.home_latest).collect();
    let authors_section = site.authors_section();

    let mut jobs: Vec<Job> = Vec::new();
    for (i, s) in site.sections.iter().enumerate() {
        let n = values::pager_count(s.pages.len(), s.front.paginate_by);
        jobs.extend((0..n).map(|p| Job::Section(i, p)));
    }
    jobs.extend((0..site.pages.len()).map(Job::Page));
    for (i, a) in site.authors.iter().enumerate() {
        let n = values::pager_count(a.pages.len(), Some(config.author_paginate_by));
        jobs.extend((0..n).map(|p| Job::Author(i, p)));
    }
    for (t, tax) in site.taxonomies.iter().enumerate() {
        jobs.push(Job::TaxonomyList(t));
        for (k, term) in tax.terms.iter().enumerate() {
            let n = values::pager_count(term.pages.len(), tax.config.paginate_by);
            jobs.extend((0..n).map(|p| Job::Term(t, k, p)));
            if tax.config.feed {
                jobs.push(Job::TermFeed(t, k));
            }
        }
    }
    if config.feeds.atom {
        jobs.push(Job::SiteFeed(FeedKind::Atom));
    }
    if config.feeds.rss {
        jobs.push(Job::SiteFeed(FeedKind::Rss));
    }
    if theme.has_template("404.html") {
        jobs.push(Job::NotFound);
    }

    let feed_items = |items: &[usize]| -> Vec<usize> {
        items
            .iter()
            .copied()
            .filter(|&i| site.pages[i].date.is_some())
            .take(config.feeds.limit)
            .collect()
    };
    let feed_value = |title: String, url: String, alternate: &str, items: &[usize]| -> Value {
        let dated = feed_items(items);
        map([
            ("title", Value::from(title)),
            ("url", Value::from(url)),
            ("alternate", Value::from(alternate)),
            ("updated", Value::from(newest(site, &dated))),
            (
                "items",
                Value::from(
                    dated
                        .iter()
                        .map(|&i| v.pages[i].clone())
                        .collect::<Vec<_>>(),
                ),
            ),
        ])
    };

    // Where each job goes, with which template, and the fingerprint of what it shows.
    let plan = |job: &Job| -> (&str, String, u64) {
        let (template, path, mut fp) = match *job {
            Job::Section(i, p) => {
                let s = &site.sections[i];
                let pager = &values::pager(s.pages.len(), s.front.paginate_by, &s.path, p);
                let mut fp = Fingerprint::new("job-section");
                fp.add(&fps.sections[i]);
                if s.front.paginate_by.is_some() {
                    fps.pager(&mut fp, &s.pages, s.front.paginate_by, pager);
                }
                if i == 0 {
                    for &l in &home_latest {
                        fp.add(&fps.pages[l]);
                    }
                }
                if Some(i) == authors_section {
                    fp.add(&fps.authors);
                }
                (s.template.as_str(), pager.path.clone(), fp)
            }
            Job::Page(i) => {
                let p = &site.pages[i];
                let mut fp = Fingerprint::new("job-page");
                fp.add(&fps.pages[i]);
                (p.template.as_str(), p.path.clone(), fp)
            }
            Job::Author(i, p) => {
                let a = &site.authors[i];
                let per = Some(config.author_paginate_by);
                let pager = &values::pager(a.pages.len(), per, &a.path, p);
                let mut fp = Fingerprint::new("job-author");
                fp.add(&fps.authors[i]);
                fps.pager(&mut fp, &a.pages, per, pager);
                (a.template.as_str(), pager.path.clone(), fp)
            }
            Job::TaxonomyList(t) => {
                let mut fp = Fingerprint::new("job-taxonomy");
                fp.add(&fps.terms[t]);
                ("taxonomy_list.html", site.taxonomies[t].path.clone(), fp)
            }
            Job::Term(t, k, p) => {
                let tax = &site.taxonomies[t];
                let term = &tax.terms[k];
                let pager = &values::pager(term.pages.len(), tax.config.paginate_by, &term.path, p);
                let mut fp = Fingerprint::new("job-term");
                fp.add(&fps.terms[t][k]);
                fps.pager(&mut fp, &term.pages, tax.config.paginate_by, pager);
                ("taxonomy_term.html", pager.path.clone(), fp)
            }
            Job::SiteFeed(kind) => {
                let mut fp = Fingerprint::new("job-feed");
                for i in feed_items(&latest) {
                    fp.add(&fps.pages[i]);
                }
                match kind {
                    FeedKind::Atom => ("atom.xml", "/atom.xml".to_string(), fp),
                    FeedKind::Rss => ("rss.xml", "/rss.xml".to_string(), fp),
                }
            }
            Job::TermFeed(t, k) => {
                let term = &site.taxonomies[t].terms[k];
                let mut fp = Fingerprint::new("job-term-feed");
                fp.add(&fps.terms[t][k]);
                for i in feed_items(&term.pages) {
                    fp.add(&fps.pages[i]);
                }
                ("atom.xml", format!("{}atom.xml", term.path), fp)
            }
            Job::NotFound => (
                "404.html",
                "/404.html".to_string(),
                Fingerprint::new("job-404"),
            ),
        };
        fp.add(&theme.template_fps.get(template));
        // Every page's navigation links the editions archive once there is one.
        fp.add(&has_editions);
        if theme.site_wide.contains(template) {
            fp.add(&fps.site);
        }
        (template, path, fp.finish())
    };

    // The context of one job: only built for the outputs that are rendered again.
    let context = |job: &Job, path: &str| -> (Context, Option<&Arc<SourceFile>>) {
        let mut ctx = Context::new();
        ctx.insert_value("site", v.site.clone());
        ctx.insert("current_path", path);
        let source = match *job {
            Job::Section(i, p) => {
                let s = &site.sections[i];
                let pager = &values::pager(s.pages.len(), s.front.paginate_by, &s.path, p);
                ctx.insert_value("section", v.sections[i].clone());
                let pg = if s.front.paginate_by.is_some() {
                    paginator(
                        config,
                        &s.pages,
                        s.front.paginate_by,
                        pager,
                        &s.path,
                        &v.pages,
                    )
                } else {
                    Value::none()
                };
                ctx.insert_value("paginator", pg);
                if i == 0 {
                    ctx.insert_value(
                        "latest",
                        Value::from(
                            home_latest
                                .iter()
                                .map(|&l| v.pages[l].clone())
                                .collect::<Vec<_>>(),
                        ),
                    );
                }
                if Some(i) == authors_section {
                    ctx.insert_value("authors", Value::from(v.authors.clone()));
                }
                s.source.as_ref()
            }
            Job::Page(i) => {
                ctx.insert_value("page", v.pages[i].clone());
                Some(&site.pages[i].source)
            }
            Job::Author(i, p) => {
                let a = &site.authors[i];
                let per = Some(config.author_paginate_by);
                let pager = &values::pager(a.pages.len(), per, &a.path, p);
                let pg = paginator(config, &a.pages, per, pager, &a.path, &v.pages);
                ctx.insert_value("author", v.authors[i].clone());
                ctx.insert_value(
                    "pages",
                    pg.get_from_path("items")
                        .cloned()
                        .unwrap_or_else(Value::none),
                );
                ctx.insert_value("paginator", pg);
                Some(&a.source)
            }
            Job::TaxonomyList(t) => {
                ctx.insert_value("taxonomy", v.taxonomies[t].clone());
                let mut terms: Vec<(String, Value)> = site.taxonomies[t]
                    .terms
                    .iter()
                    .zip(&v.terms[t])
                    .map(|(term, value)| (term.name.to_lowercase(), value.clone()))
                    .collect();
                terms.sort_by(|a, b| a.0.cmp(&b.0));
                ctx.insert_value(
                    "terms",
                    Value::from(terms.into_iter().map(|(_, v)| v).collect::<Vec<_>>()),
                );
                None
            }
            Job::Term(t, k, p) => {
                let tax = &site.taxonomies[t];
                let term = &tax.terms[k];
                let pager = &values::pager(term.pages.len(), tax.config.paginate_by, &term.path, p);
                ctx.insert_value("taxonomy", v.taxonomies[t].clone());
                ctx.insert_value("term", v.terms[t][k].clone());
                ctx.insert_value(
                    "paginator",
                    paginator(
                        config,
                        &term.pages,
                        tax.config.paginate_by,
                        pager,
                        &term.path,
                        &v.pages,
                    ),
                );
                None
            }
            Job::SiteFeed(_) => {
                let file = path.to_string();
                ctx.insert_value(
                    "feed",
                    feed_value(
                        config.title.clone(),
                        config.permalink(&file),
                        &config.permalink("/"),
                        &latest,
                    ),
                );
                None
            }
            Job::TermFeed(t, k) => {
                let tax = &site.taxonomies[t];
                let term = &tax.terms[k];
                let title = format!("{} – {}: {}", config.title, tax.config.title(), term.name);
                ctx.insert_value(
                    "feed",
                    feed_value(title, config.permalink(path), &term.permalink, &term.pages),
                );
                None
            }
            Job::NotFound => None,
        };
        (ctx, source)
    };

    timer.mark("  plan");
    let previous = &cache.outputs;
    // Bytes are kept, or written to the staging folder and dropped.
    let keep = |file: &str, bytes: Arc<[u8]>| match staging {
        Some(staging) => staging.write(file, &bytes),
        None => Entry::Bytes(bytes),
    };
    // (output file, fingerprint, reused?, the entry or the error)
    type Rendered = (String, u64, bool, Result<Entry, Diagnostic>);
    let rendered: Vec<Rendered> = jobs
        .par_iter()
        .map(|job| {
            let (template, path, fp) = plan(job);
            let file = file_of(&path);
            if let Some((old, bytes)) = previous.get(&file)
                && *old == fp
            {
                let entry = keep(&file, Arc::clone(bytes));
                return (file, fp, true, Ok(entry));
            }
            let (ctx, source) = context(job, &path);
            let mut buf = Vec::with_capacity(16 * 1024);
            let result = theme
                .tera
                .render_to(template, &ctx, &mut buf)
                .map(|()| keep(&file, Arc::from(buf)))
                .map_err(|e| template_error(&e, &theme.sources, source.map(|s| s.name.as_str())));
            (file, fp, false, result)
        })
        .collect();

    timer.mark("  render jobs");
    let mut output = Output::new();
    for (name, path) in &theme.statics {
        if let Err(e) = output.insert(name.clone(), Entry::Copy(path.clone())) {
            diags.push(
                Diagnostic::error("unsafe-path", format!("refusing to write `{}`", e.0))
                    .in_file(display_path(&config.root, path)),
            );
        }
    }
    for asset in &site.assets {
        if output.contains(&asset.output) {
            diags.push(
                Diagnostic::error(
                    "duplicate-path",
                    format!("two files would write /{}", asset.output),
                )
                .in_file(display_path(&config.root, &asset.path))
                .help("a static file has the same name; rename one of them"),
            );
        }
        if let Err(e) = output.insert(asset.output.clone(), Entry::Copy(asset.path.clone())) {
            diags.push(
                Diagnostic::error("unsafe-path", format!("refusing to write `{}`", e.0))
                    .in_file(display_path(&config.root, &asset.path)),
            );
        }
    }
    // The same template bug fails every page that uses it: report it once, with a count.
    let mut errors: BTreeMap<String, (Diagnostic, usize)> = BTreeMap::new();
    let (mut reused, mut fresh) = (0, 0);
    for (file, fp, was_reused, result) in rendered {
        match result {
            Ok(entry) => {
                if was_reused {
                    reused += 1
                } else {
                    fresh += 1
                }
                if output.contains(&file) {
                    diags.push(
                        Diagnostic::error(
                            "duplicate-path",
                            format!("a page and a static file would both write /{file}"),
                        )
                        .in_file(format!("static/{file}"))
                        .help("rename the static file or give the page another slug"),
                    );
                }
                if !was_reused && let Entry::Bytes(bytes) = &entry {
                    // Only new bytes are stored; reused ones are in the cache already.
                    cache.outputs.insert(file.clone(), (fp, Arc::clone(bytes)));
                }
                if let Err(e) = output.insert(file, entry) {
                    diags.push(Diagnostic::error(
                        "unsafe-path",
                        format!("refusing to write `{}`", e.0),
                    ));
                }
            }
            Err(d) => {
                let key = format!("{:?}{}", d.location(), d.message);
                errors.entry(key).or_insert((d, 0)).1 += 1;
            }
        }
    }
    if cache.outputs.len() != reused + fresh {
        // Outputs went away (or failed): keep only what this build made.
        cache.outputs.retain(|file, _| output.contains(file));
    }
    cache.stats.outputs_rendered = fresh;
    cache.stats.outputs_reused = reused;
    for (_, (mut d, n)) in errors {
        if n > 1 {
            d.message = format!("{} (in {n} pages)", d.message);
        }
        diags.push(d);
    }
    timer.mark("  collect outputs");
    extras::add(site, &v, &fps.pages, cache, &mut output, diags, staging);
    timer.mark("  sitemap, json, redirects");
    mail::add(site, &v, &fps.pages, theme, cache, &mut output, diags);
    timer.mark("  edition e-mails");
    output
}

/// Tera reports unknown filters, functions, includes and blocks as one message of
/// pre-rendered reports (`error: …` / ` --> name:line:col`), naming templates, not files.
/// Each becomes a diagnostic in the template's file; text that does not look like a report
/// is kept whole.
fn reference_errors(reports: &str, sources: &HashMap<String, Arc<SourceFile>>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for report in reports.split("\n\n").filter(|r| !r.trim().is_empty()) {
        let message = report
            .lines()
            .next()
            .unwrap_or(report)
            .trim()
            .trim_start_matches("error:")
            .trim();
        let located = report
            .lines()
            .find_map(|l| l.trim().strip_prefix("--> "))
            .and_then(|loc| {
                let mut parts = loc.rsplitn(3, ':');
                let col: usize = parts.next()?.trim().parse().ok()?;
                let line: usize = parts.next()?.trim().parse().ok()?;
                let src = sources.get(parts.next()?)?;
                let width = report
                    .lines()
                    .last()
                    .map_or(1, |l| l.matches('^').count().max(1));
                let start = src.line_offset(line);
                let line_text = &src.text[start..];
                let from = line_text
                    .char_indices()
                    .nth(col.saturating_sub(1))
                    .map_or(line_text.len(), |(i, _)| i);
                let to = line_text[from..]
                    .char_indices()
                    .nth(width)
                    .map_or(line_text.len(), |(i, _)| from + i);
                Some((Arc::clone(src), start + from..start + to))
            });
        let d = Diagnostic::error("template-reference", format!("template error: {message}"));
        out.push(match located {
            Some((src, span)) => d
                .at(&src, span, message.to_string())
                .help("check the name: filters, functions and included templates must exist"),
            None => d,
        });
    }
    out
}

/// Every template a page asks for must exist: one error per missing name, at the
/// `template:` key that asked for it, or naming the theme for a default template.
pub fn check_templates(site: &Site, theme: &Theme, diags: &mut Diagnostics) {
    let mut reported: Vec<String> = Vec::new();
    let names: Vec<&str> = theme.tera.get_template_names().collect();
    let mut check = |name: &str,
                     asked: Option<(&Arc<SourceFile>, &crate::source::Span)>,
                     diags: &mut Diagnostics| {
        if theme.has_template(name) || reported.iter().any(|r| r == name) {
            return;
        }
        // Compare names without their extension: `.html` would make any two names look alike.
        let stem = |n: &str| n.rsplit_once('.').map_or(n, |(s, _)| s).to_string();
        let stems: Vec<String> = names.iter().map(|n| stem(n)).collect();
        let help = match did_you_mean(&stem(name), stems.iter().map(String::as_str)) {
            Some(n) => format!(
                "did you mean `{}`?",
                names[stems.iter().position(|s| s == n).unwrap_or(0)]
            ),
            None => format!("add templates/{name} to the site or to the theme"),
        };
        let d = Diagnostic::error("template-missing", format!("template `{name}` not found"));
        diags.push(match asked {
            Some((src, span)) => d
                .at(src, span.clone(), "no template of this name")
                .help(help),
            None => d
                .in_file(site.config.theme.as_ref().map_or_else(
                    || "templates/".to_string(),
                    |t| format!("themes/{t}/templates/"),
                ))
                .help(help),
        });
        if asked.is_none() {
            reported.push(name.to_string());
        }
    };
    for s in &site.sections {
        let asked = s
            .front
            .template
            .as_ref()
            .and_then(|t| s.source.as_ref().map(|src| (src, &t.span)));
        check(&s.template, asked, diags);
    }
    for p in &site.pages {
        check(
            &p.template,
            p.front.template.as_ref().map(|t| (&p.source, &t.span)),
            diags,
        );
    }
    if !site.taxonomies.is_empty() {
        check("taxonomy_list.html", None, diags);
        check("taxonomy_term.html", None, diags);
    }
    for a in &site.authors {
        check(
            &a.template,
            a.front.template.as_ref().map(|t| (&a.source, &t.span)),
            diags,
        );
    }
}

/// A Tera error as a diagnostic in the template file, naming the content file being rendered.
fn template_error(
    e: &tera::Error,
    sources: &HashMap<String, Arc<SourceFile>>,
    rendering: Option<&str>,
) -> Diagnostic {
    use std::error::Error as _;
    let while_rendering = rendering.map(|r| format!("while rendering {r}"));
    let report = match e.kind() {
        tera::ErrorKind::SyntaxError(r) => Some(("template-syntax", "template syntax error", r)),
        tera::ErrorKind::RenderingError(r) => Some(("template-render", "template error", r)),
        _ => None,
    };
    if let Some((code, title, r)) = report
        && let Some(src) = sources.get(r.filename())
    {
        let mut message = r.message().to_string();
        let mut cause = e.source();
        while let Some(c) = cause {
            message.push_str(": ");
            message.push_str(&c.to_string());
            cause = c.source();
        }
        let d = Diagnostic::error(code, format!("{title} in {}", r.filename())).at(
            src,
            r.span().range.clone(),
            message,
        );
        return match while_rendering {
            Some(w) => d.help(w),
            None => d.help("see the Tera documentation for the template syntax"),
        };
    }
    let mut message = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        message.push_str(": ");
        message.push_str(&c.to_string());
        cause = c.source();
    }
    let d = Diagnostic::error("template", message);
    match rendering {
        Some(r) => d.in_file(r.to_string()),
        None => d,
    }
}

/// Renders single pages with their templates, as [`render`] renders them, without the rest
/// of the site's outputs: for benchmarks and tools. [`PageRenderer::new`] makes the template
/// values of the whole site once; [`PageRenderer::render`] is then only the template.
pub struct PageRenderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    values: Values,
}

impl<'a> PageRenderer<'a> {
    /// Makes the template values of `site` and gives them to the template functions.
    pub fn new(site: &'a Site, theme: &'a Theme) -> Self {
        let fps = Fingerprints::new(site);
        let values = Values::new(site, &fps.pages, &mut HashMap::new(), Vec::new());
        fill_lookup(site, &values, theme);
        PageRenderer {
            site,
            theme,
            values,
        }
    }

    /// The bytes of page `index` (of `site.pages`), as its output file holds them.
    pub fn render(&self, index: usize) -> Result<Vec<u8>, Box<Diagnostic>> {
        let page = &self.site.pages[index];
        let mut ctx = Context::new();
        ctx.insert_value("site", self.values.site.clone());
        ctx.insert("current_path", &page.path);
        ctx.insert_value("page", self.values.pages[index].clone());
        let mut buf = Vec::with_capacity(16 * 1024);
        self.theme
            .tera
            .render_to(&page.template, &ctx, &mut buf)
            .map_err(|e| {
                Box::new(template_error(
                    &e,
                    &self.theme.sources,
                    Some(&page.source.name),
                ))
            })?;
        Ok(buf)
    }
}
