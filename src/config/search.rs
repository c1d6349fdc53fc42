//! `[search]` in `site.toml`: whether the site gets a search index and a search page, and
//! what goes into the index.

use std::sync::Arc;

use serde::Deserialize;

use super::validate::table_span;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::source::SourceFile;

/// What the index can hold (`index = [...]`).
const KINDS: &[&str] = &["articles", "authors", "editions", "pages"];

/// Search (`[search]`). Without the table a site has no search; `presswerk init` writes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Search {
    /// Build the index and the search page.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// What to index: `articles` (dated pages), `authors` (profiles), `editions`, `pages`
    /// (pages without a date, such as an imprint).
    #[serde(default = "default_index")]
    pub index: Vec<String>,
    /// Sections (folders below `content/`) whose pages are never indexed.
    #[serde(default)]
    pub exclude_sections: Vec<String>,
    /// The URL folder of the search page.
    #[serde(default = "default_path")]
    pub path: String,
}

impl Search {
    /// Whether `kind` (one of `articles`, `authors`, `editions`, `pages`) is indexed.
    pub fn indexes(&self, kind: &str) -> bool {
        self.index.iter().any(|k| k == kind)
    }

    /// The search page's URL path, `/suche/`.
    pub fn page_path(&self) -> String {
        format!("/{}/", self.path)
    }
}

fn yes() -> bool {
    true
}
fn default_index() -> Vec<String> {
    ["articles", "authors", "editions"]
        .map(String::from)
        .to_vec()
}
fn default_path() -> String {
    "suche".into()
}

/// Checks `[search]`: known kinds, a search page folder that is one plain URL segment.
pub(super) fn validate(source: &Arc<SourceFile>, search: &Search, diags: &mut Diagnostics) {
    let span = || table_span(&source.text, "search");
    for kind in &search.index {
        if !KINDS.contains(&kind.as_str()) {
            diags.push(
                Diagnostic::error(
                    "config-search",
                    format!("search.index names `{kind}`, which presswerk cannot index"),
                )
                .at(source, span(), "in this table")
                .help(format!("known: {}", KINDS.join(", "))),
            );
        }
    }
    let p = &search.path;
    let plain = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    if p.is_empty() || !p.chars().all(plain) || p.starts_with('-') {
        diags.push(
            Diagnostic::error(
                "config-search",
                format!("search.path `{p}` is not one URL folder name"),
            )
            .at(source, span(), "in this table")
            .help("lower-case letters, digits and hyphens, e.g. path = \"suche\""),
        );
    }
}
