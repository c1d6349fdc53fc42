//! Output-path claims: every page, section, profile, redirect page (alias) and taxonomy page
//! claims an output file, and two documents that would write the same file are an error
//! naming both. The rule from URL path to file is [`UrlPath`]'s; this module only collects
//! the claims and finds the clashes.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Author, Page, Section, Taxonomy};
use crate::config::Config;
use crate::content::Document;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::source::{SourceFile, Span};
use crate::text::UrlPath;

/// (output file, file, span, the alias as written if this claim is one)
type Claim<'a> = (String, &'a Arc<SourceFile>, Span, Option<&'a str>);

/// Two documents that would write the same file are an error naming both.
pub(super) fn check_output_paths(
    config: &Config,
    sections: &[Section],
    pages: &[Page],
    authors: &[Author],
    taxonomies: &[Taxonomy],
    diags: &mut Diagnostics,
) {
    check_bundles(sections, pages, diags);
    check_implicit_sections(sections, pages, diags);
    let mut claims = document_claims(sections, pages, authors);
    claims.extend(taxonomy_claims(config, taxonomies));
    // Pages before aliases, then by file: the claim reported is the later one, so an alias
    // is the one blamed for taking a page's place.
    claims.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| a.3.is_some().cmp(&b.3.is_some()))
            .then_with(|| a.1.name.cmp(&b.1.name))
            .then_with(|| a.2.start.cmp(&b.2.start))
    });
    type First<'a> = (&'a Arc<SourceFile>, &'a Span, Option<&'a str>);
    let mut seen: HashMap<&str, First> = HashMap::new();
    for (file, src, span, alias) in &claims {
        match seen.get(file.as_str()) {
            Some(first) => diags.push(duplicate(file, (src, span, *alias), *first)),
            None => {
                seen.insert(file, (src, span, *alias));
            }
        }
    }
}

/// Hugo treats another Markdown file inside a leaf bundle's folder (`x/notiz.md` beside
/// `x/index.md`) as a file of the bundle and renders no page for it. presswerk leaves it out
/// too, with a warning naming the bundle, so a site copied from Hugo builds the pages Hugo
/// builds; the warning says how to make it a page.
pub(super) fn leave_out_bundle_resources(pages: &mut Vec<Document>, diags: &mut Diagnostics) {
    let bundles: HashMap<String, (Arc<SourceFile>, Span)> = pages
        .iter()
        .filter_map(|d| {
            let name = d.source.name.strip_prefix("content/")?;
            let dir = super::assets::bundle_dir(name)?.to_string();
            Some((dir, (d.source.clone(), d.front.span.clone())))
        })
        .collect();
    if bundles.is_empty() {
        return;
    }
    pages.retain(|d| {
        let mut dir = d.section.as_str();
        let (bundle, span) = loop {
            if let Some(b) = bundles.get(dir) {
                break b;
            }
            match dir.rsplit_once('/') {
                Some((up, _)) => dir = up,
                None => return true,
            }
        };
        diags.push(
            Diagnostic::warning(
                "bundle-resource",
                format!("not a page: `{dir}/` is the folder of a page bundle"),
            )
            .at(&d.source, d.front.span.clone(), "left out of the site, as Hugo leaves it out")
            .also(bundle, span.clone(), format!("{} makes `{dir}/` a page with its files", bundle.name))
            .help("move the file out of the bundle's folder to make it a page, or rename index.md to _index.md to make the folder a section"),
        );
        false
    });
}

/// A leaf bundle's folder (`x/` of `x/index.md`) belongs to its page: another Markdown
/// file in it would make it a section as well, with a URL of its own. That is an error at
/// the other file, naming the bundle.
fn check_bundles(sections: &[Section], pages: &[Page], diags: &mut Diagnostics) {
    let bundles: HashMap<&str, &Page> = pages
        .iter()
        .filter_map(|p| super::assets::bundle_dir(p.content_path()).map(|d| (d, p)))
        .collect();
    if bundles.is_empty() {
        return;
    }
    let in_bundle = pages
        .iter()
        .map(|p| (&sections[p.section].dir, &p.source, &p.front.span))
        .chain(sections.iter().filter_map(|s| {
            let src = s.source.as_ref()?;
            Some((&s.dir, src, &s.front.span))
        }));
    for (dir, src, span) in in_bundle {
        let Some(bundle) = bundles.get(dir.as_str()) else {
            continue;
        };
        diags.push(
            Diagnostic::error(
                "bundle-section",
                format!("`{dir}/` is the folder of a page bundle"),
            )
            .at(src, span.clone(), "this file would make the folder a section too")
            .also(
                &bundle.source,
                bundle.front.span.clone(),
                format!("{} makes `{dir}/` a page with its files", bundle.source.name),
            )
            .help("move the file out of the bundle's folder, or rename index.md to _index.md to make the folder a section"),
        );
    }
}

/// A folder with Markdown files but no `_index.md` is a section too, and writes its list
/// page: beside a page of the same URL (`artikel/x.md` and `artikel/x/y.md`) the two would
/// write one file. An error at the page, naming a file that makes the folder a section.
/// (A bundle's folder is [`check_bundles`]'s.)
fn check_implicit_sections(sections: &[Section], pages: &[Page], diags: &mut Diagnostics) {
    let by_path: HashMap<&str, &Page> = pages.iter().map(|p| (p.path.as_str(), p)).collect();
    for s in sections
        .iter()
        .filter(|s| s.source.is_none() && !s.dir.is_empty())
    {
        let Some(page) = by_path.get(s.path.as_str()) else {
            continue;
        };
        if super::assets::bundle_dir(page.content_path()) == Some(s.dir.as_str()) {
            continue;
        }
        let folder = format!("{}/", s.dir);
        let Some(inside) = pages.iter().find(|p| p.content_path().starts_with(&folder)) else {
            continue;
        };
        diags.push(
            Diagnostic::error("duplicate-path", format!("two things would write {}", s.path))
                .at(&page.source, page.front.span.clone(), format!("this page writes {}", s.path))
                .also(
                    &inside.source,
                    inside.front.span.clone(),
                    format!("this file makes `{folder}` a section, whose list page is {} too", s.path),
                )
                .help(format!("files in `{folder}` belong to the page: move the Markdown files out, or give the page another `slug:`")),
        );
    }
}

fn file_of(path: &str) -> String {
    UrlPath::new(path).output_file()
}

/// The claims of sections (with an `_index.md`), pages with their aliases, and profiles.
fn document_claims<'a>(
    sections: &'a [Section],
    pages: &'a [Page],
    authors: &'a [Author],
) -> Vec<Claim<'a>> {
    let mut claims: Vec<Claim> = Vec::new();
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
    claims
}

/// The claims of taxonomy pages, blamed on the taxonomy's name in `site.toml`.
fn taxonomy_claims<'a>(config: &'a Config, taxonomies: &[Taxonomy]) -> Vec<Claim<'a>> {
    let mut claims: Vec<Claim> = Vec::new();
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
    claims
}

/// The error for a second claim of `file`: an alias that is taken, or two files that would
/// write the same output.
fn duplicate(
    file: &str,
    (src, span, alias): (&Arc<SourceFile>, &Span, Option<&str>),
    (first, first_span, first_alias): (&Arc<SourceFile>, &Span, Option<&str>),
) -> Diagnostic {
    let url = crate::text::url_path::of_output_file(file);
    let there = match first_alias {
        Some(_) => format!("an alias of {} is already at /{file}", first.name),
        None => format!("{} is already at /{file}", first.name),
    };
    match alias {
        Some(alias) => Diagnostic::error("duplicate-path", format!("alias `{alias}` is taken"))
            .at(
                src,
                span.clone(),
                format!("redirecting from here would replace /{file}"),
            )
            .also(first, first_span.clone(), there)
            .help("remove the alias, or change it to a path nothing else uses"),
        None => Diagnostic::error("duplicate-path", format!("two files would write {url}"))
            .at(src, span.clone(), format!("this file writes {url}"))
            .also(
                first,
                first_span.clone(),
                format!("{} writes it too", first.name),
            )
            .help("give one of them another `slug:` or file name"),
    }
}

/// The output files of a document's `aliases`: `/alt/pfad/` → `alt/pfad/index.html`,
/// `/alt.html` → `alt.html`. An alias that would leave the output folder is an error.
pub(super) fn alias_files(doc: &Document, diags: &mut Diagnostics) -> Vec<String> {
    let mut out = Vec::new();
    for alias in &doc.front.aliases {
        let path = alias.value.trim();
        let file = UrlPath::new(path).alias_file();
        if !path.starts_with('/') || crate::text::url_path::check_path(&file).is_err() {
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
