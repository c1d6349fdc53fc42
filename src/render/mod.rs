//! Render: the parallel rendering of every page, list, term page and feed of a resolved
//! site into a [`Sink`], and the files made without templates (sitemap, JSON, redirects,
//! the editions' e-mails), collected into an [`Output`].
//!
//! Each page, section and author is turned into a `tera::Value` once (`values`); those
//! values share their strings and lists through reference counts, so a section listing
//! 10,000 articles and the articles' own pages use the same data, and a per-page context is
//! a few pointers. Templates reach the rest of the site through functions (`get_page`, …)
//! over a [`Lookup`], never through a copy of the site in every context.
//!
//! The stages of one render, each in its own module: the template environment is loaded
//! beforehand ([`load_theme`], the only step that reads files); then fingerprints
//! (`fingerprints`), values, the lookup (`functions`), the plan of jobs (`plan`), the
//! jobs rendered in parallel with their contexts (`context`, `feeds`, `paging`) into the
//! sink, and the collection of everything into the output (`collect`, `redirects`,
//! `sitemap`, `json`, [`email`]).

mod collect;
mod context;
pub(crate) mod email;
mod errors;
mod feeds;
mod fields;
mod fingerprints;
mod functions;
mod json;
mod paging;
pub(crate) mod pictures;
mod plan;
pub(crate) mod publishing;
mod redirects;
mod shortcodes;
mod sitemap;
mod theme;
pub(crate) mod values;

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use tera::Context;

use crate::cache::Cache;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{Memory, Output, Sink};
use crate::site::Site;
use crate::text::UrlPath;
use crate::timing::Timer;
use collect::Rendered;
pub(crate) use errors::check_templates;
use errors::template_error;
use fingerprints::Fingerprints;
use functions::fill_lookup;
use plan::Plan;
pub use theme::{Theme, load_theme};
use values::Values;

/// Renders the whole site into an [`Output`] in memory, reusing from `cache` every output
/// whose fingerprint did not change. Problems go to `diags`.
pub fn render(site: &Site, theme: &Theme, cache: &mut Cache, diags: &mut Diagnostics) -> Output {
    render_to(site, theme, cache, diags, &Memory, PageHtml::default())
}

/// The pages' Markdown HTML, handed over to rendering by a one-shot build, so that each
/// page's template value takes its HTML instead of a copy of it (see [`take_page_html`]).
/// Empty, rendering reads each page's own.
#[derive(Debug, Default)]
pub(crate) struct PageHtml(Vec<Option<String>>);

/// For a one-shot build (`presswerk build`), before rendering: moves each page's Markdown
/// HTML out of the site, so that it is held once, not twice, while the site renders. The
/// site is handed over by value and a new one comes back (nothing changes a site that others
/// can see); in it `pages[i].content.html` is empty, and `cache` holds no Markdown (it
/// shares each page's HTML; without it each page owns its own).
pub(crate) fn take_page_html(mut site: Site, cache: &mut Cache) -> (Site, PageHtml) {
    cache.markdown.clear();
    let html = site
        .pages
        .iter_mut()
        .map(|p| Arc::get_mut(&mut p.content).map(|r| std::mem::take(&mut r.html)))
        .collect();
    (site, PageHtml(html))
}

/// Renders the whole site, putting every rendered page into `sink` as soon as it is
/// rendered, from the rendering threads. The result holds the entries the sink gave back,
/// and the files made at the end (redirects, sitemap, JSON, e-mails) and copied files.
/// A sink that does not keep the bytes (a one-shot build's staging folder) leaves nothing
/// in `cache` to reuse. `html`: the pages' HTML if the caller took it out of `site`.
pub(crate) fn render_to(
    site: &Site,
    theme: &Theme,
    cache: &mut Cache,
    diags: &mut Diagnostics,
    sink: &dyn Sink,
    html: PageHtml,
) -> Output {
    render_pages(site, theme, cache, diags, sink, html.0)
}

/// `html`: per page, its Markdown HTML when it was taken out of the page (else the page's
/// own is used).
fn render_pages(
    site: &Site,
    theme: &Theme,
    cache: &mut Cache,
    diags: &mut Diagnostics,
    sink: &dyn Sink,
    html: Vec<Option<String>>,
) -> Output {
    let timer = Timer::start();
    let fps = Fingerprints::new(site);
    timer.mark("  fingerprints");
    let search = crate::search::files(site, &html, &mut cache.search);
    timer.mark("  search index");
    let v = Values::new(site, &fps.pages, &mut cache.values, html);
    timer.mark("  values");
    fill_lookup(site, &v, theme);
    timer.mark("  lookup");
    let plan = Plan::new(site, theme, &fps);
    timer.mark("  plan");
    // The pictures are made beside the pages: neither waits for the other.
    let (results, first) = rayon::join(
        || render_jobs(&plan, &v, theme, cache, sink),
        || site.images.run(),
    );
    timer.mark("  render jobs");
    let mut output = collect::copied_files(site, theme, diags);
    // Again for what the templates asked for (`resize_image`); the rest is in the cache.
    let mut ran = site.images.run();
    ran.cache_warnings.splice(0..0, first.cache_warnings);
    collect::pictures(site, ran, &mut output, diags);
    timer.mark("  pictures");
    collect::rendered(results, cache, &mut output, diags);
    timer.mark("  collect outputs");
    generated(site, &fps.pages, cache, &mut output, diags, sink);
    timer.mark("  sitemap, json, redirects");
    collect::put_all(search, &mut output, diags, sink);
    timer.mark("  search files");
    email::add(site, &v, &fps.pages, theme, cache, &mut output, diags);
    timer.mark("  edition e-mails");
    output
}

/// Renders every job of `plan` in parallel into `sink`; a job whose fingerprint is the one
/// in `cache` puts its previous bytes instead, or nothing when the sink holds them already
/// (what an earlier `build` stored, see [`crate::cache::store`]).
fn render_jobs(
    plan: &Plan,
    v: &Values,
    theme: &Theme,
    cache: &Cache,
    sink: &dyn Sink,
) -> Vec<Rendered> {
    let (previous, stored) = (&cache.outputs, &cache.stored);
    plan.jobs
        .par_iter()
        .map(|job| {
            let target = plan.target(job);
            let file = UrlPath::new(&target.path).output_file();
            let fingerprint = target.fingerprint;
            let reused = match (previous.get(&file), stored.get(&file)) {
                _ if theme.asks_pictures => None,
                (Some((old, bytes)), _) if *old == fingerprint => {
                    Some(sink.put(&file, Arc::clone(bytes)))
                }
                (_, Some(s)) if s.fingerprint == fingerprint => sink.holds(&file, s.size, s.hash),
                _ => None,
            };
            if let Some(entry) = reused {
                return Rendered {
                    file,
                    fingerprint,
                    reused: true,
                    result: Ok(entry),
                };
            }
            let (ctx, source) = context::context(plan, v, job, &target.path);
            let mut buf = Vec::with_capacity(16 * 1024);
            let result = theme
                .tera
                .render_to(target.template, &ctx, &mut buf)
                .map(|()| sink.put(&file, Arc::from(buf)))
                .map_err(|e| template_error(&e, &theme.sources, source.map(|s| s.name.as_str())));
            Rendered {
                file,
                fingerprint,
                reused: false,
                result,
            }
        })
        .collect()
}

/// The files made without templates: redirects, sitemap, robots.txt and the JSON files.
fn generated(
    site: &Site,
    page_fps: &[u64],
    cache: &mut Cache,
    output: &mut Output,
    diags: &mut Diagnostics,
    sink: &dyn Sink,
) {
    redirects::add(site, output, diags);
    let timer = Timer::start();
    sitemap::add(site, cache, output, diags);
    timer.mark("    sitemap");
    sitemap::add_robots(site, output, diags);
    timer.mark("    robots");
    json::add(site, page_fps, cache, output, diags, sink);
    timer.mark("    json");
    if let Some(manifest) = publishing::manifest(&site.config) {
        collect::insert(output, publishing::MANIFEST.into(), manifest, diags);
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
