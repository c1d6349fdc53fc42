//! Author profiles: the files of the authors section, in slug order, each with its display
//! name. Pages refer to them by slug, so they are built before the pages.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Author, sections::section_path};
use crate::config::Config;
use crate::content::{Document, FrontMatter};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// The authors, in slug order. A profile without a name is an error.
pub(super) fn build(config: &Config, docs: Vec<Document>, diags: &mut Diagnostics) -> Vec<Author> {
    let mut authors: Vec<Author> = docs
        .into_iter()
        .map(|doc| author_of(config, doc, diags))
        .collect();
    authors.sort_by(|a, b| a.slug.cmp(&b.slug));
    authors
}

/// Author slug → its index in the authors.
pub(super) fn index(authors: &[Author]) -> HashMap<&str, usize> {
    authors
        .iter()
        .enumerate()
        .map(|(i, a)| (a.slug.as_str(), i))
        .collect()
}

fn author_of(config: &Config, doc: Document, diags: &mut Diagnostics) -> Author {
    let slug = doc.slug.clone();
    let path = format!("{}{}/", section_path(&doc.section), slug);
    let title = display_name(&doc.front, &slug);
    if doc.front.title.is_none() && doc.front.first_name.is_none() && doc.front.last_name.is_none()
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
}

/// `title`, else first and last name, else the slug.
fn display_name(front: &FrontMatter, slug: &str) -> String {
    let full_name = [front.first_name.as_deref(), front.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    front.title.clone().unwrap_or(if full_name.is_empty() {
        slug.to_string()
    } else {
        full_name
    })
}
