//! Where a broken link can be fixed: in the page's own document, in a template, in another
//! document whose text the page shows, or else at the top of the page's document.
//!
//! Kept apart from the link pass in `check`, which only finds the problems: finding the place
//! reads every template from disk and searches texts, so it is done only for the links that
//! are broken, and every search is remembered for the next page with the same link.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::{content, links};
use crate::content::walk_files;
use crate::diagnostics::Diagnostics;
use crate::site::Site;
use crate::source::{SourceFile, Span, display_path};
use crate::text::UrlPath;

/// Where a broken link can be fixed.
#[derive(Clone)]
pub(crate) struct Place {
    pub(crate) source: Arc<SourceFile>,
    pub(crate) span: Span,
    pub(crate) origin: Origin,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// A Markdown link or raw HTML in the page's own document.
    OwnText,
    /// Text of another document shown on the page (a summary in a list).
    OtherText,
    /// A literal in a template.
    Template,
    /// Nothing found: the document the page was rendered from, at its top.
    Unknown,
}

/// Finds the place of each broken link, remembering every search.
pub(super) struct Finder<'a> {
    site: &'a Site,
    producers: HashMap<String, Producer<'a>>,
    search: Search<'a>,
    /// (the page's own document or `""`, URL) → what the search found: a link that breaks on
    /// many pages without a document of their own (a template's link on every list page) is
    /// searched once.
    found: HashMap<(String, String), Option<Place>>,
}

impl<'a> Finder<'a> {
    pub(super) fn new(site: &'a Site) -> Finder<'a> {
        Finder {
            site,
            producers: producers(site),
            search: Search {
                templates: Templates::load(site),
                documents: documents(site),
                base_url: site.config.base_url.as_str(),
                others: HashMap::new(),
            },
            found: HashMap::new(),
        }
    }

    /// Where `raw`, broken on the output file `page`, can be fixed, and the template that
    /// rendered the page (`""` if no known page is there).
    pub(super) fn place(&mut self, page: &str, raw: &str) -> (Place, &'a str) {
        let producer = self.producers.get(page);
        let own = producer.and_then(|p| p.source);
        let key = (
            own.map_or_else(String::new, |s| s.name.clone()),
            raw.to_string(),
        );
        let place = match self.found.get(&key) {
            Some(p) => p.clone(),
            None => {
                let p = self.search.find(raw, own, producer);
                self.found.insert(key, p.clone());
                p
            }
        };
        let place =
            place.unwrap_or_else(|| fallback_place(producer, &self.search.templates, self.site));
        (place, producer.map_or("", |p| p.template))
    }
}

/// Who made an output page: the document (if any) and the template.
struct Producer<'a> {
    source: Option<&'a Arc<SourceFile>>,
    template: &'a str,
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

/// Every document of the site: pages, section indexes, author profiles.
fn documents(site: &Site) -> Vec<&Arc<SourceFile>> {
    site.pages
        .iter()
        .map(|p| &p.source)
        .chain(site.sections.iter().filter_map(|s| s.source.as_ref()))
        .chain(site.authors.iter().map(|a| &a.source))
        .collect()
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

/// What a link is searched in, and the searches of other documents made so far.
struct Search<'a> {
    templates: Templates,
    documents: Vec<&'a Arc<SourceFile>>,
    base_url: &'a str,
    /// URL → where another document has it.
    others: HashMap<String, Option<Place>>,
}

impl Search<'_> {
    /// Searches, in order: the page's own document (Markdown links, then any text), the
    /// templates, the other documents. `None` if the link is in none of them.
    fn find(
        &mut self,
        raw: &str,
        own: Option<&Arc<SourceFile>>,
        producer: Option<&Producer<'_>>,
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
        if let Some(rest) = raw.strip_prefix(self.base_url) {
            needles.push(rest.to_string());
            let rel = rest.trim_start_matches('/');
            needles.push(rel.to_string());
            needles.push(rel.split('#').next().unwrap_or(rel).to_string());
        }
        if let Some((src, span)) = self.templates.find(producer.map(|p| p.template), &needles) {
            return Some(place(&src, span, Origin::Template));
        }
        // The same value (an author's photo, say) can break on thousands of pages: search the
        // other documents once per URL.
        let documents = &self.documents;
        self.others
            .entry(raw.to_string())
            .or_insert_with(|| {
                documents
                    .iter()
                    .filter(|d| own.is_none_or(|o| !Arc::ptr_eq(o, d)))
                    .find_map(|d| in_document(d, raw).map(|span| place(d, span, Origin::OtherText)))
            })
            .clone()
    }
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
