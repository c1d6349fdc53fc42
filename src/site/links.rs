//! `@/` links: the table from content paths (`artikel/x.md`) to permalinks that the Markdown
//! stage resolves links against, and the check, once every heading is known, that a link's
//! `#anchor` is a heading of its target.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use super::{Author, Page, Section, problem_diagnostic, strip_content};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::markdown::{self, Rendered};
use crate::source::{SourceFile, Span};

/// The `@/` names of the sections' `_index.md` files (which may not exist), by section.
pub(super) fn index_names(sections: &[Section]) -> Vec<String> {
    sections
        .iter()
        .map(|s| {
            if s.dir.is_empty() {
                "_index.md".to_string()
            } else {
                format!("{}/_index.md", s.dir)
            }
        })
        .collect()
}

/// Link targets, borrowed from the documents: content path → permalink. `index_names` are
/// the sections' from [`index_names`].
pub(super) fn table<'a>(
    pages: &'a [Page],
    sections: &'a [Section],
    authors: &'a [Author],
    index_names: &'a [String],
) -> BTreeMap<&'a str, &'a str> {
    let mut links: BTreeMap<&str, &str> = BTreeMap::new();
    for p in pages {
        links.insert(p.content_path(), &p.permalink);
    }
    for a in authors {
        links.insert(strip_content(&a.source.name), &a.permalink);
    }
    for (s, name) in sections.iter().zip(index_names) {
        links.insert(name, &s.permalink);
    }
    links
}

/// Whether any document links to an `#anchor` of another.
pub(super) fn any_anchor_links(pages: &[Page], sections: &[Section], authors: &[Author]) -> bool {
    pages.iter().any(|p| !p.content.anchor_links.is_empty())
        || authors.iter().any(|a| !a.bio.anchor_links.is_empty())
        || sections.iter().any(|s| !s.content.anchor_links.is_empty())
}

/// An `@/page.md#anker` link: (file, body span, (target, anchor, span of the link)).
type AnchorLink<'a> = (&'a Arc<SourceFile>, &'a Span, &'a (String, String, Span));

/// Anchors of `@/page.md#anker` links must be headings of the target page. Only the pages
/// that are link targets are looked at.
pub(super) fn check_anchors(
    pages: &[Page],
    sections: &[Section],
    authors: &[Author],
    found: &mut Vec<Diagnostic>,
) {
    let links = anchor_links(pages, sections, authors);
    if links.is_empty() {
        return;
    }
    let targets: HashSet<&str> = links
        .iter()
        .map(|(_, _, (t, _, _))| t.trim_start_matches('/'))
        .collect();
    let ids = heading_ids(pages, authors, &targets);
    for (source, body, (target, anchor, span)) in links {
        let known = ids
            .get(target.trim_start_matches('/'))
            .map(|v| v.as_slice())
            .unwrap_or(&[]);
        if known.contains(&anchor.as_str()) {
            continue;
        }
        let problem = broken_anchor(target, anchor, span, known);
        found.push(problem_diagnostic(source, body.start, &problem));
    }
}

/// Every `@/…#anchor` link of every document.
fn anchor_links<'a>(
    pages: &'a [Page],
    sections: &'a [Section],
    authors: &'a [Author],
) -> Vec<AnchorLink<'a>> {
    pages
        .iter()
        .map(|p| (&p.source, &p.body, &p.content))
        .chain(authors.iter().map(|a| (&a.source, &a.body, &a.bio)))
        .chain(
            sections
                .iter()
                .filter_map(|s| s.source.as_ref().map(|src| (src, &s.body, &s.content))),
        )
        .flat_map(|(source, body, rendered): (_, _, &Arc<Rendered>)| {
            rendered.anchor_links.iter().map(move |l| (source, body, l))
        })
        .collect()
}

/// The heading ids of the pages and profiles that are `targets`, by content path.
fn heading_ids<'a>(
    pages: &'a [Page],
    authors: &'a [Author],
    targets: &HashSet<&str>,
) -> HashMap<&'a str, Vec<&'a str>> {
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
    ids
}

/// The problem of a link to `#anchor` of `target`, which has the headings `known`.
fn broken_anchor(target: &str, anchor: &str, span: &Span, known: &[&str]) -> markdown::Problem {
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
    markdown::Problem {
        code: "broken-anchor",
        span: span.clone(),
        message: format!("`#{anchor}` is not a heading of {target}"),
        label: "no heading with this id".to_string(),
        help,
        warning: false,
    }
}

fn collect_ids<'a>(toc: &'a [markdown::TocEntry], out: &mut Vec<&'a str>) {
    for e in toc {
        out.push(&e.id);
        collect_ids(&e.children, out);
    }
}
