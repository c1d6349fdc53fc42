//! `[[menu.main]]` and `[[menu.footer]]` in `site.toml`: the site's navigation, as the
//! editors want it, instead of links written into the theme. Each entry's `link` is an `@/`
//! content path (checked like every `@/` link in Markdown, see `site::menus`), a site path
//! (`/ueber/`) or a URL.

use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::source::{SourceFile, Span};

/// The menus, each in the order `site.toml` lists them (sorted by weight when rendered).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Menus {
    /// The main navigation in the page header.
    pub main: Vec<MenuItem>,
    /// Links in the page footer (the Impressum and Datenschutz pages come after them).
    pub footer: Vec<MenuItem>,
}

/// One menu entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    /// The link text.
    pub name: String,
    /// `@/artikel/_index.md`, `/ueber/` or `https://…`.
    pub link: String,
    /// Lower comes first; equal weights keep the order of `site.toml`.
    #[serde(default)]
    pub weight: i64,
}

impl Menus {
    /// Both menus with their names, for what is done to each alike.
    pub(crate) fn all(&self) -> [(&'static str, &[MenuItem]); 2] {
        [("main", &self.main), ("footer", &self.footer)]
    }
}

/// Where `link = "…"` of a menu entry is written in `site.toml` (the `n`-th entry that
/// has this link), or the start of the `[[menu.…]]` tables.
pub(crate) fn link_span(source: &SourceFile, link: &str) -> Span {
    let text = source.text.as_str();
    let quoted = [format!("\"{link}\""), format!("'{link}'")];
    quoted
        .iter()
        .filter_map(|q| text.find(q.as_str()).map(|i| i..i + q.len()))
        .next()
        .or_else(|| text.find("[[menu.").map(|i| i..i + 7))
        .unwrap_or(0..0)
}

/// Entries need a name and a link whose scheme may become a link.
pub(crate) fn validate(source: &Arc<SourceFile>, menus: &Menus, diags: &mut Diagnostics) {
    for (menu, items) in menus.all() {
        for item in items {
            let span = link_span(source, &item.link);
            if item.name.trim().is_empty() || item.link.trim().is_empty() {
                diags.push(
                    Diagnostic::error(
                        "config-menu",
                        format!("an entry of menu.{menu} has no name or no link"),
                    )
                    .at(source, span, "in this entry")
                    .help(
                        "each [[menu.main]] entry needs name = \"…\" and link = \"@/…\" or a URL",
                    ),
                );
            } else if let Some(scheme) = crate::text::scheme::refused(&item.link) {
                diags.push(
                    Diagnostic::error(
                        "config-url",
                        format!(
                            "menu.{menu} entry `{}` links to a `{scheme}:` URL",
                            item.name
                        ),
                    )
                    .at(source, span, "this scheme may not become a link")
                    .help(crate::text::scheme::HINT),
                );
            }
        }
    }
}
