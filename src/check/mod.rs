//! `presswerk check`: everything a reader could trip over, found before publishing.
//!
//! The site is built in memory exactly as `build` builds it (nothing is written), and then
//! every rendered page is read back the way a browser would: every `href` and `src` must lead
//! to a file of the output, every `#fragment` to an `id` on the target page. Checking the
//! rendered HTML instead of the Markdown catches links made by templates as well as by
//! editors, and relative links that only break where a summary is shown on another page.
//!
//! A broken link is reported where it can be fixed, not where it was found: in the Markdown
//! file and at the link when an editor wrote it, in the template when a template wrote it, at
//! a front matter value when a template made a link from it. The same mistake on many pages
//! (a template link on every page) is one report with a count. Finding that place is a search
//! and costs time, so it is done only for the links that are broken.
//!
//! `check` is also stricter than `build` about the documents themselves (see [`content`]):
//! front matter keys that look like typos are errors here, articles need a date, Markdown
//! images need alt text, and aliases must not land on a real page.

mod content;
mod describe;
pub(crate) mod external;
mod html;
mod links;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::content::walk_files;
use crate::diagnostics::Diagnostics;
use crate::output::Entry;
use crate::source::{SourceFile, Span, display_path};
use crate::text::UrlPath;
use crate::{Error, Overrides, Site};
use links::{Base, Target};

/// What to check besides the site itself.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    /// Also request every external URL (`--external`).
    pub external: Option<external::Options>,
}

/// What `check` found.
#[derive(Debug)]
pub(crate) struct Report {
    /// Every problem, errors and warnings.
    pub diagnostics: Diagnostics,
    /// HTML pages read.
    pub pages: usize,
    /// Links followed inside the site.
    pub internal_links: usize,
    /// Distinct external URLs requested (0 without `--external`).
    pub external_urls: usize,
    /// Whether the site built; if not, links could not be checked.
    pub built: bool,
    /// Wall time.
    pub elapsed: Duration,
}

/// Builds the site at `root` in memory and checks it. Writes nothing.
pub(crate) fn check(root: &Path, overrides: &Overrides, opts: &Options) -> Result<Report, Error> {
    let start = Instant::now();
    let built = match crate::build_in_memory(root, overrides) {
        Ok(b) => b,
        Err(Error::Site(mut diags)) => {
            diags.promote("front-matter-typo");
            return Ok(Report {
                diagnostics: diags,
                pages: 0,
                internal_links: 0,
                external_urls: 0,
                built: false,
                elapsed: start.elapsed(),
            });
        }
        Err(e) => return Err(e),
    };
    let mut diags = built.warnings;
    diags.promote("front-matter-typo");
    content::check(&built.site, &built.output, &mut diags);
    let stats = check_links(&built.site, &built.output, opts, &mut diags);
    Ok(Report {
        diagnostics: diags,
        pages: stats.pages,
        internal_links: stats.internal,
        external_urls: stats.external,
        built: true,
        elapsed: start.elapsed(),
    })
}

/// Who made an output page: the document (if any) and the template.
struct Producer<'a> {
    source: Option<&'a Arc<SourceFile>>,
    template: &'a str,
}

/// One broken link as found on one page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Broken {
    /// The output file of the page it is on.
    page: String,
    /// The URL as written in the HTML (entities decoded).
    raw: String,
    problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Problem {
    /// Nothing at this site path.
    Missing(String),
    /// The page exists, the fragment does not.
    Anchor { path: String, fragment: String },
    /// A relative path that climbs above the site.
    Outside,
    /// An external URL that failed: whether it is an error (and not a warning), and why.
    External { error: bool, why: String },
}

/// What one page's links gave: broken ones, the number of internal ones, and the external
/// ones as (URL without fragment, page, URL as written).
type PageLinks = (Vec<Broken>, usize, Vec<(String, String, String)>);

struct Stats {
    pages: usize,
    internal: usize,
    external: usize,
}

fn check_links(
    site: &Site,
    output: &crate::Output,
    opts: &Options,
    diags: &mut Diagnostics,
) -> Stats {
    let base = Base::new(&site.config.base_url);
    let pages: Vec<(&String, &std::sync::Arc<[u8]>)> = output
        .iter()
        .filter_map(|(path, entry)| match entry {
            Entry::Bytes(b) if path.ends_with(".html") || path.ends_with(".htm") => Some((path, b)),
            _ => None,
        })
        .collect();
    let scans: HashMap<&str, html::Scan> = pages
        .par_iter()
        .map(|(path, bytes)| (path.as_str(), html::scan(bytes)))
        .collect();

    // Every link of every page, resolved and looked up, in parallel.
    let results: Vec<PageLinks> = pages
        .par_iter()
        .map(|(file, _)| {
            let mut broken = Vec::new();
            let mut external = Vec::new();
            let mut internal = 0;
            let Some(scan) = scans.get(file.as_str()) else {
                return (broken, internal, external);
            };
            let page = crate::text::url_path::of_output_file(file);
            for raw in &scan.links {
                // The e-mail's unsubscribe link is a placeholder for the mailing tool.
                if *raw == site.config.editions.unsubscribe_url {
                    continue;
                }
                let problem = match links::classify(raw, &page, scan.base.as_deref(), &base) {
                    Target::Skip => continue,
                    Target::External(url) => {
                        external.push((url, file.to_string(), raw.clone()));
                        continue;
                    }
                    Target::Outside(_) => Some(Problem::Outside),
                    Target::Internal { path, fragment } => {
                        internal += 1;
                        lookup(output, &scans, &path, fragment.as_deref())
                    }
                };
                if let Some(problem) = problem {
                    broken.push(Broken {
                        page: file.to_string(),
                        raw: raw.clone(),
                        problem,
                    });
                }
            }
            (broken, internal, external)
        })
        .collect();
    let mut broken = Vec::new();
    let mut internal = 0;
    let mut external_links = Vec::new();
    for (b, n, e) in results {
        broken.extend(b);
        internal += n;
        external_links.extend(e);
    }

    let mut external_urls = 0;
    if let Some(ext) = &opts.external {
        let mut urls: Vec<&str> = external_links.iter().map(|(u, _, _)| u.as_str()).collect();
        urls.sort_unstable();
        urls.dedup();
        external_urls = urls.len();
        let failures = external::check_urls(&urls, ext);
        for (url, page, raw) in &external_links {
            if let Some(f) = failures.get(url.as_str()) {
                broken.push(Broken {
                    page: page.clone(),
                    raw: raw.clone(),
                    problem: Problem::External {
                        error: f.is_error(),
                        why: f.to_string(),
                    },
                });
            }
        }
    }

    if !broken.is_empty() {
        report(site, output, &scans, broken, diags);
    }
    Stats {
        pages: pages.len(),
        internal,
        external: external_urls,
    }
}

/// `None` if `path` (and `fragment`) exist in the output.
fn lookup(
    output: &crate::Output,
    scans: &HashMap<&str, html::Scan>,
    path: &str,
    fragment: Option<&str>,
) -> Option<Problem> {
    let Some(file) = links::candidates(path)
        .into_iter()
        .flatten()
        .find(|f| output.contains(f))
    else {
        return Some(Problem::Missing(path.to_string()));
    };
    let fragment = fragment.filter(|f| !f.is_empty() && *f != "top" && !f.starts_with(":~:"))?;
    // Fragments of non-HTML files (an SVG's `#layer`, a PDF's `#page=2`) are not checked.
    let scan = scans.get(file.as_str())?;
    if scan.ids.contains(fragment) {
        None
    } else {
        Some(Problem::Anchor {
            path: path.to_string(),
            fragment: fragment.to_string(),
        })
    }
}

/// Where a broken link can be fixed.
#[derive(Clone)]
pub(super) struct Place {
    pub(super) source: Arc<SourceFile>,
    pub(super) span: Span,
    pub(super) origin: Origin,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Origin {
    /// A Markdown link or raw HTML in the page's own document.
    OwnText,
    /// Text of another document shown on the page (a summary in a list).
    OtherText,
    /// A literal in a template.
    Template,
    /// Nothing found: the document the page was rendered from, at its top.
    Unknown,
}

/// Finds where each broken link can be fixed and reports it once per place and problem.
fn report(
    site: &Site,
    output: &crate::Output,
    scans: &HashMap<&str, html::Scan>,
    mut broken: Vec<Broken>,
    diags: &mut Diagnostics,
) {
    broken.sort();
    broken.dedup();
    let producers = producers(site);
    let templates = Templates::load(site);
    let documents: Vec<&Arc<SourceFile>> = site
        .pages
        .iter()
        .map(|p| &p.source)
        .chain(site.sections.iter().filter_map(|s| s.source.as_ref()))
        .chain(site.authors.iter().map(|a| &a.source))
        .collect();
    let base_url = site.config.base_url.as_str();

    // One report per place, URL and kind of problem, however many pages show it.
    type Key = (String, usize, usize, String, u8);
    let mut groups: BTreeMap<Key, (Place, Vec<Occurrence>)> = BTreeMap::new();
    let mut cache: HashMap<(String, String), Option<Place>> = HashMap::new();
    let mut others: HashMap<String, Option<Place>> = HashMap::new();
    for b in broken {
        let producer = producers.get(b.page.as_str());
        let own = producer.and_then(|p| p.source);
        let key = (
            own.map_or_else(String::new, |s| s.name.clone()),
            b.raw.clone(),
        );
        let place = match cache.get(&key) {
            Some(p) => p.clone(),
            None => {
                let p = find_place(
                    &b.raw,
                    own,
                    producer,
                    &templates,
                    &documents,
                    base_url,
                    &mut others,
                );
                cache.insert(key, p.clone());
                p
            }
        };
        let place = place.unwrap_or_else(|| fallback_place(producer, &templates, site));
        let kind = match b.problem {
            Problem::Missing(_) | Problem::Outside => 0,
            Problem::Anchor { .. } => 1,
            Problem::External { .. } => 2,
        };
        let k = (
            place.source.name.clone(),
            place.span.start,
            place.span.end,
            b.raw.clone(),
            kind,
        );
        let occurrence = Occurrence {
            page: crate::text::url_path::of_output_file(&b.page),
            template: producer.map_or("", |p| p.template).to_string(),
            origin: place.origin,
            problem: b.problem,
        };
        groups
            .entry(k)
            .or_insert_with(|| (place, Vec::new()))
            .1
            .push(occurrence);
    }

    let all_paths: Vec<String> = output
        .iter()
        .map(|(f, _)| crate::text::url_path::of_output_file(f))
        .collect();
    for ((_, _, _, raw, _), (place, occurrences)) in groups {
        diags.push(describe::describe(
            &place,
            &raw,
            &occurrences,
            scans,
            &all_paths,
        ));
    }
}

/// One page a broken link is on.
pub(super) struct Occurrence {
    /// The page's site path.
    pub(super) page: String,
    /// The template that rendered the page.
    pub(super) template: String,
    /// How the link got onto this page.
    pub(super) origin: Origin,
    pub(super) problem: Problem,
}

/// Output file → its producer.
fn producers(site: &Site) -> HashMap<String, Producer<'_>> {
    let mut map = HashMap::new();
    let file = |path: &str| UrlPath::new(path).output_file();
    for s in &site.sections {
        map.insert(
            file(&s.path),
            Producer {
                source: s.source.as_ref(),
                template: &s.template,
            },
        );
    }
    for p in &site.pages {
        map.insert(
            file(&p.path),
            Producer {
                source: Some(&p.source),
                template: &p.template,
            },
        );
    }
    for a in &site.authors {
        map.insert(
            file(&a.path),
            Producer {
                source: Some(&a.source),
                template: &a.template,
            },
        );
    }
    map.insert(
        "404.html".to_string(),
        Producer {
            source: None,
            template: "404.html",
        },
    );
    map
}

/// The site's templates as files: `templates/` over the theme's, by name.
struct Templates {
    by_name: BTreeMap<String, Arc<SourceFile>>,
}

impl Templates {
    fn load(site: &Site) -> Templates {
        let root = &site.config.root;
        let mut by_name = BTreeMap::new();
        let mut ignored = Diagnostics::new();
        let theme = site
            .config
            .theme
            .as_ref()
            .map(|t| root.join("themes").join(t).join("templates"));
        for dir in theme.into_iter().chain([root.join("templates")]) {
            for path in walk_files(root, &dir, &mut ignored) {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    by_name.insert(
                        display_path(&dir, &path),
                        Arc::new(SourceFile::new(root, &path, text)),
                    );
                }
            }
        }
        Templates { by_name }
    }

    /// The template that contains one of `needles` as a quoted literal: the page's own template
    /// first, then the others by name.
    fn find(&self, first: Option<&str>, needles: &[String]) -> Option<(Arc<SourceFile>, Span)> {
        let order = first
            .and_then(|f| self.by_name.get_key_value(f))
            .into_iter()
            .chain(
                self.by_name
                    .iter()
                    .filter(|(n, _)| Some(n.as_str()) != first),
            );
        for (_, src) in order {
            for needle in needles.iter().filter(|n| n.len() > 1) {
                for quote in ['"', '\''] {
                    if let Some(i) = src.text.find(&format!("{quote}{needle}{quote}")) {
                        return Some((Arc::clone(src), i + 1..i + 1 + needle.len()));
                    }
                }
            }
        }
        None
    }
}

/// Searches, in order: the page's own document (Markdown links, then any text), the
/// templates, the other documents. `None` if the link is in none of them.
fn find_place(
    raw: &str,
    own: Option<&Arc<SourceFile>>,
    producer: Option<&Producer<'_>>,
    templates: &Templates,
    documents: &[&Arc<SourceFile>],
    base_url: &str,
    others: &mut HashMap<String, Option<Place>>,
) -> Option<Place> {
    let place = |source: &Arc<SourceFile>, span: Span, origin| Place {
        source: Arc::clone(source),
        span,
        origin,
    };
    if let Some(src) = own
        && let Some(span) = in_document(src, raw)
    {
        return Some(place(src, span, Origin::OwnText));
    }
    // A template literal: the URL itself, or what was passed to get_url(path=…).
    let mut needles = vec![raw.to_string()];
    if let Some(rest) = raw.strip_prefix(base_url) {
        needles.push(rest.to_string());
        let rel = rest.trim_start_matches('/');
        needles.push(rel.to_string());
        needles.push(rel.split('#').next().unwrap_or(rel).to_string());
    }
    if let Some((src, span)) = templates.find(producer.map(|p| p.template), &needles) {
        return Some(place(&src, span, Origin::Template));
    }
    // The same value (an author's photo, say) can break on thousands of pages: search the
    // other documents once per URL.
    others
        .entry(raw.to_string())
        .or_insert_with(|| {
            documents
                .iter()
                .filter(|d| own.is_none_or(|o| !Arc::ptr_eq(o, d)))
                .find_map(|d| in_document(d, raw).map(|span| place(d, span, Origin::OtherText)))
        })
        .clone()
}

/// Where `raw` appears in a document: as a Markdown link destination, else as text anywhere
/// in the file (raw HTML in the body, a front matter value a template turned into a link).
fn in_document(src: &SourceFile, raw: &str) -> Option<Span> {
    let wanted = links::percent_decode(raw);
    // A link's text is in its file (unless written with Markdown escapes or entities, which
    // are rare in URLs and then get the fallback place).
    if !src.text.contains(raw) && !src.text.contains(wanted.as_str()) {
        return None;
    }
    if let Some((_, span)) = content::markdown_links(src)
        .into_iter()
        .find(|(dest, _)| links::percent_decode(dest) == wanted)
    {
        return Some(span);
    }
    let i = src.text.find(raw)?;
    Some(i..i + raw.len())
}

/// The document the page was rendered from, or the template for pages without one.
fn fallback_place(producer: Option<&Producer<'_>>, templates: &Templates, site: &Site) -> Place {
    if let Some(src) = producer.and_then(|p| p.source) {
        return Place {
            source: Arc::clone(src),
            span: 0..0,
            origin: Origin::Unknown,
        };
    }
    let source = producer
        .and_then(|p| templates.by_name.get(p.template))
        .cloned()
        .unwrap_or_else(|| Arc::clone(&site.config.source));
    Place {
        source,
        span: 0..0,
        origin: Origin::Unknown,
    }
}
