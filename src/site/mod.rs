//! Resolve: from loaded documents to the immutable [`Site`]: slugs and permalinks, sections,
//! authors ↔ articles, drafts, output paths, rendered Markdown.
//!
//! [`resolve`] runs the stages in order, each in its own module, each taking what the ones
//! before it made:
//!
//! 1. `sections`: held-back documents leave, every folder becomes a section;
//! 2. `authors`: the profiles, in slug order;
//! 3. `pages`: a page of every other document (in parallel), in path order;
//! 4. `order`: pages newest first, sorted once; every list is that order filtered;
//! 5. [`editions`]: each edition's articles, and the articles' back-links;
//! 6. `taxonomies`: the terms of every declared taxonomy;
//! 7. `paths` and `assets`: no two documents claim one output file; where colocated files go;
//! 8. `bodies`: the Markdown stage, every body rendered once (in parallel), `@/` links
//!    resolved against the table of `links`, and their anchors checked.
//!
//! Nothing changes a [`Site`] that is shared: what a later step needs different is a new
//! value, made from a site handed over by value (`Site::with_new_bodies` for a save that
//! changed only bodies, `Site::without_source_texts` before a one-shot build renders).

mod assets;
mod authors;
pub(crate) mod bodies;
pub(crate) mod editions;
mod links;
pub(crate) mod menus;
mod order;
mod pages;
mod paths;
pub(crate) mod pictures;
mod related;
mod sections;
mod taxonomies;

use std::path::PathBuf;
use std::sync::Arc;

use jiff::ZonedDateTime as Zoned;

use crate::config::Config;
use crate::content::{FrontMatter, Loaded};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, Rendered};
use crate::source::{SourceFile, Span};

pub use authors::{Byline, Guest};
pub use editions::Edition;
pub(crate) use sections::held_back;

/// An article or other page.
#[derive(Debug, Clone)]
pub struct Page {
    /// The Markdown file.
    pub source: Arc<SourceFile>,
    /// Its front matter.
    pub front: Arc<FrontMatter>,
    /// The last URL segment.
    pub slug: String,
    /// URL path, `/artikel/regionalgruppe-rheinland/`.
    pub path: String,
    /// Absolute URL.
    pub permalink: String,
    /// Publication date, from the front matter or the file name.
    pub date: Option<Zoned>,
    /// Index of its section in [`Site::sections`].
    pub section: usize,
    /// Indexes of its authors in [`Site::authors`] (profiles only, each once).
    pub authors: Vec<usize>,
    /// Its byline: profiles and guests, in the order the front matter names them.
    pub bylines: Vec<Byline>,
    /// Template name.
    pub template: String,
    /// Rendered body.
    pub content: Arc<Rendered>,
    /// Rendered summary (`summary` key or the part before `<!-- more -->`).
    pub summary_html: Option<String>,
    /// For each taxonomy of [`Site::taxonomies`], the indexes of this page's terms.
    pub terms: Vec<Vec<usize>>,
    /// Output files of its redirect pages (`aliases:`), e.g. `alt/pfad/index.html`.
    pub aliases: Vec<String>,
    /// Hash of the file's text.
    pub(crate) hash: u64,
    /// What its Markdown depends on besides its text.
    pub(crate) depends: markdown::Depends,
    /// Fingerprint of what its rendered Markdown depends on.
    pub(crate) md_key: u64,
    /// For an edition: its number and articles.
    pub edition: Option<Edition>,
    /// Indexes (in [`Site::pages`]) of the editions that contain this article, oldest first.
    pub editions: Vec<usize>,
    /// Indexes of its related articles, best first (see `related`).
    pub related: Vec<usize>,
    /// Its hero image (`image:` in the front matter), processed.
    pub(crate) hero: Option<Arc<crate::images::Picture>>,
    body: Span,
}

impl Page {
    /// Whether this page is a newsletter edition.
    pub fn is_edition(&self) -> bool {
        self.front.edition.is_some()
    }

    /// The page's path below `content/`, as `@/` links name it: `artikel/x.md`.
    pub fn content_path(&self) -> &str {
        self.source
            .name
            .strip_prefix("content/")
            .unwrap_or(&self.source.name)
    }
}

/// A taxonomy with its terms.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// The declaration from `site.toml`.
    pub config: crate::config::Taxonomy,
    /// URL path, `/tags/`.
    pub path: String,
    /// Absolute URL.
    pub permalink: String,
    /// Terms, by slug.
    pub terms: Vec<Term>,
}

/// One term of a taxonomy.
#[derive(Debug, Clone)]
pub struct Term {
    /// As first written (in page path order).
    pub name: String,
    /// German-aware slug; terms with the same slug are one term.
    pub slug: String,
    /// URL path, `/tags/kooperation/`.
    pub path: String,
    /// Absolute URL.
    pub permalink: String,
    /// Its pages, newest first.
    pub pages: Vec<usize>,
}

/// A section: a folder of `content/`, with its `_index.md` if there is one.
#[derive(Debug, Clone)]
pub struct Section {
    /// The `_index.md`, if any.
    pub source: Option<Arc<SourceFile>>,
    /// Its front matter (empty without `_index.md`).
    pub front: Arc<FrontMatter>,
    /// The folder below `content/`, `""` for the home page.
    pub dir: String,
    /// URL path, `/artikel/`.
    pub path: String,
    /// Absolute URL.
    pub permalink: String,
    /// Title: from the front matter, else the folder name.
    pub title: String,
    /// Rendered `_index.md` body.
    pub content: Arc<Rendered>,
    /// Its pages, in display order.
    pub pages: Vec<usize>,
    /// Sections directly below it.
    pub subsections: Vec<usize>,
    /// Template name.
    pub template: String,
    /// Hash of the `_index.md` text (0 without one).
    pub(crate) hash: u64,
    /// What its Markdown depends on besides its text.
    pub(crate) depends: markdown::Depends,
    /// Fingerprint of what its rendered Markdown depends on (0 without `_index.md`).
    pub(crate) md_key: u64,
    body: Span,
}

/// An author profile.
#[derive(Debug, Clone)]
pub struct Author {
    /// The profile file.
    pub source: Arc<SourceFile>,
    /// Its front matter (first_name, address, …).
    pub front: Arc<FrontMatter>,
    /// The slug articles refer to in `authors:`.
    pub slug: String,
    /// URL path, `/autoren/ann-labus/`.
    pub path: String,
    /// Absolute URL.
    pub permalink: String,
    /// Display name: `title`, else first and last name.
    pub title: String,
    /// Rendered biography.
    pub bio: Arc<Rendered>,
    /// Their pages, newest first.
    pub pages: Vec<usize>,
    /// Template name.
    pub template: String,
    /// Hash of the file's text.
    pub(crate) hash: u64,
    /// What its Markdown depends on besides its text.
    pub(crate) depends: markdown::Depends,
    /// Fingerprint of what its rendered Markdown depends on.
    pub(crate) md_key: u64,
    /// Their photo (`photo:`), processed.
    pub(crate) picture: Option<Arc<crate::images::Picture>>,
    body: Span,
}

/// A file copied into the output as it is.
#[derive(Debug, Clone)]
pub struct CopiedFile {
    /// Output path, relative, `/`-separated.
    pub output: String,
    /// The file on disk.
    pub path: PathBuf,
}

/// The resolved site: everything render needs, nothing it has to look up on disk.
#[derive(Debug, Clone)]
pub struct Site {
    /// The configuration.
    pub config: Config,
    /// Pages, in path order.
    pub pages: Vec<Page>,
    /// Sections, in path order; index 0 is the home page.
    pub sections: Vec<Section>,
    /// Authors, in slug order.
    pub authors: Vec<Author>,
    /// Colocated assets.
    pub assets: Vec<CopiedFile>,
    /// Taxonomies, in `site.toml` order.
    pub taxonomies: Vec<Taxonomy>,
    /// Articles (pages with a date), newest first.
    pub(crate) latest: Vec<usize>,
    /// Whether any document links to an `#anchor` of another.
    pub(crate) has_anchor_links: bool,
    /// Pages and profiles left out as drafts (or not yet published, or expired).
    pub held_back: usize,
    /// The menus of `site.toml`, their links resolved.
    pub menus: menus::Menus,
    /// The pictures: the variants the pages asked for, made by the build.
    pub(crate) images: Arc<crate::images::Pipeline>,
    /// Where the pictures are, for the template functions.
    pub(crate) pictures: Arc<pictures::Pictures>,
}

impl Site {
    /// The same site without the Markdown sources' texts (keeping names and paths). A
    /// one-shot build asks for this once the site resolved and its templates were checked
    /// without errors: rendering needs only what was made from the texts, and the texts are
    /// about a fifth of the memory of a large site. Diagnostics keep their own reference to
    /// the files they point into. It takes the site by value: nothing else can see it change.
    pub(crate) fn without_source_texts(mut self) -> Site {
        let strip = |s: &mut Arc<SourceFile>| *s = Arc::new(s.without_text());
        for p in &mut self.pages {
            strip(&mut p.source);
            p.body = 0..0;
        }
        for a in &mut self.authors {
            strip(&mut a.source);
            a.body = 0..0;
        }
        for s in &mut self.sections {
            if let Some(src) = &mut s.source {
                strip(src);
            }
            s.body = 0..0;
        }
        self
    }

    /// The site after a save that changed only some articles' bodies (see
    /// [`bodies::body_only`]): the pages of `bodies` with their new text and rendered body,
    /// everything else as it was. It takes the site by value, like
    /// [`Site::without_source_texts`]: the caller hands over a site nothing else holds
    /// (cloning one that is shared), so no reader ever sees a site change, and the usual
    /// case costs no copy of the pages (a clone costs about 1 µs a page in a debug build).
    pub(crate) fn with_new_bodies(mut self, bodies: Vec<bodies::NewBody>) -> Site {
        for body in bodies {
            body.apply(&mut self.pages);
        }
        self
    }

    /// Index of the section that holds author profiles, if the site has one.
    pub fn authors_section(&self) -> Option<usize> {
        self.sections
            .iter()
            .position(|s| s.dir == self.config.authors_section)
    }

    /// The newest `updated` (or else `date`) among `pages`: when a list last changed.
    pub fn newest_change(&self, pages: &[usize]) -> Option<&Zoned> {
        pages
            .iter()
            .filter_map(|&i| {
                let p = &self.pages[i];
                p.front.updated.as_ref().or(p.date.as_ref())
            })
            .max_by_key(|z| z.timestamp())
    }

    /// Articles (pages with a date), newest first.
    pub fn latest(&self) -> Vec<usize> {
        self.latest.clone()
    }
}

/// Builds the [`Site`] from what was loaded. Problems are pushed to `diags`. `shortcodes`
/// renders shortcode calls in Markdown (the theme's templates), when there is a theme.
pub fn resolve(
    config: Config,
    loaded: Loaded,
    shortcodes: Option<&dyn markdown::shortcodes::Shortcodes>,
    cache: &mut crate::cache::Cache,
    diags: &mut Diagnostics,
) -> Site {
    let timer = crate::timing::Timer::start();
    let now = Zoned::now().with_time_zone(config.timezone.clone());
    let mut docs = sections::sort_documents(loaded.documents, &config, &now);
    paths::leave_out_bundle_resources(&mut docs.pages, diags);
    timer.mark("  held back");
    let mut sections = sections::build(&config, docs.sections, &docs.pages, &docs.authors);
    let section_index = sections::index(&sections);
    sections::link_subsections(&mut sections, &section_index);
    timer.mark("  sections");
    let mut authors = authors::build(&config, docs.authors, diags);
    timer.mark("  authors");
    let ctx = pages::Context {
        config: &config,
        sections: &sections,
        section_index: &section_index,
        authors: &authors,
        author_index: &authors::index(&authors),
    };
    let mut pages = pages_in_path_order(&ctx, docs.pages, &timer, diags);
    let by_date = order::fill_lists(&pages, &mut sections, &mut authors);
    timer.mark("  pages");
    editions::resolve(&mut pages, &docs.held_names, diags);
    let taxonomies = taxonomies::build(&config, &mut pages, &by_date);
    timer.mark("  taxonomies");
    paths::check_output_paths(&config, &sections, &pages, &authors, &taxonomies, diags);
    let assets = assets::place(
        &loaded.assets,
        &pages,
        &sections,
        &authors,
        &section_index,
        &docs.held_dirs,
    );
    timer.mark("  paths, assets");
    let pictures = pictures::Pictures::new(pipeline(&config), &config, &assets);
    pictures.heroes(&mut pages, &mut authors);
    let mut docs_of = bodies::Documents {
        pages: &mut pages,
        sections: &mut sections,
        authors: &mut authors,
    };
    let mut found = Diagnostics::new();
    bodies::render_markdown(
        &config,
        shortcodes,
        &pictures,
        cache,
        &mut docs_of,
        &mut found,
    );
    for d in found.sorted() {
        match d.code {
            "image" => pictures.pipeline.report(d),
            _ => diags.push(d),
        }
    }
    timer.mark("  markdown");
    let images = Arc::clone(&pictures.pipeline);
    // A picture shown through its variants is not published as it is (with its EXIF
    // data, GPS position included).
    let assets = assets
        .into_iter()
        .filter(|a| !images.is_original(&a.path))
        .collect();
    let latest = order::latest(&pages, &by_date);
    let related = related::related(&pages, &latest);
    for (p, r) in pages.iter_mut().zip(related) {
        p.related = r;
    }
    timer.mark("  related");
    let index_names = links::index_names(&sections);
    let link_table = links::table(&pages, &sections, &authors, &index_names);
    let menus = menus::resolve(&config, &link_table, diags);
    timer.mark("  menus");
    Site {
        has_anchor_links: links::any_anchor_links(&pages, &sections, &authors),
        latest,
        menus,
        config,
        pages,
        sections,
        authors,
        assets,
        taxonomies,
        held_back: docs.held,
        images,
        pictures: Arc::new(pictures),
    }
}

/// The pipeline of a site's pictures, its cache beside the build cache.
fn pipeline(config: &Config) -> Arc<crate::images::Pipeline> {
    let dir = config.root.join(crate::cache::store::FOLDER).join("images");
    Arc::new(crate::images::Pipeline::new(
        config.images.clone(),
        &config.base_url,
        &dir,
    ))
}

/// Step 3 of [`resolve`]: a page of every other document, made in parallel, then sorted by
/// path (`PRESSWERK_TIMINGS=1` times the two apart).
fn pages_in_path_order(
    ctx: &pages::Context,
    docs: Vec<crate::content::Document>,
    timer: &crate::timing::Timer,
    diags: &mut Diagnostics,
) -> Vec<Page> {
    let mut pages = pages::build(ctx, docs, diags);
    timer.mark("  pages built");
    pages::sort_by_path(&mut pages);
    timer.mark("  pages sorted");
    pages
}

/// A document's path below `content/`, as `@/` links name it.
fn strip_content(name: &str) -> &str {
    name.strip_prefix("content/").unwrap_or(name)
}

/// A Markdown problem as a diagnostic: its span is shifted from the body to the whole file.
fn problem_diagnostic(
    source: &Arc<SourceFile>,
    body_start: usize,
    p: &markdown::Problem,
) -> Diagnostic {
    let span = body_start + p.span.start..body_start + p.span.end;
    Diagnostic::error(p.code, p.message.clone())
        .at(source, span, p.label.clone())
        .help(p.help.clone())
}
