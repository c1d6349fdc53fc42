//! Pages: a [`Page`] of every article, other page and edition, built in parallel (each one
//! needs only its own document, the sections and the authors), with its URL, its date (from
//! the front matter or the file name) and its authors' indexes.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::ZonedDateTime as Zoned;
use rayon::prelude::*;

use super::{Author, Page, Section, paths::alias_files};
use crate::config::Config;
use crate::content::{Document, Kind};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// What building a page looks up: sections and authors are made before the pages.
pub(super) struct Context<'a> {
    pub(super) config: &'a Config,
    pub(super) sections: &'a [Section],
    /// Section folder → index in `sections`.
    pub(super) section_index: &'a HashMap<String, usize>,
    pub(super) authors: &'a [Author],
    /// Authors by slug and by name.
    pub(super) author_index: &'a super::authors::AuthorIndex<'a>,
}

/// The pages, in the documents' order; a document that cannot be a page is left out (its
/// problems are in `diags`).
pub(super) fn build(ctx: &Context, docs: Vec<Document>, diags: &mut Diagnostics) -> Vec<Page> {
    let built: Vec<(Option<Page>, Vec<Diagnostic>)> =
        docs.into_par_iter().map(|doc| page_of(ctx, doc)).collect();
    let mut pages: Vec<Page> = Vec::with_capacity(built.len());
    for (page, ds) in built {
        diags.extend(ds);
        pages.extend(page);
    }
    pages
}

/// Sorts pages by URL path (then file name): the order of [`super::Site::pages`].
pub(super) fn sort_by_path(pages: &mut [Page]) {
    pages.sort_by(|a, b| {
        a.path
            .cmp(&b.path)
            .then_with(|| a.source.name.cmp(&b.source.name))
    });
}

/// The title and description set as the language wants its dashes (the body gets the same
/// from the Markdown stage): every output that shows them (pages, feeds, e-mails, JSON)
/// then reads them set.
fn typography(language: &str, front: &mut Arc<crate::content::FrontMatter>) {
    use crate::text::typography::dashes;
    let changed = |t: &Option<String>| {
        t.as_deref().and_then(|t| match dashes(t, language) {
            std::borrow::Cow::Owned(s) => Some(s),
            std::borrow::Cow::Borrowed(_) => None,
        })
    };
    let (title, description) = (changed(&front.title), changed(&front.description));
    if title.is_some() || description.is_some() {
        let f = Arc::make_mut(front);
        if title.is_some() {
            f.title = title;
        }
        if description.is_some() {
            f.description = description;
        }
    }
}

fn page_of(ctx: &Context, mut doc: Document) -> (Option<Page>, Vec<Diagnostic>) {
    if doc.slug.is_empty() {
        let empty = Diagnostic::error("slug-empty", "cannot make a URL from this file name")
            .at(
                &doc.source,
                doc.front.span.clone(),
                "the file name has no letters or digits",
            )
            .help("rename the file or set `slug: …` in the front matter");
        return (None, vec![empty]);
    }
    let mut ds = Vec::new();
    let date = date_of(&doc, &mut ds);
    if doc.front.title.is_none() {
        let (title, from) = fallback_title(&doc);
        ds.push(missing_title(&doc, &title, from));
        Arc::make_mut(&mut doc.front).title = Some(title);
    }
    typography(&ctx.config.language, &mut doc.front);
    let (authors, bylines) = super::authors::of_page(ctx.authors, ctx.author_index, &doc, &mut ds);
    let section = ctx.section_index.get(&doc.section).copied().unwrap_or(0);
    let path = format!("{}{}/", ctx.sections[section].path, doc.slug);
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
        permalink: ctx.config.permalink(&path),
        slug: doc.slug,
        source: doc.source,
        front: doc.front,
        path,
        date,
        section,
        authors,
        bylines,
        content: Arc::default(),
        summary_html: None,
        terms: Vec::new(),
        aliases,
        hash: doc.hash,
        depends: doc.depends,
        md_key: 0,
        edition: None,
        related: Vec::new(),
        editions: Vec::new(),
        hero: None,
        body: doc.body,
    };
    (Some(page), ds)
}

/// A page without `title:` still builds, as in Hugo and Jekyll, where such pages are common
/// (the title written as the body's first `# heading`): a warning, and the title taken from
/// that heading, else from the file name.
fn missing_title(doc: &Document, title: &str, from: &str) -> Diagnostic {
    Diagnostic::warning("missing-title", "page has no title")
        .at(
            &doc.source,
            doc.front.span.clone(),
            format!("no `title` in this front matter; it is titled „{title}“ after {from}"),
        )
        .help("add a line `title: …` between the `---` lines")
}

/// The title of a page without `title:`: its first `# heading` (outside code), else its
/// URL segment in words. Returns what it was taken from, for the warning.
fn fallback_title(doc: &Document) -> (String, &'static str) {
    let mut fence: Option<&str> = None;
    for line in doc.body_text().lines() {
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
            continue;
        }
        if let Some(h) = line.strip_prefix("# ") {
            let h = h.trim().trim_end_matches('#').trim();
            if !h.is_empty() {
                return (h.to_string(), "its first heading");
            }
        }
    }
    let words = doc.slug.replace('-', " ");
    let mut chars = words.chars();
    let title = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => words,
    };
    (title, "its file name")
}

/// The publication date: `date:`, else the file name's `YYYY-MM-DD-` prefix. A prefix that
/// is no date is an error (unless `date:` makes it irrelevant).
fn date_of(doc: &Document, ds: &mut Vec<Diagnostic>) -> Option<Zoned> {
    match (&doc.front.date, &doc.prefix_date) {
        (Some(d), _) => Some(d.value.clone()),
        (None, Some(Ok(z))) => Some(z.clone()),
        (None, Some(Err(bad))) => {
            let (prefix, why) = (&bad.prefix, &bad.why);
            ds.push(
                Diagnostic::error(
                    "date-prefix",
                    format!("file name starts with an impossible date `{prefix}`"),
                )
                .in_file(doc.source.name.clone())
                .help(format!("`{prefix}`: {why}; rename the file or set `date:`")),
            );
            None
        }
        (None, None) => None,
    }
}
