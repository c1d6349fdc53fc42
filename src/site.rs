//! Resolve: from loaded documents to the immutable [`Site`]: slugs and permalinks, sections,
//! authors ↔ articles, drafts, output paths, rendered Markdown.

use crate::text::UrlPath;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use jiff::ZonedDateTime as Zoned;
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Document, FrontMatter, Kind, Loaded};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::markdown::{self, Rendered};
use crate::source::{SourceFile, Span};
use crate::text::slug::slugify;

/// An article or other page.
#[derive(Debug)]
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
    /// Indexes of its authors in [`Site::authors`].
    pub authors: Vec<usize>,
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
    pub hash: u64,
    /// What its Markdown depends on besides its text.
    pub depends: markdown::Depends,
    /// Fingerprint of what its rendered Markdown depends on.
    pub md_key: u64,
    /// For an edition: its number and articles.
    pub edition: Option<crate::edition::Edition>,
    /// Indexes (in [`Site::pages`]) of the editions that contain this article, oldest first.
    pub editions: Vec<usize>,
    body: Span,
}

impl Page {
    /// Replaces the page's text and rendered body after a save that changed only the body.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn set_body(
        &mut self,
        source: Arc<SourceFile>,
        body: Span,
        hash: u64,
        depends: markdown::Depends,
        content: Arc<Rendered>,
        summary_html: Option<String>,
        md_key: u64,
    ) {
        self.source = source;
        self.body = body;
        self.hash = hash;
        self.depends = depends;
        self.content = content;
        self.summary_html = summary_html;
        self.md_key = md_key;
    }

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
#[derive(Debug)]
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
#[derive(Debug)]
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
#[derive(Debug)]
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
    pub hash: u64,
    /// What its Markdown depends on besides its text.
    pub depends: markdown::Depends,
    /// Fingerprint of what its rendered Markdown depends on (0 without `_index.md`).
    pub md_key: u64,
    body: Span,
}

/// An author profile.
#[derive(Debug)]
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
    pub hash: u64,
    /// What its Markdown depends on besides its text.
    pub depends: markdown::Depends,
    /// Fingerprint of what its rendered Markdown depends on.
    pub md_key: u64,
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
#[derive(Debug)]
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
    pub latest: Vec<usize>,
    /// Whether any document links to an `#anchor` of another.
    pub has_anchor_links: bool,
    /// Pages and profiles left out as drafts (or not yet published, or expired).
    pub held_back: usize,
}

impl Site {
    /// Lets go of the Markdown sources' texts (keeping names and paths). A one-shot build
    /// does this once the site resolved without errors: rendering needs only what was made
    /// from the texts, and the texts are about a fifth of the memory of a large site.
    /// Diagnostics keep their own reference to the files they point into.
    pub(crate) fn forget_source_texts(&mut self) {
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

fn section_path(dir: &str) -> String {
    if dir.is_empty() {
        return "/".into();
    }
    let mut path = String::from("/");
    for part in dir.split('/') {
        path.push_str(&slugify(part));
        path.push('/');
    }
    path
}

fn folder_title(dir: &str) -> String {
    let last = dir.rsplit('/').next().unwrap_or(dir);
    let mut chars = last.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Whether a document is held back: a draft, not yet published or expired.
pub(crate) fn held_back(front: &FrontMatter, config: &Config, now: &Zoned) -> bool {
    if config.drafts {
        return false;
    }
    front.draft
        || front.publish_date.as_ref().is_some_and(|d| d > now)
        || front.expiry_date.as_ref().is_some_and(|d| d <= now)
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
    let mut held = 0;
    // Folders of held-back pages: their colocated files stay out of the output too.
    let mut held_dirs: Vec<String> = Vec::new();
    // Their `@/` names, so an edition that lists one can say why it is not there.
    let mut held_names: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut section_docs: BTreeMap<String, Document> = BTreeMap::new();
    let mut page_docs = Vec::new();
    let mut author_docs = Vec::new();
    for doc in loaded.documents {
        if held_back(&doc.front, &config, &now) {
            held += 1;
            held_dirs.push(stem_dir(&doc.source));
            held_names.insert(strip_content(&doc.source.name).to_string());
            continue;
        }
        match doc.kind {
            Kind::Section => {
                section_docs.insert(doc.section.clone(), doc);
            }
            Kind::Author => author_docs.push(doc),
            Kind::Page | Kind::Edition => page_docs.push(doc),
        }
    }

    timer.mark("  held back");
    // Sections: every folder with an _index.md or a page, and every folder above those.
    let mut dirs: Vec<String> = vec![String::new()];
    // Many documents share a folder: look at each folder once.
    let folders: std::collections::BTreeSet<&str> = section_docs
        .keys()
        .map(String::as_str)
        .chain(page_docs.iter().map(|d| d.section.as_str()))
        .chain(author_docs.iter().map(|d| d.section.as_str()))
        .collect();
    for d in folders {
        let mut acc = String::new();
        for part in d.split('/').filter(|p| !p.is_empty()) {
            if !acc.is_empty() {
                acc.push('/');
            }
            acc.push_str(part);
            dirs.push(acc.clone());
        }
    }
    dirs.sort();
    dirs.dedup();
    let mut sections: Vec<Section> = dirs
        .iter()
        .map(|dir| {
            let doc = section_docs.remove(dir);
            let path = section_path(dir);
            let default_template = if dir.is_empty() {
                "index.html"
            } else if *dir == config.authors_section {
                "authors.html"
            } else if *dir == config.editions.section {
                "editions.html"
            } else {
                "section.html"
            };
            let (source, front, body, hash, depends) = match doc {
                Some(d) => (Some(d.source), d.front, d.body, d.hash, d.depends),
                None => (
                    None,
                    Arc::new(FrontMatter::default()),
                    0..0,
                    0,
                    markdown::Depends::default(),
                ),
            };
            Section {
                title: front.title.clone().unwrap_or_else(|| {
                    if dir.is_empty() {
                        config.title.clone()
                    } else {
                        folder_title(dir)
                    }
                }),
                template: front
                    .template
                    .as_ref()
                    .map_or_else(|| default_template.to_string(), |t| t.value.clone()),
                permalink: config.permalink(&path),
                source,
                front,
                dir: dir.clone(),
                path,
                content: Arc::default(),
                pages: Vec::new(),
                subsections: Vec::new(),
                hash,
                depends,
                md_key: 0,
                body,
            }
        })
        .collect();
    let section_index: HashMap<String, usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.dir.clone(), i))
        .collect();
    for i in 1..sections.len() {
        let parent = sections[i]
            .dir
            .rsplit_once('/')
            .map_or("", |(p, _)| p)
            .to_string();
        if let Some(&p) = section_index.get(&parent) {
            sections[p].subsections.push(i);
        }
    }

    timer.mark("  sections");
    // Authors.
    let mut authors: Vec<Author> = author_docs
        .into_iter()
        .map(|doc| {
            let slug = doc.slug.clone();
            let path = format!("{}{}/", section_path(&doc.section), slug);
            let full_name = [
                doc.front.first_name.as_deref(),
                doc.front.last_name.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
            let title = doc.front.title.clone().unwrap_or(if full_name.is_empty() {
                slug.clone()
            } else {
                full_name
            });
            if doc.front.title.is_none()
                && doc.front.first_name.is_none()
                && doc.front.last_name.is_none()
            {
                diags.push(
                    Diagnostic::error("author-name", "author profile has no name")
                        .at(
                            &doc.source,
                            doc.front.span.clone(),
                            "needs first_name and last_name (or title)",
                        )
                        .help("add e.g. first_name: Ann-Christin and last_name: Labus"),
                );
            }
            Author {
                template: doc
                    .front
                    .template
                    .as_ref()
                    .map_or_else(|| "author.html".to_string(), |t| t.value.clone()),
                permalink: config.permalink(&path),
                source: doc.source,
                front: doc.front,
                slug,
                path,
                title,
                bio: Arc::default(),
                pages: Vec::new(),
                hash: doc.hash,
                depends: doc.depends,
                md_key: 0,
                body: doc.body,
            }
        })
        .collect();
    authors.sort_by(|a, b| a.slug.cmp(&b.slug));
    let author_index: HashMap<&str, usize> = authors
        .iter()
        .enumerate()
        .map(|(i, a)| (a.slug.as_str(), i))
        .collect();

    timer.mark("  authors");
    // Pages, in parallel: each one needs only its own document and the author index.
    let built: Vec<(Option<Page>, Vec<Diagnostic>)> = page_docs
        .into_par_iter()
        .map(|doc| {
            let mut ds = Vec::new();
            if doc.slug.is_empty() {
                ds.push(
                    Diagnostic::error("slug-empty", "cannot make a URL from this file name")
                        .at(
                            &doc.source,
                            doc.front.span.clone(),
                            "the file name has no letters or digits",
                        )
                        .help("rename the file or set `slug: …` in the front matter"),
                );
                return (None, ds);
            }
            let date = match (&doc.front.date, &doc.prefix_date) {
                (Some(d), _) => Some(d.value.clone()),
                (None, Some(Ok(z))) => Some(z.clone()),
                (None, Some(Err(why))) => {
                    let p = why.split('`').nth(1).unwrap_or_default();
                    ds.push(
                        Diagnostic::error(
                            "date-prefix",
                            format!("file name starts with an impossible date `{p}`"),
                        )
                        .in_file(doc.source.name.clone())
                        .help(format!("{why}; rename the file or set `date:`")),
                    );
                    None
                }
                (None, None) => None,
            };
            if doc.front.title.is_none() {
                ds.push(
                    Diagnostic::error("missing-title", "page has no title")
                        .at(
                            &doc.source,
                            doc.front.span.clone(),
                            "no `title` in this front matter",
                        )
                        .help("add a line `title: …` between the `---` lines"),
                );
            }
            let mut page_authors = Vec::new();
            for a in &doc.front.authors {
                match author_index.get(a.value.as_str()) {
                    Some(&i) => page_authors.push(i),
                    None => {
                        let help =
                            match did_you_mean(&a.value, authors.iter().map(|x| x.slug.as_str())) {
                                Some(s) => format!("did you mean `{s}`?"),
                                None => format!(
                                    "create content/{}/{}.md with first_name and last_name",
                                    config.authors_section, a.value
                                ),
                            };
                        ds.push(
                            Diagnostic::error(
                                "unknown-author",
                                format!("unknown author `{}`", a.value),
                            )
                            .at(
                                &doc.source,
                                a.span.clone(),
                                "no author profile with this slug",
                            )
                            .help(help),
                        );
                    }
                }
            }
            let section = section_index.get(&doc.section).copied().unwrap_or(0);
            let path = format!("{}{}/", sections[section].path, doc.slug);
            let mut alias_diags = Diagnostics::new();
            let aliases = alias_files(&doc, &mut alias_diags);
            ds.extend(alias_diags.iter().cloned());
            let default_template = if doc.kind == Kind::Edition {
                "edition.html"
            } else {
                "page.html"
            };
            let page = Page {
                template: doc
                    .front
                    .template
                    .as_ref()
                    .map_or_else(|| default_template.to_string(), |t| t.value.clone()),
                permalink: config.permalink(&path),
                slug: doc.slug,
                source: doc.source,
                front: doc.front,
                path,
                date,
                section,
                authors: page_authors,
                content: Arc::default(),
                summary_html: None,
                terms: Vec::new(),
                aliases,
                hash: doc.hash,
                depends: doc.depends,
                md_key: 0,
                edition: None,
                editions: Vec::new(),
                body: doc.body,
            };
            (Some(page), ds)
        })
        .collect();
    let mut pages: Vec<Page> = Vec::with_capacity(built.len());
    for (page, ds) in built {
        diags.extend(ds);
        pages.extend(page);
    }
    timer.mark("  pages built");
    pages.sort_by(|a, b| {
        a.path
            .cmp(&b.path)
            .then_with(|| a.source.name.cmp(&b.source.name))
    });

    timer.mark("  pages sorted");
    // Newest first, sorted once: every list in date order is this order filtered, which
    // keeps sorting out of the per-section, per-author and per-term work.
    let mut by_date: Vec<usize> = (0..pages.len()).collect();
    sort_pages(&pages, &mut by_date, "date");
    for &i in &by_date {
        let page = &pages[i];
        sections[page.section].pages.push(i);
        for &a in &page.authors {
            authors[a].pages.push(i);
        }
    }
    for s in &mut sections {
        if let Some(order) = s.front.sort_by.as_ref().map(|o| o.value.as_str())
            && order != "date"
        {
            let order = order.to_string();
            sort_pages(&pages, &mut s.pages, &order);
        }
    }

    timer.mark("  pages");
    crate::edition::resolve(&mut pages, &held_names, diags);
    let taxonomies = build_taxonomies(&config, &mut pages, &by_date);
    timer.mark("  taxonomies");
    check_output_paths(&config, &sections, &pages, &authors, &taxonomies, diags);
    let assets = place_assets(
        &loaded.assets,
        &pages,
        &sections,
        &authors,
        &section_index,
        &held_dirs,
    );
    timer.mark("  paths, assets");
    render_markdown(
        &config,
        shortcodes,
        cache,
        &mut pages,
        &mut sections,
        &mut authors,
        diags,
    );

    timer.mark("  markdown");
    // Editions are not articles: they stay out of the home page, the feeds and the JSON.
    let latest: Vec<usize> = by_date
        .iter()
        .copied()
        .filter(|&i| pages[i].date.is_some() && !pages[i].is_edition())
        .collect();
    let has_anchor_links = pages.iter().any(|p| !p.content.anchor_links.is_empty())
        || authors.iter().any(|a| !a.bio.anchor_links.is_empty())
        || sections.iter().any(|s| !s.content.anchor_links.is_empty());
    Site {
        has_anchor_links,
        latest,
        config,
        pages,
        sections,
        authors,
        assets,
        taxonomies,
        held_back: held,
    }
}

/// Sorts page indexes: by date (newest first, undated last), title or weight; ties by title
/// and path so the order never depends on the walk.
pub(crate) fn sort_pages(pages: &[Page], idx: &mut [usize], order: &str) {
    idx.sort_by(|&a, &b| {
        let (a, b) = (&pages[a], &pages[b]);
        let primary = match order {
            "title" => a.front.title.cmp(&b.front.title),
            "weight" => a
                .front
                .weight
                .unwrap_or(i64::MAX)
                .cmp(&b.front.weight.unwrap_or(i64::MAX)),
            _ => match (&a.date, &b.date) {
                (Some(x), Some(y)) => y.cmp(x),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            },
        };
        primary
            .then_with(|| a.front.title.cmp(&b.front.title))
            .then_with(|| a.path.cmp(&b.path))
    });
}

/// Two documents that would write the same file are an error naming both. Pages, sections,
/// profiles, redirect pages (aliases) and taxonomy pages all claim output files.
fn check_output_paths(
    config: &Config,
    sections: &[Section],
    pages: &[Page],
    authors: &[Author],
    taxonomies: &[Taxonomy],
    diags: &mut Diagnostics,
) {
    let file_of = |path: &str| UrlPath::new(path).output_file();
    // (output file, file, span, the alias as written if this claim is one)
    let mut claims: Vec<(String, &Arc<SourceFile>, Span, Option<&str>)> = Vec::new();
    for s in sections {
        if let Some(src) = &s.source {
            claims.push((file_of(&s.path), src, s.front.span.clone(), None));
        }
    }
    for p in pages {
        let span = p
            .front
            .slug
            .as_ref()
            .map_or_else(|| p.front.span.clone(), |s| s.span.clone());
        claims.push((file_of(&p.path), &p.source, span, None));
        for (alias, spanned) in p.aliases.iter().zip(&p.front.aliases) {
            claims.push((
                alias.clone(),
                &p.source,
                spanned.span.clone(),
                Some(spanned.value.as_str()),
            ));
        }
    }
    for a in authors {
        let span = a
            .front
            .slug
            .as_ref()
            .map_or_else(|| a.front.span.clone(), |s| s.span.clone());
        claims.push((file_of(&a.path), &a.source, span, None));
    }
    for t in taxonomies {
        let span = config
            .source
            .text
            .find(&format!("\"{}\"", t.config.name))
            .map_or(0..0, |i| i..i + t.config.name.len() + 2);
        claims.push((file_of(&t.path), &config.source, span.clone(), None));
        for term in &t.terms {
            claims.push((file_of(&term.path), &config.source, span.clone(), None));
        }
    }
    // Pages before aliases, then by file: the claim reported is the later one, so an alias
    // is the one blamed for taking a page's place.
    claims.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| a.3.is_some().cmp(&b.3.is_some()))
            .then_with(|| a.1.name.cmp(&b.1.name))
            .then_with(|| a.2.start.cmp(&b.2.start))
    });
    type Claim<'a> = (&'a Arc<SourceFile>, &'a Span, Option<&'a str>);
    let mut seen: HashMap<&str, Claim> = HashMap::new();
    for (file, src, span, alias) in &claims {
        let Some((first, first_span, first_alias)) = seen.get(file.as_str()) else {
            seen.insert(file, (src, span, *alias));
            continue;
        };
        let url = crate::text::url_path::of_output_file(file);
        let there = match first_alias {
            Some(_) => format!("an alias of {} is already at /{file}", first.name),
            None => format!("{} is already at /{file}", first.name),
        };
        let d = match alias {
            Some(alias) => Diagnostic::error("duplicate-path", format!("alias `{alias}` is taken"))
                .at(
                    src,
                    span.clone(),
                    format!("redirecting from here would replace /{file}"),
                )
                .also(first, (*first_span).clone(), there)
                .help("remove the alias, or change it to a path nothing else uses"),
            None => Diagnostic::error("duplicate-path", format!("two files would write {url}"))
                .at(src, span.clone(), format!("this file writes {url}"))
                .also(
                    first,
                    (*first_span).clone(),
                    format!("{} writes it too", first.name),
                )
                .help("give one of them another `slug:` or file name"),
        };
        diags.push(d);
    }
}

/// The output files of a document's `aliases`: `/alt/pfad/` → `alt/pfad/index.html`,
/// `/alt.html` → `alt.html`. An alias that would leave the output folder is an error.
fn alias_files(doc: &Document, diags: &mut Diagnostics) -> Vec<String> {
    let mut out = Vec::new();
    for alias in &doc.front.aliases {
        let path = alias.value.trim();
        let file = UrlPath::new(path).alias_file();
        if !path.starts_with('/') || crate::output::check_path(&file).is_err() {
            diags.push(
                Diagnostic::error("alias-path", format!("alias `{path}` cannot be used"))
                    .at(
                        &doc.source,
                        alias.span.clone(),
                        "an alias is a path on this site, like /alt/pfad/",
                    )
                    .help("start it with `/`; no `..`, `\\` or empty segments"),
            );
            continue;
        }
        out.push(file);
    }
    out
}

/// Collects the terms of every declared taxonomy from the pages' front matter.
/// `order`: the pages newest first; each term's list comes out in that order unsorted.
fn build_taxonomies(config: &Config, pages: &mut [Page], order: &[usize]) -> Vec<Taxonomy> {
    let mut out = Vec::new();
    let mut assignments: Vec<Vec<Vec<usize>>> = Vec::new();
    for decl in &config.taxonomies {
        let path = format!("/{}/", decl.name);
        // (slug, name as first written, pages)
        let mut terms: Vec<(String, String, Vec<usize>)> = Vec::new();
        let mut by_slug: HashMap<String, usize> = HashMap::new();
        // Few distinct spellings are written on many pages: slugify each one once.
        let mut by_name: HashMap<&str, Option<usize>> = HashMap::new();
        for &i in order {
            for name in term_names(&pages[i].front, decl.key()) {
                let t = match by_name.get(name) {
                    Some(t) => *t,
                    None => {
                        let slug = slugify(name);
                        let t = (!slug.is_empty()).then(|| {
                            *by_slug.entry(slug.clone()).or_insert_with(|| {
                                terms.push((slug, name.to_string(), Vec::new()));
                                terms.len() - 1
                            })
                        });
                        by_name.insert(name, t);
                        t
                    }
                };
                if let Some(t) = t
                    && terms[t].2.last() != Some(&i)
                {
                    terms[t].2.push(i);
                }
            }
        }
        terms.sort_by(|a, b| a.0.cmp(&b.0));
        let mut per_page: Vec<Vec<usize>> = vec![Vec::new(); pages.len()];
        for (k, (_, _, idx)) in terms.iter().enumerate() {
            for &p in idx {
                per_page[p].push(k);
            }
        }
        assignments.push(per_page);
        let terms: Vec<Term> = terms
            .into_iter()
            .map(|(slug, name, idx)| {
                let term_path = format!("{path}{slug}/");
                Term {
                    permalink: config.permalink(&term_path),
                    path: term_path,
                    name,
                    slug,
                    pages: idx,
                }
            })
            .collect();
        out.push(Taxonomy {
            config: decl.clone(),
            permalink: config.permalink(&path),
            path,
            terms,
        });
    }
    for (i, page) in pages.iter_mut().enumerate() {
        page.terms = assignments
            .iter_mut()
            .map(|per_page| std::mem::take(&mut per_page[i]))
            .collect();
    }
    out
}

/// The terms a page gives a taxonomy fed by front matter `key`: the typed `tags` and
/// `region`, or an `extra` value (text or a list of texts).
fn term_names<'a>(front: &'a FrontMatter, key: &str) -> Vec<&'a str> {
    match key {
        "tags" => front.tags.iter().map(String::as_str).collect(),
        "region" => front.region.iter().map(String::as_str).collect(),
        other => match front.extra.get(other) {
            Some(serde_yaml::Value::String(s)) => vec![s.as_str()],
            Some(serde_yaml::Value::Sequence(seq)) => {
                seq.iter().filter_map(|v| v.as_str()).collect()
            }
            _ => Vec::new(),
        },
    }
}

/// Decides where each non-Markdown file of `content/` goes: beside the page whose file stem
/// names its folder (`artikel/x.md` owns `artikel/x/foto.jpg`), else beside its section.
fn place_assets(
    assets: &[crate::content::Asset],
    pages: &[Page],
    sections: &[Section],
    authors: &[Author],
    section_index: &HashMap<String, usize>,
    held_dirs: &[String],
) -> Vec<CopiedFile> {
    let mut owners: HashMap<String, &str> = HashMap::new();
    for p in pages {
        owners.insert(stem_dir(&p.source), &p.path);
    }
    for a in authors {
        owners.insert(stem_dir(&a.source), &a.path);
    }
    let mut out = Vec::new();
    for asset in assets {
        // The nearest folder, walking up, that a page owns or that is a section.
        let mut dir = asset.dir.as_str();
        let mut rest: Vec<&str> = Vec::new();
        let base = loop {
            if held_dirs.iter().any(|h| h == dir) {
                break None;
            }
            if let Some(path) = owners.get(dir) {
                break Some(path.to_string());
            }
            if let Some(&s) = section_index.get(dir) {
                break Some(sections[s].path.clone());
            }
            match dir.rsplit_once('/') {
                Some((parent, last)) => {
                    rest.push(last);
                    dir = parent;
                }
                None if !dir.is_empty() => {
                    rest.push(dir);
                    dir = "";
                }
                None => break None,
            }
        };
        // A page held back as a draft takes its folder with it.
        let Some(base) = base else { continue };
        let mut output = base.trim_start_matches('/').to_string();
        for part in rest.iter().rev() {
            output.push_str(part);
            output.push('/');
        }
        output.push_str(&asset.name);
        out.push(CopiedFile {
            output,
            path: asset.path.clone(),
        });
    }
    out
}

/// The folder below `content/` that holds a document's colocated files: its path without `.md`.
fn stem_dir(source: &SourceFile) -> String {
    let name = source.name.strip_prefix("content/").unwrap_or(&source.name);
    name.strip_suffix(".md").unwrap_or(name).to_string()
}

/// Renders every body in parallel; each one is independent of the others. `@/` links
/// resolve against every document's path; their `#anchors` are checked afterwards, when all
/// headings are known.
fn render_markdown(
    config: &Config,
    shortcodes: Option<&dyn markdown::shortcodes::Shortcodes>,
    cache: &mut crate::cache::Cache,
    pages: &mut [Page],
    sections: &mut [Section],
    authors: &mut [Author],
    diags: &mut Diagnostics,
) {
    use crate::cache::MarkdownEntry;
    use crate::fingerprint::Fingerprint;

    let opts = markdown::Options {
        german_quotes: config.language == "de",
    };
    let index_names: Vec<String> = sections
        .iter()
        .map(|s| {
            if s.dir.is_empty() {
                "_index.md".to_string()
            } else {
                format!("{}/_index.md", s.dir)
            }
        })
        .collect();
    let timer = crate::timing::Timer::start();
    let (page_results, section_results, author_results) = {
        // Link targets, borrowed from the documents: content path → permalink.
        let mut links: BTreeMap<&str, &str> = BTreeMap::new();
        for p in pages.iter() {
            links.insert(p.content_path(), &p.permalink);
        }
        for a in authors.iter() {
            links.insert(strip_content(&a.source.name), &a.permalink);
        }
        for (s, name) in sections.iter().zip(&index_names) {
            links.insert(name, &s.permalink);
        }
        // What a document's HTML depends on besides its own text: the link targets (if it
        // has `@/` links) and the shortcode templates (if it calls any).
        let links_fp = Fingerprint::new("links").add(&links).finish();
        let shortcodes_fp = shortcodes.map_or(0, |s| s.fingerprint());
        let key_of = |depends: markdown::Depends, hash: u64| -> u64 {
            markdown_key(hash, depends, opts, links_fp, shortcodes_fp)
        };
        let resolve = |path: &str| {
            links
                .get(path.trim_start_matches('/'))
                .map(|s| s.to_string())
        };
        let names = || links.keys().map(|k| k.to_string()).collect::<Vec<String>>();
        let ctx = markdown::Context {
            links: &resolve,
            link_names: &names,
            shortcodes,
        };
        let previous = &cache.markdown;
        // Renders a document's body, or takes it from the last build when its key matches.
        // Returns the entry and whether it is new.
        let render = |source: &Arc<SourceFile>,
                      hash: u64,
                      depends: markdown::Depends,
                      body: &Span,
                      summary_key: Option<&str>|
         -> (MarkdownEntry, bool) {
            let key = key_of(depends, hash);
            if let Some(hit) = previous.get(&source.name).filter(|e| e.key == key) {
                return (hit.clone(), false);
            }
            let text = &source.text[body.clone()];
            let content = markdown::render_with(text, opts, ctx);
            let summary = match (summary_key, &content.summary) {
                (Some(s), _) => Some(markdown::render(s, opts).html),
                (None, Some(summary)) => Some(summary.clone()),
                // The marker inside a block: render the text before it on its own.
                (None, None) => markdown::summary_part(text)
                    .map(|part| markdown::render_with(part, opts, ctx).html),
            };
            (
                MarkdownEntry {
                    key,
                    content: Arc::new(content),
                    summary,
                },
                true,
            )
        };
        let page_results: Vec<(MarkdownEntry, bool)> = pages
            .par_iter()
            .map(|p| {
                render(
                    &p.source,
                    p.hash,
                    p.depends,
                    &p.body,
                    p.front.summary.as_deref(),
                )
            })
            .collect();
        let section_results: Vec<Option<(MarkdownEntry, bool)>> = sections
            .par_iter()
            .map(|s| {
                s.source
                    .as_ref()
                    .map(|src| render(src, s.hash, s.depends, &s.body, None))
            })
            .collect();
        let author_results: Vec<(MarkdownEntry, bool)> = authors
            .par_iter()
            .map(|a| render(&a.source, a.hash, a.depends, &a.body, None))
            .collect();
        (page_results, section_results, author_results)
    };

    timer.mark("    render");
    let mut found: Vec<Diagnostic> = Vec::new();
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
    for (p, (entry, fresh)) in pages.iter_mut().zip(page_results) {
        p.content = Arc::clone(&entry.content);
        p.summary_html = entry.summary.clone();
        p.md_key = entry.key;
        found.extend(problems_of(&p.source, &p.body, &p.content));
        keep(&p.source.name, entry, fresh);
    }
    for (s, result) in sections.iter_mut().zip(section_results) {
        if let (Some((entry, fresh)), Some(src)) = (result, &s.source) {
            s.content = Arc::clone(&entry.content);
            s.md_key = entry.key;
            found.extend(problems_of(src, &s.body, &s.content));
            keep(&src.name, entry, fresh);
        }
    }
    for (a, (entry, fresh)) in authors.iter_mut().zip(author_results) {
        a.bio = Arc::clone(&entry.content);
        a.md_key = entry.key;
        found.extend(problems_of(&a.source, &a.body, &a.bio));
        keep(&a.source.name, entry, fresh);
    }
    if cache.markdown.len() != current {
        // Documents went away: drop what was kept for them.
        let names: std::collections::HashSet<&str> = pages
            .iter()
            .map(|p| p.source.name.as_str())
            .chain(authors.iter().map(|a| a.source.name.as_str()))
            .chain(
                sections
                    .iter()
                    .filter_map(|s| s.source.as_ref().map(|src| src.name.as_str())),
            )
            .collect();
        cache.markdown.retain(|k, _| names.contains(k.as_str()));
    }
    cache.stats.markdown_rendered = stats.0;
    cache.stats.markdown_reused = stats.1;
    timer.mark("    collect");

    check_anchors(pages, sections, authors, &mut found);
    diags.extend(found);
    timer.mark("    anchors");
}

/// The fingerprint of what a document's rendered Markdown depends on: its text, the
/// language's typography, and the link targets and shortcode templates if it uses them.
pub(crate) fn markdown_key(
    hash: u64,
    depends: markdown::Depends,
    opts: markdown::Options,
    links_fp: u64,
    shortcodes_fp: u64,
) -> u64 {
    let mut fp = crate::fingerprint::Fingerprint::new("markdown");
    fp.add(&hash).add(&opts.german_quotes);
    if depends.links {
        fp.add(&links_fp);
    }
    if depends.shortcodes {
        fp.add(&shortcodes_fp);
    }
    fp.finish()
}

fn problems_of(source: &Arc<SourceFile>, body: &Span, r: &Rendered) -> Vec<Diagnostic> {
    r.problems
        .iter()
        .map(|p| problem_diagnostic(source, body.start, p))
        .collect()
}

/// Anchors of `@/page.md#anker` links must be headings of the target page. Only the pages
/// that are link targets are looked at.
fn check_anchors(
    pages: &[Page],
    sections: &[Section],
    authors: &[Author],
    found: &mut Vec<Diagnostic>,
) {
    // (file, body span, (target, anchor, span of the link))
    type AnchorLink<'a> = (&'a Arc<SourceFile>, &'a Span, &'a (String, String, Span));
    let links: Vec<AnchorLink> = pages
        .iter()
        .map(|p| (&p.source, &p.body, &p.content))
        .chain(authors.iter().map(|a| (&a.source, &a.body, &a.bio)))
        .chain(
            sections
                .iter()
                .filter_map(|s| s.source.as_ref().map(|src| (src, &s.body, &s.content))),
        )
        .flat_map(|(source, body, rendered)| {
            rendered.anchor_links.iter().map(move |l| (source, body, l))
        })
        .collect();
    if links.is_empty() {
        return;
    }
    let targets: std::collections::HashSet<&str> = links
        .iter()
        .map(|(_, _, (t, _, _))| t.trim_start_matches('/'))
        .collect();
    let mut ids: HashMap<&str, Vec<&str>> = HashMap::new();
    let docs = pages.iter().map(|p| (p.content_path(), &p.content)).chain(
        authors
            .iter()
            .map(|a| (strip_content(&a.source.name), &a.bio)),
    );
    for (path, rendered) in docs {
        if targets.contains(path) {
            let mut v = Vec::new();
            collect_ids(&rendered.toc, &mut v);
            ids.insert(path, v);
        }
    }
    for (source, body, (target, anchor, span)) in links {
        let known = ids
            .get(target.trim_start_matches('/'))
            .map(|v| v.as_slice())
            .unwrap_or(&[]);
        if known.contains(&anchor.as_str()) {
            continue;
        }
        let help = match did_you_mean(anchor, known.iter().copied()) {
            Some(a) => format!("did you mean `#{a}`?"),
            None if known.is_empty() => "the target page has no headings".to_string(),
            None => format!(
                "headings there: {}",
                known
                    .iter()
                    .map(|a| format!("#{a}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        found.push(problem_diagnostic(
            source,
            body.start,
            &markdown::Problem {
                code: "broken-anchor",
                span: span.clone(),
                message: format!("`#{anchor}` is not a heading of {target}"),
                label: "no heading with this id".to_string(),
                help,
            },
        ));
    }
}

fn collect_ids<'a>(toc: &'a [markdown::TocEntry], out: &mut Vec<&'a str>) {
    for e in toc {
        out.push(&e.id);
        collect_ids(&e.children, out);
    }
}

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
