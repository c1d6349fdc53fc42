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
mod email;
pub(crate) mod external;
mod html;
mod links;
mod place;
mod publisher;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Overrides;
use crate::diagnostics::Diagnostics;
use crate::error::Error;
use crate::output::Entry;
use crate::output::Output;
use crate::site::Site;
use crate::source::Span;
use links::{Base, Target};
use place::{Finder, Origin, Place};

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
    let timer = crate::timing::Timer::start();
    let mut diags = built.warnings;
    diags.promote("front-matter-typo");
    content::check(&built.site, &built.output, &mut diags);
    publisher::check(&built.site.config, &mut diags);
    email::check(&built.site, &built.output, &mut diags);
    timer.mark("check content");
    let stats = check_links(&built.site, &built.output, opts, &mut diags);
    timer.mark("check links");
    Ok(Report {
        diagnostics: diags,
        pages: stats.pages,
        internal_links: stats.internal,
        external_urls: stats.external,
        built: true,
        elapsed: start.elapsed(),
    })
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

impl Problem {
    /// The kind of problem, as reports are grouped: a missing target and one above the site
    /// are both "nothing there".
    fn kind(&self) -> u8 {
        match self {
            Problem::Missing(_) | Problem::Outside => 0,
            Problem::Anchor { .. } => 1,
            Problem::External { .. } => 2,
        }
    }
}

/// What the links of one page (or of all pages, added up) gave.
#[derive(Default)]
struct PageLinks {
    broken: Vec<Broken>,
    /// Internal links followed.
    internal: usize,
    /// The external links, requested only with `--external`.
    external: Vec<ExternalLink>,
}

impl PageLinks {
    fn add(&mut self, other: PageLinks) {
        self.broken.extend(other.broken);
        self.internal += other.internal;
        self.external.extend(other.external);
    }
}

/// One external link on one page.
struct ExternalLink {
    /// The URL without its fragment.
    url: String,
    /// The output file of the page it is on.
    page: String,
    /// The URL as written.
    raw: String,
}

struct Stats {
    pages: usize,
    internal: usize,
    external: usize,
}

/// Follows every link of every HTML page of the output (in parallel), asks for the external
/// ones with `--external`, and reports the broken ones.
fn check_links(site: &Site, output: &Output, opts: &Options, diags: &mut Diagnostics) -> Stats {
    let timer = crate::timing::Timer::start();
    let pages = html_pages(output);
    let scans: Scans<'_> = pages
        .par_iter()
        .map(|(path, bytes)| (path.as_str(), html::scan(bytes)))
        .collect();
    timer.mark("  scan pages");
    let pass = LinkPass {
        output,
        scans: &scans,
        base: Base::new(&site.config.base_url),
        unsubscribe: &site.config.editions.unsubscribe_url,
    };

    // Every link of every page, resolved and looked up, in parallel.
    let results: Vec<PageLinks> = pages
        .par_iter()
        .map_init(Memo::default, |memo, (file, _)| pass.page(memo, file))
        .collect();
    timer.mark("  follow links");
    let mut found = PageLinks::default();
    for page in results {
        found.add(page);
    }

    let external_urls = match &opts.external {
        Some(ext) => check_external(found.external, ext, &mut found.broken),
        None => 0,
    };
    if !found.broken.is_empty() {
        report(site, output, &scans, found.broken, diags);
    }
    Stats {
        pages: pages.len(),
        internal: found.internal,
        external: external_urls,
    }
}

/// The HTML pages of the output: output file and contents.
fn html_pages(output: &Output) -> Vec<(&String, &Arc<[u8]>)> {
    output
        .iter()
        .filter_map(|(path, entry)| match entry {
            Entry::Bytes(b) if path.ends_with(".html") || path.ends_with(".htm") => Some((path, b)),
            _ => None,
        })
        .collect()
}

/// What following the links of one page needs: the output and every page's scan.
struct LinkPass<'a> {
    output: &'a Output,
    scans: &'a Scans<'a>,
    base: Base,
    /// The e-mail's unsubscribe link, a placeholder for the mailing tool: never followed.
    unsubscribe: &'a str,
}

/// What following one link gave, before it is tied to the page it is on.
#[derive(Clone)]
enum Outcome {
    Skip,
    External(String),
    /// An internal link, and its problem if it is broken.
    Internal(Option<Problem>),
    Outside,
}

/// Outcomes of the links that mean the same on every page (`/artikel/x/`, full URLs): the
/// menu, footer and term links of a theme repeat on every page, so most of a site's links
/// are a few thousand distinct ones, each followed once per thread.
type Memo = HashMap<String, Outcome, ahash::RandomState>;

/// Every HTML page's scan by output file. aHash (seeded per process, so a page cannot be
/// written to collide) instead of SipHash: hashing these keys was a tenth of following links.
pub(super) type Scans<'a> = HashMap<&'a str, html::Scan, ahash::RandomState>;

impl LinkPass<'_> {
    /// Every link of the page in output file `file`, resolved and looked up.
    fn page(&self, memo: &mut Memo, file: &str) -> PageLinks {
        let mut found = PageLinks::default();
        let Some(scan) = self.scans.get(file) else {
            return found;
        };
        let page = crate::text::url_path::of_output_file(file);
        for raw in scan.links.iter() {
            if raw == self.unsubscribe {
                continue;
            }
            let same_everywhere = scan.base.is_none() && links::independent_of_page(raw);
            let outcome = match memo.get(raw) {
                Some(known) if same_everywhere => known.clone(),
                _ => {
                    let outcome = self.follow(raw, &page, scan.base.as_deref());
                    if same_everywhere {
                        memo.insert(raw.to_string(), outcome.clone());
                    }
                    outcome
                }
            };
            let problem = match outcome {
                Outcome::Skip => continue,
                Outcome::External(url) => {
                    found.external.push(ExternalLink {
                        url,
                        page: file.to_string(),
                        raw: raw.to_string(),
                    });
                    continue;
                }
                Outcome::Outside => Problem::Outside,
                Outcome::Internal(problem) => {
                    found.internal += 1;
                    let Some(problem) = problem else { continue };
                    problem
                }
            };
            found.broken.push(Broken {
                page: file.to_string(),
                raw: raw.to_string(),
                problem,
            });
        }
        found
    }

    fn follow(&self, raw: &str, page: &str, page_base: Option<&str>) -> Outcome {
        match links::classify(raw, page, page_base, &self.base) {
            Target::Skip => Outcome::Skip,
            Target::External(url) => Outcome::External(url),
            Target::Outside(_) => Outcome::Outside,
            Target::Internal { path, fragment } => {
                Outcome::Internal(lookup(self.output, self.scans, &path, fragment.as_deref()))
            }
        }
    }
}

/// `None` if `path` (and `fragment`) exist in the output.
fn lookup(
    output: &Output,
    scans: &Scans<'_>,
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

/// Requests every distinct URL of `links` once, and adds each link to a URL that failed to
/// `broken`. Returns the number of distinct URLs.
fn check_external(
    links: Vec<ExternalLink>,
    opts: &external::Options,
    broken: &mut Vec<Broken>,
) -> usize {
    let mut urls: Vec<&str> = links.iter().map(|l| l.url.as_str()).collect();
    urls.sort_unstable();
    urls.dedup();
    let requested = urls.len();
    let failures = external::check_urls(&urls, opts);
    for link in links {
        if let Some(f) = failures.get(link.url.as_str()) {
            broken.push(Broken {
                page: link.page,
                raw: link.raw,
                problem: Problem::External {
                    error: f.is_error(),
                    why: f.to_string(),
                },
            });
        }
    }
    requested
}

/// Finds where each broken link can be fixed and reports it once per place and problem.
fn report(
    site: &Site,
    output: &Output,
    scans: &Scans<'_>,
    mut broken: Vec<Broken>,
    diags: &mut Diagnostics,
) {
    broken.sort();
    broken.dedup();
    let mut finder = Finder::new(site);
    // One report per place, URL and kind of problem, however many pages show it.
    type Key = (String, usize, usize, String, u8);
    let mut groups: BTreeMap<Key, (Place, Vec<Occurrence>)> = BTreeMap::new();
    for b in broken {
        let (place, template) = finder.place(&b.page, &b.raw);
        let key = (
            place.source.name.clone(),
            place.span.start,
            place.span.end,
            b.raw.clone(),
            b.problem.kind(),
        );
        let occurrence = Occurrence {
            page: crate::text::url_path::of_output_file(&b.page),
            template: template.to_string(),
            origin: place.origin,
            problem: b.problem,
        };
        groups
            .entry(key)
            .or_insert_with(|| (place, Vec::new()))
            .1
            .push(occurrence);
    }

    let all_paths: Vec<String> = output
        .iter()
        .map(|(f, _)| crate::text::url_path::of_output_file(f))
        .collect();
    // A picture that is not there was reported by the build already, at its image.
    let pictures: Vec<(String, Span)> = diags
        .iter()
        .filter(|d| d.code == "image")
        .filter_map(|d| d.primary.as_ref())
        .map(|l| (l.source.name.clone(), l.span.clone()))
        .collect();
    let reported = |place: &Place| {
        pictures.iter().any(|(name, span)| {
            *name == place.source.name
                && span.start <= place.span.start
                && place.span.end <= span.end
        })
    };
    for ((_, _, _, raw, _), (place, occurrences)) in groups {
        if reported(&place) {
            continue;
        }
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
