//! Resolving a site without its broken documents, for `serve`: a file whose front matter,
//! Markdown or references have errors is left out, and every other page is built.
//!
//! An error belongs to a document when it names a Markdown file of `content/`. Leaving a
//! document out can break another one (an article whose only author profile is the broken
//! file names an unknown author now), so resolving is repeated without the newly broken
//! ones, a few times at most. Errors that belong to no document (templates, the walk of
//! `content/`) are left where they were: they fail the build as ever.

use std::collections::BTreeSet;

use super::State;
use crate::cache::Cache;
use crate::content::{Kind, Loaded};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::site::{self, Site};

/// Rounds of resolving before the errors that are left fail the build. Each round leaves
/// out what the one before broke; chains longer than this are rare enough to show whole.
const ROUNDS: usize = 4;

/// Resolves `loaded` without the documents that have errors, adding every other diagnostic
/// to `diags`. Returns the site and the errors of the documents left out.
pub(super) fn resolve(
    state: &State,
    loaded: Loaded,
    load_diags: Vec<Diagnostic>,
    cache: &mut Cache,
    diags: &mut Diagnostics,
) -> (Site, Diagnostics) {
    let documents: BTreeSet<String> = state
        .files
        .markdown
        .keys()
        .map(|p| crate::source::display_path(&state.config.root, p))
        .collect();
    let owned = |d: &Diagnostic| {
        d.severity == Severity::Error && d.file.as_ref().is_some_and(|f| documents.contains(f))
    };
    let mut left_out = Diagnostics::new();
    let mut names = BTreeSet::new();
    for d in load_diags {
        if owned(&d) {
            names.extend(d.file.clone());
            left_out.push(d);
        } else {
            diags.push(d);
        }
    }
    let shortcodes = state
        .theme
        .as_ref()
        .map(|t| t as &dyn crate::markdown::shortcodes::Shortcodes);
    let mut loaded = Some(loaded);
    let mut round = 1;
    loop {
        // The first round takes the documents as given; later ones take them again from
        // the files read (resolving consumed them).
        let mut docs = loaded.take().unwrap_or_else(|| state.files.loaded().0);
        let profiles = left_out_profiles(state, &docs, &names);
        docs.documents
            .retain(|doc| !names.contains(doc.source.name.as_str()));
        let mut found = Diagnostics::new();
        let site = site::resolve(state.config.clone(), docs, shortcodes, cache, &mut found);
        name_left_out_profiles(&site, &profiles, &mut found);
        let (broken, rest): (Vec<Diagnostic>, Vec<Diagnostic>) =
            found.sorted().into_iter().partition(|d| owned(d));
        // Errors of no document fail the build whatever is left out.
        let fails = rest.iter().any(|d| d.severity == Severity::Error);
        if broken.is_empty() || fails || round == ROUNDS {
            diags.extend(rest);
            diags.extend(broken);
            return (site, left_out);
        }
        // This round's warnings come again in the next one.
        names.extend(broken.iter().filter_map(|d| d.file.clone()));
        left_out.extend(broken);
        round += 1;
    }
}

/// The slugs of the author profiles among the documents left out: a profile's own `slug:`
/// where its front matter was read, else its file name's.
fn left_out_profiles(state: &State, docs: &Loaded, names: &BTreeSet<String>) -> BTreeSet<String> {
    // Nothing left out (every save of a good site): no walk over the files.
    if names.is_empty() {
        return BTreeSet::new();
    }
    let mut slugs: BTreeSet<String> = docs
        .documents
        .iter()
        .filter(|doc| doc.kind == Kind::Author && names.contains(doc.source.name.as_str()))
        .map(|doc| doc.slug.clone())
        .collect();
    let authors = state
        .config
        .root
        .join("content")
        .join(&state.config.authors_section);
    for path in state.files.markdown.keys() {
        let shown = crate::source::display_path(&state.config.root, path);
        let stem = path.file_stem().and_then(|s| s.to_str());
        if let (true, true, Some(stem)) = (
            names.contains(&shown),
            path.parent() == Some(authors.as_path()),
            stem.filter(|s| *s != "_index"),
        ) {
            slugs.insert(crate::text::slug::slugify(stem));
        }
    }
    slugs
}

/// An error at each byline that names a profile left out: without it, the name would be a
/// guest byline, and the article would show a stranger's name where its author's profile
/// was until the profile's file broke.
fn name_left_out_profiles(site: &Site, profiles: &BTreeSet<String>, found: &mut Diagnostics) {
    if profiles.is_empty() {
        return;
    }
    for page in &site.pages {
        for byline in &page.bylines {
            let site::Byline::Guest(guest) = byline else {
                continue;
            };
            if profiles.contains(&guest.slug) {
                found.push(
                    Diagnostic::error(
                        "unknown-author",
                        format!("unknown author `{}`: its profile has errors", guest.name),
                    )
                    .at(&page.source, guest.span.clone(), "this profile is left out")
                    .help("fix the errors of the author profile"),
                );
            }
        }
    }
}
